/**
 * The live pcapng file's writes (`netlab serve --pcapng FILE`), off the lab's event loop: a
 * batch's blocks go to the file with an asynchronous positional write (libuv's thread pool),
 * and while one is in flight the next batches gather in the sink and leave together when it
 * completes. A synchronous write per batch held the loop for as long as the disk took: on a
 * machine busy with other writes that was 15 % of the lab's time and 20–40 % of its echo
 * round trips (bench/capture.mjs, part e). The file stays a valid trace after every write:
 * blocks leave whole, in order, each at its own offset.
 */
import fs from 'node:fs';
import type { PcapngSink } from './pcapng-sink';

export class LivePcapngFile {
  /** where the next blocks go */
  private position = 0;
  /** the write in flight, and where it goes */
  private inFlight: Buffer | null = null;
  private inFlightAt = 0;
  /** the buffer the last write gave back, for the sink to go on in */
  private spare: Buffer | null = null;
  private failed = false;
  private closing = false;

  constructor(
    private readonly fd: number,
    private readonly sink: PcapngSink,
    private readonly onError: (err: Error) => void,
  ) {}

  /** The sink's whole blocks now, synchronously (the file's header, before the lab says it runs). */
  writeNow(): void {
    if (this.failed || this.inFlight) return;
    const bytes = this.sink.take();
    if (bytes) this.sync(bytes);
  }

  /** The sink's whole blocks: written now if no write is in flight, else when it completes. */
  write(): void {
    if (this.failed || this.inFlight || this.closing) return;
    const bytes = this.sink.take(this.spare ?? undefined);
    this.spare = null;
    if (!bytes) return;
    this.start(bytes, this.position);
    this.position += bytes.length;
  }

  /** What is left, written synchronously (Ctrl-C), and the file closed once no write is in flight. */
  close(): void {
    this.closing = true;
    const pending = this.inFlight;
    if (!this.failed) {
      try {
        // the write in flight again, the same bytes at the same place: the file is whole even
        // if the process ends before the thread pool finishes it
        if (pending) fs.writeSync(this.fd, pending, 0, pending.length, this.inFlightAt);
        const rest = this.sink.take();
        if (rest) this.sync(rest);
      } catch (err) {
        this.fail(err as Error);
      }
    }
    if (!pending) fs.closeSync(this.fd);
  }

  private sync(bytes: Buffer): void {
    try {
      fs.writeSync(this.fd, bytes, 0, bytes.length, this.position);
      this.position += bytes.length;
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private start(bytes: Buffer, at: number): void {
    this.inFlight = bytes;
    this.inFlightAt = at;
    fs.write(this.fd, bytes, 0, bytes.length, at, (err, n) => {
      if (this.closing) {
        // close() wrote it again and the rest after it
        this.inFlight = null;
        fs.closeSync(this.fd);
        return;
      }
      if (err) {
        this.inFlight = null;
        return this.fail(err);
      }
      if (n < bytes.length) return this.start(bytes.subarray(n), at + n);
      this.inFlight = null;
      // the whole buffer the blocks were written into (a sink buffer has its own memory)
      this.spare = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.buffer.byteLength - bytes.byteOffset);
      this.write();
    });
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.onError(err);
  }
}

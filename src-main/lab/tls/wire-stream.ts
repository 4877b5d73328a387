/**
 * The stream Node's TLS engine runs over on a lab connection: what the tap read from the wire
 * goes in, the engine's records come out to the tap. tls.TLSSocket wraps any stream that is no
 * `net.Socket` with a handle in Node's JSStreamSocket, which uses only this much of it: `data`,
 * `end`, `close` and `error` events, pause/resume, cork/write/uncork, end and destroy.
 *
 * A full Duplex did the same with two stream state machines per connection (a Readable's
 * buffer and flowing state, a Writable's queue, their callbacks on later ticks) that nothing
 * here needs: the tap already holds the bytes, and the link emulation paces the output.
 * Readable's order is kept: data only while flowing, `end` after the last chunk, `close` once
 * both sides are done or on destroy.
 */
import { EventEmitter } from 'node:events';

export class TlsWireStream extends EventEmitter {
  /** read by tls.TLSSocket and JSStreamSocket when they wrap the stream */
  readonly readable = true;
  readonly writable = true;
  readonly allowHalfOpen = true;
  readonly readableLength = 0;
  destroyed = false;

  private flowing = false;
  private queued: Buffer[] = [];
  private ended = false;
  private endEmitted = false;
  private finished = false;
  private corked = 0;
  private corkedChunks: Buffer[] = [];
  private corkedDone: ((err?: Error | null) => void)[] = [];
  private writing = 0;
  private afterWrites: (() => void) | null = null;
  private closeScheduled = false;

  constructor(
    /** ciphertext for the peer; `then` once it is taken */
    private readonly send: (bytes: Buffer, then: () => void) => void,
    /** the engine closed its sending side */
    private readonly finish: () => void,
  ) {
    super();
  }

  /** bytes from the wire, for the engine */
  push(chunk: Buffer | null): void {
    if (this.destroyed || this.ended) return;
    if (chunk === null) this.ended = true;
    else if (this.flowing && this.queued.length === 0) this.emit('data', chunk);
    else this.queued.push(chunk);
    if (this.flowing) this.drainQueue();
  }

  pause(): this {
    this.flowing = false;
    return this;
  }

  resume(): this {
    if (!this.flowing) {
      this.flowing = true;
      // as a Readable resumes: what waited is delivered on a later tick, not inside the caller
      if (this.queued.length || this.ended) process.nextTick(() => this.drainQueue());
    }
    return this;
  }

  cork(): void {
    this.corked++;
  }

  uncork(): void {
    if (this.corked > 0 && --this.corked === 0 && this.corkedChunks.length) {
      const chunks = this.corkedChunks;
      const done = this.corkedDone;
      this.corkedChunks = [];
      this.corkedDone = [];
      // what the engine encrypted in one go leaves as one write, as one piece on the wire and in
      // the capture: a response's record is not cut where the engine's buffer was
      this.writeOut(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), done);
    }
  }

  write(chunk: Buffer, done?: (err?: Error | null) => void): boolean {
    if (this.destroyed || this.finished) {
      if (done) process.nextTick(done, Object.assign(new Error('write after the TLS wire closed'), { code: 'EPIPE' }));
      return false;
    }
    if (this.corked) {
      this.corkedChunks.push(chunk);
      if (done) this.corkedDone.push(done);
    } else this.writeOut(chunk, done ? [done] : []);
    return true;
  }

  /** the engine's sending side is done (after its close_notify) */
  end(done?: () => void): this {
    const close = (): void => {
      if (this.finished) return;
      this.finished = true;
      this.finish();
      done?.();
      this.closeWhenDone();
    };
    if (this.writing) this.afterWrites = close;
    else process.nextTick(close);
    return this;
  }

  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.queued = [];
    this.scheduleClose();
    return this;
  }

  private writeOut(bytes: Buffer, done: ((err?: Error | null) => void)[]): void {
    this.writing++;
    this.send(bytes, () => {
      this.writing--;
      for (const d of done) d(null);
      if (this.writing === 0 && this.afterWrites) {
        const next = this.afterWrites;
        this.afterWrites = null;
        next();
      }
    });
  }

  private drainQueue(): void {
    while (this.flowing && !this.destroyed && this.queued.length) this.emit('data', this.queued.shift());
    if (this.flowing && this.ended && !this.endEmitted && this.queued.length === 0 && !this.destroyed) {
      this.endEmitted = true;
      process.nextTick(() => {
        if (this.destroyed) return;
        this.emit('end');
        this.closeWhenDone();
      });
    }
  }

  /** a Duplex closes itself once both sides are done */
  private closeWhenDone(): void {
    if (this.endEmitted && this.finished && !this.destroyed) this.destroy();
  }

  private scheduleClose(): void {
    if (this.closeScheduled) return;
    this.closeScheduled = true;
    process.nextTick(() => this.emit('close'));
  }
}

/**
 * Where a pcapng file is written as it is made: one buffer that the Enhanced Packet Blocks
 * (draft-ietf-opsawg-pcapng §4.3) are written into in place, headers, frame and all. A block
 * stays open until its comment is known (the lab's notes of a frame may come after it), then
 * its options and lengths are closed. Whole blocks leave in one piece per batch: to a file in
 * one write (the buffer is used again), or handed on (an export: a new buffer follows).
 */

import { viewOf } from './pcapng-frames';

const EPB = 0x00000006;
const EPB_HEAD = 28;
const OPT_COMMENT = 1;
/** a comment's text is cut to what an option's 16-bit length can carry */
const MAX_COMMENT = 65_000;

export class PcapngSink {
  private buf: Buffer;
  /** the same bytes, for the header fields (faster than Buffer's write methods) */
  private dv: DataView;
  private used = 0;
  /** where the open block starts (-1: none) */
  private openAt = -1;

  /** `full`: whole blocks when the buffer fills (none: the buffer grows) */
  constructor(
    private readonly size: number,
    private readonly full?: (bytes: Buffer) => void,
  ) {
    this.buf = Buffer.allocUnsafe(size);
    this.dv = viewOf(this.buf);
  }

  get hasOpen(): boolean {
    return this.openAt >= 0;
  }

  /** A block made elsewhere (the section header, the interface). */
  append(block: Buffer): void {
    this.room(block.length);
    this.used += block.copy(this.buf, this.used);
  }

  /** the buffer a frame is written into, at the offset openPacket returned */
  get buffer(): Buffer {
    return this.buf;
  }
  get view(): DataView {
    return this.dv;
  }

  /**
   * Open a packet block at `micros` (µs since 1970) for a frame of `length` bytes: the frame
   * goes into `buffer` at the offset returned, and closeFrame is told where it ended.
   */
  openPacket(micros: number, length: number): number {
    // the frame, its padding to 32 bits, and room for the options' end and the trailing length
    this.room(EPB_HEAD + length + 3 + 8);
    const v = this.dv;
    const at = this.used;
    v.setUint32(at, EPB, true);
    v.setUint32(at + 8, 0, true); // interface 0
    const high = Math.floor(micros / 2 ** 32);
    v.setUint32(at + 12, high, true);
    v.setUint32(at + 16, micros - high * 2 ** 32, true);
    v.setUint32(at + 20, length, true);
    v.setUint32(at + 24, length, true);
    this.openAt = at;
    return at + EPB_HEAD;
  }

  /** The frame ends at `end`: padded to 32 bits, the block left open for its comment. */
  closeFrame(end: number): void {
    const b = this.buf;
    while (end & 3) b[end++] = 0;
    this.used = end;
  }

  /** Close the open block, with `comment` as its comment option when there is one. */
  closePacket(comment?: string): void {
    if (this.openAt < 0) return;
    if (comment) {
      let n = Buffer.byteLength(comment, 'utf8');
      this.room(4 + n + 3 + 4);
      n = Math.min(n, MAX_COMMENT);
      const b = this.buf;
      const at = this.used;
      b.writeUInt16LE(OPT_COMMENT, at);
      b.writeUInt16LE(n, at + 2);
      const written = b.write(comment, at + 4, n, 'utf8');
      let end = at + 4 + written;
      // a cut inside a character writes less: the option says what it holds
      if (written !== n) b.writeUInt16LE(written, at + 2);
      while (end & 3) b[end++] = 0;
      b.writeUInt32LE(0, end); // end of options
      this.used = end + 4;
    }
    this.room(4);
    const total = this.used + 4 - this.openAt;
    this.dv.setUint32(this.openAt + 4, total, true);
    this.dv.setUint32(this.used, total, true);
    this.used += 4;
    this.openAt = -1;
  }

  /** The whole blocks written, handed to `to` (which must be done with them when it returns); the buffer starts over. */
  drain(to: (bytes: Buffer) => void): void {
    if (this.openAt >= 0) throw new Error('a packet block is still open');
    if (this.used === 0) return;
    to(this.buf.subarray(0, this.used));
    this.used = 0;
  }

  /** The whole blocks written, for good (a write that outlives this call: the live file's), the
   *  sink going on in `next` (a buffer given back by such a write) or a new buffer; null: none. */
  take(next?: Buffer): Buffer | null {
    if (this.openAt >= 0) throw new Error('a packet block is still open');
    if (this.used === 0) return null;
    const out = this.buf.subarray(0, this.used);
    this.buf = next && next.length >= this.size ? next : Buffer.allocUnsafe(this.size);
    this.dv = viewOf(this.buf);
    this.used = 0;
    return out;
  }

  /** What is left, for good (the end of an export). */
  rest(): Buffer {
    const out = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(0);
    this.dv = viewOf(this.buf);
    this.used = 0;
    return out;
  }

  /** `n` more bytes fit at `used`: whole blocks handed on (or the buffer grown), the open block carried over. */
  private room(n: number): void {
    if (this.used + n <= this.buf.length) return;
    const keepFrom = this.openAt >= 0 ? this.openAt : this.used;
    const open = this.used - keepFrom;
    const next = Buffer.allocUnsafe(Math.max(this.size, open + n, this.full ? 0 : 2 * this.buf.length));
    if (this.full) {
      if (keepFrom > 0) this.full(this.buf.subarray(0, keepFrom));
      this.buf.copy(next, 0, keepFrom, this.used);
      if (this.openAt >= 0) this.openAt = 0;
      this.used = open;
    } else this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
    this.dv = viewOf(next);
  }
}

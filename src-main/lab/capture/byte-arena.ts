/**
 * The capture's bytes, copied into one large ring of memory instead of one Buffer per
 * message. A hundred thousand small Buffers are a hundred thousand objects the garbage
 * collector must trace and sweep; one arena is one object, and its size is a hard bound
 * on what the capture's bytes can cost. The oldest bytes are overwritten first; a message
 * whose bytes are gone keeps its summary and says its bytes were dropped.
 */
export class ByteArena {
  private readonly buf: Buffer;
  /** total bytes ever reserved: a position is valid while it is within `capacity` of this */
  private head = 0;

  constructor(readonly capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Copy `bytes` in; returns the position to read them back by. */
  put(bytes: Uint8Array): number {
    const n = bytes.length;
    if (n > this.capacity) throw new RangeError(`${n} bytes do not fit a ${this.capacity}-byte arena`);
    let at = this.head % this.capacity;
    // a message is never split across the end: skip the tail and start at 0
    if (at + n > this.capacity) {
      this.head += this.capacity - at;
      at = 0;
    }
    this.buf.set(bytes, at);
    const pos = this.head;
    this.head += n;
    return pos;
  }

  /** The bytes put at `pos`, or null when newer bytes have overwritten them. */
  get(pos: number, length: number, view = false): Buffer | null {
    if (pos + length > this.head || pos < this.head - this.capacity) return null;
    const at = pos % this.capacity;
    const bytes = this.buf.subarray(at, at + length);
    return view ? bytes : Buffer.from(bytes);
  }

  /** `length` bytes from `pos` copied into `out` at `to`: false once they are overwritten */
  copyOut(pos: number, length: number, out: Uint8Array, to: number): boolean {
    if (pos + length > this.head || pos < this.head - this.capacity) return false;
    const at = pos % this.capacity;
    this.buf.copy(out, to, at, at + length);
    return true;
  }

  clear(): void {
    this.head = 0;
  }
}

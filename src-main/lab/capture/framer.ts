/**
 * Frames a TCP byte stream into protocol messages, per direction. The default framing is
 * by line (the echo exercise, and later SMTP/POP3/HTTP heads): a message ends at LF, or
 * when the other side starts talking (a client that sends "hello" with no newline and
 * waits for the reply, as the textbook's TCPClient does), or at close.
 */
import type { Direction } from '../api';

export const MAX_FRAME_BYTES = 64 * 1024;

export interface Frame {
  dir: Direction;
  bytes: Buffer;
  /** the frame hit MAX_FRAME_BYTES before its end of line */
  oversized: boolean;
}

export interface Framer {
  push(dir: Direction, chunk: Buffer): Frame[];
  /** flush what is pending in `dir` (the peer spoke, or the connection closed) */
  flush(dir: Direction): Frame[];
}

export class LineFramer implements Framer {
  private pending = new Map<Direction, Buffer[]>();
  private pendingSize = new Map<Direction, number>();

  push(dir: Direction, chunk: Buffer): Frame[] {
    const other: Direction = dir === 'c2s' ? 's2c' : 'c2s';
    const frames = this.flush(other);
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      frames.push(...this.take(dir, chunk.subarray(start, nl + 1)));
      start = nl + 1;
    }
    if (start < chunk.length) this.append(dir, chunk.subarray(start), frames);
    return frames;
  }

  flush(dir: Direction): Frame[] {
    const parts = this.pending.get(dir);
    if (!parts || parts.length === 0) return [];
    this.pending.set(dir, []);
    this.pendingSize.set(dir, 0);
    return [{ dir, bytes: Buffer.concat(parts), oversized: false }];
  }

  private take(dir: Direction, tail: Buffer): Frame[] {
    const parts = this.pending.get(dir);
    if (!parts || parts.length === 0) return [{ dir, bytes: tail, oversized: false }];
    parts.push(tail);
    return this.flush(dir);
  }

  private append(dir: Direction, bytes: Buffer, frames: Frame[]): void {
    const parts = this.pending.get(dir) ?? [];
    const size = (this.pendingSize.get(dir) ?? 0) + bytes.length;
    parts.push(bytes);
    this.pending.set(dir, parts);
    this.pendingSize.set(dir, size);
    if (size >= MAX_FRAME_BYTES) {
      const [frame] = this.flush(dir);
      frames.push({ ...frame, oversized: true });
    }
  }
}

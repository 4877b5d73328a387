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
  /** the inspector's one line for it, when the framer knows more than the bytes say (an FTP
   *  reply names the command it answers) */
  summary?: string;
}

export interface Framer {
  push(dir: Direction, chunk: Buffer): Frame[];
  /** flush what is pending in `dir` (the peer spoke, or the connection closed) */
  flush(dir: Direction): Frame[];
  /** how many bytes of the read just pushed its chunk record keeps (default: all) */
  chunkKeep?(dir: Direction): number;
  /** the read is exactly one message, nothing pending either way, no summary of the framer's:
   *  what push would return is that one frame, and it changes nothing (the capture records it
   *  whole without building the frame). Optional: without it, push decides. */
  single?(dir: Direction, chunk: Buffer): boolean;
}

/** reads up to this long are scanned for LF in JavaScript (a native indexOf costs more on a short line) */
const SHORT_READ = 64;

export class LineFramer implements Framer {
  /** what each direction has sent since its last end of line */
  private pending: Record<Direction, Buffer[]> = { c2s: [], s2c: [], none: [] };
  private pendingSize: Record<Direction, number> = { c2s: 0, s2c: 0, none: 0 };

  push(dir: Direction, chunk: Buffer): Frame[] {
    const other: Direction = dir === 'c2s' ? 's2c' : 'c2s';
    const frames = this.pending[other].length > 0 ? this.flush(other) : [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      const line = start === 0 && nl === chunk.length - 1 ? chunk : chunk.subarray(start, nl + 1);
      if (this.pending[dir].length === 0) frames.push({ dir, bytes: line, oversized: false });
      else {
        this.pending[dir].push(line);
        frames.push(this.take(dir));
      }
      start = nl + 1;
    }
    if (start < chunk.length) this.append(dir, start === 0 ? chunk : chunk.subarray(start), frames);
    return frames;
  }

  flush(dir: Direction): Frame[] {
    return this.pending[dir].length === 0 ? [] : [this.take(dir)];
  }

  single(dir: Direction, chunk: Buffer): boolean {
    const n = chunk.length;
    if (n === 0 || chunk[n - 1] !== 0x0a || this.pending.c2s.length > 0 || this.pending.s2c.length > 0 || this.pending[dir].length > 0) return false;
    if (n > SHORT_READ) return chunk.indexOf(0x0a) === n - 1;
    for (let i = 0; i < n - 1; i++) if (chunk[i] === 0x0a) return false;
    return true;
  }

  private take(dir: Direction): Frame {
    const parts = this.pending[dir];
    this.pending[dir] = [];
    this.pendingSize[dir] = 0;
    return { dir, bytes: parts.length === 1 ? parts[0] : Buffer.concat(parts), oversized: false };
  }

  private append(dir: Direction, bytes: Buffer, frames: Frame[]): void {
    this.pending[dir].push(bytes);
    this.pendingSize[dir] += bytes.length;
    if (this.pendingSize[dir] >= MAX_FRAME_BYTES) frames.push({ ...this.take(dir), oversized: true });
  }
}

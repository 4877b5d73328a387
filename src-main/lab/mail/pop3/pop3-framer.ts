/**
 * Capture framing for POP3: one command per line; a single-line response per line; a
 * multi-line response (RETR, TOP, LIST, UIDL, CAPA answered +OK) as ONE frame up to its
 * "." line (RFC 1939 §3), in pieces of at most MAX_FRAME_BYTES.
 */
import type { Direction } from '../../api';
import { LineFramer, MAX_FRAME_BYTES, type Frame, type Framer } from '../../capture/framer';

function isMultiline(command: string): boolean {
  const [verb = '', ...args] = command.trim().split(/\s+/);
  const v = verb.toUpperCase();
  return v === 'RETR' || v === 'TOP' || v === 'CAPA' || ((v === 'LIST' || v === 'UIDL') && args.length === 0);
}

export class Pop3Framer implements Framer {
  private commands = new LineFramer();
  private pending: boolean[] = [];
  private parts: Buffer[] = [];
  private size = 0;
  /** inside a multi-line response */
  private inBody = false;
  private lineHead = '';
  private lineLen = 0;

  push(dir: Direction, chunk: Buffer): Frame[] {
    if (dir === 'c2s') {
      const frames = this.commands.push('c2s', chunk);
      for (const f of frames) this.pending.push(isMultiline(f.bytes.toString('latin1')));
      if (this.pending.length > 1000) this.pending.splice(0, this.pending.length - 1000);
      return frames;
    }
    return this.response(chunk);
  }

  flush(dir: Direction): Frame[] {
    return dir === 'c2s' ? this.commands.flush('c2s') : this.take(false);
  }

  private response(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.lineLen < 3) this.lineHead += String.fromCharCode(b);
      this.lineLen += 1;
      if (b !== 0x0a) continue;
      const head = this.lineHead;
      this.lineHead = '';
      this.lineLen = 0;
      this.add(chunk.subarray(start, i + 1));
      start = i + 1;
      if (this.inBody) {
        if (head === '.\r\n' || head === '.\n') {
          this.inBody = false;
          frames.push(...this.take(false));
        }
        continue;
      }
      // the first line of a response: status indicator
      const multi = this.pending.shift() ?? false;
      if (multi && head.startsWith('+OK')) this.inBody = true;
      else frames.push(...this.take(false));
    }
    if (start < chunk.length) this.add(chunk.subarray(start));
    if (this.size >= MAX_FRAME_BYTES) frames.push(...this.take(true));
    return frames;
  }

  private add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.parts.push(Buffer.from(bytes));
    this.size += bytes.length;
  }

  private take(oversized: boolean): Frame[] {
    if (this.parts.length === 0) return [];
    const bytes = Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    return [{ dir: 's2c', bytes, oversized }];
  }
}

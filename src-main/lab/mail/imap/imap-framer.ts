/**
 * Capture framing for IMAP: a client's command is one frame with the literals `{n}` it
 * carries; the server's answer to a command — its untagged lines (`* 3 EXISTS`, `* 1 FETCH
 * (... {n} bytes ...)`) up to the tagged completion (`a1 OK`) — is one frame, so the ladder
 * pairs each command with its response. A continuation (`+ ...`) is a frame of its own, and
 * so is an untagged line no command is waiting for (the greeting, a new mail told during IDLE).
 */
import type { Direction } from '../../api';
import { MAX_FRAME_BYTES, type Frame, type Framer } from '../../capture/framer';
import { MAX_LITERAL } from './imap-parser';

const LITERAL = /\{(\d{1,12})(\+?)\}\r?\n$/;

/** one direction: cuts lines, keeping a line's announced literal inside it */
class LineWithLiterals {
  private parts: Buffer[] = [];
  private size = 0;
  private literal = 0;
  private announced = 0;
  private tail = '';
  /** the frame under way began in an earlier, oversized piece */
  continued = false;

  /** feed bytes; `line` is called with each complete line (literals included) */
  push(chunk: Buffer, line: (bytes: Buffer, oversized: boolean) => void, server: boolean): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.literal > 0) {
        const n = Math.min(this.literal, chunk.length - i);
        this.add(chunk.subarray(i, i + n), line);
        this.literal -= n;
        i += n;
        continue;
      }
      const nl = chunk.indexOf(0x0a, i);
      const end = nl < 0 ? chunk.length : nl + 1;
      const piece = chunk.subarray(i, end);
      this.tail = (this.tail + piece.toString('latin1')).slice(-24);
      this.add(piece, line);
      i = end;
      if (nl < 0) break;
      const lit = LITERAL.exec(this.tail);
      // a client's synchronizing literal over the limit is refused: it is not sent
      if (lit && (server || lit[2] === '+' || Number(lit[1]) <= MAX_LITERAL)) this.literal = this.announced = Number(lit[1]);
      else this.emit(line, false);
      this.tail = '';
    }
  }

  private add(bytes: Buffer, line: (bytes: Buffer, oversized: boolean) => void): void {
    this.parts.push(Buffer.from(bytes));
    this.size += bytes.length;
    if (this.size >= MAX_FRAME_BYTES) this.emit(line, true);
  }

  /** the server refused the literal announced (too big): when none of it came, it will not come, the line is whole */
  refused(line: (bytes: Buffer, oversized: boolean) => void): void {
    if (this.literal === 0 || this.literal !== this.announced) return;
    this.literal = 0;
    this.emit(line, false);
  }

  emit(line: (bytes: Buffer, oversized: boolean) => void, oversized: boolean): void {
    if (this.parts.length === 0) return;
    const bytes = Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    line(bytes, oversized);
    this.continued = oversized;
  }
}

export class ImapFramer implements Framer {
  private client = new LineWithLiterals();
  private server = new LineWithLiterals();
  /** tagged commands sent and not yet completed */
  private waiting: string[] = [];
  private idle = false;
  private response: Buffer[] = [];
  private responseSize = 0;

  push(dir: Direction, chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    if (dir === 'c2s') {
      this.client.push(chunk, (bytes, oversized) => this.command(frames, bytes, oversized), false);
      return frames;
    }
    this.server.push(
      chunk,
      (bytes, oversized) => {
        this.response.push(bytes);
        this.responseSize += bytes.length;
        const head = bytes.subarray(0, 80).toString('latin1');
        // a literal refused before it was sent: the command it belonged to is whole
        if (/^\S+ BAD \[TOOBIG\]/.test(head)) this.client.refused((b, o) => frames.push({ dir: 'c2s', bytes: b, oversized: o }));
        if (oversized || this.responseSize >= MAX_FRAME_BYTES) return frames.push(...this.take(oversized || !/\r?\n$/.test(head)));
        if (head.startsWith('+')) return frames.push(...this.take(false));
        if (head.startsWith('* ')) {
          if (this.waiting.length === 0 || this.idle) frames.push(...this.take(false));
          return;
        }
        const tag = head.split(' ')[0];
        const at = this.waiting.indexOf(tag);
        if (at >= 0) this.waiting.splice(at, 1);
        this.idle = false;
        frames.push(...this.take(false));
      },
      true,
    );
    return frames;
  }

  /** a client's command (or a piece of one): its tag is waited for */
  private command(frames: Frame[], bytes: Buffer, oversized: boolean): void {
    frames.push({ dir: 'c2s', bytes, oversized });
    // a command's first piece names its tag (an APPEND of megabytes comes in several)
    if (this.client.continued) return;
    const m = /^(\S+) (\S+)/.exec(bytes.subarray(0, 80).toString('latin1'));
    if (m && !/^DONE$/i.test(bytes.toString('latin1').trim())) {
      this.waiting.push(m[1]);
      if (this.waiting.length > 1000) this.waiting.shift();
      if (m[2].toUpperCase() === 'IDLE') this.idle = true;
    }
  }

  flush(dir: Direction): Frame[] {
    if (dir === 'c2s') {
      const frames: Frame[] = [];
      this.client.emit((bytes, oversized) => frames.push({ dir, bytes, oversized }), false);
      return frames;
    }
    this.server.emit((bytes) => this.response.push(bytes), false);
    return this.take(false);
  }

  private take(oversized: boolean): Frame[] {
    if (this.response.length === 0) return [];
    const bytes = Buffer.concat(this.response);
    this.response = [];
    this.responseSize = 0;
    return [{ dir: 's2c', bytes, oversized }];
  }
}

/**
 * Capture framing for SMTP: commands one line each, a reply one message (a multi-line EHLO
 * reply included), and the message after 354 as ONE frame up to and including the
 * "." line, so the inspector shows the DATA content as one message, as the textbook's
 * transcript does. Pieces of at most MAX_FRAME_BYTES keep memory bounded on huge messages.
 * The "." line ends the content as it ends it for the server: CRLF "." CRLF only (see
 * smtp-stream); a reply while the content is open (the server refused it) ends it too.
 */
import type { Direction } from '../../api';
import { LineFramer, MAX_FRAME_BYTES, type Frame, type Framer } from '../../capture/framer';

export class SmtpFramer implements Framer {
  private lines = new LineFramer();
  /** lines of a multi-line reply so far */
  private reply: Buffer[] = [];
  private replySize = 0;
  private inData = false;
  private parts: Buffer[] = [];
  private size = 0;
  /** the first byte of the current content line and its length so far (enough to tell the "." line) */
  private firstByte = -1;
  private lineLen = 0;
  /** the line before this one ended in CRLF */
  private afterCrlf = true;
  /** the last content byte seen (a CR may end one read and its LF begin the next) */
  private lastByte = -1;

  push(dir: Direction, chunk: Buffer): Frame[] {
    if (dir === 'c2s' && this.inData) return this.pushData(chunk);
    const out: Frame[] = [];
    // the server answers during the content only when it refuses it: what came so far is the content
    if (dir === 's2c' && this.inData) {
      out.push(...this.take(false));
      this.inData = false;
    }
    for (const f of this.lines.push(dir, chunk)) {
      if (f.dir !== 's2c') {
        out.push(f);
        continue;
      }
      // a multi-line reply (250-… 250-… 250 …, RFC 5321 §4.2.1) is one message
      if (opensMultiline(f.bytes) && this.replySize < MAX_FRAME_BYTES) {
        this.reply.push(f.bytes);
        this.replySize += f.bytes.length;
        continue;
      }
      if (this.reply.length > 0) {
        out.push({ dir: 's2c', bytes: Buffer.concat([...this.reply, f.bytes]), oversized: false });
        this.reply = [];
        this.replySize = 0;
      } else out.push(f);
      if (isStartData(f.bytes)) this.startData();
    }
    return out;
  }

  /** a command, or a one-line reply that neither opens a multi-line reply nor the message text:
   *  one frame of the whole read, nothing changed (the capture records it without push) */
  single(dir: Direction, chunk: Buffer): boolean {
    if (this.inData || this.reply.length > 0 || !this.lines.single(dir, chunk)) return false;
    return dir !== 's2c' || !(chunk[3] === DASH || isStartData(chunk));
  }

  flush(dir: Direction): Frame[] {
    if (dir === 'c2s' && this.inData) return this.take(false);
    const frames = this.lines.flush(dir);
    if (dir === 's2c' && this.reply.length > 0) {
      const bytes = Buffer.concat([...this.reply, ...frames.map((f) => f.bytes)]);
      this.reply = [];
      this.replySize = 0;
      return [{ dir: 's2c', bytes, oversized: false }];
    }
    return frames;
  }

  private startData(): void {
    this.inData = true;
    this.parts = [];
    this.size = 0;
    this.firstByte = -1;
    this.lineLen = 0;
    this.afterCrlf = true;
    this.lastByte = -1;
  }

  /** content bytes: line by line (indexOf, not byte by byte) up to the "." line */
  private pushData(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(0x0a, pos);
      const lineEnd = nl < 0 ? chunk.length : nl + 1;
      // the line may have begun in an earlier read: its first byte was kept then
      if (this.lineLen === 0) this.firstByte = chunk[pos];
      this.lineLen += lineEnd - pos;
      pos = lineEnd;
      if (nl < 0) break;
      const beforeLf = nl > 0 ? chunk[nl - 1] : this.lastByte;
      // the "." line is exactly "." CR LF, after a line that ended in CRLF
      const end = this.lineLen === 3 && this.firstByte === 0x2e && beforeLf === 0x0d && this.afterCrlf;
      this.afterCrlf = beforeLf === 0x0d;
      this.lineLen = 0;
      if (end) {
        const last = chunk.subarray(0, pos);
        // content that came in this one read is framed as it is (the store copies what it keeps)
        if (this.parts.length === 0) frames.push({ dir: 'c2s', bytes: last, oversized: false });
        else {
          this.add(last, frames);
          frames.push(...this.take(false));
        }
        this.inData = false;
        if (pos < chunk.length) frames.push(...this.lines.push('c2s', chunk.subarray(pos)));
        return frames;
      }
    }
    if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1];
    this.add(chunk, frames);
    return frames;
  }

  private add(bytes: Buffer, frames: Frame[]): void {
    if (bytes.length === 0) return;
    this.parts.push(Buffer.from(bytes));
    this.size += bytes.length;
    if (this.size >= MAX_FRAME_BYTES) frames.push(...this.take(true));
  }

  private take(oversized: boolean): Frame[] {
    if (this.parts.length === 0) return [];
    const bytes = Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    return [{ dir: 'c2s', bytes, oversized }];
  }
}

const DASH = 0x2d;
const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/** `ddd-`: a line of a multi-line reply that more lines follow */
function opensMultiline(line: Buffer): boolean {
  return line[3] === DASH && isDigit(line[0]) && isDigit(line[1]) && isDigit(line[2]);
}

/** `354 `: the reply after which the client sends the message text */
function isStartData(line: Buffer): boolean {
  return line[0] === 0x33 && line[1] === 0x35 && line[2] === 0x34 && line[3] === 0x20;
}

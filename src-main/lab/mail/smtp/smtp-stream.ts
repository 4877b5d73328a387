/**
 * The SMTP byte stream, with no socket: command lines, and the DATA body up to the
 * CRLF.CRLF that ends it (RFC 5321 §4.1.1.4), with dot-stuffing undone (§4.5.2).
 *
 * Events are pulled one at a time (`next`), so a pipelined client's bytes after DATA are
 * read as message text only once the session has accepted DATA and called `startData`.
 * Every length the peer controls is capped: a command line longer than `maxLine` is
 * dropped up to its end of line (the session answers 500 and goes on), a message over
 * `maxMessage` is read to its end and dropped (552). Memory stays bounded by the caps.
 */

export interface SmtpStreamLimits {
  /** longest command line, CRLF included (RFC 5321 §4.5.3.1.4: 512) */
  maxLine: number;
  /** largest message accepted, the SIZE announced in EHLO */
  maxMessage: number;
}

export type SmtpEvent =
  | { type: 'command'; line: string }
  | { type: 'too-long'; length: number }
  | { type: 'message'; data: Buffer }
  | { type: 'too-big'; size: number };

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const LF_DOT = Buffer.from('\n.');

export class SmtpStream {
  private buf: Buffer = Buffer.alloc(0);
  private mode: 'command' | 'data' = 'command';
  /** command mode: bytes of an over-long line being skipped */
  private discarding = 0;
  // data mode
  private parts: Buffer[] = [];
  private size = 0;
  private lineStart = true;

  constructor(readonly limits: SmtpStreamLimits) {}

  get inData(): boolean {
    return this.mode === 'data';
  }

  push(chunk: Buffer): void {
    // a command line with no end in sight is dropped as it comes, not kept until next()
    if (this.mode === 'command' && (this.discarding > 0 || this.buf.length + chunk.length > this.limits.maxLine) && chunk.indexOf(LF) < 0) {
      if (this.buf.indexOf(LF) < 0) {
        this.discarding += this.buf.length + chunk.length;
        this.buf = Buffer.alloc(0);
        return;
      }
    }
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
  }

  /** The session accepted DATA (it sent 354): what follows is the message. */
  startData(): void {
    this.mode = 'data';
    this.parts = [];
    this.size = 0;
    this.lineStart = true;
  }

  /** Bytes received and not yet turned into an event. */
  get pending(): number {
    return this.buf.length;
  }

  next(): SmtpEvent | null {
    return this.mode === 'command' ? this.nextCommand() : this.nextData();
  }

  private nextCommand(): SmtpEvent | null {
    const nl = this.buf.indexOf(LF);
    if (nl < 0) {
      if (this.discarding > 0 || this.buf.length > this.limits.maxLine) {
        this.discarding += this.buf.length;
        this.buf = Buffer.alloc(0);
      }
      return null;
    }
    const lineBytes = this.buf.subarray(0, nl);
    this.buf = this.buf.subarray(nl + 1);
    if (this.discarding > 0 || lineBytes.length + 1 > this.limits.maxLine) {
      const length = this.discarding + lineBytes.length + 1;
      this.discarding = 0;
      return { type: 'too-long', length };
    }
    const end = lineBytes.length > 0 && lineBytes[lineBytes.length - 1] === CR ? lineBytes.length - 1 : lineBytes.length;
    return { type: 'command', line: lineBytes.subarray(0, end).toString('latin1') };
  }

  private nextData(): SmtpEvent | null {
    for (;;) {
      if (this.buf.length === 0) return null;
      if (this.lineStart && this.buf[0] === DOT) {
        // ".\r\n" (or a bare ".\n") ends the message; any other leading dot was stuffed
        if (this.buf.length < 2) return null;
        if (this.buf[1] === LF || (this.buf[1] === CR && this.buf.length >= 3 && this.buf[2] === LF)) {
          this.buf = this.buf.subarray(this.buf[1] === LF ? 2 : 3);
          return this.finish();
        }
        if (this.buf[1] === CR && this.buf.length < 3) return null;
        this.buf = this.buf.subarray(1);
        this.lineStart = false;
        continue;
      }
      // only a line that starts with "." needs a look: copy whole spans up to the next one
      const dotLine = this.buf.indexOf(LF_DOT);
      if (dotLine < 0) {
        this.append(this.buf);
        this.lineStart = this.buf[this.buf.length - 1] === LF;
        this.buf = Buffer.alloc(0);
        return null;
      }
      this.append(this.buf.subarray(0, dotLine + 1));
      this.buf = this.buf.subarray(dotLine + 1);
      this.lineStart = true;
    }
  }

  private append(bytes: Buffer): void {
    this.size += bytes.length;
    // a copy: the chunk may be a view of a larger socket buffer we should not keep alive
    if (this.size <= this.limits.maxMessage) this.parts.push(Buffer.from(bytes));
    else this.parts = [];
  }

  private finish(): SmtpEvent {
    const size = this.size;
    // a message that came in one read is already its own copy: no second one
    const data = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.mode = 'command';
    this.parts = [];
    this.size = 0;
    return size > this.limits.maxMessage ? { type: 'too-big', size } : { type: 'message', data };
  }
}

/** Dot-stuff a message for sending (RFC 5321 §4.5.2), normalise line ends to CRLF, and end it with CRLF.CRLF. */
export function dotStuff(message: Buffer): Buffer {
  const text = message.toString('latin1').replace(/\r?\n/g, '\r\n');
  const body = text.replace(/^\./gm, '..');
  return Buffer.from(`${body}${body.endsWith('\r\n') || body.length === 0 ? '' : '\r\n'}.\r\n`, 'latin1');
}

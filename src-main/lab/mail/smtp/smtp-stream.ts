/**
 * The SMTP byte stream, with no socket: command lines, and the DATA body up to the
 * CRLF.CRLF that ends it (RFC 5321 §4.1.1.4), with dot-stuffing undone (§4.5.2).
 *
 * Events are pulled one at a time (`next`), so a pipelined client's bytes after DATA are
 * read as message text only once the session has accepted DATA and called `startData`.
 * Every length the peer controls is capped: a command line longer than `maxLine` is
 * dropped up to its end of line (the session answers 500 and goes on), a message over
 * `maxMessage` is read to its end and dropped (552). Memory stays bounded by the caps.
 *
 * Only <CR><LF>.<CR><LF> ends a message. A server that also took a "." next to a bare LF
 * (or CR) as the end can be made to see two messages where the server before it saw one:
 * SMTP smuggling. A command line may end in a bare LF (nc without -C sends that; a command
 * is never passed on to another server, so no two servers can read it differently).
 */

export interface SmtpStreamLimits {
  /** longest command line, CRLF included (RFC 5321 §4.5.3.1.4: 512) */
  maxLine: number;
  /** largest message accepted, the SIZE announced in EHLO */
  maxMessage: number;
}

/**
 * What message text with a bare LF gets (as Postfix's smtpd_forbid_bare_newline):
 * `reject` refuses a message with any bare LF or bare CR at the first one; `normalize`
 * stores a line ending in a bare LF as ending in CRLF. Both refuse a "." line next to a
 * bare LF: it is never the end here, and it is what a client that sends bare LFs (or a
 * smuggler) means as the end, so waiting for a CRLF.CRLF that is not coming helps no one.
 */
export type BareLineEnds = 'reject' | 'normalize';

export type SmtpEvent =
  | { type: 'command'; line: string }
  | { type: 'too-long'; length: number }
  | { type: 'message'; data: Buffer }
  | { type: 'too-big'; size: number }
  /** the message is refused for its line ends; the stream reads nothing more */
  | { type: 'bad-line-end'; found: 'bare <LF>' | 'bare <CR>'; dotLine: boolean };

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const LF_DOT = Buffer.from('\n.');
const CRLF = Buffer.from('\r\n');
/** one empty buffer for every stream's "nothing received yet" */
const EMPTY = Buffer.alloc(0);

export class SmtpStream {
  private buf: Buffer = EMPTY;
  private mode: 'command' | 'data' | 'refused' = 'command';
  /** command mode: bytes of an over-long line being skipped */
  private discarding = 0;
  // data mode
  private parts: Buffer[] = [];
  private size = 0;
  private lineStart = true;
  /** the line before this one ended in CRLF (the DATA command's counts): a "." line here may end the message */
  private afterCrlf = true;

  constructor(
    readonly limits: SmtpStreamLimits,
    readonly bareLineEnds: BareLineEnds = 'reject',
  ) {}

  get inData(): boolean {
    return this.mode === 'data';
  }

  push(chunk: Buffer): void {
    if (this.mode === 'refused') return;
    // a command line with no end in sight is dropped as it comes, not kept until next()
    if (this.mode === 'command' && (this.discarding > 0 || this.buf.length + chunk.length > this.limits.maxLine) && chunk.indexOf(LF) < 0) {
      if (this.buf.indexOf(LF) < 0) {
        this.discarding += this.buf.length + chunk.length;
        this.buf = EMPTY;
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
    this.afterCrlf = true;
  }

  /** Drop what was received and not yet read (RFC 3207 §4: plaintext pipelined after
   *  STARTTLS must not be taken as sent inside TLS); returns how many bytes. */
  discard(): number {
    const n = this.buf.length;
    this.buf = EMPTY;
    return n;
  }

  /** Bytes received and not yet turned into an event. */
  get pending(): number {
    return this.buf.length;
  }

  next(): SmtpEvent | null {
    if (this.mode === 'refused') return null;
    return this.mode === 'command' ? this.nextCommand() : this.nextData();
  }

  private nextCommand(): SmtpEvent | null {
    const nl = this.buf.indexOf(LF);
    if (nl < 0) {
      if (this.discarding > 0 || this.buf.length > this.limits.maxLine) {
        this.discarding += this.buf.length;
        this.buf = EMPTY;
      }
      return null;
    }
    const buf = this.buf;
    // a read of exactly one command line (the usual case) leaves nothing: no view of the rest is made
    this.buf = nl + 1 === buf.length ? EMPTY : buf.subarray(nl + 1);
    if (this.discarding > 0 || nl + 1 > this.limits.maxLine) {
      const length = this.discarding + nl + 1;
      this.discarding = 0;
      return { type: 'too-long', length };
    }
    const end = nl > 0 && buf[nl - 1] === CR ? nl - 1 : nl;
    return { type: 'command', line: commandText(buf, end) };
  }

  private nextData(): SmtpEvent | null {
    for (;;) {
      if (this.buf.length === 0) return null;
      if (this.lineStart && this.buf[0] === DOT) {
        // a "." line is the end only as CRLF "." CRLF; any other leading dot was stuffed
        if (this.buf.length < 2 || (this.buf[1] === CR && this.buf.length < 3)) return null;
        const crlf = this.buf[1] === CR && this.buf[2] === LF;
        if (crlf || this.buf[1] === LF) {
          this.buf = this.buf.subarray(crlf ? 3 : 2);
          if (crlf && this.afterCrlf) return this.finish();
          return this.refuse('bare <LF>', true);
        }
        this.buf = this.buf.subarray(1);
        this.lineStart = false;
        continue;
      }
      // only a line that starts with "." needs a look: take whole spans up to the next one
      const dotLine = this.buf.indexOf(LF_DOT);
      if (dotLine < 0) {
        // a CR last may be half of a CRLF: it waits for the next read
        const keep = this.buf[this.buf.length - 1] === CR ? 1 : 0;
        if (keep === this.buf.length) return null;
        const span = this.buf.subarray(0, this.buf.length - keep);
        this.buf = this.buf.subarray(span.length);
        const bad = this.content(span);
        if (bad) return bad;
        this.lineStart = span[span.length - 1] === LF;
        return null;
      }
      const span = this.buf.subarray(0, dotLine + 1);
      this.buf = this.buf.subarray(dotLine + 1);
      const bad = this.content(span);
      if (bad) return bad;
      this.lineStart = true;
    }
  }

  /** Message text that holds no "." line: checked for bare LF and CR, and kept. */
  private content(span: Buffer): SmtpEvent | null {
    let bareLf = -1;
    for (let i = span.indexOf(LF); i >= 0; i = span.indexOf(LF, i + 1)) {
      if (i === 0 || span[i - 1] !== CR) {
        bareLf = i;
        break;
      }
    }
    if (this.bareLineEnds === 'reject') {
      if (bareLf >= 0) return this.refuse('bare <LF>', false);
      for (let i = span.indexOf(CR); i >= 0; i = span.indexOf(CR, i + 1)) {
        if (span[i + 1] !== LF) return this.refuse('bare <CR>', false);
      }
    }
    if (span[span.length - 1] === LF) this.afterCrlf = span.length >= 2 && span[span.length - 2] === CR;
    if (bareLf < 0) {
      this.append(span);
      return null;
    }
    // normalize: each line that ends in a bare LF is kept as ending in CRLF
    let from = 0;
    for (let i = bareLf; i >= 0; i = span.indexOf(LF, i + 1)) {
      if (i > 0 && span[i - 1] === CR) continue;
      this.append(span.subarray(from, i));
      this.append(CRLF);
      from = i + 1;
    }
    this.append(span.subarray(from));
    return null;
  }

  private refuse(found: 'bare <LF>' | 'bare <CR>', dotLine: boolean): SmtpEvent {
    this.mode = 'refused';
    this.buf = EMPTY;
    this.parts = [];
    return { type: 'bad-line-end', found, dotLine };
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
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

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A command line's text (the first `end` bytes): UTF-8 when its bytes are (a non-ASCII address then echoes back in
 * a reply as the client wrote it, not as mojibake), else one character per byte. A line of
 * ASCII (every command a client program sends) is the same either way: read as latin1
 * without the decoder's call.
 */
function commandText(bytes: Buffer, end: number): string {
  for (let i = 0; i < end; i++) {
    if (bytes[i] < 0x80) continue;
    try {
      return UTF8.decode(bytes.subarray(0, end));
    } catch {
      return bytes.toString('latin1', 0, end);
    }
  }
  return bytes.toString('latin1', 0, end);
}

/** Dot-stuff a message for sending (RFC 5321 §4.5.2), normalise line ends to CRLF, and end it with CRLF.CRLF. */
export function dotStuff(message: Buffer): Buffer {
  const text = message.toString('latin1').replace(/\r?\n/g, '\r\n');
  // a line starts after LF only: a dot after a bare CR is text, and a stuffed one would stay doubled
  const body = text.replace(/(^|\n)\./g, '$1..');
  return Buffer.from(`${body}${body.endsWith('\r\n') || body.length === 0 ? '' : '\r\n'}.\r\n`, 'latin1');
}

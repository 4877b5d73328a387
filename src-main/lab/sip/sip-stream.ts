/**
 * SIP over TCP (RFC 3261 §18.3): a stream of messages, each a head and the body its
 * Content-Length gives (which a stream must carry). One splitter serves the service (the
 * messages to act on) and the capture (one frame per message). Pure.
 */
import type { Direction } from '../api';
import type { Frame, Framer } from '../capture/framer';
import { headerOf, MAX_BODY_BYTES, MAX_HEAD_BYTES, splitHead } from './sip-message';

export type Piece = { ok: true; bytes: Buffer } | { ok: false; reason: string; bytes: Buffer };

export class SipStreamSplitter {
  private buf: Buffer = Buffer.alloc(0);
  /** the stream broke (a head too long, a bad length): nothing more is read */
  broken = false;

  push(chunk: Buffer): Piece[] {
    if (this.broken) return [];
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Piece[] = [];
    for (;;) {
      // CRLF keep-alives between messages (RFC 5626 §3.5.1)
      let skip = 0;
      while (skip < this.buf.length && (this.buf[skip] === 0x0d || this.buf[skip] === 0x0a)) skip++;
      if (skip) this.buf = this.buf.subarray(skip);
      if (!this.buf.length) break;
      const split = splitHead(this.buf);
      if (!split) {
        if (this.buf.length > MAX_HEAD_BYTES) out.push(this.fail(`message head over ${MAX_HEAD_BYTES} bytes`));
        break;
      }
      const headers: [string, string][] = [];
      const m = /\r?\n(?:Content-Length|l)[ \t]*:[ \t]*([^\r\n]*)/i.exec(split.head);
      if (m) headers.push(['Content-Length', m[1]]);
      const text = headerOf(headers, 'Content-Length');
      const length = text === undefined ? 0 : /^\d{1,9}$/.test(text.trim()) ? Number(text) : -1;
      if (length < 0 || length > MAX_BODY_BYTES) {
        out.push(this.fail(length < 0 ? `Content-Length is not a number: ${text!.slice(0, 40)}` : `body of ${length} bytes, over the limit of ${MAX_BODY_BYTES}`));
        break;
      }
      const end = split.bodyStart + length;
      if (this.buf.length < end) break;
      out.push({ ok: true, bytes: Buffer.from(this.buf.subarray(0, end)) });
      this.buf = this.buf.subarray(end);
    }
    return out;
  }

  /** what is left unframed (at close) */
  rest(): Buffer {
    const b = this.buf;
    this.buf = Buffer.alloc(0);
    return b;
  }

  private fail(reason: string): Piece {
    this.broken = true;
    const bytes = this.buf;
    this.buf = Buffer.alloc(0);
    return { ok: false, reason, bytes };
  }
}

/** the capture's framer for a SIP connection: one frame per message, each way */
export class SipTcpFramer implements Framer {
  private dirs: Partial<Record<Direction, SipStreamSplitter>> = {};

  push(dir: Direction, chunk: Buffer): Frame[] {
    const s = (this.dirs[dir] ??= new SipStreamSplitter());
    return s.push(chunk).map((p) => ({ dir, bytes: p.bytes, oversized: !p.ok }));
  }

  flush(dir: Direction): Frame[] {
    const rest = this.dirs[dir]?.rest();
    return rest && rest.length ? [{ dir, bytes: rest, oversized: false }] : [];
  }
}

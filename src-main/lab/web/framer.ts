/**
 * The capture's framing for HTTP/1.x: one message is a whole request or response — head and
 * body, delimited as RFC 9112 §6.3 says (Content-Length, chunked, or the close) — not a line.
 * The methods of the requests seen are remembered so a response to HEAD is known to have no
 * body. Bytes that do not parse as HTTP are framed as they are, so nothing captured is lost.
 * Frames are views of the captured chunks, not copies: captured bytes are never written again.
 */
import type { Direction } from '../api';
import type { Frame, Framer } from '../capture/framer';
import { DEFAULT_LIMITS, type HttpLimits } from './head';
import { parseRequest } from './request';
import { bodyless, parseResponse } from './response';

const CAPTURE_LIMITS: HttpLimits = { ...DEFAULT_LIMITS, maxStartLine: 64 * 1024, maxHeaderLine: 64 * 1024, maxHeaders: 1000, maxHeadBytes: 256 * 1024, maxBody: 64 * 1024 * 1024 };
/** Past this much unframed data, what is pending is framed as it is. */
const MAX_PENDING = 64 * 1024 * 1024;

export class HttpFramer implements Framer {
  private c2s: Buffer = Buffer.alloc(0);
  private s2c: Buffer = Buffer.alloc(0);
  private methods: string[] = [];

  push(dir: Direction, chunk: Buffer): Frame[] {
    if (dir === 'c2s') {
      this.c2s = this.c2s.length ? Buffer.concat([this.c2s, chunk]) : chunk;
      return this.requests(false);
    }
    if (dir === 's2c') {
      this.s2c = this.s2c.length ? Buffer.concat([this.s2c, chunk]) : chunk;
      return this.responses(false);
    }
    return [];
  }

  flush(dir: Direction): Frame[] {
    if (dir === 'c2s') return this.requests(true);
    if (dir === 's2c') return this.responses(true);
    return [];
  }

  private requests(closed: boolean): Frame[] {
    const frames: Frame[] = [];
    while (this.c2s.length) {
      const quick = quickHead(this.c2s);
      if (quick && quick.bodyLength === 0 && !quick.chunked) {
        // the common case, a request without a body: no full parse needed to frame it
        this.methods.push(this.c2s.toString('latin1', 0, Math.min(this.c2s.indexOf(0x20), 32)));
        frames.push({ dir: 'c2s', bytes: head(this.c2s, quick.headLength), oversized: false });
        this.c2s = this.c2s.subarray(quick.headLength);
        continue;
      }
      const r = parseRequest(this.c2s, 0, CAPTURE_LIMITS);
      if (r.ok) {
        this.methods.push(r.request.method);
        frames.push({ dir: 'c2s', bytes: head(this.c2s, r.request.rawLength), oversized: false });
        this.c2s = this.c2s.subarray(r.request.rawLength);
        continue;
      }
      if (r.incomplete && !closed && this.c2s.length < MAX_PENDING) break;
      // not HTTP, or cut short: keep the bytes as one message
      frames.push({ dir: 'c2s', bytes: this.c2s, oversized: this.c2s.length >= MAX_PENDING });
      this.c2s = Buffer.alloc(0);
    }
    return frames;
  }

  private responses(closed: boolean): Frame[] {
    const frames: Frame[] = [];
    while (this.s2c.length) {
      const method = this.methods[0] ?? 'GET';
      const quick = quickHead(this.s2c);
      if (quick && !quick.chunked && quick.bodyLength >= 0 && quick.status >= 200) {
        const length = quick.headLength + (bodyless(method, quick.status) ? 0 : quick.bodyLength);
        if (this.s2c.length < length && !closed) break;
        if (this.s2c.length >= length) {
          this.methods.shift();
          frames.push({ dir: 's2c', bytes: head(this.s2c, length), oversized: false });
          this.s2c = this.s2c.subarray(length);
          continue;
        }
      }
      const r = parseResponse(this.s2c, 0, method, closed);
      if (r.ok) {
        // an interim 1xx response does not answer the request
        if (r.response.status >= 200) this.methods.shift();
        frames.push({ dir: 's2c', bytes: head(this.s2c, r.response.rawLength), oversized: false });
        this.s2c = this.s2c.subarray(r.response.rawLength);
        continue;
      }
      if (r.incomplete && !closed && this.s2c.length < MAX_PENDING) break;
      frames.push({ dir: 's2c', bytes: this.s2c, oversized: this.s2c.length >= MAX_PENDING });
      this.s2c = Buffer.alloc(0);
    }
    return frames;
  }
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const LENGTH = /\r\ncontent-length:[ \t]*(\d{1,15})[ \t]*\r\n/i;
const CHUNKED = /\r\ntransfer-encoding:/i;
const STATUS = /^HTTP\/1\.[01] (\d{3})/;

/**
 * A fast look at a well-formed CRLF head with at most one Content-Length: its length, its
 * body's length, and for a response its status. Anything unusual (bare LF, chunked,
 * repeated lengths) returns null or `chunked`, and the full parser decides.
 */
function quickHead(buf: Buffer): { headLength: number; bodyLength: number; chunked: boolean; status: number } | null {
  if (buf[0] === 0x0d || buf[0] === 0x0a) return null;
  const end = buf.indexOf(CRLFCRLF);
  if (end < 0 || end > 16 * 1024) return null;
  const head = buf.toString('latin1', 0, end + 2);
  if (head.indexOf('\n') !== head.indexOf('\r\n') + 1) return null;
  if (/[^\r]\n/.test(head)) return null;
  const status = Number(STATUS.exec(head)?.[1] ?? 0);
  if (CHUNKED.test(head)) return { headLength: end + 4, bodyLength: -1, chunked: true, status };
  const m = LENGTH.exec(head);
  if (m && LENGTH.test(head.slice(m.index + m[0].length - 2))) return null;
  return { headLength: end + 4, bodyLength: m ? Number(m[1]) : status ? -1 : 0, chunked: false, status };
}

/** The first `n` bytes: the buffer itself when it is all of them (one read, one message: no new view to keep). */
function head(buf: Buffer, n: number): Buffer {
  return n === buf.length ? buf : buf.subarray(0, n);
}

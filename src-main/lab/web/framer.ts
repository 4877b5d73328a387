/**
 * The capture's framing for HTTP/1.x: one message is a whole request or response — head and
 * body, delimited as RFC 9112 §6.3 says (Content-Length, chunked, or the close) — not a line.
 * Which requests were HEAD is remembered so a response to HEAD is known to have no body.
 * The common head is framed from its bytes alone (head end, Content-Length, chunked): no
 * string, no header objects; anything unusual goes to the full parser. Bytes that do not parse as HTTP are framed as they are, so nothing captured is lost.
 * Frames are views of the captured chunks, not copies: captured bytes are never written again.
 */
import type { Direction } from '../api';
import type { Frame, Framer } from '../capture/framer';
import { DEFAULT_LIMITS, type HttpLimits } from './head';
import { parseRequest } from './request';
import { bodyless, parseResponse } from './response';

const CAPTURE_LIMITS: HttpLimits = { ...DEFAULT_LIMITS, maxStartLine: 64 * 1024, maxHeaderLine: 64 * 1024, maxHeaders: 1000, maxHeadBytes: 256 * 1024, maxBody: 64 * 1024 * 1024 };
const EMPTY = Buffer.alloc(0);
/** Past this much unframed data, what is pending is framed as it is. */
const MAX_PENDING = 64 * 1024 * 1024;

export class HttpFramer implements Framer {
  private c2s: Buffer = EMPTY;
  private s2c: Buffer = EMPTY;
  /** for each request not yet answered: was it HEAD? */
  private heads: boolean[] = [];
  /** the pieces of a response whose length is known, until they are all in */
  private waiting: { parts: Buffer[]; have: number; need: number; media: boolean } | null = null;
  /** the last s2c read was a piece of a video or audio response */
  private mediaPiece = false;

  push(dir: Direction, chunk: Buffer): Frame[] {
    if (dir === 'c2s') {
      this.c2s = this.c2s.length ? Buffer.concat([this.c2s, chunk]) : chunk;
      return this.requests(false);
    }
    if (dir === 's2c') {
      this.mediaPiece = this.waiting?.media ?? false;
      if (this.waiting) {
        // a large response arriving in pieces: joined once, when the last piece is in
        const w = this.waiting;
        w.parts.push(chunk);
        w.have += chunk.length;
        if (w.have < w.need) return [];
        this.waiting = null;
        this.s2c = Buffer.concat(w.parts, w.have);
      } else this.s2c = this.s2c.length ? Buffer.concat([this.s2c, chunk]) : chunk;
      const frames = this.responses(false);
      this.await();
      return frames;
    }
    return [];
  }

  flush(dir: Direction): Frame[] {
    if (dir === 'c2s') return this.requests(true);
    if (dir === 's2c') {
      if (this.waiting) this.s2c = Buffer.concat(this.waiting.parts, this.waiting.have);
      this.waiting = null;
      return this.responses(true);
    }
    return [];
  }

  /**
   * The pieces of a video or audio response after its first keep only their start as chunk
   * records (the message keeps its head and first bytes, server/http-service.ts keepOfMedia):
   * a streamed segment is not copied into the capture twice.
   */
  chunkKeep(dir: Direction): number {
    return dir === 's2c' && this.mediaPiece ? MEDIA_PIECE_KEEP : Infinity;
  }

  /** The pending bytes start a response whose length the head gives: wait for it without copying. */
  private await(): void {
    if (!this.s2c.length) return;
    const quick = quickHead(this.s2c);
    if (!quick || quick.chunked || quick.bodyLength < 0 || quick.status < 200) return;
    const need = quick.headLength + (bodyless(this.heads[0] ? 'HEAD' : 'GET', quick.status) ? 0 : quick.bodyLength);
    if (need <= this.s2c.length) return;
    this.waiting = { parts: [this.s2c], have: this.s2c.length, need, media: MEDIA.test(this.s2c.toString('latin1', 0, quick.headLength)) };
    this.s2c = EMPTY;
  }

  private requests(closed: boolean): Frame[] {
    const frames: Frame[] = [];
    while (this.c2s.length) {
      const quick = quickHead(this.c2s);
      if (quick && !quick.chunked) {
        // the common case, a request without a body or with a Content-Length: framed from the bytes
        const length = quick.headLength + quick.bodyLength;
        if (this.c2s.length < length && !closed) break;
        if (this.c2s.length >= length) {
          this.heads.push(isHead(this.c2s));
          frames.push({ dir: 'c2s', bytes: head(this.c2s, length), oversized: false });
          this.c2s = rest(this.c2s, length);
          continue;
        }
      }
      const r = parseRequest(this.c2s, 0, CAPTURE_LIMITS);
      if (r.ok) {
        this.heads.push(r.request.method === 'HEAD');
        frames.push({ dir: 'c2s', bytes: head(this.c2s, r.request.rawLength), oversized: false });
        this.c2s = this.c2s.subarray(r.request.rawLength);
        continue;
      }
      if (r.incomplete && !closed && this.c2s.length < MAX_PENDING) break;
      // not HTTP, or cut short: keep the bytes as one message
      frames.push({ dir: 'c2s', bytes: this.c2s, oversized: this.c2s.length >= MAX_PENDING });
      this.c2s = EMPTY;
    }
    return frames;
  }

  private responses(closed: boolean): Frame[] {
    const frames: Frame[] = [];
    while (this.s2c.length) {
      const method = this.heads[0] ? 'HEAD' : 'GET';
      const quick = quickHead(this.s2c);
      if (quick && !quick.chunked && quick.bodyLength >= 0 && quick.status >= 200) {
        const length = quick.headLength + (bodyless(method, quick.status) ? 0 : quick.bodyLength);
        if (this.s2c.length < length && !closed) break;
        if (this.s2c.length >= length) {
          this.heads.shift();
          frames.push({ dir: 's2c', bytes: head(this.s2c, length), oversized: false });
          this.s2c = rest(this.s2c, length);
          continue;
        }
      }
      const r = parseResponse(this.s2c, 0, method, closed);
      if (r.ok) {
        // an interim 1xx response does not answer the request
        if (r.response.status >= 200) this.heads.shift();
        frames.push({ dir: 's2c', bytes: head(this.s2c, r.response.rawLength), oversized: false });
        this.s2c = this.s2c.subarray(r.response.rawLength);
        continue;
      }
      if (r.incomplete && !closed && this.s2c.length < MAX_PENDING) break;
      frames.push({ dir: 's2c', bytes: this.s2c, oversized: this.s2c.length >= MAX_PENDING });
      this.s2c = EMPTY;
    }
    return frames;
  }
}

const MEDIA = /\r\ncontent-type:[ \t]*(video|audio)\//i;
/** of a later piece of a media response, the bytes its chunk record keeps */
const MEDIA_PIECE_KEEP = 256;

/** Heads past this are left to the full parser. */
const QUICK_MAX = 16 * 1024;
const CONTENT_LENGTH = Buffer.from('content-length:');
const TRANSFER_ENCODING = Buffer.from('transfer-encoding:');

interface QuickHead {
  headLength: number;
  /** -1: no length (a response runs to the close) */
  bodyLength: number;
  chunked: boolean;
  /** a response's status, 0 for a request */
  status: number;
}

/**
 * A fast look at a well-formed CRLF head with at most one Content-Length, from its bytes: its
 * length, its body's length, and for a response its status. Anything unusual (bare LF, a
 * repeated or odd length, leading empty lines) returns null, and the full parser decides;
 * a Transfer-Encoding returns `chunked` for the same reason.
 */
function quickHead(buf: Buffer): QuickHead | null {
  const first = buf[0];
  if (first === 0x0d || first === 0x0a) return null;
  const status = statusOf(buf);
  let bodyLength = -2;
  let chunked = false;
  let pos = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0 || nl > QUICK_MAX) return null;
    if (buf[nl - 1] !== 0x0d) return null;
    if (nl - 1 === pos) {
      if (pos === 0) return null;
      return { headLength: nl + 1, bodyLength: bodyLength === -2 ? (status ? -1 : 0) : bodyLength, chunked, status };
    }
    if (pos > 0) {
      const c = buf[pos] | 0x20;
      if (c === 0x63 && startsWithLower(buf, pos, CONTENT_LENGTH)) {
        if (bodyLength !== -2) return null;
        bodyLength = digits(buf, pos + CONTENT_LENGTH.length, nl - 1);
        if (bodyLength < 0) return null;
      } else if (c === 0x74 && startsWithLower(buf, pos, TRANSFER_ENCODING)) chunked = true;
    }
    pos = nl + 1;
  }
}

/** `HTTP/1.x nnn` at the start: the status, else 0. */
function statusOf(buf: Buffer): number {
  if (buf.length < 12 || buf[0] !== 0x48 || buf[1] !== 0x54 || buf[2] !== 0x54 || buf[3] !== 0x50 || buf[4] !== 0x2f || buf[5] !== 0x31 || buf[6] !== 0x2e) return 0;
  if ((buf[7] !== 0x30 && buf[7] !== 0x31) || buf[8] !== 0x20) return 0;
  let n = 0;
  for (let i = 9; i < 12; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return 0;
    n = n * 10 + d;
  }
  return n;
}

/** Does the line at `pos` start with `lower` (a lower-case ASCII name), in any case? */
function startsWithLower(buf: Buffer, pos: number, lower: Buffer): boolean {
  if (pos + lower.length > buf.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const b = buf[pos + i];
    if ((b >= 0x41 && b <= 0x5a ? b | 0x20 : b) !== lower[i]) return false;
  }
  return true;
}

/** The decimal value between `from` and `to`, white space around allowed; -1 when it is not 1..15 digits. */
function digits(buf: Buffer, from: number, to: number): number {
  while (from < to && (buf[from] === 0x20 || buf[from] === 0x09)) from++;
  while (to > from && (buf[to - 1] === 0x20 || buf[to - 1] === 0x09)) to--;
  if (to === from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function isHead(buf: Buffer): boolean {
  return buf[0] === 0x48 && buf[1] === 0x45 && buf[2] === 0x41 && buf[3] === 0x44 && buf[4] === 0x20;
}

/** The first `n` bytes: the buffer itself when it is all of them (one read, one message: no new view to keep). */
function head(buf: Buffer, n: number): Buffer {
  return n === buf.length ? buf : buf.subarray(0, n);
}

/** What follows the first `n` bytes. */
function rest(buf: Buffer, n: number): Buffer {
  return n === buf.length ? EMPTY : buf.subarray(n);
}

/**
 * The capture's framing for HTTP/1.x: one message is a whole request or response — head and
 * body, delimited as RFC 9112 §6.3 says (Content-Length, chunked, or the close) — not a line.
 * The methods of the requests seen are remembered so a response to HEAD is known to have no
 * body. Bytes that do not parse as HTTP are framed as they are, so nothing captured is lost.
 */
import type { Direction } from '../api';
import type { Frame, Framer } from '../capture/framer';
import { DEFAULT_LIMITS, type HttpLimits } from './head';
import { parseRequest } from './request';
import { parseResponse } from './response';

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
      const r = parseRequest(this.c2s, 0, CAPTURE_LIMITS);
      if (r.ok) {
        this.methods.push(r.request.method);
        frames.push({ dir: 'c2s', bytes: Buffer.from(this.c2s.subarray(0, r.request.rawLength)), oversized: false });
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
      const r = parseResponse(this.s2c, 0, method, closed);
      if (r.ok) {
        // an interim 1xx response does not answer the request
        if (r.response.status >= 200) this.methods.shift();
        frames.push({ dir: 's2c', bytes: Buffer.from(this.s2c.subarray(0, r.response.rawLength)), oversized: false });
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

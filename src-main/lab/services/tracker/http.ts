/**
 * The tracker's HTTP side, pure: a request head in, a response out. Only GET /announce and
 * GET /scrape exist; every malformed request still gets a well-formed HTTP answer, and
 * tracker-level mistakes get 200 with a bencoded `failure reason` as BEP 3 says.
 */
import type { Direction } from '../../api';
import type { Frame, Framer } from '../../capture/framer';
import { encodeAnnounce, encodeFailure, encodeScrape, parseAnnounce, parseScrape, TrackerRequestError } from './announce';
import type { TrackerState } from './swarms';

export const MAX_HEAD_BYTES = 8 * 1024;

export interface HttpHead {
  method: string;
  target: string;
  path: string;
  query: string;
  keepAlive: boolean;
}

export class HttpHeadError extends Error {}

/** Where a request head ends: at CRLF CRLF, or at a bare LF LF (typed with `nc`). */
export function headEnd(buf: Buffer): { end: number; sep: number } | null {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (lf >= 0 && (crlf < 0 || lf < crlf)) return { end: lf, sep: 2 };
  return crlf >= 0 ? { end: crlf, sep: 4 } : null;
}

export function parseHead(head: Buffer): HttpHead {
  const text = head.toString('latin1').replace(/\r?\n/g, '\r\n');
  const eol = text.indexOf('\r\n');
  const m = /^([A-Z]{1,10}) (\S{1,8000}) HTTP\/(1\.[01])$/.exec(eol < 0 ? text : text.slice(0, eol));
  if (!m) throw new HttpHeadError('malformed request line');
  const [, method, target, version] = m;
  // only Connection matters here
  const c = eol < 0 ? null : /\r\nconnection:[ \t]*([^\r]*)/i.exec(text.slice(eol));
  const connection = c ? c[1].trim().toLowerCase() : '';
  const q = target.indexOf('?');
  return {
    method,
    target,
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? '' : target.slice(q + 1),
    keepAlive: version === '1.1' ? connection !== 'close' : connection === 'keep-alive',
  };
}

export interface HttpAnswer {
  status: number;
  reason: string;
  body: Buffer;
  contentType: string;
}

export function answer(head: HttpHead, state: TrackerState, remoteIp: string): HttpAnswer {
  const ok = (body: Buffer): HttpAnswer => ({ status: 200, reason: 'OK', body, contentType: 'text/plain' });
  if (head.method !== 'GET') return { status: 405, reason: 'Method Not Allowed', body: Buffer.from('the tracker answers GET only\n'), contentType: 'text/plain' };
  try {
    if (head.path === '/announce') {
      const p = parseAnnounce(head.query);
      const ip = p.ip && isLoopbackOrPrivate(remoteIp) ? p.ip : stripV6(remoteIp);
      const a = state.announce({ infoHash: p.infoHash, peerId: p.peerId, ip, port: p.port, left: p.left, event: p.event, numwant: p.numwant });
      return ok(encodeAnnounce(a, p));
    }
    if (head.path === '/scrape') {
      const hashes = parseScrape(head.query);
      const files = new Map((hashes.length ? hashes.map((h) => state.stats(h)) : state.all()).map((s) => [s.infoHash, s]));
      return ok(encodeScrape(files));
    }
  } catch (err) {
    if (err instanceof TrackerRequestError) return ok(encodeFailure(err.message));
    throw err;
  }
  return { status: 404, reason: 'Not Found', body: Buffer.from('this tracker serves /announce and /scrape\n'), contentType: 'text/plain' };
}

export function encodeResponse(a: HttpAnswer, keepAlive: boolean): Buffer {
  const head =
    `HTTP/1.1 ${a.status} ${a.reason}\r\nContent-Type: ${a.contentType}\r\nContent-Length: ${a.body.length}\r\n` +
    `Connection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), a.body]);
}

function stripV6(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function isLoopbackOrPrivate(ip: string): boolean {
  const v4 = stripV6(ip);
  return v4.startsWith('127.') || v4.startsWith('10.') || v4.startsWith('192.168.') || ip === '::1';
}

/** Requests end at the blank line (GET has no body); each response is one write. */
export class TrackerHttpFramer implements Framer {
  private pending = Buffer.alloc(0);

  push(dir: Direction, chunk: Buffer): Frame[] {
    if (dir !== 'c2s') return [{ dir, bytes: chunk, oversized: false }];
    this.pending = Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const head = headEnd(this.pending);
      if (!head) break;
      frames.push({ dir, bytes: this.pending.subarray(0, head.end + head.sep), oversized: false });
      this.pending = this.pending.subarray(head.end + head.sep);
    }
    if (this.pending.length > MAX_HEAD_BYTES) {
      frames.push({ dir, bytes: this.pending, oversized: true });
      this.pending = Buffer.alloc(0);
    }
    return frames;
  }

  flush(dir: Direction): Frame[] {
    if (dir !== 'c2s' || this.pending.length === 0) return [];
    const bytes = this.pending;
    this.pending = Buffer.alloc(0);
    return [{ dir, bytes, oversized: false }];
  }
}

/**
 * The tracker's HTTP side, pure: a request head in, a response out. Only GET /announce and
 * GET /scrape exist; every malformed request still gets a well-formed HTTP answer, and
 * tracker-level mistakes get 200 with a bencoded `failure reason` as BEP 3 says.
 */
import type { Direction } from '../../api';
import type { Frame, Framer } from '../../capture/framer';
import { encodeAnnounce, encodeFailure, encodeScrape, parseAnnounce, parseScrape, TrackerRequestError, type AnnounceParams } from './announce';
import type { CompactAnswer, TrackerState } from './swarms';

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

const VERSION_11 = ' HTTP/1.1';
const VERSION_10 = ' HTTP/1.0';

/** The request line and the Connection header; a request line `METHOD TARGET HTTP/1.x` or HttpHeadError. */
export function parseHead(head: Buffer): HttpHead {
  const text = head.toString('latin1');
  const nl = text.indexOf('\n');
  const line = nl < 0 ? text : text.slice(0, nl > 0 && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl);
  const sp = line.indexOf(' ');
  const v11 = line.endsWith(VERSION_11);
  if (sp < 1 || sp > 10 || !(v11 || line.endsWith(VERSION_10)) || line.length - 9 <= sp + 1) throw new HttpHeadError('malformed request line');
  const method = line.slice(0, sp);
  const target = line.slice(sp + 1, line.length - 9);
  if (!/^[A-Z]+$/.test(method) || target.length > 8000 || /\s/.test(target)) throw new HttpHeadError('malformed request line');
  // only Connection matters here
  const c = nl < 0 ? null : /\nconnection:[ \t]*([^\r\n]*)/i.exec(text);
  const connection = c ? c[1].trim().toLowerCase() : '';
  const q = target.indexOf('?');
  return {
    method,
    target,
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? '' : target.slice(q + 1),
    keepAlive: v11 ? connection !== 'close' : connection === 'keep-alive',
  };
}

export interface HttpAnswer {
  status: number;
  reason: string;
  body: Buffer;
  contentType: string;
}

/** The whole HTTP response to a request: a compact announce is written straight into one buffer. */
export function respond(head: HttpHead, state: TrackerState, remoteIp: string): Buffer {
  if (head.method === 'GET' && head.path === '/announce') {
    let p: AnnounceParams;
    try {
      p = parseAnnounce(head.query);
    } catch (err) {
      if (err instanceof TrackerRequestError) return encodeResponse({ status: 200, reason: 'OK', body: encodeFailure(err.message), contentType: 'text/plain' }, head.keepAlive);
      throw err;
    }
    const ip = p.ip && isLoopbackOrPrivate(remoteIp) ? p.ip : stripV6(remoteIp);
    const input = { infoHash: p.infoHash, peerId: p.peerKey, ip, port: p.port, left: p.left, event: p.event, numwant: p.numwant };
    if (p.compact) return compactResponse(state.announceCompact(input), head.keepAlive);
    return encodeResponse({ status: 200, reason: 'OK', body: encodeAnnounce(state.announce(input), p), contentType: 'text/plain' }, head.keepAlive);
  }
  return encodeResponse(answer(head, state, remoteIp), head.keepAlive);
}

/** BEP 23's compact answer, bencoded by hand (keys in sorted order) around the peers' bytes, with its HTTP head. */
export function compactResponse(a: CompactAnswer, keepAlive: boolean): Buffer {
  const peerBytes = a.count * 6;
  const body = `d8:completei${a.complete}e10:incompletei${a.incomplete}e8:intervali${a.interval}e12:min intervali${a.minInterval}e5:peers${peerBytes}:`;
  const text =
    `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length + peerBytes + 1}\r\n` +
    `Connection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n${body}`;
  const out = Buffer.allocUnsafe(text.length + peerBytes + 1);
  out.write(text, 0, 'latin1');
  a.bytes.copy(out, text.length, 0, peerBytes);
  out[out.length - 1] = 0x65; // 'e'
  return out;
}

export function answer(head: HttpHead, state: TrackerState, remoteIp: string): HttpAnswer {
  const ok = (body: Buffer): HttpAnswer => ({ status: 200, reason: 'OK', body, contentType: 'text/plain' });
  if (head.method !== 'GET') return { status: 405, reason: 'Method Not Allowed', body: Buffer.from('the tracker answers GET only\n'), contentType: 'text/plain' };
  try {
    if (head.path === '/announce') {
      const p = parseAnnounce(head.query);
      const ip = p.ip && isLoopbackOrPrivate(remoteIp) ? p.ip : stripV6(remoteIp);
      const a = state.announce({ infoHash: p.infoHash, peerId: p.peerKey, ip, port: p.port, left: p.left, event: p.event, numwant: p.numwant });
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
  const out = Buffer.allocUnsafe(head.length + a.body.length);
  out.write(head, 0, 'latin1');
  a.body.copy(out, head.length);
  return out;
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
  private pending: Buffer = Buffer.alloc(0);

  push(dir: Direction, chunk: Buffer): Frame[] {
    if (dir !== 'c2s') return [{ dir, bytes: chunk, oversized: false }];
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
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

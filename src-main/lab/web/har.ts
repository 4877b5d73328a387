/**
 * HAR 1.2 export of the captured HTTP exchanges (the format browsers' dev tools import):
 * on each connection, every framed response answers the oldest unanswered request. Timings
 * as dev tools split them: wait = request → the response's first captured write, receive =
 * first → last write (the tap records a write once the emulated link has carried it all).
 */
import type { CaptureQuery, ConnectionInfo } from '../api';
import type { CaptureStore } from '../capture/store';
import { header, parseHeaderLines, scanHead, type Header } from './head';

const LIMITS = { maxStartLine: 64 * 1024, maxHeaderLine: 64 * 1024, maxHeaders: 1000, maxHeadBytes: 256 * 1024, maxBody: Infinity };
const MAX_TEXT = 256 * 1024;

interface Message {
  t: number;
  /** a response's first byte on the wire (its first chunk), when earlier than `t` */
  firstByteT?: number;
  start: string;
  headers: Header[];
  headSize: number;
  body: Buffer;
}

function parse(bytes: Buffer, t: number): Message | null {
  try {
    const head = scanHead(bytes, 0, LIMITS);
    if (!head.done) return null;
    return { t, start: head.lines[0], headers: parseHeaderLines(head.lines.slice(1)), headSize: head.length, body: bytes.subarray(head.length) };
  } catch {
    return null;
  }
}

const nv = (headers: Header[]): { name: string; value: string }[] => headers.map(([name, value]) => ({ name, value }));

function cookies(value: string | undefined): { name: string; value: string }[] {
  if (!value) return [];
  return value.split(';').flatMap((p) => {
    const eq = p.indexOf('=');
    return eq > 0 ? [{ name: p.slice(0, eq).trim(), value: p.slice(eq + 1).trim() }] : [];
  });
}

function entry(req: Message, res: Message | null, conn: ConnectionInfo | undefined, epochMs: number): object {
  const [method, target = '/', version = 'HTTP/1.1'] = req.start.split(/\s+/);
  const host = header(req.headers, 'host') ?? conn?.server.name ?? conn?.server.address ?? 'localhost';
  const url = /^https?:\/\//.test(target) ? target : `http://${host}${target.startsWith('/') ? '' : '/'}${target}`;
  let query: { name: string; value: string }[] = [];
  try {
    query = [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    /* a target the URL parser refuses: no query listed */
  }
  const reqType = header(req.headers, 'content-type') ?? '';
  const [resVersion = 'HTTP/1.1', status = '0', ...reason] = res ? res.start.split(' ') : [];
  const resType = res ? (header(res.headers, 'content-type') ?? '') : '';
  const text = res && res.body.length <= MAX_TEXT && /^(text\/|application\/(json|xml|javascript))/.test(resType) ? res.body.toString('utf8') : undefined;
  const binaryText = res && text === undefined && res.body.length <= MAX_TEXT && res.body.length > 0 ? res.body.toString('base64') : undefined;
  const firstByte = res ? Math.min(res.t, Math.max(req.t, res.firstByteT ?? res.t)) : 0;
  const wait = res ? firstByte - req.t : -1;
  const receive = res ? res.t - firstByte : -1;
  const ms = (x: number): number => Math.round(Math.max(0, x) * 1000) / 1000;
  return {
    startedDateTime: new Date(epochMs + req.t).toISOString(),
    time: ms(wait) + ms(receive),
    request: {
      method,
      url,
      httpVersion: version,
      cookies: cookies(header(req.headers, 'cookie')),
      headers: nv(req.headers),
      queryString: query,
      ...(req.body.length ? { postData: { mimeType: reqType, text: req.body.toString('utf8').slice(0, MAX_TEXT) } } : {}),
      headersSize: req.headSize,
      bodySize: req.body.length,
    },
    response: {
      status: Number(status),
      statusText: reason.join(' '),
      httpVersion: resVersion,
      cookies: res ? cookies(header(res.headers, 'set-cookie')?.split(';')[0]) : [],
      headers: res ? nv(res.headers) : [],
      content: {
        size: res?.body.length ?? 0,
        mimeType: resType || 'x-unknown',
        ...(text !== undefined ? { text } : binaryText ? { text: binaryText, encoding: 'base64' } : {}),
      },
      redirectURL: res ? (header(res.headers, 'location') ?? '') : '',
      headersSize: res?.headSize ?? -1,
      bodySize: res?.body.length ?? -1,
    },
    cache: {},
    timings: { send: 0, wait: ms(wait), receive: ms(receive) },
    serverIPAddress: conn?.server.virtualAddress ?? conn?.server.address ?? '',
    connection: String(conn?.id ?? ''),
  };
}

export function exportHar(store: CaptureStore, query: CaptureQuery, version: string): string {
  const epochMs = Date.now() - store.now();
  const pending = new Map<number, Message[]>();
  const entries: object[] = [];
  const slots = new Map<Message, number>();
  /** per connection: when the response being sent began (its first chunk) */
  const firstByte = new Map<number, number>();
  const { kind: _kind, ...all } = query;
  for (const m of store.query(all)) {
    if (m.protocol !== 'http') continue;
    if (m.dir === 's2c' && (m.kind === 'chunk' || m.whole) && !firstByte.has(m.conn)) firstByte.set(m.conn, m.t);
    if (m.kind !== 'message') continue;
    const msg = parse(m.bytes, m.t);
    if (!msg) continue;
    if (m.dir === 'c2s' && !msg.start.startsWith('HTTP/')) {
      const q = pending.get(m.conn) ?? [];
      q.push(msg);
      pending.set(m.conn, q);
      slots.set(msg, entries.length);
      entries.push(entry(msg, null, store.connection(m.conn), epochMs));
    } else if (m.dir === 's2c' && msg.start.startsWith('HTTP/')) {
      msg.firstByteT = firstByte.get(m.conn);
      firstByte.delete(m.conn);
      const req = pending.get(m.conn)?.shift();
      if (!req) continue;
      const slot = slots.get(req);
      if (slot !== undefined) entries[slot] = entry(req, msg, store.connection(m.conn), epochMs);
      slots.delete(req);
    }
  }
  const har = { log: { version: '1.2', creator: { name: 'NetLab', version }, pages: [], entries } };
  return `${JSON.stringify(har, null, 2)}\n`;
}

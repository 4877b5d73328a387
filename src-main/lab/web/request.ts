/**
 * HTTP/1.x request parsing (RFC 9112 §3): pure, bytes in, one request (or an error with the
 * status to answer) out. Forgiving where a person typing in telnet needs it — a bare LF ends a
 * line, `GET index.html HTTP/1.1` (no leading slash, as on the textbook's slide) is read as
 * `/index.html` — and strict where a server must be: limits, token names, framing conflicts.
 */
import { bodyFraming, header, HttpError, parseHeaderLines, type Header, type HttpLimits, scanChunked, scanHead } from './head';

export interface HttpRequest {
  method: string;
  /** the request target exactly as sent */
  target: string;
  /** origin-form path, percent-encoded as sent, always starting with '/' */
  path: string;
  /** the query string without '?', '' when none */
  query: string;
  /** scheme://authority when the target was in absolute form (a proxy request) */
  absolute?: { scheme: string; host: string; port: number };
  version: '1.0' | '1.1';
  headers: Header[];
  body: Buffer;
  /** bytes of the whole request as received */
  rawLength: number;
  /** what the parser forgave, for the capture's notes */
  lenient: string[];
}

export type RequestParse =
  | { ok: true; request: HttpRequest }
  | { ok: false; incomplete: true }
  | { ok: false; incomplete: false; error: HttpError; version?: '1.0' | '1.1' };

const EMPTY = Buffer.alloc(0);
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,32}$/;

/** Parse the request at `start` of `buf`; POST and PUT without a length are 411. */
export function parseRequest(buf: Buffer, start: number, limits: HttpLimits): RequestParse {
  let version: '1.0' | '1.1' | undefined;
  try {
    const head = scanHead(buf, start, limits);
    if (!head.done) return { ok: false, incomplete: true };
    const line = parseRequestLine(head.lines[0]);
    version = line.version;
    const lenient = line.lenient;
    if (head.bareLf) lenient.push('lines ended in a bare LF (accepted, RFC 9112 §2.2)');
    const headers = parseHeaderLines(head.lines, 1);
    let framing = bodyFraming(headers, limits.maxBody);
    if (framing === 'unknown') {
      if (line.method === 'POST' || line.method === 'PUT') throw new HttpError(411, `${line.method} needs a Content-Length (or chunked body)`);
      framing = { kind: 'none' };
    }
    const bodyStart = start + head.length;
    let body: Buffer = EMPTY;
    let end = bodyStart;
    if (framing.kind === 'length') {
      if (buf.length < bodyStart + framing.length) return { ok: false, incomplete: true };
      body = buf.subarray(bodyStart, bodyStart + framing.length);
      end = bodyStart + framing.length;
    } else if (framing.kind === 'chunked') {
      const chunked = scanChunked(buf, bodyStart, limits.maxBody);
      if (!chunked.done) return { ok: false, incomplete: true };
      body = chunked.body;
      end = bodyStart + chunked.length;
    }
    const request: HttpRequest = { method: line.method, target: line.target, path: line.path, query: line.query, version: line.version, headers, body, rawLength: end - start, lenient };
    if (line.absolute) request.absolute = line.absolute;
    return { ok: true, request };
  } catch (err) {
    if (err instanceof HttpError) return { ok: false, incomplete: false, error: err, version };
    throw err;
  }
}

/** what the request line gives a request */
type RequestLine = Pick<HttpRequest, 'method' | 'target' | 'path' | 'query' | 'absolute' | 'version' | 'lenient'>;

/** Request lines the general parser read without complaint (a proxy sees the same absolute URLs again and again). */
const readLines = new Map<string, RequestLine>();

export function parseRequestLine(line: string): RequestLine {
  const fast = fastRequestLine(line);
  if (fast) return fast;
  const known = readLines.get(line);
  // a copy: the caller adds its own notes to `lenient`
  if (known) return { ...known, lenient: [] };
  const parsed = readRequestLine(line);
  if (parsed.lenient.length === 0 && line.length <= 1024) {
    if (readLines.size >= 1000) readLines.clear();
    readLines.set(line, { ...parsed, lenient: [] });
  }
  return parsed;
}

function readRequestLine(line: string): RequestLine {
  const lenient: string[] = [];
  const parts = line.split(/[ \t]+/).filter(Boolean);
  if (parts.length !== 3) {
    if (parts.length === 2 && /^HTTP\//i.test(parts[1]) === false && METHOD.test(parts[0])) {
      throw new HttpError(400, 'the request line has no HTTP version: write e.g. GET /index.html HTTP/1.1');
    }
    throw new HttpError(400, 'a request line is METHOD SP target SP HTTP-version');
  }
  if (parts.join(' ') !== line) lenient.push('extra white space in the request line');
  const [method, target, versionText] = parts;
  if (!METHOD.test(method)) throw new HttpError(400, `invalid method: ${method.slice(0, 20)}`);
  const v = /^HTTP\/(\d)(?:\.(\d))?$/.exec(versionText);
  if (!v) {
    const hint = /^http\/\d/i.test(versionText) ? ' (the version is case-sensitive: HTTP/1.1)' : '';
    throw new HttpError(400, `invalid HTTP version: ${versionText.slice(0, 20)}${hint}`);
  }
  if (v[1] !== '1') throw new HttpError(505, `HTTP/${v[1]}${v[2] !== undefined ? `.${v[2]}` : ''} is not supported here: this server speaks HTTP/1.0 and HTTP/1.1`);
  if (v[2] === undefined) throw new HttpError(400, `invalid HTTP version: ${versionText}`);
  const version = v[2] === '0' ? '1.0' : '1.1';
  if (/[\x00-\x20\x7f]/.test(target)) throw new HttpError(400, 'control characters in the request target');
  let rest = target;
  let absolute: RequestLine['absolute'];
  const abs = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(target);
  if (abs) {
    const scheme = abs[1].toLowerCase();
    const authority = abs[2];
    const hp = /^([^:@\[\]]+|\[[0-9a-fA-F:.]+\])(?::(\d{1,5}))?$/.exec(authority);
    if (!hp) throw new HttpError(400, `invalid host in the request target: ${authority.slice(0, 40)}`);
    const port = hp[2] ? Number(hp[2]) : scheme === 'https' ? 443 : 80;
    if (port < 1 || port > 65535) throw new HttpError(400, 'invalid port in the request target');
    absolute = { scheme, host: hp[1].toLowerCase(), port };
    rest = abs[3] || '/';
  } else if (method === 'CONNECT') {
    return { method, target, path: target, query: '', version, lenient };
  } else if (target === '*') {
    return { method, target, path: '*', query: '', version, lenient };
  } else if (!target.startsWith('/')) {
    lenient.push(`the target "${target.slice(0, 60)}" has no leading slash: read as "/${target.slice(0, 60)}"`);
    rest = `/${target}`;
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const path = q >= 0 ? rest.slice(0, q) : rest;
  const query = q >= 0 ? rest.slice(q + 1) : '';
  return { method, target, path, query, absolute, version, lenient };
}

/** Does the client want the connection kept after this request (RFC 9112 §9.3)? */
export function wantsPersistent(req: Pick<HttpRequest, 'version' | 'headers'>): boolean {
  const value = header(req.headers, 'connection');
  if (value === undefined) return req.version === '1.1';
  const conn = value.toLowerCase();
  const tokens = conn.split(',').map((t) => t.trim());
  if (tokens.includes('close')) return false;
  if (req.version === '1.0') return tokens.includes('keep-alive');
  return true;
}

/** The usual request line, `GET /path?q HTTP/1.1`, without the general parser's regular expressions. */
function fastRequestLine(line: string): RequestLine | null {
  const sp1 = line.indexOf(' ');
  const sp2 = line.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0 || line.length - sp2 !== 9) return null;
  const v = line.slice(sp2 + 1);
  if (v !== 'HTTP/1.1' && v !== 'HTTP/1.0') return null;
  const method = line.slice(0, sp1);
  const target = line.slice(sp1 + 1, sp2);
  if (target.charCodeAt(0) !== 0x2f || !METHOD.test(method) || /[\x00-\x20\x7f#\t]/.test(target)) return null;
  const q = target.indexOf('?');
  return {
    method,
    target,
    path: q >= 0 ? target.slice(0, q) : target,
    query: q >= 0 ? target.slice(q + 1) : '',
    version: v === 'HTTP/1.1' ? '1.1' : '1.0',
    lenient: [],
  };
}

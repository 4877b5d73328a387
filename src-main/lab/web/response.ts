/**
 * HTTP/1.x responses: the encoder our servers use, and a pure parser for the lab's own
 * clients (the proxy fetching from an origin, the experiments) and the capture's framer.
 */
import { bodyFraming, type Header, HttpError, type HttpLimits, parseHeaderLines, scanChunked, scanHead } from './head';

export const STATUS_TEXT: Record<number, string> = {
  100: 'Continue',
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  206: 'Partial Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
};

export interface HttpResponse {
  status: number;
  reason?: string;
  headers: Header[];
  body: Buffer;
  /**
   * The same object answers many requests and is never changed (a static file's 200, a proxy
   * hit): the connection may keep its encoding and send it again while its Date holds.
   */
  shared?: boolean;
}

/** A response without a body whatever its headers say (RFC 9112 §6.3): HEAD, 1xx, 204, 304. */
export function bodyless(method: string, status: number): boolean {
  return method === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304;
}

/**
 * Encode a response. Content-Length is set from the body unless the response is bodyless
 * (then the caller's Content-Length, e.g. for HEAD, is kept); the body is left out for HEAD.
 */
export function encodeResponse(res: HttpResponse, method: string, version: '1.0' | '1.1' = '1.1'): Buffer {
  const reason = res.reason ?? STATUS_TEXT[res.status] ?? 'Unknown';
  let head = `HTTP/${version} ${res.status} ${reason}\r\n`;
  const noBody = bodyless(method, res.status);
  let hasLength = false;
  for (const [n, v] of res.headers) {
    if (n.toLowerCase() === 'content-length') {
      hasLength = true;
      if (!noBody) continue;
    }
    head += `${n}: ${v}\r\n`;
  }
  if (!noBody) head += `Content-Length: ${res.body.length}\r\n`;
  else if (!hasLength && method === 'HEAD' && res.status !== 304) head += `Content-Length: ${res.body.length}\r\n`;
  head += '\r\n';
  if (noBody || res.body.length === 0) return Buffer.from(head, 'latin1');
  // one buffer for head and body: one write, one capture record
  const out = Buffer.allocUnsafe(head.length + res.body.length);
  out.write(head, 0, 'latin1');
  res.body.copy(out, head.length);
  return out;
}

export function encodeRequest(method: string, target: string, headers: Header[], body?: Buffer): Buffer {
  let head = `${method} ${target} HTTP/1.1\r\n`;
  for (const [n, v] of headers) if (n.toLowerCase() !== 'content-length') head += `${n}: ${v}\r\n`;
  if (body && body.length > 0) head += `Content-Length: ${body.length}\r\n`;
  else if (method === 'POST' || method === 'PUT') head += 'Content-Length: 0\r\n';
  head += '\r\n';
  const bytes = Buffer.from(head, 'latin1');
  return body && body.length ? Buffer.concat([bytes, body]) : bytes;
}

export interface ParsedResponse {
  version: string;
  status: number;
  reason: string;
  headers: Header[];
  body: Buffer;
  /** raw bytes the response took */
  rawLength: number;
  /** the body ran to the close of the connection */
  closeDelimited: boolean;
}

export type ResponseParse = { ok: true; response: ParsedResponse } | { ok: false; incomplete: true } | { ok: false; incomplete: false; error: HttpError };

const RESPONSE_LIMITS: HttpLimits = {
  maxStartLine: 8 * 1024,
  maxHeaderLine: 64 * 1024,
  maxHeaders: 200,
  maxHeadBytes: 128 * 1024,
  maxBody: 64 * 1024 * 1024,
};

/**
 * Parse the response at `start`. `method` is the request it answers (HEAD has no body);
 * `closed` says the peer has closed, which ends a body with no length.
 */
export function parseResponse(buf: Buffer, start: number, method: string, closed: boolean, limits: HttpLimits = RESPONSE_LIMITS): ResponseParse {
  try {
    const head = scanHead(buf, start, limits);
    if (!head.done) {
      if (closed && buf.length > start) throw new HttpError(502, 'the connection closed in the middle of a response head');
      return { ok: false, incomplete: true };
    }
    const m = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(head.lines[0]);
    if (!m) throw new HttpError(502, `not an HTTP status line: ${head.lines[0].slice(0, 40)}`);
    const status = Number(m[2]);
    const headers = parseHeaderLines(head.lines.slice(1));
    const bodyStart = start + head.length;
    const base = { version: m[1], status, reason: m[3] ?? '', headers };
    if (bodyless(method, status)) {
      return { ok: true, response: { ...base, body: Buffer.alloc(0), rawLength: head.length, closeDelimited: false } };
    }
    const framing = bodyFraming(headers, limits.maxBody);
    if (framing === 'unknown' || framing.kind === 'close') {
      if (!closed) return { ok: false, incomplete: true };
      const body = buf.subarray(bodyStart);
      return { ok: true, response: { ...base, body, rawLength: buf.length - start, closeDelimited: true } };
    }
    if (framing.kind === 'length') {
      if (buf.length < bodyStart + framing.length) {
        if (closed) throw new HttpError(502, 'the connection closed before the whole body came');
        return { ok: false, incomplete: true };
      }
      const body = buf.subarray(bodyStart, bodyStart + framing.length);
      return { ok: true, response: { ...base, body, rawLength: head.length + framing.length, closeDelimited: false } };
    }
    if (framing.kind === 'chunked') {
      const chunked = scanChunked(buf, bodyStart, limits.maxBody);
      if (!chunked.done) {
        if (closed) throw new HttpError(502, 'the connection closed in the middle of a chunked body');
        return { ok: false, incomplete: true };
      }
      return { ok: true, response: { ...base, body: chunked.body, rawLength: head.length + chunked.length, closeDelimited: false } };
    }
    return { ok: true, response: { ...base, body: Buffer.alloc(0), rawLength: head.length, closeDelimited: false } };
  } catch (err) {
    if (err instanceof HttpError) return { ok: false, incomplete: false, error: err };
    throw err;
  }
}

/** An HTTP date (RFC 9110 §5.6.7). */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

let dateSecond = 0;
let dateText = '';
/** The Date header's value now, formatted once per second (servers answer many per second). */
export function dateNow(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = httpDate(now);
  }
  return dateText;
}

/**
 * The head of an HTTP/1.x message (RFC 9112 §2): a start line, header lines, an empty line.
 * Pure: bytes in, lines out, with limits on every length the peer controls. Lines may end in
 * CRLF or a bare LF (§2.2 allows a recipient to accept LF alone): a request typed by hand in
 * telnet or nc is read like one from curl.
 */

export interface HttpLimits {
  /** longest request line (414 past it) */
  maxStartLine: number;
  /** longest header line (431 past it) */
  maxHeaderLine: number;
  /** most header fields (431 past it) */
  maxHeaders: number;
  /** the whole head (431 past it) */
  maxHeadBytes: number;
  /** largest body (413 past it) */
  maxBody: number;
}

export const DEFAULT_LIMITS: HttpLimits = {
  maxStartLine: 8 * 1024,
  maxHeaderLine: 8 * 1024,
  maxHeaders: 100,
  maxHeadBytes: 32 * 1024,
  maxBody: 10 * 1024 * 1024,
};

export type Header = [name: string, value: string];

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type HeadScan =
  | { done: false }
  | {
      done: true;
      /** the start line and header lines, line endings removed */
      lines: string[];
      /** bytes of the head, empty lines before the start line included */
      length: number;
      /** some line ended in a bare LF */
      bareLf: boolean;
    };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Find the head at `start` of `buf`. Throws HttpError for a line or head past the limits;
 * empty lines before the start line are skipped (RFC 9112 §2.2). The line ends are found
 * byte by byte; the head becomes one string, cut into lines (one conversion, not one a line).
 */
export function scanHead(buf: Buffer, start: number, limits: HttpLimits): HeadScan {
  // [start, end) of each line, line endings excluded
  const bounds: number[] = [];
  let pos = start;
  let bareLf = false;
  let skipped = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, pos);
    const first = bounds.length === 0;
    const max = first ? limits.maxStartLine : limits.maxHeaderLine;
    if (nl < 0) {
      if (buf.length - pos > max) throw lineTooLong(first);
      if (buf.length - start > limits.maxHeadBytes + skipped) throw new HttpError(431, 'request header fields too large');
      return { done: false };
    }
    let end = nl;
    if (end > pos && buf[end - 1] === 0x0d) end--;
    else bareLf = true;
    if (end - pos > max) throw lineTooLong(first);
    const lineStart = pos;
    pos = nl + 1;
    if (end === lineStart) {
      if (first) {
        // stray CRLFs between pipelined requests, or Enter pressed twice in telnet
        skipped = pos - start;
        if (skipped > 1024) throw new HttpError(400, 'only empty lines before the request line');
        continue;
      }
      const from = bounds[0];
      const text = buf.toString('latin1', from, bounds[bounds.length - 1]);
      const lines: string[] = [];
      for (let i = 0; i < bounds.length; i += 2) lines.push(text.slice(bounds[i] - from, bounds[i + 1] - from));
      return { done: true, lines, length: pos - start, bareLf };
    }
    bounds.push(lineStart, end);
    if (bounds.length / 2 - 1 > limits.maxHeaders) throw new HttpError(431, `more than ${limits.maxHeaders} header fields`);
    if (pos - start - skipped > limits.maxHeadBytes) throw new HttpError(431, 'request header fields too large');
  }
}

function lineTooLong(startLine: boolean): HttpError {
  return startLine ? new HttpError(414, 'request line too long') : new HttpError(431, 'a header line is too long');
}

/** Header lines into [name, value] pairs: names must be tokens, obsolete line folding refused (RFC 9112 §5.2). */
export function parseHeaderLines(lines: string[], from = 0): Header[] {
  const headers: Header[] = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i];
    if (line[0] === ' ' || line[0] === '\t') throw new HttpError(400, 'a header line starts with white space (obsolete line folding)');
    const colon = line.indexOf(':');
    if (colon <= 0) throw new HttpError(400, `a header line without a colon: ${line.slice(0, 40)}`);
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) throw new HttpError(400, `a header name with invalid characters: ${name.slice(0, 40)}`);
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return headers;
}

export function header(headers: readonly Header[], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.length === lower.length && n.toLowerCase() === lower) return v;
  return undefined;
}

/** All values of a header, comma-joined as RFC 9110 §5.3 allows. */
export function headerAll(headers: readonly Header[], name: string): string | undefined {
  const lower = name.toLowerCase();
  const values = headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  return values.length ? values.join(', ') : undefined;
}

export function hasToken(value: string | undefined, token: string): boolean {
  if (!value) return false;
  return value
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .includes(token);
}

/** How the body of a message is delimited (RFC 9112 §6.3), from its headers. */
export type BodyFraming = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };

export function bodyFraming(headers: readonly Header[], maxBody: number): BodyFraming | 'unknown' {
  let te: string | undefined;
  let cl: string | undefined;
  let clCount = 0;
  for (const [n, v] of headers) {
    // cheap first-letter test before lower-casing: most headers are neither
    const c = n.charCodeAt(0) | 0x20;
    if (c === 0x74 && n.toLowerCase() === 'transfer-encoding') te = te === undefined ? v : `${te}, ${v}`;
    else if (c === 0x63 && n.toLowerCase() === 'content-length') {
      clCount++;
      if (cl === undefined) cl = v;
      else if (cl !== v) throw new HttpError(400, 'conflicting Content-Length values');
    }
  }
  if (te !== undefined) {
    if (clCount) throw new HttpError(400, 'both Transfer-Encoding and Content-Length');
    const codings = te.split(',').map((t) => t.trim().toLowerCase());
    if (codings[codings.length - 1] !== 'chunked') throw new HttpError(400, `unsupported Transfer-Encoding: ${te.slice(0, 40)}`);
    return { kind: 'chunked' };
  }
  if (cl === undefined) return 'unknown';
  const values = new Set(cl.split(',').map((x) => x.trim()));
  if (values.size !== 1) throw new HttpError(400, 'conflicting Content-Length values');
  const [v] = values;
  if (!/^\d{1,15}$/.test(v)) throw new HttpError(400, `invalid Content-Length: ${v.slice(0, 20)}`);
  const length = Number(v);
  if (length > maxBody) throw new HttpError(413, `a body of ${length} bytes is over the limit of ${maxBody}`);
  return { kind: 'length', length };
}

export type ChunkedScan = { done: false } | { done: true; body: Buffer; length: number };

/** A chunked body (RFC 9112 §7.1) starting at `start`: the decoded bytes and how many raw bytes it took. */
export function scanChunked(buf: Buffer, start: number, maxBody: number): ChunkedScan {
  const parts: Buffer[] = [];
  let total = 0;
  let pos = start;
  for (;;) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) {
      if (buf.length - pos > 1024) throw new HttpError(400, 'chunk size line too long');
      return { done: false };
    }
    const sizeLine = buf.toString('latin1', pos, nl).replace(/\r$/, '');
    const hex = sizeLine.split(';')[0].trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(hex)) throw new HttpError(400, `invalid chunk size: ${sizeLine.slice(0, 20)}`);
    const size = parseInt(hex, 16);
    pos = nl + 1;
    if (size === 0) {
      // trailer section: lines until an empty one
      for (;;) {
        const tnl = buf.indexOf(0x0a, pos);
        if (tnl < 0) return { done: false };
        const line = buf.toString('latin1', pos, tnl).replace(/\r$/, '');
        pos = tnl + 1;
        if (line === '') return { done: true, body: Buffer.concat(parts), length: pos - start };
      }
    }
    total += size;
    if (total > maxBody) throw new HttpError(413, `a chunked body over the limit of ${maxBody} bytes`);
    if (buf.length < pos + size) return { done: false };
    parts.push(buf.subarray(pos, pos + size));
    pos += size;
    // the chunk's CRLF (or LF)
    if (buf.length < pos + 1) return { done: false };
    if (buf[pos] === 0x0d) {
      if (buf.length < pos + 2) return { done: false };
      pos++;
    }
    if (buf[pos] !== 0x0a) throw new HttpError(400, 'chunk data not followed by CRLF');
    pos++;
  }
}

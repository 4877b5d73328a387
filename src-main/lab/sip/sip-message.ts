/**
 * SIP messages (RFC 3261 §7): a start line, headers, a blank line, a body whose length
 * Content-Length gives. Pure: bytes in, a message or the reason it is refused out; a
 * message out as bytes. Every length a peer controls is capped; compact header names
 * (§7.3.3: v, f, t, i, m, l, c …) are read as their long forms.
 */

/** a message head past this is refused (a UDP datagram holds at most ~64 KB anyway) */
export const MAX_HEAD_BYTES = 16 * 1024;
export const MAX_HEADERS = 100;
export const MAX_BODY_BYTES = 32 * 1024;

export type SipMessage = SipRequest | SipResponse;
export interface SipHeaders {
  /** [canonical name, value] in the order received */
  headers: [string, string][];
  body: Buffer;
}
export interface SipRequest extends SipHeaders {
  kind: 'request';
  method: string;
  uri: string;
}
export interface SipResponse extends SipHeaders {
  kind: 'response';
  status: number;
  reason: string;
}

export type Parsed =
  | { ok: true; msg: SipMessage }
  /** `request`: what could be read of a request, enough to answer it with 400 (RFC 3261 §21.4.1) */
  | { ok: false; reason: string; request?: SipRequest };

const COMPACT = new Map<string, string>(
  Object.entries({ v: 'Via', f: 'From', t: 'To', i: 'Call-ID', m: 'Contact', l: 'Content-Length', c: 'Content-Type', e: 'Content-Encoding', s: 'Subject', k: 'Supported', o: 'Event', r: 'Refer-To' }),
);
const CANONICAL = new Map<string, string>(
  ['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Content-Length', 'Content-Type', 'Max-Forwards', 'Record-Route', 'Route', 'Expires', 'User-Agent', 'Server', 'Allow', 'Supported', 'Subject', 'Accept', 'Content-Encoding', 'WWW-Authenticate', 'Authorization', 'Date', 'Event', 'Require', 'Proxy-Require', 'Unsupported', 'Warning', 'Min-Expires', 'Retry-After', 'Timestamp', 'Organization', 'Refer-To'].map((n) => [n.toLowerCase(), n]),
);

export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT.get(lower) ?? CANONICAL.get(lower) ?? name;
}

/** header names as spelled on the wire (checked tokens) → their canonical names: a peer sends the
 *  same dozen names in every message, so each is lower-cased and checked once, not per line */
const SPELLED = new Map<string, string>();
const MAX_SPELLED = 1000;

const REQUEST_LINE = /^([A-Za-z!%*_+`'~.-]{1,32}) (\S{1,1024}) SIP\/2\.0$/;
const STATUS_LINE = /^SIP\/2\.0 (\d{3}) ?(.{0,200})$/;
const TOKEN = /^[A-Za-z0-9!%*_+`'~.-]{1,64}$/;

/** the end of the head: CRLF CRLF, or bare LF LF from a hand typist */
function headEnd(buf: Buffer): { at: number; skip: number } | null {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return null;
  if (lf >= 0 && (crlf < 0 || lf < crlf)) return { at: lf, skip: 2 };
  return { at: crlf, skip: 4 };
}

/** The head of one message (TCP framing and the datagram parser share it). */
export function splitHead(buf: Buffer): { head: string; bodyStart: number } | null {
  const end = headEnd(buf);
  return end ? { head: buf.toString('latin1', 0, end.at), bodyStart: end.at + end.skip } : null;
}

export function parseSip(buf: Buffer): Parsed {
  // leading CRLFs are keep-alives (RFC 5626 §3.5.1) or a typist's empty lines
  let start = 0;
  while (start < buf.length && (buf[start] === 0x0d || buf[start] === 0x0a)) start++;
  const data = start ? buf.subarray(start) : buf;
  if (data.length === 0) return { ok: false, reason: 'empty message' };
  const split = splitHead(data);
  const headText = split ? split.head : data.toString('latin1', 0, Math.min(data.length, MAX_HEAD_BYTES + 1));
  const firstEol = headText.indexOf('\n');
  const lineEnd = firstEol < 0 ? headText.length : firstEol;
  const startLine = headText.slice(0, lineEnd > 0 && headText.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd);
  const req = REQUEST_LINE.exec(startLine);
  const res = req ? null : STATUS_LINE.exec(startLine);
  if (!req && !res) return { ok: false, reason: /^[\x20-\x7e]*$/.test(startLine) ? `not a SIP start line: ${startLine.slice(0, 80)}` : 'not SIP: binary data' };
  // what could be read of a refused request, made only when it is refused
  const fail = (reason: string, headers: [string, string][] = []): Parsed => ({
    ok: false,
    reason,
    request: req ? { kind: 'request', method: req[1].toUpperCase(), uri: req[2], headers, body: Buffer.alloc(0) } : undefined,
  });
  if (!split) return fail(data.length > MAX_HEAD_BYTES ? `message head over ${MAX_HEAD_BYTES} bytes` : 'no blank line ends the headers');
  if (split.head.length > MAX_HEAD_BYTES) {
    const some: [string, string][] = [];
    if (req) readHeaders(split.head.slice(firstEol + 1, MAX_HEAD_BYTES), some);
    return fail(`message head of ${split.head.length} bytes, over the limit of ${MAX_HEAD_BYTES}`, some);
  }
  const headers: [string, string][] = [];
  const bad = readHeaders(firstEol < 0 ? '' : split.head.slice(firstEol + 1), headers);
  if (bad) return fail(bad, headers);
  const body = data.subarray(split.bodyStart);
  const lengthText = headerOf(headers, 'Content-Length');
  let length = body.length;
  if (lengthText !== undefined) {
    if (!/^\d{1,9}$/.test(lengthText.trim())) return fail(`Content-Length is not a number: ${lengthText.slice(0, 40)}`, headers);
    length = Number(lengthText.trim());
    if (length > body.length) return fail(`Content-Length ${length} is past the end of the message (${body.length} bytes of body)`, headers);
  }
  if (length > MAX_BODY_BYTES) return fail(`body of ${length} bytes, over the limit of ${MAX_BODY_BYTES}`, headers);
  const msg: SipMessage = req
    ? { kind: 'request', method: req[1].toUpperCase(), uri: req[2], headers, body: body.subarray(0, length) }
    : { kind: 'response', status: Number(res![1]), reason: res![2], headers, body: body.subarray(0, length) };
  return { ok: true, msg };
}

/** headers into `out` (folded lines joined, §7.3.1); the reason the head is bad, or null */
function readHeaders(text: string, out: [string, string][]): string | null {
  // line by line (CRLF, or LF from a typist), without splitting the head into an array first
  for (let from = 0; from < text.length; ) {
    let eol = text.indexOf('\n', from);
    if (eol < 0) eol = text.length;
    const line = text.slice(from, eol > from && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol);
    from = eol + 1;
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && out.length > 0) {
      out[out.length - 1][1] += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return `header line without a colon: ${line.slice(0, 60)}`;
    const spelled = line.slice(0, colon);
    let name = SPELLED.get(spelled);
    if (name === undefined) {
      const trimmed = spelled.trim();
      if (!TOKEN.test(trimmed)) return `bad header name: ${trimmed.slice(0, 40)}`;
      name = canonicalName(trimmed);
      // a copy of its own as the key: a slice would keep the whole head it was cut from alive
      if (SPELLED.size < MAX_SPELLED) SPELLED.set(Buffer.from(spelled, 'latin1').toString('latin1'), name);
    }
    if (out.length >= MAX_HEADERS) return `more than ${MAX_HEADERS} headers`;
    out.push([name, line.slice(colon + 1).trim()]);
  }
  return null;
}

export function headerOf(headers: readonly [string, string][], name: string): string | undefined {
  for (const [n, v] of headers) if (n === name) return v;
  return undefined;
}

/** Every value of a header, comma-separated lists split (§7.3.1), quotes and <…> respected. */
export function headerValues(msg: SipHeaders, name: string): string[] {
  const out: string[] = [];
  for (const [n, v] of msg.headers) if (n === name) out.push(...splitList(v));
  return out;
}

export function splitList(v: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let from = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '"' && v[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth--;
    else if (!quoted && depth === 0 && c === ',') {
      out.push(v.slice(from, i).trim());
      from = i + 1;
    }
  }
  out.push(v.slice(from).trim());
  return out.filter((s) => s !== '');
}

export function header(msg: SipHeaders, name: string): string | undefined {
  return headerOf(msg.headers, name);
}

export function encodeSip(msg: SipMessage): Buffer {
  const start = msg.kind === 'request' ? `${msg.method} ${msg.uri} SIP/2.0` : `SIP/2.0 ${msg.status} ${msg.reason}`;
  let head = start + '\r\n';
  for (const [n, v] of msg.headers) if (n !== 'Content-Length') head += `${n}: ${v}\r\n`;
  head += `Content-Length: ${msg.body.length}\r\n\r\n`;
  return msg.body.length ? Buffer.concat([Buffer.from(head, 'latin1'), msg.body]) : Buffer.from(head, 'latin1');
}

/** A response to a request (§8.2.6): Via, From, To, Call-ID and CSeq copied; a To tag added when given. */
export function responseTo(req: SipRequest, status: number, reason: string, extra: [string, string][] = [], body?: { type: string; bytes: Buffer }, toTag?: string): SipResponse {
  const headers: [string, string][] = [];
  for (const h of req.headers) {
    if (h[0] === 'Via' || h[0] === 'From' || h[0] === 'Call-ID' || h[0] === 'CSeq' || h[0] === 'Record-Route') headers.push([h[0], h[1]]);
    else if (h[0] === 'To') headers.push(['To', toTag && !/;\s*tag=/i.test(h[1]) ? `${h[1]};tag=${toTag}` : h[1]]);
  }
  if (status === 100) for (let i = headers.length - 1; i >= 0; i--) if (headers[i][0] === 'Record-Route') headers.splice(i, 1);
  headers.push(...extra);
  if (body) headers.push(['Content-Type', body.type]);
  return { kind: 'response', status, reason, headers, body: body?.bytes ?? Buffer.alloc(0) };
}

/** a parameter of a header value (`;tag=…`, `;branch=…`), or undefined; '' for a flag like `;rport` */
const PARAMS = new Map<string, RegExp>();

export function param(value: string, name: string): string | undefined {
  if (value.indexOf(';') < 0) return undefined;
  let re = PARAMS.get(name);
  if (!re) PARAMS.set(name, (re = new RegExp(`;\\s*${name}(?:=([^;,\\s>]*))?(?=[;,\\s>]|$)`, 'i')));
  const m = re.exec(value);
  return m ? (m[1] ?? '') : undefined;
}

/** The URI of a From/To/Contact/Route value: inside <…>, or the value up to its parameters. */
export function uriOf(value: string): string {
  const lt = value.indexOf('<');
  if (lt >= 0) {
    const gt = value.indexOf('>', lt);
    return value.slice(lt + 1, gt < 0 ? undefined : gt);
  }
  const semi = value.indexOf(';');
  return (semi < 0 ? value : value.slice(0, semi)).trim();
}

export interface SipUri {
  user?: string;
  host: string;
  port?: number;
  params: string;
}

const URI = /^sips?:(?:([^@;?]+)@)?(\[[0-9a-fA-F:.]+\]|[^:;?>]+)(?::(\d{1,5}))?([^?]*)/i;

export function parseUri(uri: string): SipUri | null {
  const m = URI.exec(uri.trim());
  if (!m) return null;
  const user = m[1] ? decodeURIComponent(m[1].split(':')[0]) : undefined;
  return { user, host: m[2].replace(/^\[|\]$/g, '').toLowerCase(), port: m[3] ? Number(m[3]) : undefined, params: m[4] ?? '' };
}

export interface Via {
  transport: string;
  host: string;
  port?: number;
  branch?: string;
  raw: string;
}

const VIA = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[0-9a-fA-F:.]+\]|[^\s:;]+)(?::(\d{1,5}))?/i;

/** the Vias read lately: a proxy reads a request's top Via several times (its transaction,
 *  rport, the loop check, the proxy it goes to) and a response's twice; the result is frozen */
const VIAS = new Map<string, Readonly<Via> | null>();
const MAX_VIAS = 512;

export function parseVia(raw: string): Readonly<Via> | null {
  const known = VIAS.get(raw);
  if (known !== undefined) return known;
  const m = VIA.exec(raw);
  const via = m ? Object.freeze({ transport: m[1].toUpperCase(), host: m[2].replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : undefined, branch: param(raw, 'branch'), raw }) : null;
  if (VIAS.size >= MAX_VIAS) VIAS.clear();
  VIAS.set(raw, via);
  return via;
}

/** CSeq's number and method (§20.16) */
export function parseCSeq(v: string | undefined): { seq: number; method: string } | null {
  const m = v ? /^(\d{1,10})\s+([A-Za-z]+)$/.exec(v.trim()) : null;
  return m ? { seq: Number(m[1]), method: m[2].toUpperCase() } : null;
}

/** What a request must carry before anyone acts on it (§8.1.1); the reason it may not, or null. */
export function missingHeaders(req: SipRequest): string | null {
  for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) if (header(req, name) === undefined) return `Missing ${name} header`;
  const vias = headerValues(req, 'Via');
  if (!parseVia(vias[0] ?? '')) return 'Malformed Via header';
  const cseq = parseCSeq(header(req, 'CSeq'));
  if (!cseq) return 'Malformed CSeq header';
  if (cseq.method !== req.method && req.method !== 'ACK' && req.method !== 'CANCEL') return `CSeq method ${cseq.method} does not match ${req.method}`;
  const mf = header(req, 'Max-Forwards');
  if (mf !== undefined && !/^\d{1,3}$/.test(mf)) return 'Malformed Max-Forwards header';
  if (!parseUri(req.uri)) return `Unsupported Request-URI: ${req.uri.slice(0, 60)}`;
  return null;
}

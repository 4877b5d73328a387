/**
 * A message as IMAP shows it (RFC 3501 §7.4.2), pure: its MIME parts with their byte ranges
 * (for BODY[1.2], BODY[HEADER], BODY[TEXT]), the ENVELOPE and the BODYSTRUCTURE. Works on the
 * wire form (CRLF), one latin1 character per byte, so every offset is a byte offset. The same
 * caps as the mailbox view's MIME tree (mime-tree.ts): depth and part count.
 */
import { headerMap, headerParams } from '../mime-tree';
import { imapString } from './imap-parser';

const MAX_DEPTH = 8;
const MAX_PARTS = 200;

export interface Part {
  /** [start of header, start of body, end) in the message */
  head: number;
  body: number;
  end: number;
  headers: Map<string, string>;
  type: string;
  subtype: string;
  params: Record<string, string>;
  children: Part[];
  /** message/rfc822: the message inside */
  inner?: Part;
}

export function parseMessage(raw: Buffer): Part {
  const text = raw.toString('latin1');
  let count = 0;
  const walk = (start: number, end: number, depth: number, defaultType: string): Part => {
    count += 1;
    const slice = text.slice(start, end);
    const m = /\r?\n\r?\n/.exec(slice);
    // no blank line: all header when it starts like one, else all body (a MIME part with no header)
    const headerOnly = !m && /^[!-9;-~]+:/.test(slice);
    const bodyStart = m ? start + m.index + m[0].length : headerOnly ? end : start;
    const headers = headerMap(text.slice(start, m ? start + m.index : headerOnly ? end : start));
    const ct = headerParams(headers.get('content-type') ?? defaultType);
    const [type = 'text', subtype = 'plain'] = (ct.value || defaultType).split('/');
    const part: Part = { head: start, body: bodyStart, end, headers, type, subtype, params: ct.params, children: [] };
    const boundary = ct.params.boundary;
    if (type === 'multipart' && boundary && depth < MAX_DEPTH) {
      const childDefault = subtype === 'digest' ? 'message/rfc822' : 'text/plain';
      const delim = new RegExp(`(^|\\r\\n)--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(--)?[ \\t]*(\\r\\n|$)`, 'g');
      delim.lastIndex = bodyStart;
      let from = -1;
      for (let d = delim.exec(text); d && d.index < end; d = delim.exec(text)) {
        if (from >= 0 && count < MAX_PARTS) part.children.push(walk(from, d.index, depth + 1, childDefault));
        if (d[2]) break;
        from = d.index + d[0].length;
      }
    } else if (type === 'message' && subtype === 'rfc822' && depth < MAX_DEPTH) {
      part.inner = walk(bodyStart, end, depth + 1, 'text/plain');
    }
    return part;
  };
  return walk(0, text.length, 0, 'text/plain');
}

/** the part a section's numbers name (`1.2`), or undefined */
export function partAt(root: Part, path: number[]): Part | undefined {
  let p: Part | undefined = root;
  for (const n of path) {
    if (!p) return undefined;
    const holder: Part = p.inner && !p.children.length ? p.inner : p;
    if (holder.children.length === 0) {
      // a non-multipart message's part 1 is its body (RFC 3501 §6.4.5)
      p = n === 1 ? holder : undefined;
    } else p = holder.children[n - 1];
  }
  return p;
}

function lines(text: string): number {
  return text.length === 0 ? 0 : text.split('\r\n').length - (text.endsWith('\r\n') ? 1 : 0);
}

function addressList(value: string | undefined): string {
  if (!value) return 'NIL';
  const out: string[] = [];
  // split on commas outside quotes and angle brackets; groups are flattened
  const items: string[] = [];
  let cur = '';
  let quote = false;
  let angle = 0;
  for (const c of value) {
    if (c === '"') quote = !quote;
    if (!quote && c === '<') angle += 1;
    if (!quote && c === '>') angle = Math.max(0, angle - 1);
    if (!quote && !angle && (c === ',' || c === ';')) {
      items.push(cur);
      cur = '';
    } else cur += c;
  }
  items.push(cur);
  for (let item of items) {
    item = item.replace(/^[^<"]*:/, '').trim();
    if (!item) continue;
    const m = /^(.*?)<([^>]*)>\s*$/.exec(item);
    const name = m ? m[1].trim().replace(/^"(.*)"$/, '$1').trim() : '';
    const addr = (m ? m[2] : item.replace(/\(.*\)/g, '')).trim();
    const at = addr.lastIndexOf('@');
    const local = at >= 0 ? addr.slice(0, at) : addr;
    const domain = at >= 0 ? addr.slice(at + 1) : '';
    out.push(`(${name ? imapString(Buffer.from(name, 'latin1')) : 'NIL'} NIL ${imapString(Buffer.from(local, 'latin1'))} ${domain ? imapString(Buffer.from(domain, 'latin1')) : 'NIL'})`);
    if (out.length >= 100) break;
  }
  return out.length ? `(${out.join('')})` : 'NIL';
}

function nstring(v: string | undefined): string {
  return v === undefined ? 'NIL' : imapString(Buffer.from(v, 'latin1'));
}

export function envelope(headers: Map<string, string>): string {
  const from = addressList(headers.get('from'));
  const sender = headers.has('sender') ? addressList(headers.get('sender')) : from;
  const replyTo = headers.has('reply-to') ? addressList(headers.get('reply-to')) : from;
  return `(${[
    nstring(headers.get('date')),
    nstring(headers.get('subject')),
    from,
    sender,
    replyTo,
    addressList(headers.get('to')),
    addressList(headers.get('cc')),
    addressList(headers.get('bcc')),
    nstring(headers.get('in-reply-to')),
    nstring(headers.get('message-id')),
  ].join(' ')})`;
}

function paramList(params: Record<string, string>): string {
  const entries = Object.entries(params);
  return entries.length ? `(${entries.map(([k, v]) => `${imapString(k.toUpperCase())} ${imapString(Buffer.from(v, 'latin1'))}`).join(' ')})` : 'NIL';
}

function disposition(headers: Map<string, string>): string {
  const d = headers.get('content-disposition');
  if (!d) return 'NIL';
  const { value, params } = headerParams(d);
  return `(${imapString(value.toUpperCase() || 'ATTACHMENT')} ${paramList(params)})`;
}

/** BODY (`extended` false) or BODYSTRUCTURE (true) of a part, RFC 3501 §7.4.2 */
export function bodyStructure(raw: string, p: Part, extended: boolean): string {
  if (p.children.length > 0) {
    const ext = extended ? ` ${paramList(p.params)} ${disposition(p.headers)} NIL NIL` : '';
    return `(${p.children.map((c) => bodyStructure(raw, c, extended)).join('')} ${imapString(p.subtype.toUpperCase())}${ext})`;
  }
  const body = raw.slice(p.body, p.end);
  const params = p.type === 'text' && !p.params.charset ? { charset: 'us-ascii', ...p.params } : p.params;
  const fields = [
    imapString(p.type.toUpperCase()),
    imapString(p.subtype.toUpperCase()),
    paramList(params),
    nstring(p.headers.get('content-id')),
    nstring(p.headers.get('content-description')),
    imapString((p.headers.get('content-transfer-encoding') ?? '7bit').toUpperCase()),
    String(body.length),
  ];
  if (p.type === 'message' && p.subtype === 'rfc822' && p.inner) {
    fields.push(envelope(p.inner.headers), bodyStructure(raw, p.inner, extended), String(lines(body)));
  } else if (p.type === 'text') fields.push(String(lines(body)));
  if (extended) fields.push(nstring(p.headers.get('content-md5')), disposition(p.headers), 'NIL', 'NIL');
  return `(${fields.join(' ')})`;
}

/** the header lines whose names are (or, with `not`, are not) in `names`, and the blank line */
export function headerFields(headerText: string, names: string[], not: boolean): string {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const fields = headerText.replace(/\r\n$/, '').split(/\r\n(?![ \t])/).filter((f) => f.length > 0);
  const kept = fields.filter((f) => wanted.has(f.slice(0, f.indexOf(':')).trim().toLowerCase()) !== not);
  return `${kept.map((f) => `${f}\r\n`).join('')}\r\n`;
}

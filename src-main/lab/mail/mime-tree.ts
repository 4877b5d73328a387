/**
 * The MIME structure of a message (RFC 2045/2046) as a tree, for the mailbox view: each
 * part's Content-Type, transfer encoding, disposition and size. Only the structure — the
 * decoding of bodies is mailparser's job. Pure; depth and part count are capped.
 */
import type { MimeNode } from './mail-types';

const MAX_DEPTH = 8;
const MAX_PARTS = 200;

interface Part {
  headers: Map<string, string>;
  body: string;
}

function splitPart(text: string): Part {
  const m = /\r?\n\r?\n/.exec(text);
  const head = m ? text.slice(0, m.index) : text;
  const body = m ? text.slice(m.index + m[0].length) : '';
  return { headers: headerMap(head), body };
}

/** a header block's fields, unfolded, by lower-case name (the first of each name) */
export function headerMap(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c > 0) {
      const name = line.slice(0, c).trim().toLowerCase();
      if (!headers.has(name)) headers.set(name, line.slice(c + 1).trim());
    }
  }
  return headers;
}

/** `text/plain; charset="utf-8"; name=a.png` → value and parameters */
export function headerParams(value: string): { value: string; params: Record<string, string> } {
  const [first = '', ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase().replace(/\*$/, '')] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { value: first.trim().toLowerCase(), params };
}

export function mimeTree(raw: Buffer): MimeNode {
  let count = 0;
  const walk = (text: string, depth: number, defaultType: string): MimeNode => {
    count += 1;
    const part = splitPart(text);
    const ct = headerParams(part.headers.get('content-type') ?? defaultType);
    const disp = part.headers.get('content-disposition');
    const d = disp ? headerParams(disp) : undefined;
    const node: MimeNode = {
      contentType: ct.value || 'text/plain',
      encoding: part.headers.get('content-transfer-encoding')?.toLowerCase(),
      disposition: d?.value,
      filename: d?.params.filename ?? ct.params.name,
      charset: ct.params.charset,
      size: Buffer.byteLength(part.body, 'latin1'),
      children: [],
    };
    const boundary = ct.params.boundary;
    if (ct.value.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
      const childDefault = ct.value === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
      const delim = `--${boundary}`;
      const pieces = part.body.split(new RegExp(`(?:^|\\r?\\n)${escapeRegExp(delim)}`));
      // pieces[0] is the preamble; a piece starting with "--" is the close delimiter's epilogue
      for (const piece of pieces.slice(1)) {
        if (piece.startsWith('--') || count >= MAX_PARTS) break;
        node.children.push(walk(piece.replace(/^[ \t]*\r?\n/, ''), depth + 1, childDefault));
      }
    } else if (ct.value === 'message/rfc822' && depth < MAX_DEPTH) {
      node.children.push(walk(part.body, depth + 1, 'text/plain'));
    }
    return node;
  };
  return walk(raw.toString('latin1'), 0, 'text/plain');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

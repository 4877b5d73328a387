/**
 * The inspector's HTTP decoder: a framed request or response becomes its start line, its
 * header fields and a preview of its body. Pure; bytes that are not HTTP fall back to text.
 */
import type { CaptureKind, DecodedField, Direction } from '../api';
import { registerDecoder, textDecoder } from '../capture/decoders';
import { isMostlyText, oneLine } from '../capture/text';
import { header, parseHeaderLines, scanHead, type Header } from './head';
import { bodyStructure, mediaOf, soapNote } from './body-decoder';

const LIMITS = { maxStartLine: 64 * 1024, maxHeaderLine: 64 * 1024, maxHeaders: 1000, maxHeadBytes: 256 * 1024, maxBody: Infinity };
const PREVIEW = 2000;

interface Parsed {
  startLine: string;
  headers: Header[];
  body: Buffer;
}

function parse(bytes: Buffer): Parsed | null {
  try {
    const head = scanHead(bytes, 0, LIMITS);
    if (!head.done) return null;
    const startLine = head.lines[0];
    if (!/^HTTP\/\d/.test(startLine) && !/^[A-Z-]{1,32} \S+ HTTP\/\d/i.test(startLine)) return null;
    return { startLine, headers: parseHeaderLines(head.lines.slice(1)), body: bytes.subarray(head.length) };
  } catch {
    return null;
  }
}

function size(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const FIELD = (name: string) => new RegExp(`\\r\\n${name}:[ \\t]*([^\\r]*)`, 'i');
const HOST = FIELD('host');
const TYPE = FIELD('content-type');
const LENGTH = FIELD('content-length');
const XCACHE = FIELD('x-cache');

/** The one-line summary of a well-formed CRLF head, without a full parse (it runs for every message). */
function quickSummary(bytes: Buffer): string | null {
  const end = bytes.indexOf(HEAD_END);
  if (end < 0 || end > 16 * 1024) return null;
  const head = bytes.toString('latin1', 0, end + 2);
  const nl = head.indexOf('\r\n');
  const startLine = head.slice(0, nl);
  if (startLine.startsWith('HTTP/1.')) {
    if (!/^HTTP\/1\.[01] \d{3}/.test(startLine)) return null;
    const parts = [startLine.slice(0, 80)];
    const type = TYPE.exec(head)?.[1];
    if (type) parts.push(type.split(';')[0]);
    const soap = soapNote(mediaOf(type), bytes.subarray(end + 4));
    if (soap) parts.push(soap);
    const len = LENGTH.exec(head)?.[1];
    if (len !== undefined) parts.push(size(Number(len) || 0));
    else if (bytes.length > end + 4) parts.push(size(bytes.length - end - 4));
    const xcache = XCACHE.exec(head)?.[1];
    if (xcache) parts.push(`X-Cache: ${xcache}`);
    return parts.join(' · ');
  }
  if (!/^[A-Z-]{1,32} \S+ HTTP\/1\.[01]$/.test(startLine)) return null;
  const host = HOST.exec(head)?.[1];
  const line = host ? `${startLine.slice(0, 100)} · Host: ${host.slice(0, 60)}` : startLine.slice(0, 120);
  const soap = startLine.startsWith('POST ') ? soapNote(mediaOf(TYPE.exec(head)?.[1]), bytes.subarray(end + 4)) : null;
  return soap ? `${line} · ${soap}` : line;
}

export function summarizeHttp(bytes: Buffer): string | null {
  const quick = quickSummary(bytes);
  if (quick !== null) return quick;
  const p = parse(bytes);
  if (!p) return null;
  const type = header(p.headers, 'content-type')?.split(';')[0];
  const len = header(p.headers, 'content-length');
  if (p.startLine.startsWith('HTTP/')) {
    const parts = [p.startLine.slice(0, 80)];
    if (type) parts.push(type);
    if (len !== undefined) parts.push(size(Number(len) || 0));
    else if (p.body.length) parts.push(size(p.body.length));
    const xcache = header(p.headers, 'x-cache');
    if (xcache) parts.push(`X-Cache: ${xcache}`);
    return parts.join(' · ');
  }
  const host = header(p.headers, 'host');
  return host ? `${p.startLine.slice(0, 100)} · Host: ${host.slice(0, 60)}` : p.startLine.slice(0, 120);
}

export function decodeHttp(bytes: Buffer): DecodedField[] | null {
  const p = parse(bytes);
  if (!p) return null;
  const fields: DecodedField[] = [];
  if (p.startLine.startsWith('HTTP/')) {
    const [version, status, ...reason] = p.startLine.split(' ');
    fields.push({
      name: 'Status line',
      value: p.startLine,
      children: [
        { name: 'Version', value: version },
        { name: 'Status code', value: status ?? '' },
        { name: 'Reason phrase', value: reason.join(' ') },
      ],
    });
  } else {
    const [method, target, version] = p.startLine.split(/\s+/);
    fields.push({
      name: 'Request line',
      value: p.startLine,
      children: [
        { name: 'Method', value: method },
        { name: 'Request target', value: target ?? '' },
        { name: 'Version', value: version ?? '' },
      ],
    });
  }
  fields.push({ name: 'Header fields', value: `${p.headers.length}`, children: p.headers.map(([n, v]) => ({ name: n, value: v })) });
  const chunked = /chunked/i.test(header(p.headers, 'transfer-encoding') ?? '');
  const body: DecodedField[] = [{ name: 'Length', value: `${p.body.length} bytes${chunked ? ' (chunked, as sent)' : ''}` }];
  if (p.body.length) {
    const text = isMostlyText(p.body.subarray(0, 4096));
    body.push({ name: 'Preview', value: text ? p.body.subarray(0, PREVIEW).toString('utf8') + (p.body.length > PREVIEW ? '…' : '') : `binary: ${oneLine(p.body, 64)}` });
  }
  fields.push({ name: 'Body', value: p.body.length ? size(p.body.length) : 'none', children: body });
  const structure = chunked ? null : bodyStructure(mediaOf(header(p.headers, 'content-type')), p.body);
  if (structure) fields.push(structure);
  return fields;
}

export function registerHttpDecoder(): void {
  registerDecoder('http', {
    summarize(kind: CaptureKind, dir: Direction, bytes: Buffer) {
      if (kind === 'message') return summarizeHttp(bytes) ?? textDecoder.summarize(kind, dir, bytes);
      return textDecoder.summarize(kind, dir, bytes);
    },
    decode(kind: CaptureKind, dir: Direction, bytes: Buffer) {
      return (kind === 'message' ? decodeHttp(bytes) : null) ?? textDecoder.decode(kind, dir, bytes);
    },
  });
}

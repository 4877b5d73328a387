/**
 * One captured message against one pattern of a lab file: its summary or first line, the
 * HTTP headers present or absent, the DNS header's flags (RFC 1035 §4.1.1) and question.
 * Bytes are read only when a pattern needs them.
 */
import * as dnsPacket from 'dns-packet';
import type { ConnectionInfo, Direction } from '../api';
import { clientKind } from './client-kind';
import type { CheckScope, MessageMatch } from './lab-file';

/** a captured message as the checks see it */
export interface SeenMessage {
  id: number;
  t: number;
  service: string;
  protocol: string;
  transport: string;
  dir: Direction;
  conn: number;
  summary: string;
  connection: ConnectionInfo | undefined;
  /** the stored bytes (null once the capture reused them) */
  bytes(): Buffer | null;
}

const regexCache = new Map<string, RegExp>();
export function re(pattern: string, caseSensitive = false): RegExp {
  const k = `${caseSensitive ? 'c' : 'i'}${pattern}`;
  let r = regexCache.get(k);
  if (!r) {
    r = new RegExp(pattern, caseSensitive ? '' : 'i');
    if (regexCache.size > 5000) regexCache.clear();
    regexCache.set(k, r);
  }
  return r;
}

export function serviceMatches(want: string | string[] | undefined, service: string): boolean {
  if (want === undefined) return true;
  return (Array.isArray(want) ? want : [want]).some((w) => (w.endsWith('*') ? service.startsWith(w.slice(0, -1)) : service === w));
}

/** the channel and the client of a check */
export function inScope(scope: CheckScope, m: SeenMessage): boolean {
  if (!serviceMatches(scope.service, m.service)) return false;
  if (scope.transport && m.transport !== scope.transport) return false;
  if (scope.client && !scope.client.includes(clientKind(m.connection))) return false;
  if (scope.server && !re(scope.server).test(m.connection?.server.name ?? '')) return false;
  return true;
}

export function firstLine(bytes: Buffer | null): string {
  if (!bytes) return '';
  const text = bytes.subarray(0, 2048).toString('latin1');
  const end = text.search(/\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

/** an HTTP message's header block, names lower-cased (the first of each name) */
export function httpHeaders(bytes: Buffer | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!bytes) return out;
  const text = bytes.subarray(0, 65536).toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  for (const line of (end < 0 ? text : text.slice(0, end)).split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!out.has(name)) out.set(name, line.slice(colon + 1).trim());
  }
  return out;
}

export type DnsPacket = dnsPacket.DecodedPacket;

/** a DNS message (UDP, or the two-byte length of DNS over TCP, RFC 1035 §4.2.2) */
export function dnsOf(m: SeenMessage): DnsPacket | null {
  let bytes = m.bytes();
  if (!bytes || bytes.length < 12) return null;
  if (m.transport === 'tcp' && bytes.readUInt16BE(0) === bytes.length - 2) bytes = bytes.subarray(2);
  try {
    return dnsPacket.decode(bytes);
  } catch {
    return null;
  }
}

const canonical = (name: string): string => name.toLowerCase().replace(/\.$/, '');

export function messageMatches(match: MessageMatch | undefined, m: SeenMessage): boolean {
  if (!match) return true;
  if (match.pattern !== undefined) {
    const r = re(match.pattern, match.caseSensitive);
    if (!r.test(m.summary) && !r.test(firstLine(m.bytes()))) return false;
  }
  if (match.headers) {
    const h = httpHeaders(m.bytes());
    if (match.headers.present?.some((n) => !h.has(n.toLowerCase()))) return false;
    if (match.headers.absent?.some((n) => h.has(n.toLowerCase()))) return false;
  }
  if (match.dns) {
    const p = dnsOf(m);
    if (!p) return false;
    const d = match.dns;
    if (d.rd !== undefined && Boolean(p.flag_rd) !== d.rd) return false;
    if (d.qr !== undefined && Boolean(p.flag_qr) !== d.qr) return false;
    if (d.aa !== undefined && Boolean(p.flag_aa) !== d.aa) return false;
    const q = p.questions?.[0];
    if (d.name !== undefined && (!q || canonical(q.name) !== canonical(d.name))) return false;
    if (d.type !== undefined && (!q || q.type !== d.type.toUpperCase())) return false;
  }
  return true;
}

/**
 * Resource records as the lab's DNS code holds them: names lower-case, absolute, without
 * the trailing dot (the root is ''), data in the shapes dns-packet encodes. RFC 1035 §3.2.
 */
import type { MxData, SoaData } from 'dns-packet';

export const RR_TYPES = ['A', 'AAAA', 'NS', 'CNAME', 'MX', 'SOA', 'PTR', 'TXT', 'SRV'] as const;
export type RrType = (typeof RR_TYPES)[number];

export type RrData =
  | { type: 'A' | 'AAAA' | 'NS' | 'CNAME' | 'PTR'; data: string }
  | { type: 'MX'; data: Required<MxData> }
  | { type: 'SOA'; data: Required<SoaData> }
  | { type: 'TXT'; data: string[] }
  /** RFC 2782: where a service of a domain runs (_sip._udp.hamburger.edu → sip.hamburger.edu:5060) */
  | { type: 'SRV'; data: SrvRecord };

export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export type Rr = RrData & { name: string; ttl: number };

/** Longest name (RFC 1035 §2.3.4) and label. */
export const MAX_NAME = 253;
export const MAX_LABEL = 63;

/** Lower-case, no trailing dot; '.' and '' are the root. */
export function canonical(name: string): string {
  const n = name.toLowerCase();
  if (n === '.' || n === '') return '';
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** How a name is printed: absolute, with its trailing dot. */
export function fqdn(name: string): string {
  return name === '' ? '.' : `${name}.`;
}

/** `name` is `zone` or below it. */
export function inZone(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}

/** The name one label up ('' for a top-level name); undefined above the root. */
export function parent(name: string): string | undefined {
  if (name === '') return undefined;
  const dot = name.indexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1);
}

/** The name and all its ancestors, nearest first, ending with the root. */
export function ancestors(name: string): string[] {
  const out: string[] = [];
  for (let n: string | undefined = name; n !== undefined; n = parent(n)) out.push(n);
  return out;
}

/** What dns-packet takes as a name: the root is '.'. */
export function wireName(name: string): string {
  return name === '' ? '.' : name;
}

/** The name a record's data points at (NS, CNAME, PTR, MX), for additional-section processing. */
export function target(rr: Rr): string | undefined {
  switch (rr.type) {
    case 'NS':
    case 'CNAME':
    case 'PTR':
      return rr.data;
    case 'MX':
      return rr.data.exchange;
    case 'SRV':
      return rr.data.target;
    default:
      return undefined;
  }
}

/** Record data in master-file form (as dig prints it). */
export function rdataText(rr: Rr): string {
  switch (rr.type) {
    case 'A':
    case 'AAAA':
      return rr.data;
    case 'NS':
    case 'CNAME':
    case 'PTR':
      return fqdn(rr.data);
    case 'MX':
      return `${rr.data.preference} ${fqdn(rr.data.exchange)}`;
    case 'SOA': {
      const s = rr.data;
      return `${fqdn(s.mname)} ${fqdn(s.rname)} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    }
    case 'TXT':
      return rr.data.map((t) => `"${t.replace(/(["\\])/g, '\\$1')}"`).join(' ');
    case 'SRV':
      return `${rr.data.priority} ${rr.data.weight} ${rr.data.port} ${fqdn(rr.data.target)}`;
  }
}

export function rrText(rr: Rr): string {
  return `${fqdn(rr.name)}\t${rr.ttl}\tIN\t${rr.type}\t${rdataText(rr)}`;
}

export function sameRr(a: Rr, b: Rr): boolean {
  return a.name === b.name && a.type === b.type && rdataText(a) === rdataText(b);
}

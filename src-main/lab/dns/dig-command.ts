/**
 * `dig` and `nslookup` as typed at the lab terminal's prompt: parsing only (pure), so every
 * message can be tested. Options follow the real tools: dig NAME [TYPE] [@SERVER] [-p PORT]
 * [-x ADDR] [+norecurse] [+trace] [+tcp] [+short]; nslookup [-type=T] NAME [SERVER].
 */
export const LOOKUP_TYPES = ['A', 'AAAA', 'NS', 'CNAME', 'MX', 'SOA', 'PTR', 'TXT', 'SRV', 'ANY'] as const;
export type LookupType = (typeof LOOKUP_TYPES)[number];

export type DnsCommand =
  | { kind: 'dig'; name: string; type: LookupType; server?: string; port?: number; recurse: boolean; trace: boolean; tcp: boolean; short: boolean; edns: boolean }
  | { kind: 'nslookup'; name: string; type: LookupType; server?: string };

export const DNS_HELP = [
  '  dig NAME [TYPE] [@SERVER] [+norecurse] [+trace] [+tcp] [+short]   ask lab DNS (-x ADDR: reverse)',
  '  nslookup [-type=TYPE] NAME [SERVER]    the same, printed the nslookup way',
];

const TYPES = new Set<string>(LOOKUP_TYPES);

/** 128.119.40.205 → 205.40.119.128.in-addr.arpa (RFC 1035 §3.5) */
export function reverseName(address: string): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) return null;
  return `${m.slice(1).reverse().join('.')}.in-addr.arpa`;
}

const NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$|^\.$/;

export function parseDig(args: string[]): DnsCommand | { kind: 'error'; message: string } {
  let name: string | undefined;
  let type: LookupType | undefined;
  let server: string | undefined;
  let port: number | undefined;
  const opts = { recurse: true, trace: false, tcp: false, short: false, edns: true };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('@')) {
      if (a.length === 1) return { kind: 'error', message: 'dig: @ needs a server: @198.41.0.4 or @a.root-servers.net' };
      server = a.slice(1);
    } else if (a.startsWith('+')) {
      const o = a.slice(1).toLowerCase();
      if (o === 'norecurse' || o === 'norec') opts.recurse = false;
      else if (o === 'recurse' || o === 'rec') opts.recurse = true;
      else if (o === 'trace') opts.trace = true;
      else if (o === 'tcp' || o === 'vc') opts.tcp = true;
      else if (o === 'notcp') opts.tcp = false;
      else if (o === 'short') opts.short = true;
      else if (o === 'noedns') opts.edns = false;
      else return { kind: 'error', message: `dig: unknown option ${a} (NetLab's dig knows +norecurse, +trace, +tcp, +short, +noedns)` };
    } else if (a === '-x') {
      const addr = args[++i];
      const rev = addr ? reverseName(addr) : null;
      if (!rev) return { kind: 'error', message: `dig: -x needs an IPv4 address, like -x 128.119.40.205` };
      name = rev;
      type = 'PTR';
    } else if (a === '-p') {
      const p = Number(args[++i]);
      if (!Number.isInteger(p) || p < 1 || p > 65535) return { kind: 'error', message: 'dig: -p needs a port from 1 to 65535' };
      port = p;
    } else if (a === '-t') {
      const t = (args[++i] ?? '').toUpperCase();
      if (!TYPES.has(t)) return { kind: 'error', message: `dig: unknown type '${args[i] ?? ''}' (the lab knows ${LOOKUP_TYPES.join(', ')})` };
      type = t as LookupType;
    } else if (a.startsWith('-')) {
      return { kind: 'error', message: `dig: unknown option ${a}` };
    } else if (TYPES.has(a.toUpperCase()) && name !== undefined && type === undefined) {
      type = a.toUpperCase() as LookupType;
    } else if (name === undefined) {
      if (!NAME.test(a) || a.length > 254) return { kind: 'error', message: `dig: '${a}' is not a domain name` };
      name = a;
    } else if (TYPES.has(a.toUpperCase())) {
      type = a.toUpperCase() as LookupType;
    } else {
      return { kind: 'error', message: `dig: unknown type '${a}' (the lab knows ${LOOKUP_TYPES.join(', ')})` };
    }
  }
  if (name === undefined) return { kind: 'error', message: 'usage: dig NAME [TYPE] [@SERVER] [+norecurse] [+trace] [+tcp] [+short]' };
  return { kind: 'dig', name, type: type ?? 'A', ...(server ? { server } : {}), ...(port ? { port } : {}), ...opts };
}

export function parseNslookup(args: string[]): DnsCommand | { kind: 'error'; message: string } {
  let type: LookupType = 'A';
  const rest: string[] = [];
  for (const a of args) {
    const m = /^-(?:type|query|q|t)=(\w+)$/i.exec(a);
    if (m) {
      const t = m[1].toUpperCase();
      if (!TYPES.has(t)) return { kind: 'error', message: `nslookup: unknown query type: ${m[1]}` };
      type = t as LookupType;
    } else if (a.startsWith('-')) return { kind: 'error', message: `nslookup: unknown option ${a} (NetLab's nslookup knows -type=TYPE)` };
    else rest.push(a);
  }
  if (rest.length < 1 || rest.length > 2) return { kind: 'error', message: 'usage: nslookup [-type=TYPE] NAME [SERVER]' };
  let name = rest[0];
  const rev = reverseName(name);
  if (rev && type === 'A') {
    name = rev;
    type = 'PTR';
  } else if (!NAME.test(name)) return { kind: 'error', message: `nslookup: '${name}' is not a domain name` };
  return { kind: 'nslookup', name, type, ...(rest[1] ? { server: rest[1] } : {}) };
}

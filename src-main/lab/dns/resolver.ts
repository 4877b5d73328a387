/**
 * The local DNS server's resolution (RFC 1034 §5.3.3; Kurose & Ross Figure 2.19): look in
 * the cache; otherwise start at the closest servers the cache knows (the root, if nothing
 * closer) and follow referrals down — root → TLD → authoritative — asking each without
 * recursion, caching what each reply teaches, following CNAMEs. The sockets are behind
 * `Upstream`; every exchange and every cache hit is written to the trace the resolution
 * view draws.
 */
import type { Rcode } from './authority';
import type { DnsCache } from './cache';
import type { QType } from './codec';
import { ancestors, fqdn, inZone, rdataText, target, type Rr, type RrType } from './records';
import type { DnsStep } from './types';

export interface NameServer {
  host: string;
  address: string;
}

export type UpstreamReply =
  | {
      ok: true;
      rcode: Rcode | string;
      aa: boolean;
      answers: Rr[];
      authorities: Rr[];
      additionals: Rr[];
      transport: 'udp' | 'tcp';
      /** the UDP reply had TC set, so the query was repeated over TCP */
      retriedOverTcp: boolean;
      /** capture ids of the query and the reply that answered it */
      queryMessage?: number;
      replyMessage?: number;
    }
  | { ok: false; error: string };

export interface Upstream {
  query(server: NameServer, name: string, type: QType, rd: boolean): Promise<UpstreamReply>;
}

/** A step of a resolution as the resolver records it; the API's DnsStep adds the textbook's number. */
export type TraceStep = Omit<DnsStep, 'n'>;

export interface Resolution {
  rcode: Rcode;
  answers: Rr[];
  /** the SOA of a negative answer */
  authorities: Rr[];
  /** the whole answer came from the cache */
  fromCache: boolean;
  error?: string;
}

const MAX_CNAMES = 8;
const MAX_REFERRALS = 16;
const MAX_DEPTH = 3;
export const LOCAL_NAME = 'local DNS server';

export function describe(reply: Extract<UpstreamReply, { ok: true }>): string {
  const ns = reply.authorities.filter((r) => r.type === 'NS');
  if (reply.rcode === 'NXDOMAIN') return 'NXDOMAIN: no such name';
  if (reply.rcode !== 'NOERROR') return `${reply.rcode}`;
  if (reply.answers.length) {
    const shown = reply.answers.slice(0, 3).map((r) => `${r.type} ${rdataText(r)}`).join(', ');
    return `answer${reply.aa ? ' (authoritative)' : ''}: ${shown}${reply.answers.length > 3 ? ', …' : ''}`;
  }
  if (ns.length) {
    const glue = reply.additionals.filter((r) => r.type === 'A').map((r) => `${r.name} ${r.data}`);
    return `referral to ${fqdn(ns[0].name)}: NS ${ns.map((r) => rdataText(r)).join(', ')}${glue.length ? `; glue ${glue.join(', ')}` : ''}`;
  }
  return 'NODATA: the name has no record of that type';
}

export class Resolver {
  private inflight = new Map<string, Promise<Resolution>>();

  constructor(
    private cache: DnsCache,
    private upstream: Upstream,
    private hints: readonly NameServer[],
  ) {}

  /** Resolve with the cache and the upstream; `trace` collects the steps when given. */
  resolve(name: string, type: RrType, trace?: TraceStep[], started = Date.now()): Promise<Resolution> {
    if (trace) return this.run(name, type, trace, started, 0);
    // a storm of the same question costs one resolution
    const key = `${name}|${type}`;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const p = this.run(name, type, undefined, started, 0).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /** For a client asking without recursion: what the cache holds, else the closest referral. */
  fromCache(name: string, type: RrType): Resolution | { referral: { ns: Rr[]; glue: Rr[] } } {
    const hit = this.cache.get(name, type);
    if (hit?.kind === 'positive') return { rcode: 'NOERROR', answers: hit.rrs, authorities: [], fromCache: true };
    if (hit) return { rcode: hit.kind === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR', answers: [], authorities: [hit.soa], fromCache: true };
    const cname = type === 'CNAME' ? undefined : this.cache.get(name, 'CNAME');
    if (cname?.kind === 'positive') return { rcode: 'NOERROR', answers: cname.rrs, authorities: [], fromCache: true };
    const { zone, servers, ns } = this.closest(name);
    const glue = servers.map((s) => ({ name: s.host, ttl: ns[0]?.ttl ?? 518400, type: 'A' as const, data: s.address }));
    return { referral: { ns: ns.length ? ns : this.hintNs(), glue: zone === '' && !ns.length ? this.hintGlue() : glue } };
  }

  private hintNs(): Rr[] {
    return this.hints.map((h) => ({ name: '', ttl: 518400, type: 'NS' as const, data: h.host }));
  }

  private hintGlue(): Rr[] {
    return this.hints.map((h) => ({ name: h.host, ttl: 518400, type: 'A' as const, data: h.address }));
  }

  private async run(qname: string, qtype: RrType, trace: TraceStep[] | undefined, started: number, depth: number): Promise<Resolution> {
    const answers: Rr[] = [];
    let name = qname;
    let fromCache = true;
    const step = (s: Omit<TraceStep, 't'>): void => {
      trace?.push({ ...s, t: Date.now() - started });
    };
    for (let hops = 0; hops <= MAX_CNAMES; hops++) {
      const hit = this.cache.get(name, qtype);
      if (hit) {
        const what = hit.kind === 'positive' ? hit.rrs.map((r) => `${r.type} ${rdataText(r)}`).join(', ') : hit.kind.toUpperCase();
        step({ kind: 'cache', from: LOCAL_NAME, to: LOCAL_NAME, question: `${name} ${qtype}`, text: `in the cache (TTL ${hit.ttl} s left): ${what}`, skipped: true });
        if (hit.kind === 'positive') return { rcode: 'NOERROR', answers: [...answers, ...hit.rrs], authorities: [], fromCache };
        return { rcode: hit.kind === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR', answers, authorities: [hit.soa], fromCache };
      }
      const cname = qtype === 'CNAME' ? undefined : this.cache.get(name, 'CNAME');
      if (cname?.kind === 'positive' && cname.rrs[0].type === 'CNAME') {
        step({ kind: 'cache', from: LOCAL_NAME, to: LOCAL_NAME, question: `${name} ${qtype}`, text: `in the cache (TTL ${cname.ttl} s left): ${name} is an alias of ${cname.rrs[0].data}`, skipped: true });
        answers.push(cname.rrs[0]);
        name = cname.rrs[0].data;
        continue;
      }
      fromCache = false;
      const r = await this.iterate(name, qtype, step, started, depth, trace);
      if (r.rcode !== 'NOERROR' || r.answers.length === 0) return { ...r, answers: [...answers, ...r.answers], fromCache };
      answers.push(...r.answers);
      // the reply may end in a CNAME whose target it did not answer: go on from there
      const last = chainEnd(r.answers, name);
      if (r.answers.some((a) => a.name === last && a.type === qtype) || last === name) return { rcode: 'NOERROR', answers, authorities: [], fromCache };
      name = last;
    }
    return { rcode: 'SERVFAIL', answers, authorities: [], fromCache, error: `more than ${MAX_CNAMES} CNAMEs in a row` };
  }

  /** The closest zone whose servers the cache knows an address for (the root hints at worst). */
  private closest(name: string): { zone: string; servers: NameServer[]; ns: Rr[] } {
    for (const zone of ancestors(name)) {
      const ns = this.cache.get(zone, 'NS');
      if (ns?.kind !== 'positive') continue;
      const servers: NameServer[] = [];
      for (const rr of ns.rrs) {
        const host = target(rr)!;
        const a = this.cache.get(host, 'A');
        if (a?.kind === 'positive') for (const x of a.rrs) if (x.type === 'A') servers.push({ host, address: x.data });
      }
      if (servers.length) return { zone, servers, ns: ns.rrs };
    }
    return { zone: '', servers: [...this.hints], ns: [] };
  }

  private async iterate(
    name: string,
    qtype: RrType,
    step: (s: Omit<TraceStep, 't'>) => void,
    started: number,
    depth: number,
    trace: TraceStep[] | undefined,
  ): Promise<Resolution> {
    let { zone, servers } = this.closest(name);
    const question = `${name} ${qtype}`;
    if (zone !== '') {
      step({ kind: 'cache', from: LOCAL_NAME, to: LOCAL_NAME, question, text: `servers for ${fqdn(zone)} are in the cache (${servers.map((s) => s.host).join(', ')}): the queries above them are skipped`, skipped: true });
    }
    for (let referrals = 0; referrals < MAX_REFERRALS; referrals++) {
      let reply: Extract<UpstreamReply, { ok: true }> | null = null;
      let server: NameServer | null = null;
      const errors: string[] = [];
      for (const s of servers) {
        step({ kind: 'query', from: LOCAL_NAME, to: s.host, toAddress: s.address, question, text: `${question}? (no recursion)` });
        const r = await this.upstream.query(s, name, qtype, false);
        if (!r.ok) {
          errors.push(`${s.host}: ${r.error}`);
          step({ kind: 'reply', from: s.host, fromAddress: s.address, to: LOCAL_NAME, question, text: `no reply: ${r.error}` });
          continue;
        }
        // the query's capture id is known only now: give it to the step taken above
        const sent = trace?.[trace.length - 1];
        if (sent && sent.kind === 'query' && r.queryMessage !== undefined) sent.message = r.queryMessage;
        if (sent && sent.kind === 'query') sent.transport = r.transport;
        step({
          kind: 'reply',
          from: s.host,
          fromAddress: s.address,
          to: LOCAL_NAME,
          question,
          text: describe(r) + (r.retriedOverTcp ? ' (the UDP reply was truncated: asked again over TCP)' : ''),
          message: r.replyMessage,
          transport: r.transport,
        });
        if (r.rcode === 'NOERROR' || r.rcode === 'NXDOMAIN') {
          reply = r;
          server = s;
          break;
        }
        errors.push(`${s.host}: ${r.rcode}`);
      }
      if (!reply || !server) return { rcode: 'SERVFAIL', answers: [], authorities: [], fromCache: false, error: errors.join('; ') || 'no server to ask' };
      const soa = reply.authorities.find((r) => r.type === 'SOA');
      if (reply.rcode === 'NXDOMAIN') {
        this.cache.put(reply.answers, 'answer');
        const end = chainEnd(reply.answers, name);
        if (soa) this.cache.putNegative(end, '*', soa);
        return { rcode: 'NXDOMAIN', answers: reply.answers, authorities: soa ? [soa] : [], fromCache: false };
      }
      if (reply.answers.length) {
        const relevant = reply.answers.filter((a) => inChain(reply!.answers, name, a.name));
        this.cache.put(relevant, 'answer');
        this.cache.put(reply.additionals.filter((a) => a.type === 'A' || a.type === 'AAAA'), 'glue');
        return { rcode: 'NOERROR', answers: relevant, authorities: [], fromCache: false };
      }
      const ns = reply.authorities.filter((r) => r.type === 'NS');
      const cut = ns[0]?.name;
      if (cut !== undefined && ns.every((r) => r.name === cut) && inZone(name, cut) && cut !== zone && inZone(cut, zone)) {
        this.cache.put(ns, 'referral');
        // glue only for the servers named, and only inside the delegated zone's parent (RFC 2181 §5.4.1)
        const hosts = new Set(ns.map((r) => target(r)!));
        const glue = reply.additionals.filter((a) => (a.type === 'A' || a.type === 'AAAA') && hosts.has(a.name) && inZone(a.name, zone));
        this.cache.put(glue, 'glue');
        zone = cut;
        servers = glue.filter((g) => g.type === 'A').map((g) => ({ host: g.name, address: g.data as string }));
        if (servers.length === 0) servers = await this.addressesOf([...hosts], step, started, depth, trace);
        if (servers.length === 0) return { rcode: 'SERVFAIL', answers: [], authorities: [], fromCache: false, error: `no address for the servers of ${fqdn(cut)}` };
        continue;
      }
      if (soa) {
        this.cache.putNegative(name, qtype, soa);
        return { rcode: 'NOERROR', answers: [], authorities: [soa], fromCache: false };
      }
      return { rcode: 'SERVFAIL', answers: [], authorities: [], fromCache: false, error: `${server.host} gave neither an answer nor a referral closer to ${name}` };
    }
    return { rcode: 'SERVFAIL', answers: [], authorities: [], fromCache: false, error: `more than ${MAX_REFERRALS} referrals` };
  }

  /** A referral without glue: resolve the servers' names first (more steps in the trace). */
  private async addressesOf(hosts: string[], step: (s: Omit<TraceStep, 't'>) => void, started: number, depth: number, trace?: TraceStep[]): Promise<NameServer[]> {
    if (depth >= MAX_DEPTH) return [];
    for (const host of hosts) {
      step({ kind: 'cache', from: LOCAL_NAME, to: LOCAL_NAME, question: `${host} A`, text: `the referral gave no address for ${host}: resolving it first`, skipped: false });
      const r = await this.run(host, 'A', trace, started, depth + 1);
      const found = r.answers.filter((a) => a.type === 'A' && a.name === chainEnd(r.answers, host));
      if (found.length) return found.map((a) => ({ host, address: a.data as string }));
    }
    return [];
  }
}

/** Where a CNAME chain starting at `name` ends, within these records. */
export function chainEnd(rrs: readonly Rr[], name: string): string {
  let n = name;
  for (let i = 0; i < MAX_CNAMES; i++) {
    const c = rrs.find((r) => r.type === 'CNAME' && r.name === n);
    if (!c) return n;
    n = c.data as string;
  }
  return n;
}

/** `owner` is on the CNAME chain that starts at `name`. */
function inChain(rrs: readonly Rr[], name: string, owner: string): boolean {
  let n = name;
  for (let i = 0; i <= MAX_CNAMES; i++) {
    if (n === owner) return true;
    const c = rrs.find((r) => r.type === 'CNAME' && r.name === n);
    if (!c) return false;
    n = c.data as string;
  }
  return false;
}

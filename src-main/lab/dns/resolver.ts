/**
 * The local DNS server's resolution (RFC 1034 §5.3.3; Kurose & Ross Figure 2.19): look in
 * the cache; otherwise start at the closest servers the cache knows (the root, if nothing
 * closer) and follow referrals down — root → TLD → authoritative — asking each without
 * recursion, caching what each reply teaches, following CNAMEs. The sockets are behind
 * `Upstream`; every exchange and every cache hit is written to the trace the resolution
 * view draws.
 */
import type { Rcode } from './authority';
import type { CacheHit, DnsCache } from './cache';
import type { QType } from './codec';
import { ancestors, fqdn, inZone, rdataText, target, type Rr, type RrType } from './records';
import { failure, msg, say, why, type LabText } from '../lab-text';
import { describeText } from './reply-text';
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
  | { ok: false; error: string; errorText?: LabText };

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
  /** `error` as a catalogue message (lab-text-error.ts) */
  errorText?: LabText;
}

const MAX_CNAMES = 8;
const MAX_REFERRALS = 16;
/** how deep sub-resolutions (a server's address, for a referral without glue) may nest */
const MAX_DEPTH = 3;
/** queries one resolution may send, sub-resolutions included (unbound's max-sent-count idea) */
const MAX_QUERIES = 48;
export const LOCAL_NAME = 'local DNS server';

/** One resolution's walk: its trace, how deep it is nested, and what bounds it. */
interface Walk {
  trace: TraceStep[] | undefined;
  started: number;
  /** 0 for the client's question; 1 and more inside sub-resolutions */
  depth: number;
  /** the server names being resolved by the walks above this one (a loop ends here) */
  chain: readonly string[];
  /** shared by a resolution and its sub-resolutions */
  budget: { queries: number };
  /** the walk goes on from a referral just received (not from the cache): no skipped steps */
  continued?: boolean;
}

type Step = (s: Omit<TraceStep, 't' | 'depth'>) => void;

export class Resolver {
  private inflight = new Map<string, Promise<Resolution>>();

  constructor(
    private cache: DnsCache,
    private upstream: Upstream,
    private hints: readonly NameServer[],
  ) {}

  /** Resolve with the cache and the upstream; `trace` collects the steps when given. */
  resolve(name: string, type: RrType, trace?: TraceStep[], started = Date.now()): Promise<Resolution> {
    const walk: Walk = { trace, started, depth: 0, chain: [], budget: { queries: 0 } };
    if (trace) return this.run(name, type, walk);
    // a storm of the same question costs one resolution
    const key = `${name}|${type}`;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const p = this.run(name, type, walk).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /**
   * Go on iteratively from a referral just received (the resolution view's recursive chain
   * stopped at a referral without glue): cache it, and walk on from the zone it names.
   */
  continueFrom(referral: { ns: Rr[]; additionals: Rr[] }, name: string, type: RrType, trace: TraceStep[], started: number): Promise<Resolution> {
    this.cache.put(referral.ns, 'referral');
    const hosts = new Set(referral.ns.map((r) => target(r)!));
    this.cache.put(referral.additionals.filter((a) => a.type === 'A' && hosts.has(a.name)), 'glue');
    return this.run(name, type, { trace, started, depth: 0, chain: [], budget: { queries: 0 }, continued: true });
  }

  /**
   * The server a recursive query goes to first (the resolution view's recursive mode): one
   * of the closest zone's whose addresses are cached, the root's at worst; the exchanges
   * above it are written to `trace` as skipped, as the iterative walk writes them.
   */
  firstServer(name: string, question: string, trace: TraceStep[], started: number): NameServer {
    const { zone, servers } = this.closest(name);
    if (zone === '' || servers.length === 0) return this.hints[0];
    this.skippedPath(zone, question, (s) => trace.push({ ...s, t: Date.now() - started }));
    return servers[0];
  }

  /** For a client asking without recursion: what the cache holds, else the closest referral. */
  fromCache(name: string, type: RrType): Resolution | { referral: { ns: Rr[]; glue: Rr[] } } {
    const hit = this.cachedAnswer(name, type);
    if (hit?.kind === 'positive') return { rcode: 'NOERROR', answers: hit.rrs, authorities: [], fromCache: true };
    if (hit) return { rcode: hit.kind === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR', answers: [], authorities: [hit.soa], fromCache: true };
    const cname = type === 'CNAME' ? undefined : this.cache.get(name, 'CNAME');
    if (cname?.kind === 'positive') return { rcode: 'NOERROR', answers: cname.rrs, authorities: [], fromCache: true };
    const { zone, servers, ns } = this.closest(name);
    const glue = servers.map((s) => ({ name: s.host, ttl: ns[0]?.ttl ?? 518400, type: 'A' as const, data: s.address }));
    return { referral: { ns: ns.length ? ns : this.hintNs(), glue: zone === '' && !ns.length ? this.hintGlue() : glue } };
  }

  /**
   * What the cache may answer a question with: records learnt as answers, and negative
   * answers. Glue and referrals help the walk, but are never handed out as answers: they
   * came from servers not authoritative for them (RFC 2181 §5.4.1).
   */
  private cachedAnswer(name: string, type: RrType): CacheHit | undefined {
    const hit = this.cache.get(name, type);
    return hit?.kind === 'positive' && hit.source !== 'answer' ? undefined : hit;
  }

  private hintNs(): Rr[] {
    return this.hints.map((h) => ({ name: '', ttl: 518400, type: 'NS' as const, data: h.host }));
  }

  private hintGlue(): Rr[] {
    return this.hints.map((h) => ({ name: h.host, ttl: 518400, type: 'A' as const, data: h.address }));
  }

  private async run(qname: string, qtype: RrType, walk: Walk): Promise<Resolution> {
    const answers: Rr[] = [];
    let name = qname;
    let fromCache = true;
    const step: Step = (s) => {
      walk.trace?.push({ ...s, ...(walk.depth ? { depth: walk.depth } : {}), t: Date.now() - walk.started });
    };
    for (let hops = 0; hops <= MAX_CNAMES; hops++) {
      const hit = this.cachedAnswer(name, qtype);
      if (hit) {
        const what = hit.kind === 'positive' ? hit.rrs.map((r) => `${r.type} ${rdataText(r)}`).join(', ') : hit.kind.toUpperCase();
        step({ kind: 'cache', from: LOCAL_NAME, to: LOCAL_NAME, question: `${name} ${qtype}`, ...say(msg('dnsLab.step.cached', { ttl: hit.ttl, what })), skipped: true });
        if (hit.kind === 'positive') return { rcode: 'NOERROR', answers: [...answers, ...hit.rrs], authorities: [], fromCache };
        return { rcode: hit.kind === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR', answers, authorities: [hit.soa], fromCache };
      }
      const cname = qtype === 'CNAME' ? undefined : this.cache.get(name, 'CNAME');
      if (cname?.kind === 'positive' && cname.rrs[0].type === 'CNAME') {
        step({ kind: 'cache', from: LOCAL_NAME, to: LOCAL_NAME, question: `${name} ${qtype}`, ...say(msg('dnsLab.step.cachedAlias', { ttl: cname.ttl, name, target: `${cname.rrs[0].data}` })), skipped: true });
        answers.push(cname.rrs[0]);
        name = cname.rrs[0].data;
        continue;
      }
      fromCache = false;
      const r = await this.iterate(name, qtype, step, walk);
      if (r.rcode !== 'NOERROR' || r.answers.length === 0) return { ...r, answers: [...answers, ...r.answers], fromCache };
      answers.push(...r.answers);
      // the reply may end in a CNAME whose target it did not answer: go on from there
      const last = chainEnd(r.answers, name);
      if (r.answers.some((a) => a.name === last && a.type === qtype) || last === name) return { rcode: 'NOERROR', answers, authorities: [], fromCache };
      name = last;
    }
    return { rcode: 'SERVFAIL', answers, authorities: [], fromCache, ...failure(msg('dnsLab.error.cnames', { n: MAX_CNAMES })) };
  }

  /**
   * The closest enclosing zone whose servers the cache knows (RFC 1034 §5.3.3 step 2): with
   * their addresses, or — when only servers named outside the zone are known — their names,
   * to be resolved first. A zone whose servers are all inside it and without an address
   * needs its parent's glue: the walk starts above it. The root hints at worst.
   */
  private closest(name: string): { zone: string; servers: NameServer[]; ns: Rr[]; hosts: string[] } {
    for (const zone of ancestors(name)) {
      const ns = this.cache.get(zone, 'NS');
      if (ns?.kind !== 'positive') continue;
      const servers: NameServer[] = [];
      const hosts = ns.rrs.map((rr) => target(rr)!);
      for (const host of hosts) {
        const a = this.cache.get(host, 'A');
        if (a?.kind === 'positive') for (const x of a.rrs) if (x.type === 'A') servers.push({ host, address: x.data });
      }
      if (servers.length) return { zone, servers, ns: ns.rrs, hosts };
      const outside = hosts.filter((h) => !inZone(h, zone));
      if (outside.length && zone !== '') return { zone, servers, ns: ns.rrs, hosts: outside };
    }
    return { zone: '', servers: [...this.hints], ns: [], hosts: this.hints.map((h) => h.host) };
  }

  /**
   * The walk starts at a zone below the root: the exchanges above it are not sent, because
   * their referrals are in the cache. Each is written to the trace as a skipped query and
   * reply, so the view keeps the textbook's numbering (Figure 2.19's steps 2 and 3 greyed
   * when the TLD's servers are known).
   */
  private skippedPath(zone: string, question: string, step: Step): void {
    const cuts = ancestors(zone).reverse().filter((z) => z !== '' && (z === zone || this.cache.get(z, 'NS')?.kind === 'positive'));
    let asked: { host: string; address?: string } = this.hints[0];
    for (const cut of cuts) {
      const ns = this.cache.get(cut, 'NS');
      if (ns?.kind !== 'positive') continue;
      const hosts = ns.rrs.map((r) => target(r)!);
      const glue = hosts.flatMap((h) => {
        const a = this.cache.get(h, 'A');
        return a?.kind === 'positive' ? a.rrs.map((x) => ({ host: h, address: x.data as string })) : [];
      });
      const to = { to: asked.host, ...(asked.address ? { toAddress: asked.address } : {}) };
      const from = { from: asked.host, ...(asked.address ? { fromAddress: asked.address } : {}) };
      step({ kind: 'query', from: LOCAL_NAME, ...to, question, ...say(msg('dnsLab.step.notSent', { question })), skipped: true });
      const p = { ttl: ns.ttl, zone: fqdn(cut), ns: ns.rrs.map(rdataText).join(', ') };
      const said = glue.length
        ? msg('dnsLab.step.cachedReferralGlue', { ...p, glue: glue.map((g) => `${g.host} ${g.address}`).join(', ') })
        : msg('dnsLab.step.cachedReferral', p);
      step({ kind: 'reply', ...from, to: LOCAL_NAME, question, ...say(said), skipped: true });
      asked = glue[0] ?? { host: hosts[0] };
    }
  }

  private async iterate(name: string, qtype: RrType, step: Step, walk: Walk): Promise<Resolution> {
    let { zone, servers, hosts } = this.closest(name);
    const question = `${name} ${qtype}`;
    if (zone !== '' && !walk.continued) this.skippedPath(zone, question, step);
    walk.continued = false;
    if (servers.length === 0) {
      const found = await this.addressesOf(hosts, zone, question, step, walk);
      if ('error' in found) return { rcode: 'SERVFAIL', answers: [], authorities: [], fromCache: false, ...found };
      servers = found.servers;
    }
    for (let referrals = 0; referrals < MAX_REFERRALS; referrals++) {
      let reply: Extract<UpstreamReply, { ok: true }> | null = null;
      let server: NameServer | null = null;
      const errors: LabText[] = [];
      for (const s of servers) {
        if (walk.budget.queries++ >= MAX_QUERIES) return { rcode: 'SERVFAIL', answers: [], authorities: [], fromCache: false, ...failure(msg('dnsLab.error.gaveUp', { n: MAX_QUERIES })) };
        step({ kind: 'query', from: LOCAL_NAME, to: s.host, toAddress: s.address, question, ...say(msg('dnsLab.step.query', { question })) });
        const r = await this.upstream.query(s, name, qtype, false);
        if (!r.ok) {
          errors.push(msg('dnsLab.error.server', { host: s.host, error: why(r) }));
          step({ kind: 'reply', from: s.host, fromAddress: s.address, to: LOCAL_NAME, question, ...say(msg('dnsLab.step.noReply', { error: why(r) })) });
          continue;
        }
        // the query's capture id is known only now: give it to the step taken above
        const sent = walk.trace?.[walk.trace.length - 1];
        if (sent && sent.kind === 'query' && r.queryMessage !== undefined) sent.message = r.queryMessage;
        if (sent && sent.kind === 'query') sent.transport = r.transport;
        step({
          kind: 'reply',
          from: s.host,
          fromAddress: s.address,
          to: LOCAL_NAME,
          question,
          ...say(r.retriedOverTcp ? msg('dnsLab.reply.truncated', { reply: describeText(r) }) : describeText(r)),
          message: r.replyMessage,
          transport: r.transport,
        });
        if (r.rcode === 'NOERROR' || r.rcode === 'NXDOMAIN') {
          reply = r;
          server = s;
          break;
        }
        errors.push(msg('dnsLab.error.server', { host: s.host, error: `${r.rcode}` }));
      }
      if (!reply || !server) return { rcode: 'SERVFAIL', answers: [], authorities: [], fromCache: false, ...failure(listed(errors) ?? msg('dnsLab.error.noServer')) };
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
        // addresses in the additional section only from inside the zone this server serves (RFC 2181 §5.4.1)
        this.cache.put(reply.additionals.filter((a) => (a.type === 'A' || a.type === 'AAAA') && inZone(a.name, zone)), 'glue');
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
        if (servers.length === 0) {
          const found = await this.addressesOf([...hosts], cut, question, step, walk);
          if ('error' in found) return { rcode: 'SERVFAIL', answers: [], authorities: [], fromCache: false, ...found };
          servers = found.servers;
        }
        continue;
      }
      if (soa) {
        this.cache.putNegative(name, qtype, soa);
        return { rcode: 'NOERROR', answers: [], authorities: [soa], fromCache: false };
      }
      return { rcode: 'SERVFAIL', answers: [], authorities: [], fromCache: false, ...failure(msg('dnsLab.error.noProgress', { host: server.host, name })) };
    }
    return { rcode: 'SERVFAIL', answers: [], authorities: [], fromCache: false, ...failure(msg('dnsLab.error.referrals', { n: MAX_REFERRALS })) };
  }

  /**
   * A referral without glue (its servers are named outside the zone that referred, as
   * real domains often are): resolve a server's name first — a resolution of its own,
   * cached like any other, nested at most MAX_DEPTH deep and never through a name already
   * being resolved — then the walk goes on at the referred zone.
   */
  private async addressesOf(hosts: string[], cut: string, question: string, step: Step, walk: Walk): Promise<{ servers: NameServer[] } | { error: string; errorText: LabText }> {
    const notFound: LabText[] = [];
    for (const host of hosts) {
      if (walk.chain.includes(host)) {
        notFound.push(msg('dnsLab.error.loop', { host }));
        continue;
      }
      if (walk.depth >= MAX_DEPTH) {
        notFound.push(msg('dnsLab.error.nested', { host, n: MAX_DEPTH }));
        continue;
      }
      step({ kind: 'cache', from: LOCAL_NAME, to: LOCAL_NAME, question: `${host} A`, ...say(msg('dnsLab.step.noGlue', { zone: fqdn(cut), host })), skipped: false });
      const sub: Walk = { ...walk, depth: walk.depth + 1, chain: [...walk.chain, host] };
      const r = await this.run(host, 'A', sub);
      const found = r.answers.filter((a) => a.type === 'A' && a.name === chainEnd(r.answers, host));
      if (found.length) {
        step({ kind: 'cache', from: LOCAL_NAME, to: LOCAL_NAME, question, ...say(msg('dnsLab.step.glueFound', { host, addresses: found.map((a) => a.data).join(', '), question, zone: fqdn(cut) })), skipped: false });
        return { servers: found.map((a) => ({ host, address: a.data as string })) };
      }
      notFound.push(msg('dnsLab.error.server', { host, error: r.error !== undefined ? why({ error: r.error, errorText: r.errorText }) : r.rcode }));
    }
    // the first server's story in full, the others counted (a tree of failures can be large)
    const zone = fqdn(cut);
    const said =
      notFound.length > 2
        ? msg('dnsLab.error.noAddressMore', { zone, why: notFound[0], n: notFound.length - 1 })
        : msg(notFound.length === 2 ? 'dnsLab.error.noAddressMoreOne' : 'dnsLab.error.noAddress', { zone, why: notFound[0] });
    const spent = walk.depth === 0 && walk.budget.queries >= MAX_QUERIES;
    return failure(spent ? msg('dnsLab.error.andGaveUp', { error: said, n: MAX_QUERIES }) : said);
  }
}

/** Several servers' failures in one message, `; ` between them (none: null). */
function listed(errors: readonly LabText[]): LabText | null {
  if (errors.length === 0) return null;
  return errors.slice(0, -1).reduceRight((rest, first) => msg('dnsLab.error.list', { first, rest }), errors[errors.length - 1]);
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

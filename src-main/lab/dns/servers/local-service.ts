/**
 * The local DNS server (Kurose & Ross §2.4.2): the server a host's resolver asks. It answers
 * recursively when the query asks for recursion (RD), walking the hierarchy iteratively
 * itself (Figure 2.19), caching what it learns; a client asking without recursion gets what
 * the cache holds, or the closest referral it knows. Replies it has built are kept as bytes,
 * so a cache hit is answered by copying them with the client's id and question and the
 * TTLs aged — no decoding, no encoding.
 */
import { DnsCache } from '../cache';
import { EDNS_VERSION, isMetaType, quickQuestion, RD, ttlOffsets, type Query, type QuickQuestion } from '../codec';
import { ROOT_HINTS, type HierarchyServer } from '../hierarchy';
import { fqdn, rdataText, RR_TYPES, type RrType } from '../records';
import { LOCAL_NAME, Resolver, type Resolution } from '../resolver';
import { describeText } from '../reply-text';
import { msg, say } from '../../lab-text';
import type { ServiceContext } from '../../services/service';
import { DnsServerService, type Asker, type Flow, type Reply } from './dns-server';
import type { DnsShared, TracedResolution } from './shared';
import { LabUpstream } from './upstream';

const KNOWN = new Set<string>(RR_TYPES);
const MAX_FAST = 20_000;

interface FastReply {
  bytes: Buffer;
  offsets: number[];
  ttls: number[];
  stored: number;
  expires: number;
  epoch: number;
  summary: string;
}

export class LocalDnsService extends DnsServerService {
  readonly id: string;
  readonly name = 'DNS local server';
  readonly description: string;
  readonly cache = new DnsCache();
  private resolver: Resolver;
  private upstream: LabUpstream;
  /** kept replies by question (quickQuestion's key), for queries without an OPT record, with one, with one and DO set */
  private fast = [new Map<string, FastReply>(), new Map<string, FastReply>(), new Map<string, FastReply>()];
  /** bumped by a flush or a zone change: every kept reply is stale */
  private epoch = 0;

  constructor(ctx: ServiceContext, port: number, shared: DnsShared, server: HierarchyServer) {
    super(ctx, port, shared);
    this.id = server.id;
    this.description = `${server.description}; UDP and TCP`;
    this.hostName = server.host;
    this.upstream = new LabUpstream(ctx, shared, { clientName: LOCAL_NAME });
    this.resolver = new Resolver(this.cache, this.upstream, ROOT_HINTS);
  }

  flush(name?: string): number {
    this.epoch++;
    for (const m of this.fast) m.clear();
    return this.cache.flush(name);
  }

  protected override recursionAvailable(): boolean {
    return true;
  }

  protected async answer(q: Query, asker: Asker): Promise<Reply> {
    const none = { answers: [], authorities: [], additionals: [] };
    if (q.class !== 'IN') return { rcode: 'REFUSED', aa: false, ...none, kind: 'refused', ra: true };
    if (isMetaType(q.type)) {
      this.ctx.store.note(asker.conn, 'none', `${q.type} asks for no data of its own (a meta-type): the local server does not resolve it, NOTIMP`);
      return { rcode: 'NOTIMP', aa: false, ...none, kind: 'refused', ra: true };
    }
    // a type the lab holds no records of (SRV, HTTPS, CAA, DS …) is still resolved: the
    // hierarchy's servers say whether the name exists, NODATA or NXDOMAIN (RFC 8906 §3.1.4)
    if (!KNOWN.has(q.type)) this.ctx.store.note(asker.conn, 'none', `${q.type}: the lab's zones hold no records of this type; the walk finds out whether ${q.name || '.'} exists (NODATA) or not (NXDOMAIN)`);
    const type = q.type as RrType;
    if (!q.rd) {
      const r = this.resolver.fromCache(q.name, type);
      if ('referral' in r) return { rcode: 'NOERROR', aa: false, answers: [], authorities: r.referral.ns, additionals: r.referral.glue, kind: 'referral', ra: true };
      return { ...this.sections(r), ra: true };
    }
    const traced = this.shared.traced.get(asker.port);
    const r = traced ? await this.traced(q.name, type, traced) : await this.resolver.resolve(q.name, type);
    if (r.error) this.ctx.store.note(asker.conn, 'none', `resolution failed: ${r.error}`);
    if (r.error && traced) {
      traced.error = r.error;
      traced.errorText = r.errorText;
    }
    return { ...this.sections(r), ra: true };
  }

  private sections(r: Resolution): Omit<Reply, 'ra'> {
    const kind = r.rcode === 'NXDOMAIN' ? 'nxdomain' : r.answers.length ? 'answer' : 'nodata';
    return { rcode: r.rcode, aa: false, answers: r.answers, authorities: r.authorities, additionals: [], kind };
  }

  /** A resolution the view traces: its own cache copy, iterative or recursive. */
  private async traced(name: string, type: RrType, t: TracedResolution): Promise<Resolution> {
    if (t.mode === 'iterative') return new Resolver(t.cache, this.upstream, ROOT_HINTS).resolve(name, type, t.trace, t.started);
    const hit = t.cache.get(name, type);
    const step = { from: LOCAL_NAME, question: `${name} ${type}` };
    if (hit) {
      t.trace.push({ ...step, kind: 'cache', to: LOCAL_NAME, ...say(msg('dnsLab.step.cachedHit', { ttl: hit.ttl })), skipped: true, t: Date.now() - t.started });
      if (hit.kind === 'positive') return { rcode: 'NOERROR', answers: hit.rrs, authorities: [], fromCache: true };
      return { rcode: hit.kind === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR', answers: [], authorities: [hit.soa], fromCache: true };
    }
    // the root, or the closest servers the cache knows (the queries above them skipped)
    const first = new Resolver(t.cache, this.upstream, ROOT_HINTS).firstServer(name, step.question, t.trace, t.started);
    const upstream = new LabUpstream(this.ctx, this.shared, { clientName: LOCAL_NAME, onPort: (p) => this.shared.traced.set(p, t) });
    const sent = { ...step, kind: 'query' as const, to: first.host, toAddress: first.address, ...say(msg('dnsLab.step.queryRecursive', { question: `${name} ${type}` })), t: Date.now() - t.started, message: undefined as number | undefined };
    t.trace.push(sent);
    const r = await upstream.query(first, name, type, true);
    if (!r.ok) return { rcode: 'SERVFAIL', answers: [], authorities: [], fromCache: false, error: r.error, errorText: r.errorText };
    sent.message = r.queryMessage;
    t.trace.push({ kind: 'reply', from: first.host, fromAddress: first.address, to: LOCAL_NAME, question: step.question, ...say(describeText(r)), message: r.replyMessage, transport: r.transport, t: Date.now() - t.started });
    const soa = r.authorities.find((x) => x.type === 'SOA');
    const ns = r.authorities.filter((x) => x.type === 'NS');
    if (r.rcode === 'NOERROR' && r.answers.length === 0 && ns.length && !soa) {
      // a server in the chain could not go on (a referral without glue): carry on iteratively
      t.trace.push({ kind: 'cache', from: LOCAL_NAME, to: LOCAL_NAME, question: step.question, ...say(msg('dnsLab.step.chainStopped', { zone: fqdn(ns[0].name) })), t: Date.now() - t.started });
      return new Resolver(t.cache, this.upstream, ROOT_HINTS).continueFrom({ ns, additionals: r.additionals }, name, type, t.trace, t.started);
    }
    if (r.rcode === 'NXDOMAIN' && soa) t.cache.putNegative(name, '*', soa);
    else if (r.answers.length) t.cache.put(r.answers, 'answer');
    else if (soa) t.cache.putNegative(name, type, soa);
    const rcode = r.rcode === 'NXDOMAIN' || r.rcode === 'NOERROR' ? r.rcode : 'SERVFAIL';
    return { rcode, answers: r.answers, authorities: soa ? [soa] : [], fromCache: false };
  }

  // ---------- answering cache hits from bytes ----------

  protected override replied(q: Query, asker: Asker, bytes: Buffer, s: Reply, query: Buffer): void {
    if (!q.rd || asker.transport !== 'udp' || bytes.length > 512 || this.shared.traced.has(asker.port)) return;
    if (s.rcode !== 'NOERROR' && s.rcode !== 'NXDOMAIN') return;
    const ttls = [...s.answers, ...s.authorities].map((r) => r.ttl);
    const qq = quickQuestion(query);
    const fast = qq && this.fastMap(qq);
    if (ttls.length === 0 || !qq || !fast) return;
    const now = Date.now();
    const offsets = ttlOffsets(bytes);
    const copy = Buffer.from(bytes);
    if (fast.size >= MAX_FAST) fast.delete(fast.keys().next().value as string);
    fast.set(qq.key, {
      bytes: copy,
      offsets,
      ttls: offsets.map((o) => copy.readUInt32BE(o)),
      stored: now,
      expires: now + Math.min(...ttls) * 1000,
      epoch: this.epoch,
      summary: `${s.rcode === 'NXDOMAIN' ? ' No such name' : ''} ${q.type} ${q.name}${s.answers.length ? ` ${s.answers.slice(0, 4).map((a) => `${a.type} ${rdataText(a)}`).join(' ')}` : ''}`,
    });
  }

  /** Where replies to queries like this one are kept; none for an unusual one (decoded in full). */
  private fastMap(qq: QuickQuestion): Map<string, FastReply> | null {
    if (qq.arcount === 0) return this.fast[0];
    if (qq.arcount > 1 || !qq.opt || qq.opt.version !== EDNS_VERSION) return null;
    return this.fast[qq.opt.do ? 2 : 1];
  }

  /** A cache hit from the bytes: the kept reply with the client's id and question, TTLs aged. */
  protected override fastUdp(msg: Buffer, flow: Flow): boolean {
    const qq = quickQuestion(msg);
    const fast = qq && this.fastMap(qq);
    if (!qq || !fast || qq.qclass !== 1 || !(qq.flags & RD)) return false;
    const e = fast.get(qq.key);
    if (!e) return false;
    const now = Date.now();
    if (e.expires <= now || e.epoch !== this.epoch || this.shared.traced.has(flow.port)) {
      if (e.expires <= now || e.epoch !== this.epoch) fast.delete(qq.key);
      return false;
    }
    const out = Buffer.allocUnsafe(e.bytes.length);
    e.bytes.copy(out);
    out.writeUInt16BE(qq.id, 0);
    msg.copy(out, 12, 12, qq.end); // the question as the client wrote it
    const elapsed = Math.floor((now - e.stored) / 1000);
    for (let i = 0; i < e.offsets.length; i++) out.writeUInt32BE(Math.max(0, e.ttls[i] - elapsed), e.offsets[i]);
    // summaries are worked out only if someone looks at the message (the query's by its decoder)
    const recorded = this.ctx.store.record({ conn: flow.conn, dir: 'c2s', kind: 'message', bytes: msg });
    if (recorded !== null) this.shared.recorded(flow.port, qq.id, 'query', recorded);
    this.sendUdp(flow, out, () => `Standard query response 0x${qq.id.toString(16).padStart(4, '0')}${e.summary} (from cache)`);
    return true;
  }
}

/**
 * A server of the hierarchy: the root, a TLD server, or a domain's authoritative server.
 * It answers from its zones only (no recursion, RA clear), and registers a route from its
 * virtual address(es), port 53, to its loopback port so resolvers reach it by address.
 *
 * For the resolution view's recursive mode (Kurose & Ross Figure 2.20) it grants recursion
 * to the lab's traced resolutions only: instead of returning a referral it asks the server
 * it would refer to, and returns that server's answer.
 */
import { Authority, type Sections } from '../authority';
import type { Query } from '../codec';
import { RR_TYPES, type RrType } from '../records';
import type { HierarchyServer } from '../hierarchy';
import { describeText } from '../reply-text';
import { msg, say, why } from '../../lab-text';
import type { Zone } from '../zone-parser';
import type { ServiceContext } from '../../services/service';
import { DnsServerService, type Asker, type Reply } from './dns-server';
import type { DnsShared } from './shared';
import { LabUpstream } from './upstream';

const KNOWN = new Set<string>(RR_TYPES);

export class AuthoritativeDnsService extends DnsServerService {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  private authority = new Authority([]);
  private unroute: (() => void)[] = [];
  /** a server that picks among its answers (a CDN's: the cluster closest to the asker, video/cdn.ts) */
  pick: ((s: Sections, asker: Asker) => Sections) | undefined;

  constructor(
    ctx: ServiceContext,
    port: number,
    shared: DnsShared,
    readonly server: HierarchyServer,
  ) {
    super(ctx, port, shared);
    this.id = server.id;
    this.name = `DNS ${server.role === 'root' ? 'root' : server.role === 'tld' ? `TLD ${server.zones.join(' ')}` : server.zones[0]}`;
    this.description = `${server.description}; UDP and TCP; ${server.addresses.join(', ')} port 53 in the lab`;
  }

  /** New zone data takes effect at once, for the next query. */
  setZones(zones: Zone[]): void {
    this.authority = new Authority(zones);
  }

  protected override listening(): void {
    this.unroute = this.server.addresses.map((virtualAddress) =>
      this.ctx.internet.addRoute({ virtualAddress, virtualPort: 53, realPort: this.port, service: this.id }),
    );
  }

  protected override stopped(): void {
    for (const u of this.unroute) u();
    this.unroute = [];
  }

  protected async answer(q: Query, asker: Asker): Promise<Reply> {
    if (q.class !== 'IN') return { rcode: 'REFUSED', aa: false, answers: [], authorities: [], additionals: [], kind: 'refused', ra: false };
    const type = (KNOWN.has(q.type) || q.type === 'ANY' ? q.type : 'TXT') as RrType | 'ANY';
    const found = KNOWN.has(q.type) || q.type === 'ANY' ? this.authority.answer(q.name, type) : this.unknownType(q.name);
    const s = this.pick && found.kind === 'answer' ? this.pick(found, asker) : found;
    const traced = this.shared.traced.get(asker.port);
    if (s.kind === 'referral' && q.rd && traced && asker.transport === 'udp') return this.forward(q, s, traced);
    return { ...s, ra: false };
  }

  /** A type the lab does not serve: the name's existence still decides NXDOMAIN or NODATA. */
  private unknownType(name: string): Sections {
    const s = this.authority.answer(name, 'TXT');
    if (s.kind !== 'answer') return s;
    const zone = this.authority.zoneFor(name)!;
    return { rcode: 'NOERROR', aa: true, answers: [], authorities: [zone.negativeSoa()], additionals: [], kind: 'nodata' };
  }

  /** Recursive mode: ask the next server down ourselves (Figure 2.20's steps 3-6). */
  private async forward(q: Query, referral: Sections, traced: NonNullable<ReturnType<DnsShared['traced']['get']>>): Promise<Reply> {
    const ns = referral.authorities.find((r) => r.type === 'NS');
    const host = ns?.type === 'NS' ? ns.data : undefined;
    const glue = referral.additionals.find((r) => r.type === 'A' && r.name === host) ?? referral.additionals.find((r) => r.type === 'A');
    if (!host || !glue || glue.type !== 'A') return { ...referral, ra: false };
    const next = { host: glue.name, address: glue.data };
    const upstream = new LabUpstream(this.ctx, this.shared, { clientName: this.server.host, onPort: (p) => this.shared.traced.set(p, traced) });
    const question = `${q.name} ${q.type}`;
    const me = { name: this.server.host, address: this.server.addresses[0] };
    const sent = { kind: 'query' as const, from: me.name, fromAddress: me.address, to: next.host, toAddress: next.address, question, ...say(msg('dnsLab.step.queryRecursive', { question })), t: Date.now() - traced.started, message: undefined as number | undefined, transport: 'udp' as 'udp' | 'tcp' };
    traced.trace.push(sent);
    const r = await upstream.query(next, q.name, q.type as RrType, true);
    if (!r.ok) {
      traced.trace.push({ kind: 'reply', from: next.host, fromAddress: next.address, to: me.name, question, ...say(msg('dnsLab.step.noReply', { error: why(r) })), t: Date.now() - traced.started });
      return { rcode: 'SERVFAIL', aa: false, answers: [], authorities: [], additionals: [], kind: 'refused', ra: true };
    }
    sent.message = r.queryMessage;
    sent.transport = r.transport;
    traced.trace.push({ kind: 'reply', from: next.host, fromAddress: next.address, to: me.name, question, ...say(describeText(r)), message: r.replyMessage, transport: r.transport, t: Date.now() - traced.started });
    const rcode = (['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED', 'FORMERR', 'NOTIMP'].includes(r.rcode) ? r.rcode : 'SERVFAIL') as Reply['rcode'];
    return { rcode, aa: false, answers: r.answers, authorities: r.authorities, additionals: r.additionals, kind: 'answer', ra: true };
  }
}

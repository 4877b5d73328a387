/**
 * The SIP registrars and proxies in the services rail: one proxy per lab mail domain
 * (crepes.fr's, hamburger.edu's …, see DomainProxy), each on its own UDP socket and TCP
 * listener (one port) to which the lab internet routes its domain's address at :5060
 * (`nc -u crepes.fr 5060` in the lab terminal; proxies forward to each other over UDP or TCP,
 * see sip-transport.ts), and one front door, UDP and TCP on the lab's :5060 (127.0.0.1 and ::1), where
 * UAs and real clients send everything: each message there goes to the proxy of the caller's
 * domain (pickProxy), the UA's outbound proxy. What comes in is parsed by the pure codec first:
 * a malformed request gets 400 with the reason, bytes that are no SIP at all are dropped with
 * a note, and the service keeps serving.
 */
import type dgram from 'node:dgram';
import { LinkDirection, later } from '../link/link';
import { listenAddresses } from '../services/addresses';
import { LabService, type ServiceContext } from '../services/service';
import { bigBuffers, UdpSockets } from '../services/udp-sockets';
import { UdpFlows, type Flow } from '../services/udp-flows';
import { MailDirectory } from '../mail/users';
import { encodeSip, parseSip, responseTo, type Parsed } from './sip-message';
import type { Hop, SipSource } from './sip-proxy';
import { DomainProxy, pickProxy } from './sip-domain-proxy';
import { LocationService } from './sip-registrar';
import { LAB_TIMERS, type SipTimers } from './sip-transactions';
import { SipTcpEnd } from './sip-tcp';
import type { Transport } from './sip-transport';
import './sip-decoder';
import './rtp-decoder';

export const SIP_PORT = 5060;
const UDP_BUFFER = 4 * 1024 * 1024;

export class SipService extends LabService {
  readonly id = 'sip';
  readonly name = 'SIP proxy';
  readonly protocol = 'sip';
  readonly transport = 'udp' as const;
  override readonly alsoTcp = true;
  readonly description = 'SIP registrar and proxy for the lab domains (P&D ch. 9): REGISTER, INVITE/ACK/BYE/CANCEL, Via and Record-Route';
  /** one proxy per lab domain, and the location service they share (the VoIP tab shows it) */
  proxies: DomainProxy[] = [];
  location: LocationService | null = null;
  private udp: UdpSockets | null = null;
  private tcp: SipTcpEnd | null = null;
  private flows = new UdpFlows(this.ctx, this);
  private inbound = new LinkDirection(() => this.link);
  private outbound = new LinkDirection(() => this.link);
  private unroute: (() => void)[] = [];
  private watchers = new Set<() => void>();
  private timers: SipTimers = LAB_TIMERS;

  constructor(ctx: ServiceContext, port: number) {
    super(ctx, port);
    // the proxy names its own end in the capture: the ladder, the flow graph and pcapng read it
    this.hostName = 'SIP proxy';
  }

  connectionCount(): number {
    return (this.tcp?.connectionCount() ?? 0) + this.proxies.reduce((n, p) => n + p.tcp.connectionCount(), 0);
  }

  /** the transaction timers (tests make T1 short to see Timer B/F fire in a second) */
  setTimers(timers: SipTimers): void {
    this.timers = timers;
    for (const p of this.proxies) p.proxy.txns.timers = timers;
  }

  /** the registrar's bindings changed (the VoIP tab shows them) */
  onBindings(fn: () => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  protected async listen(): Promise<void> {
    const users = MailDirectory.load(this.ctx.resourcesDir).users.map((u) => u.address);
    const location = new LocationService(users);
    this.location = location;
    const wanted = this.port;
    for (let attempt = 0; ; attempt++) {
      try {
        const sockets = new UdpSockets((msg, rinfo) => this.receive(msg, rinfo, null), bigBuffers(UDP_BUFFER));
        this.udp = sockets;
        this.port = await sockets.bind(wanted, listenAddresses(this.ctx.bindAddress));
        await this.listenTcp(this.port);
        break;
      } catch (err) {
        await this.close();
        if (wanted !== 0 || attempt >= 5) throw err;
      }
    }
    this.addresses = this.udp!.addresses;
    for (const domain of [...location.domains].sort()) {
      const p: DomainProxy = new DomainProxy(
        this.ctx,
        domain,
        location,
        {
          send: (from, hop, bytes, failed) => this.send(from, hop, bytes, failed),
          tcpMessage: (from, parsed, src) => this.handle(parsed, src, from),
          link: () => this.link,
          changed: () => this.changed(),
          resolve: (host, port, prefer) => this.resolve(host, port, prefer),
          isSelf: (host, port): boolean => this.isSelf(p, host, port),
        },
        () => this.port,
      );
      p.proxy.txns.timers = this.timers;
      await p.listen((proxy, msg, rinfo) => this.receive(msg, rinfo, proxy));
      this.proxies.push(p);
      // the domain's own address and its SRV target's (sip.<domain>) at :5060 lead to its proxy
      for (const name of [domain, `sip.${domain}`]) {
        const where = this.ctx.internet.known(name);
        if (where.ok && where.virtualAddress) this.unroute.push(this.ctx.internet.addRoute({ virtualAddress: where.virtualAddress, virtualPort: SIP_PORT, realPort: p.port, service: this.id }));
      }
    }
  }

  /** the front door over TCP: each message to the proxy of the caller's domain, as over UDP */
  private async listenTcp(port: number): Promise<void> {
    const tcp = new SipTcpEnd(this.ctx, {
      service: this.id,
      end: this.ownEnd,
      link: () => this.link,
      message: (p, src) => {
        if (this.proxies.length) this.handle(p, src, p.ok ? pickProxy(this.proxies, this.location!, p.msg) : this.proxies[0]);
      },
      changed: () => this.changed(),
    });
    this.tcp = tcp;
    await tcp.listen(port, listenAddresses(this.ctx.bindAddress));
  }

  /** a request a domain proxy forwards: over its own UDP socket, or over TCP from it (sip-tcp.ts) */
  private send(from: DomainProxy, hop: Hop, bytes: Buffer, failed?: (reason: string) => void): void {
    if (hop.transport === 'udp') return this.sendUdp(from.flow(hop.address, hop.port), bytes, from.socketFor(hop.address));
    // another lab proxy (or the front door) captures what it receives; a phone or sipp does not, so this end does
    const peer = this.proxies.find((p) => p.port === hop.port && hop.address === this.ctx.bindAddress);
    const ours = peer !== undefined || (hop.port === this.port && (hop.address === this.ctx.bindAddress || hop.address === '::1'));
    from.tcp.send(hop.address, hop.port, bytes, !ours, peer?.end).catch((err: unknown) => {
      const reason = (err as Error).message;
      if (failed) failed(reason);
      else this.ctx.store.note(from.flow(hop.address, hop.port).conn, 'none', `not sent over TCP to ${hop.address}:${hop.port}: ${reason}`);
    });
  }

  protected close(): Promise<void> {
    for (const u of this.unroute) u();
    this.unroute = [];
    const waits: Promise<void>[] = this.proxies.map((p) => p.close());
    this.proxies = [];
    if (this.udp) waits.push(this.udp.close());
    if (this.tcp) waits.push(this.tcp.close());
    this.udp = null;
    this.tcp = null;
    this.flows.endAll();
    return Promise.all(waits).then(() => undefined);
  }

  /** is this host and port the domain proxy itself: its domain, its own socket, the front door, a lab name routed to it */
  private isSelf(p: DomainProxy, host: string, port: number | undefined): boolean {
    const h = host.toLowerCase();
    if (h === p.domain) return port === undefined || port === SIP_PORT || port === p.port || port === this.port;
    const n = port ?? SIP_PORT;
    if (h === '127.0.0.1' || h === '::1' || h === 'localhost' || h === this.ctx.bindAddress) return n === p.port || n === this.port;
    if (this.location?.domains.has(h)) return false;
    const known = this.ctx.internet.known(h);
    return known.ok && known.virtualAddress !== undefined && this.ctx.internet.route(known.virtualAddress, n).port === p.port;
  }

  /**
   * RFC 3263 §4.2: a host with no port is looked up as _sip._udp.<host> (SRV, RFC 2782), its
   * target's address then; without SRV records, the host's own A record and port 5060. Real
   * queries to the lab's local DNS server, shown in the inspector (and cached there).
   */
  private async resolve(host: string, port: number | undefined, prefer: Transport): Promise<{ address: string; port: number; transport?: Transport; note?: string } | { error: string }> {
    let name = host;
    let at = port ?? SIP_PORT;
    let how = 'A';
    let transport: Transport | undefined;
    if (port === undefined) {
      // the transport the request came in on first, then the other (RFC 3263 §4.1 leaves the order to the client)
      for (const t of prefer === 'tcp' ? (['tcp', 'udp'] as const) : (['udp', 'tcp'] as const)) {
        const srv = (await this.ctx.internet.srv(`_sip._${t}.${host}`))[0];
        if (!srv) continue;
        name = srv.target;
        at = srv.port;
        transport = t;
        how = `SRV _sip._${t}.${host} → ${srv.target}:${srv.port}, then A`;
        break;
      }
      if (!transport) how = `no SRV for _sip._udp.${host} or _sip._tcp.${host}: A`;
    }
    const d = await this.ctx.internet.dial(name, at);
    if (!d.ok) return { error: d.error };
    const proxy = this.proxies.find((p) => p.port === d.port);
    const what = proxy ? `${proxy.domain}'s SIP proxy` : `${d.address}:${d.port}`;
    return { address: d.address, port: d.port, transport, note: `${host} resolved by lab DNS (${how}) to ${d.virtualAddress ?? d.address}, port ${at}: ${what} (${d.address}:${d.port})${transport ? `, over ${transport.toUpperCase()}` : ''}` };
  }

  // ---------- UDP ----------

  /** a datagram at the front door (proxy null) or at a domain proxy's own socket */
  private receive(msg: Buffer, rinfo: dgram.RemoteInfo, proxy: DomainProxy | null): void {
    // one proxy to another: the service's link is applied once, where the datagram left
    const between = proxy !== null && rinfo.address === this.ctx.bindAddress && this.proxies.some((p) => p.port === rinfo.port);
    const verdict = between ? { deliver: true, afterMs: 0, reason: '' } : this.inbound.datagram(msg.length);
    if (!verdict.deliver) return this.ctx.store.note((proxy?.flows ?? this.flows).get(rinfo.address, rinfo.port).conn, 'c2s', `datagram ${verdict.reason}`, msg);
    if (verdict.afterMs > 0) later(verdict.afterMs, () => this.delivered(msg, rinfo.address, rinfo.port, proxy));
    else this.delivered(msg, rinfo.address, rinfo.port, proxy);
  }

  private delivered(msg: Buffer, address: string, port: number, proxy: DomainProxy | null): void {
    if (!this.udp || !this.proxies.length) return;
    const p = parseSip(msg);
    const to = proxy ?? (p.ok ? pickProxy(this.proxies, this.location!, p.msg) : null);
    const flow = proxy ? proxy.flow(address, port) : to ? to.frontFlows.get(address, port) : this.flows.get(address, port);
    this.ctx.store.record({ conn: flow.conn, dir: 'c2s', kind: 'message', bytes: msg });
    this.handle(p, this.sourceOf(flow, proxy ? proxy.socketFor(address) : this.udp.socketFor(address)), to ?? this.proxies[0]);
  }

  /** one way back per flow and socket, not one per datagram (a transaction keeps its reply) */
  private sources = new WeakMap<Flow, { socket: dgram.Socket | null; src: SipSource }>();

  private sourceOf(flow: Flow, socket: dgram.Socket | null): SipSource {
    const known = this.sources.get(flow);
    if (known && known.socket === socket) return known.src;
    const src: SipSource = {
      transport: 'udp',
      address: flow.address,
      port: flow.port,
      reply: (bytes) => this.sendUdp(flow, bytes, socket),
      note: (text) => this.ctx.store.note(flow.conn, 'none', text),
    };
    this.sources.set(flow, { socket, src });
    return src;
  }

  private sendUdp(flow: Flow, message: Buffer, socket: dgram.Socket | null): void {
    const verdict = this.outbound.datagram(message.length);
    if (!verdict.deliver) return this.ctx.store.note(flow.conn, 's2c', `datagram ${verdict.reason}`, message);
    const sent = (): void => {
      if (!socket || !this.udp) return;
      this.ctx.store.record({ conn: flow.conn, dir: 's2c', kind: 'message', bytes: message });
      socket.send(message, flow.port, flow.address);
    };
    if (verdict.afterMs > 0) later(verdict.afterMs, sent);
    else sent();
  }

  /** one parsed (or refused) message from either transport */
  private handle(p: Parsed, src: SipSource, to: DomainProxy): void {
    if (!p.ok) {
      src.note(`${p.request ? '400' : 'dropped'}: ${p.reason}`);
      if (p.request && p.request.method !== 'ACK') src.reply(encodeSip(responseTo(p.request, 400, p.reason.slice(0, 120))));
      return;
    }
    if (p.msg.kind === 'request') to.proxy.request(p.msg, src);
    else to.proxy.response(p.msg, src);
    if (p.msg.kind === 'request' && p.msg.method === 'REGISTER') for (const w of this.watchers) w();
  }
}

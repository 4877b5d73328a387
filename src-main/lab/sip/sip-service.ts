/**
 * The SIP registrars and proxies in the services rail: one proxy per lab mail domain
 * (crepes.fr's, hamburger.edu's …, see DomainProxy), each on its own UDP socket to which the
 * lab internet routes its domain's address at :5060 (`nc -u crepes.fr 5060` in the lab
 * terminal), and one front door, UDP and TCP on the lab's :5060 (127.0.0.1 and ::1), where
 * UAs and real clients send everything: each message there goes to the proxy of the caller's
 * domain (pickProxy), the UA's outbound proxy. What comes in is parsed by the pure codec first:
 * a malformed request gets 400 with the reason, bytes that are no SIP at all are dropped with
 * a note, and the service keeps serving.
 */
import type dgram from 'node:dgram';
import { LinkDirection, later } from '../link/link';
import { listenAddresses } from '../services/addresses';
import { LabService, type ServiceContext } from '../services/service';
import { TcpListener, type TcpLimits } from '../services/tcp-listener';
import { bigBuffers, UdpSockets } from '../services/udp-sockets';
import { UdpFlows, type Flow } from '../services/udp-flows';
import type { TcpTap } from '../capture/tcp-tap';
import { MailDirectory } from '../mail/users';
import { encodeSip, parseSip, responseTo, type Parsed } from './sip-message';
import type { SipSource } from './sip-proxy';
import { DomainProxy, pickProxy } from './sip-domain-proxy';
import { LocationService } from './sip-registrar';
import { LAB_TIMERS, type SipTimers } from './sip-transactions';
import { SipStreamSplitter, SipTcpFramer } from './sip-stream';
import './sip-decoder';
import './rtp-decoder';

export const SIP_PORT = 5060;
const UDP_BUFFER = 4 * 1024 * 1024;
const TCP_LIMITS: TcpLimits = { idleMs: 120_000, requestMs: 10_000, maxConnections: 256 };

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
  private tcp: TcpListener | null = null;
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
    return this.tcp?.taps.size ?? 0;
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
          sendUdp: (from, address, port, bytes) => this.sendUdp(from.flow(address, port), bytes, from.socketFor(address)),
          resolve: (host, port) => this.resolve(host, port),
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

  private async listenTcp(port: number): Promise<void> {
    const tapContext = { ...this.ctx, service: this.id, protocol: this.protocol, link: () => this.link, framer: () => new SipTcpFramer(), serverEnd: this.ownEnd };
    const tcp = new TcpListener(
      { allowHalfOpen: false, noDelay: true, tapContext, limits: () => TCP_LIMITS },
      {
        accept: (tap) => this.acceptTcp(tap),
        data: (tap, chunk) => this.tcpData(tap, chunk),
        idle: (tap) => tap.destroy('idle: connection closed by the proxy'),
        slow: (tap) => tap.destroy('a SIP message not complete in time: connection closed'),
        refuse: (tap) => tap.socket.end(encodeSip({ kind: 'response', status: 503, reason: 'Service Unavailable', headers: [], body: Buffer.alloc(0) })),
        changed: () => this.changed(),
      },
    );
    this.tcp = tcp;
    await tcp.listen(port, listenAddresses(this.ctx.bindAddress));
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
  private async resolve(host: string, port: number | undefined): Promise<{ address: string; port: number; note?: string } | { error: string }> {
    let name = host;
    let at = port ?? SIP_PORT;
    let how = 'A';
    if (port === undefined) {
      const srv = (await this.ctx.internet.srv(`_sip._udp.${host}`))[0];
      if (srv) {
        name = srv.target;
        at = srv.port;
        how = `SRV _sip._udp.${host} → ${srv.target}:${srv.port}, then A`;
      } else how = `no SRV for _sip._udp.${host}: A`;
    }
    const d = await this.ctx.internet.dial(name, at);
    if (!d.ok) return { error: d.error };
    const proxy = this.proxies.find((p) => p.port === d.port);
    const what = proxy ? `${proxy.domain}'s SIP proxy` : `${d.address}:${d.port}`;
    return { address: d.address, port: d.port, note: `${host} resolved by lab DNS (${how}) to ${d.virtualAddress ?? d.address}, port ${at}: ${what} (${d.address}:${d.port})` };
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
    const socket = proxy ? proxy.socketFor(address) : this.udp.socketFor(address);
    const src: SipSource = {
      transport: 'udp',
      address,
      port,
      reply: (bytes) => this.sendUdp(flow, bytes, socket),
      note: (text) => this.ctx.store.note(flow.conn, 'none', text),
    };
    this.handle(p, src, to ?? this.proxies[0]);
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

  // ---------- TCP ----------

  private splitters = new WeakMap<TcpTap, SipStreamSplitter>();

  private acceptTcp(tap: TcpTap): void {
    this.splitters.set(tap, new SipStreamSplitter());
  }

  private tcpData(tap: TcpTap, chunk: Buffer): void {
    const splitter = this.splitters.get(tap);
    if (!splitter || !this.proxies.length) return;
    const src: SipSource = {
      transport: 'tcp',
      address: tap.socket.remoteAddress ?? '?',
      port: tap.socket.remotePort ?? 0,
      reply: (bytes) => tap.send(bytes),
      note: (text) => tap.note(text),
    };
    for (const piece of splitter.push(chunk)) {
      if (piece.ok) {
        const p = parseSip(piece.bytes);
        this.handle(p, src, p.ok ? pickProxy(this.proxies, this.location!, p.msg) : this.proxies[0]);
      } else {
        const p = parseSip(piece.bytes);
        this.handle(p.ok ? { ok: false, reason: piece.reason, request: p.msg.kind === 'request' ? p.msg : undefined } : { ...p, reason: piece.reason }, src, this.proxies[0]);
        tap.end('the stream cannot be framed any more: connection closed');
      }
    }
  }
}

/**
 * The SIP registrar and proxy in the services rail: UDP and TCP on one port (the lab's
 * :5060), on 127.0.0.1 and ::1, for every lab mail domain. Each lab domain's address at
 * port 5060 is routed here, so `nc -u crepes.fr 5060` in the lab terminal reaches it. What
 * comes in is parsed by the pure codec first: a malformed request gets 400 with the reason,
 * bytes that are no SIP at all are dropped with a note, and the service keeps serving.
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
import { SipProxy, type SipSource } from './sip-proxy';
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
  proxy: SipProxy | null = null;
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
    if (this.proxy) this.proxy.txns.timers = timers;
  }

  /** the registrar's bindings changed (the VoIP tab shows them) */
  onBindings(fn: () => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  protected async listen(): Promise<void> {
    const users = MailDirectory.load(this.ctx.resourcesDir).users.map((u) => u.address);
    const location = new LocationService(users);
    this.proxy = new SipProxy(location, {
      self: () => ({ address: this.ctx.bindAddress, port: this.port }),
      sendUdp: (address, port, bytes) => this.sendUdp(this.flows.get(address, port), bytes),
      resolve: (host, port) => this.resolve(host, port),
      isSelf: (host, port) => this.isSelf(location, host, port),
      lookupDomain: (domain) => this.lookupDomain(domain),
    });
    const wanted = this.port;
    for (let attempt = 0; ; attempt++) {
      try {
        const sockets = new UdpSockets((msg, rinfo) => this.receive(msg, rinfo), bigBuffers(UDP_BUFFER));
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
    this.proxy.txns.timers = this.timers;
    this.proxy.start();
    for (const domain of location.domains) {
      const where = this.ctx.internet.known(domain);
      if (where.ok && where.virtualAddress) this.unroute.push(this.ctx.internet.addRoute({ virtualAddress: where.virtualAddress, virtualPort: SIP_PORT, realPort: this.port, service: this.id }));
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
    this.proxy?.stop();
    const waits: Promise<void>[] = [];
    if (this.udp) waits.push(this.udp.close());
    if (this.tcp) waits.push(this.tcp.close());
    this.udp = null;
    this.tcp = null;
    this.flows.endAll();
    return Promise.all(waits).then(() => undefined);
  }

  private isSelf(location: LocationService, host: string, port: number | undefined): boolean {
    const h = host.toLowerCase();
    if (location.domains.has(h)) return port === undefined || port === SIP_PORT || port === this.port;
    const p = port ?? SIP_PORT;
    if (h === '127.0.0.1' || h === '::1' || h === 'localhost' || h === this.ctx.bindAddress) return p === this.port;
    const known = this.ctx.internet.known(h);
    return known.ok && known.virtualAddress !== undefined && this.ctx.internet.route(known.virtualAddress, p).service === this.id;
  }

  private looked = new Map<string, number>();

  /** the domain's address from lab DNS (a real query, in the inspector), at most once a minute per domain */
  private async lookupDomain(domain: string): Promise<string | null> {
    const at = this.looked.get(domain);
    if (at !== undefined && Date.now() - at < 60_000) return null;
    this.looked.set(domain, Date.now());
    const r = await this.ctx.internet.resolve(domain);
    if (!r.ok) return `${domain}: lab DNS has no address (${r.error})`;
    return `${domain} resolved by lab DNS to ${r.virtualAddress ?? r.address}: its SIP proxy at :${SIP_PORT} is this one`;
  }

  private async resolve(host: string, port: number): Promise<{ address: string; port: number; note?: string } | { error: string }> {
    const d = await this.ctx.internet.dial(host, port);
    if (!d.ok) return { error: d.error };
    return { address: d.address, port: d.port, note: `${host} resolved by lab DNS to ${d.virtualAddress ?? d.address}: ${d.address}:${d.port}` };
  }

  // ---------- UDP ----------

  private receive(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const flow = this.flows.get(rinfo.address, rinfo.port);
    const verdict = this.inbound.datagram(msg.length);
    if (!verdict.deliver) return this.ctx.store.note(flow.conn, 'c2s', `datagram ${verdict.reason}`, msg);
    if (verdict.afterMs > 0) later(verdict.afterMs, () => this.delivered(msg, flow));
    else this.delivered(msg, flow);
  }

  private delivered(msg: Buffer, flow: Flow): void {
    if (!this.udp || !this.proxy) return;
    this.ctx.store.record({ conn: flow.conn, dir: 'c2s', kind: 'message', bytes: msg });
    const src: SipSource = {
      transport: 'udp',
      address: flow.address,
      port: flow.port,
      reply: (bytes) => this.sendUdp(flow, bytes),
      note: (text) => this.ctx.store.note(flow.conn, 'none', text),
    };
    this.handle(parseSip(msg), src);
  }

  private sendUdp(flow: Flow, message: Buffer): void {
    const socket = this.udp?.socketFor(flow.address) ?? null;
    const verdict = this.outbound.datagram(message.length);
    if (!verdict.deliver) return this.ctx.store.note(flow.conn, 's2c', `datagram ${verdict.reason}`, message);
    const sent = (): void => {
      if (!socket || this.udp?.socketFor(flow.address) !== socket) return;
      this.ctx.store.record({ conn: flow.conn, dir: 's2c', kind: 'message', bytes: message });
      socket.send(message, flow.port, flow.address);
    };
    if (verdict.afterMs > 0) later(verdict.afterMs, sent);
    else sent();
  }

  /** one parsed (or refused) message from either transport */
  private handle(p: Parsed, src: SipSource): void {
    if (!p.ok) {
      src.note(`${p.request ? '400' : 'dropped'}: ${p.reason}`);
      if (p.request && p.request.method !== 'ACK') src.reply(encodeSip(responseTo(p.request, 400, p.reason.slice(0, 120))));
      return;
    }
    if (p.msg.kind === 'request') this.proxy!.request(p.msg, src);
    else this.proxy!.response(p.msg, src);
    if (p.msg.kind === 'request' && p.msg.method === 'REGISTER') for (const w of this.watchers) w();
  }

  // ---------- TCP ----------

  private splitters = new WeakMap<TcpTap, SipStreamSplitter>();

  private acceptTcp(tap: TcpTap): void {
    this.splitters.set(tap, new SipStreamSplitter());
  }

  private tcpData(tap: TcpTap, chunk: Buffer): void {
    const splitter = this.splitters.get(tap);
    if (!splitter || !this.proxy) return;
    const src: SipSource = {
      transport: 'tcp',
      address: tap.socket.remoteAddress ?? '?',
      port: tap.socket.remotePort ?? 0,
      reply: (bytes) => tap.send(bytes),
      note: (text) => tap.note(text),
    };
    for (const piece of splitter.push(chunk)) {
      if (piece.ok) this.handle(parseSip(piece.bytes), src);
      else {
        const p = parseSip(piece.bytes);
        this.handle(p.ok ? { ok: false, reason: piece.reason, request: p.msg.kind === 'request' ? p.msg : undefined } : { ...p, reason: piece.reason }, src);
        tap.end('the stream cannot be framed any more: connection closed');
      }
    }
  }
}

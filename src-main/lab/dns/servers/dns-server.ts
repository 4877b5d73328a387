/**
 * A lab DNS server's sockets: UDP and TCP on the same port, as every DNS server listens
 * (RFC 1035 §4.2; RFC 7766). Queries are checked by the pure codec before anyone acts on
 * them; a malformed one gets FORMERR (or is dropped when no reply is possible) and the server
 * keeps serving. Over UDP a reply that does not fit the client's buffer goes out truncated
 * (TC); over TCP each message carries its two-byte length, capped for queries.
 *
 * dns/servers/ holds the DNS area's sockets: this listener, the local (recursive) and
 * authoritative services on it, the lab's stub client and the upstream queries the local
 * server sends. The wire codec, resolver, cache and zone parser they use are pure, in dns/.
 */
import type dgram from 'node:dgram';
import type { ConnectionInfo } from '../../api';
import type { SummaryText } from '../../capture/table';
import type { TcpTap } from '../../capture/tcp-tap';
import type { Sections } from '../authority';
import { checkQuery, CLASSIC_UDP_SIZE, EDNS_VERSION, encodeReply, MAX_QUERY_BYTES, type Query } from '../codec';
import { DnsTcpFramer, tcpFrame } from '../tcp-framer';
import { LinkDirection, later } from '../../link/link';
import { LabService, type ServiceContext } from '../../services/service';
import { listenAddresses } from '../../services/addresses';
import { TcpListener, type TcpLimits } from '../../services/tcp-listener';
import { bigBuffers, UdpSockets } from '../../services/udp-sockets';
import { UdpFlows, type Flow } from '../../services/udp-flows';
import type { DnsShared } from './shared';

/** TCP connections at once; past it the one idle the longest makes room (RFC 7766 §6.2.3) */
const MAX_TCP_CONNECTIONS = 256;
/** RFC 7766 §6.2.3: idle timeouts of seconds, not minutes, so connections do not pile up */
const TCP_IDLE_MS = 30_000;
/** a length-prefixed message must be complete this long after its first byte (slowloris) */
const TCP_MESSAGE_MS = 10_000;
/** pipelined queries (RFC 7766 §6.2.1.1) waiting for their answers before the server stops reading */
const MAX_IN_FLIGHT = 32;
const UDP_BUFFER = 4 * 1024 * 1024;

export type { Flow };

export interface Asker {
  transport: 'udp' | 'tcp';
  address: string;
  port: number;
  conn: ConnectionInfo;
}

export type Reply = Sections & { ra: boolean };

export abstract class DnsServerService extends LabService {
  readonly protocol = 'dns';
  readonly transport = 'udp' as const;
  override readonly alsoTcp = true;
  private udp: UdpSockets | null = null;
  private tcp: TcpListener | null = null;
  private tcpLimits: TcpLimits = { idleMs: TCP_IDLE_MS, requestMs: TCP_MESSAGE_MS, maxConnections: MAX_TCP_CONNECTIONS };
  private flows = new UdpFlows(this.ctx, this);
  private inbound = new LinkDirection(() => this.link);
  private outbound = new LinkDirection(() => this.link);

  constructor(
    ctx: ServiceContext,
    port: number,
    protected shared: DnsShared,
  ) {
    super(ctx, port);
  }

  connectionCount(): number {
    return this.tcp?.taps.size ?? 0;
  }

  /** reply bytes the TCP connections hold unsent */
  unsentBytes(): number {
    return this.tcp?.unsentBytes() ?? 0;
  }

  /** the TCP side's limits (tests make them short) */
  setLimits(patch: Partial<TcpLimits>): void {
    this.tcpLimits = { ...this.tcpLimits, ...patch };
    this.tcp?.limitsChanged();
  }

  /** The reply's sections for a valid query. */
  protected abstract answer(query: Query, asker: Asker): Promise<Reply> | Reply;

  /** RA in replies built before any answering (the local server recurses; the hierarchy's do not) */
  protected recursionAvailable(): boolean {
    return false;
  }

  /** A chance to answer a UDP query straight from bytes (the local server's cache); true if done. */
  protected fastUdp(_msg: Buffer, _flow: Flow): boolean {
    return false;
  }

  /** A reply went out (the local server keeps cacheable ones as bytes); `query` is what the client sent. */
  protected replied(_q: Query, _asker: Asker, _bytes: Buffer, _sections: Reply, _query: Buffer): void {}

  /** Listening started: routes are registered here. */
  protected listening(): void {}
  protected stopped(): void {}

  protected async listen(): Promise<void> {
    const wanted = this.port;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.bindUdp(wanted);
        await this.listenTcp(this.port);
        break;
      } catch (err) {
        await this.close();
        // port 0: the UDP port the system chose may be taken on TCP; try another
        if (wanted !== 0 || attempt >= 5) throw err;
      }
    }
    this.listening();
  }

  private async bindUdp(port: number): Promise<void> {
    const sockets = new UdpSockets((msg, rinfo) => this.receive(msg, rinfo), bigBuffers(UDP_BUFFER));
    this.udp = sockets;
    this.port = await sockets.bind(port, listenAddresses(this.ctx.bindAddress));
  }

  private async listenTcp(port: number): Promise<void> {
    const tapContext = { ...this.ctx, service: this.id, protocol: this.protocol, link: () => this.link, framer: () => new DnsTcpFramer(), serverEnd: this.ownEnd };
    const tcp = new TcpListener(
      { allowHalfOpen: false, noDelay: false, tapContext, limits: () => this.tcpLimits },
      {
        accept: (tap) => this.acceptTcp(tap),
        data: (tap, chunk) => this.tcpConns.get(tap)?.data(chunk),
        idle: (tap) => tap.destroy(`idle for ${this.tcpLimits.idleMs / 1000} s: connection closed by the server`),
        slow: (tap) => tap.destroy(`a DNS message not complete ${this.tcpLimits.requestMs / 1000} s after its first byte: connection closed`),
        refuse: (tap) => tap.destroy('every connection has a query in progress: the server closes the new one'),
        // no query in flight and none half-sent: it may go (RFC 7766 §6.2.3)
        evictable: (tap) => tap.partialSince === 0 && (this.tcpConns.get(tap)?.inFlight ?? 0) === 0,
        changed: () => this.changed(),
      },
    );
    this.tcp = tcp;
    await tcp.listen(port, listenAddresses(this.ctx.bindAddress));
    this.addresses = tcp.addresses;
  }

  protected close(): Promise<void> {
    this.stopped();
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = null;
    this.tcp = null;
    this.flows.endAll();
    const waits: Promise<void>[] = [];
    if (udp) waits.push(udp.close());
    if (tcp) waits.push(tcp.close());
    return Promise.all(waits).then(() => undefined);
  }

  // ---------- UDP ----------

  private receive(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const flow = this.flows.get(rinfo.address, rinfo.port);
    const verdict = this.inbound.datagram(msg.length);
    if (!verdict.deliver) {
      this.ctx.store.note(flow.conn, 'c2s', `datagram ${verdict.reason}`, msg);
      return;
    }
    // an unemulated link delivers at once: no closure per datagram
    if (verdict.afterMs > 0) later(verdict.afterMs, () => this.delivered(msg, flow));
    else this.delivered(msg, flow);
  }

  private delivered(msg: Buffer, flow: Flow): void {
    if (!this.udp) return;
    if (this.fastUdp(msg, flow)) return;
    const recorded = this.ctx.store.record({ conn: flow.conn, dir: 'c2s', kind: 'message', bytes: msg });
    if (msg.length >= 2) this.shared.recorded(flow.port, msg.readUInt16BE(0), 'query', recorded ?? undefined);
    void this.handle(msg, { transport: 'udp', address: flow.address, port: flow.port, conn: flow.conn }).then((reply) => {
      if (reply) this.sendUdp(flow, reply);
    });
  }

  /** Send a datagram to a client through the link, recording it. */
  protected sendUdp(flow: Flow, message: Buffer, summary?: SummaryText): void {
    const socket = this.udp?.socketFor(flow.address) ?? null;
    const verdict = this.outbound.datagram(message.length);
    if (!verdict.deliver) {
      this.ctx.store.note(flow.conn, 's2c', `reply ${verdict.reason}`, message);
      return;
    }
    if (verdict.afterMs > 0) later(verdict.afterMs, () => this.sent(socket, flow, message, summary));
    else this.sent(socket, flow, message, summary);
  }

  private sent(socket: dgram.Socket | null, flow: Flow, message: Buffer, summary: SummaryText | undefined): void {
    if (!socket || this.udp?.socketFor(flow.address) !== socket) return;
    const recorded = this.ctx.store.record({ conn: flow.conn, dir: 's2c', kind: 'message', bytes: message, summary });
    if (recorded !== null) this.shared.recorded(flow.port, message.readUInt16BE(0), 'reply', recorded);
    socket.send(message, flow.port, flow.address);
    // the lab's own clients use a socket per query: the exchange is over
    if (this.shared.watching(flow.port)) this.flows.end(flow);
  }

  /** The reply bytes for one query, or null to drop it. Never throws. */
  private async handle(msg: Buffer, asker: Asker): Promise<Buffer | null> {
    const checked = checkQuery(msg);
    if (!checked.ok) {
      this.ctx.store.note(asker.conn, 'c2s', `bad query: ${checked.reason}`);
      return checked.reply;
    }
    const q = checked.query;
    const maxSize = asker.transport === 'tcp' ? 65_535 : (q.edns ?? CLASSIC_UDP_SIZE);
    if ((q.ednsVersion ?? 0) > EDNS_VERSION) {
      // RFC 6891 §6.1.3: a version the responder does not implement gets BADVERS, with its own version in the OPT
      this.ctx.store.note(asker.conn, 'none', `EDNS version ${q.ednsVersion} asked; the lab speaks version ${EDNS_VERSION}: BADVERS (RFC 6891 §6.1.3)`);
      return encodeReply(q, { rcode: 'BADVERS', aa: false, answers: [], authorities: [], additionals: [], kind: 'refused' }, { ra: this.recursionAvailable(), maxSize }).bytes;
    }
    try {
      const sections = await this.answer(q, asker);
      const { bytes, truncated } = encodeReply(q, sections, { ra: sections.ra, maxSize });
      if (truncated) this.ctx.store.note(asker.conn, 's2c', `the reply does not fit ${maxSize} bytes over UDP: sent truncated (TC), the client should ask again over TCP`);
      else this.replied(q, asker, bytes, sections, msg);
      return bytes;
    } catch (err) {
      this.ctx.store.note(asker.conn, 'none', `server failure: ${(err as Error).message}`);
      return encodeReply(q, { rcode: 'SERVFAIL', aa: false, answers: [], authorities: [], additionals: [], kind: 'refused' }, { ra: false, maxSize: CLASSIC_UDP_SIZE }).bytes;
    }
  }

  // ---------- TCP ----------

  private tcpConns = new WeakMap<TcpTap, DnsTcpConnection>();

  private acceptTcp(tap: TcpTap): void {
    const conn = new DnsTcpConnection(tap, (msg) => this.handle(msg, { transport: 'tcp', address: tap.socket.remoteAddress ?? '?', port: tap.socket.remotePort ?? 0, conn: tap.conn }));
    this.tcpConns.set(tap, conn);
    tap.regulate(() => conn.inFlight, MAX_IN_FLIGHT);
  }
}

/**
 * One DNS-over-TCP connection: two-byte length-prefixed queries in, answers back in the
 * order asked (a client may pipeline, RFC 7766 §6.2.1), each answered only once the client
 * has read what went before when it has fallen behind.
 */
class DnsTcpConnection {
  private pending: Buffer = Buffer.alloc(0);
  private busy = Promise.resolve();
  /** queries read and not yet answered */
  inFlight = 0;

  constructor(
    private tap: TcpTap,
    private handle: (msg: Buffer) => Promise<Buffer | null>,
  ) {}

  data(chunk: Buffer): void {
    const tap = this.tap;
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let read = false;
    while (this.pending.length >= 2) {
      const len = this.pending.readUInt16BE(0);
      if (len < 12 || len > MAX_QUERY_BYTES) {
        tap.destroy(`a ${len}-byte length prefix: a DNS query is 12 to ${MAX_QUERY_BYTES} bytes, connection closed`);
        this.pending = Buffer.alloc(0);
        return;
      }
      if (this.pending.length < 2 + len) break;
      const msg = Buffer.from(this.pending.subarray(2, 2 + len));
      this.pending = this.pending.subarray(2 + len);
      read = true;
      this.inFlight += 1;
      this.busy = this.busy.then(() => this.answer(msg));
    }
    if (this.pending.length === 0) tap.partialSince = 0;
    else {
      this.pending = Buffer.from(this.pending); // not a view keeping a whole socket read alive
      if (tap.partialSince === 0 || read) tap.partialSince = Date.now();
    }
  }

  private async answer(msg: Buffer): Promise<void> {
    const tap = this.tap;
    if (tap.congested) await new Promise<void>((r) => tap.whenWritable(r));
    const reply = await this.handle(msg);
    this.inFlight -= 1;
    if (reply) tap.send(tcpFrame(reply));
    else tap.check();
  }
}

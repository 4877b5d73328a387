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
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import type { ConnectionInfo } from '../../api';
import type { SummaryText } from '../../capture/table';
import { TcpTap } from '../../capture/tcp-tap';
import type { Sections } from '../authority';
import { checkQuery, CLASSIC_UDP_SIZE, encodeReply, MAX_QUERY_BYTES, type Query } from '../codec';
import { DnsTcpFramer, tcpFrame } from '../tcp-framer';
import { LinkDirection, later } from '../../link/link';
import { LabService, type ServiceContext } from '../../services/service';
import { UdpFlows, type Flow } from '../../services/udp-flows';
import type { DnsShared } from './shared';

const MAX_TCP_CONNECTIONS = 256;
const TCP_IDLE_MS = 30_000;
const UDP_BUFFER = 4 * 1024 * 1024;

export type { Flow };

export interface Asker {
  transport: 'udp' | 'tcp';
  address: string;
  port: number;
  conn: ConnectionInfo;
}

export type Reply = Sections & { ra: boolean };

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/** dgram's lookup for an address that is already an IPv4 literal; anything else goes to dns.lookup. */
function literalLookup(host: string, family: unknown, callback: LookupCallback): void {
  if (net.isIPv4(host)) callback(null, host, 4);
  else dns.lookup(host, family as dns.LookupOneOptions, callback);
}

export abstract class DnsServerService extends LabService {
  readonly protocol = 'dns';
  readonly transport = 'udp' as const;
  private udp: dgram.Socket | null = null;
  private tcp: net.Server | null = null;
  private taps = new Set<TcpTap>();
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
    return this.taps.size;
  }

  /** The reply's sections for a valid query. */
  protected abstract answer(query: Query, asker: Asker): Promise<Reply> | Reply;

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

  private bindUdp(port: number): Promise<void> {
    // replies go to the address a datagram came from, always an IPv4 literal: no lookup (and
    // no tick) per send, as dns.lookup would cost
    const socket = dgram.createSocket({ type: 'udp4', lookup: literalLookup });
    this.udp = socket;
    socket.on('message', (msg, rinfo) => this.receive(msg, rinfo));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, this.ctx.bindAddress, () => {
        socket.off('error', reject);
        this.port = socket.address().port;
        // a burst of queries (dnsperf keeps 100 outstanding) must not overflow the default buffer
        try {
          socket.setRecvBufferSize(UDP_BUFFER);
          socket.setSendBufferSize(UDP_BUFFER);
        } catch {
          /* the system caps it: keep its size */
        }
        socket.on('error', () => undefined);
        resolve();
      });
    });
  }

  private listenTcp(port: number): Promise<void> {
    const server = net.createServer((socket) => this.acceptTcp(socket));
    server.maxConnections = MAX_TCP_CONNECTIONS;
    this.tcp = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.ctx.bindAddress, () => {
        server.off('error', reject);
        server.on('error', () => undefined);
        resolve();
      });
    });
  }

  protected close(): Promise<void> {
    this.stopped();
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = null;
    this.tcp = null;
    this.flows.endAll();
    for (const tap of this.taps) tap.destroy('service stopped');
    this.taps.clear();
    const waits: Promise<void>[] = [];
    if (udp) waits.push(new Promise((r) => { try { udp.close(() => r()); } catch { r(); } }));
    if (tcp?.listening) waits.push(new Promise((r) => tcp.close(() => r())));
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
    const socket = this.udp;
    const verdict = this.outbound.datagram(message.length);
    if (!verdict.deliver) {
      this.ctx.store.note(flow.conn, 's2c', `reply ${verdict.reason}`, message);
      return;
    }
    if (verdict.afterMs > 0) later(verdict.afterMs, () => this.sent(socket, flow, message, summary));
    else this.sent(socket, flow, message, summary);
  }

  private sent(socket: dgram.Socket | null, flow: Flow, message: Buffer, summary: SummaryText | undefined): void {
    if (!socket || this.udp !== socket) return;
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
    try {
      const sections = await this.answer(q, asker);
      const maxSize = asker.transport === 'tcp' ? 65_535 : (q.edns ?? CLASSIC_UDP_SIZE);
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

  private acceptTcp(socket: net.Socket): void {
    let pending = Buffer.alloc(0);
    let busy = Promise.resolve();
    const tap = new TcpTap(
      socket,
      { ...this.ctx, service: this.id, protocol: this.protocol, link: () => this.link, framer: () => new DnsTcpFramer() },
      (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2) {
          const len = pending.readUInt16BE(0);
          if (len < 12 || len > MAX_QUERY_BYTES) {
            tap.destroy(`a ${len}-byte length prefix: a DNS query is 12 to ${MAX_QUERY_BYTES} bytes, connection closed`);
            pending = Buffer.alloc(0);
            return;
          }
          if (pending.length < 2 + len) return;
          const msg = Buffer.from(pending.subarray(2, 2 + len));
          pending = pending.subarray(2 + len);
          // answers go back in order (a client may pipeline, RFC 7766 §6.2.1)
          busy = busy.then(async () => {
            const reply = await this.handle(msg, { transport: 'tcp', address: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0, conn: tap.conn });
            if (reply) tap.send(tcpFrame(reply));
          });
        }
      },
    );
    this.taps.add(tap);
    socket.setTimeout(TCP_IDLE_MS, () => tap.destroy(`idle for ${TCP_IDLE_MS / 1000} s: connection closed by the server`));
    socket.on('close', () => {
      this.taps.delete(tap);
      this.changed();
    });
    this.changed();
  }
}

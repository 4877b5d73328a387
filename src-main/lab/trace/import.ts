/**
 * A trace file as a capture of its own: its TCP streams reassembled and its UDP datagrams
 * taken as they are, then recorded through the same framers and decoders as the lab's live
 * sockets, into a store of the file's own (the live capture is never touched). Each
 * reassembled run of in-order bytes is one read; SYN opens a connection and FIN or RST
 * closes it, as the lab's tap notes them.
 */
import type { ConnectionInfo, Endpoint, Transport } from '../api';
import { CaptureStore } from '../capture/store';
import type { Framer } from '../capture/framer';
import { recordFrames, recordRead } from '../capture/read-record';
import { readTrace, type Trace } from './pcap-read';
import { segmentOf, TCP, type Segment } from './pcap-packets';
import { TcpDirection } from './tcp-reassembly';
import { framerFor, serviceOnPort, sniffService, unknownService, type TraceService } from './protocols';
import { readComment, type NamedConnection } from './comments';
import type { TraceInfo } from './trace-types';

/** what a file's capture holds at most (the live capture's defaults) */
const TRACE_LIMIT = 200_000;

/** A capture whose clock is the file's: each record is stamped with its packet's time. */
export class TraceCapture extends CaptureStore {
  clock = 0;
  constructor(epochMs: number) {
    super(TRACE_LIMIT);
    (this as { epochMs: number }).epochMs = epochMs;
  }
  override now(): number {
    return this.clock;
  }
}

interface Flow {
  /** opened once its first bytes say what it speaks (or it ends without any) */
  conn?: ConnectionInfo;
  transport: Transport;
  /** the client's address and port as the packets carry them */
  client: string;
  ends: { client: Endpoint; server: Endpoint };
  named?: NamedConnection;
  /** when its first segment came (the connection's opening) */
  since: number;
  framer?: Framer;
  tcp?: { c2s: TcpDirection; s2c: TcpDirection };
  closed: boolean;
}

function endpointText(e: Endpoint): string {
  return `${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port}`;
}

export class TraceImporter {
  readonly store: TraceCapture;
  private flows = new Map<string, Flow>();
  private readonly first: number;
  segments = 0;
  netlab = false;

  constructor(private readonly trace: Trace) {
    this.first = trace.packets[0]?.micros ?? 0;
    this.store = new TraceCapture(this.first / 1000);
  }

  run(): void {
    for (const p of this.trace.packets) {
      const s = segmentOf(p.linkType, p.data);
      if (!s) continue;
      this.segments++;
      this.store.clock = Math.round(p.micros - this.first) / 1000;
      this.packet(s, p.comment);
    }
    for (const f of this.flows.values()) {
      if (f.closed) continue;
      f.tcp?.c2s.end();
      f.tcp?.s2c.end();
      // a connection still open at the end of the file: its last unfinished message is shown
      if (!f.closed && f.conn) recordFrames(this.store, f.conn, [...f.framer!.flush('c2s'), ...f.framer!.flush('s2c')]);
    }
    this.store.flush();
  }

  private packet(s: Segment, comment: string | undefined): void {
    const read = readComment(comment);
    const key = flowKey(s);
    let flow = this.flows.get(key);
    const syn = s.transport === 'tcp' && (s.flags & (TCP.SYN | TCP.ACK)) === TCP.SYN;
    if (!flow || (flow.closed && syn)) {
      flow = this.flow(s, read.connection);
      this.flows.set(key, flow);
    }
    if (read.notes.length) {
      const conn = this.opened(flow);
      for (const note of read.notes) this.store.note(conn, 'none', note);
    }
    if (flow.closed) return;
    const dir = `${s.src} ${s.srcPort}` === flow.client ? 'c2s' : 's2c';
    if (!flow.tcp) {
      this.store.record({ conn: this.opened(flow, dir, s.payload), dir, kind: 'message', bytes: s.payload });
      return;
    }
    if (s.flags & TCP.RST) {
      this.store.note(this.opened(flow), dir, `${dir === 'c2s' ? 'client' : 'server'} reset the connection (RST)`);
      this.close(flow);
      return;
    }
    flow.tcp[dir].segment(s.seq, (s.flags & TCP.SYN) !== 0, (s.flags & TCP.FIN) !== 0, s.payload);
  }

  private flow(s: Segment, named: NamedConnection | undefined): Flow {
    const fromClient = clientSends(s);
    const client: Endpoint = { address: fromClient ? s.src : s.dst, port: fromClient ? s.srcPort : s.dstPort };
    const server: Endpoint = { address: fromClient ? s.dst : s.src, port: fromClient ? s.dstPort : s.srcPort };
    const flow: Flow = { transport: s.transport, client: `${client.address} ${client.port}`, ends: { client, server }, named, since: this.store.clock, closed: false };
    if (s.transport === 'tcp') flow.tcp = { c2s: this.direction(flow, 'c2s'), s2c: this.direction(flow, 's2c') };
    return flow;
  }

  /** The flow's connection in the capture, opened on first need: its service from NetLab's
   *  comment, its server port, or its first bytes, in that order. */
  private opened(flow: Flow, dir?: 'c2s' | 's2c', first?: Buffer): ConnectionInfo {
    if (flow.conn) return flow.conn;
    const { named, transport } = flow;
    if (named) this.netlab = true;
    const port = flow.ends.server.port;
    const kind: TraceService =
      named ?? serviceOnPort(transport, port) ?? (dir && first?.length ? sniffService(transport, dir, first) : undefined) ?? unknownService(transport);
    // the connection opened when its first segment came, not when its first bytes did
    const now = this.store.clock;
    this.store.clock = flow.since;
    const conn = this.store.openConnection({ transport, service: kind.service, protocol: kind.protocol, client: named?.client ?? flow.ends.client, server: named?.server ?? flow.ends.server });
    this.store.note(conn, 'none', `connection opened: ${endpointText(conn.client)} → ${endpointText(conn.server)}`);
    this.store.clock = now;
    flow.framer = framerFor(kind);
    flow.conn = conn;
    return conn;
  }

  private direction(flow: Flow, dir: 'c2s' | 's2c'): TcpDirection {
    const who = dir === 'c2s' ? 'client' : 'server';
    return new TcpDirection({
      data: (bytes) => recordRead(this.store, this.opened(flow, dir, bytes), flow.framer!, dir, bytes),
      fin: () => {
        this.store.note(this.opened(flow), dir, `${who} closed its side (FIN)`);
        if (flow.tcp?.c2s.finished && flow.tcp.s2c.finished) this.close(flow);
      },
      gap: (missing) => this.store.note(this.opened(flow), dir, `${missing} bytes from the ${who} are not in the file (segments the capture missed): the stream goes on after them`),
    });
  }

  private close(flow: Flow): void {
    if (flow.closed) return;
    flow.closed = true;
    const conn = this.opened(flow);
    recordFrames(this.store, conn, [...flow.framer!.flush('c2s'), ...flow.framer!.flush('s2c')]);
    this.store.note(conn, 'none', 'connection closed');
    this.store.closeConnection(conn);
  }
}

/** the same key for both directions of a flow */
function flowKey(s: Segment): string {
  const a = `${s.src} ${s.srcPort}`;
  const b = `${s.dst} ${s.dstPort}`;
  return `${s.transport} ${a < b ? `${a} ${b}` : `${b} ${a}`}`;
}

/** Whether the first segment seen of a flow comes from its client: the SYN says so; else the
 *  side on a known service port is the server; else a DNS message's QR bit, or (UDP) the
 *  first datagram is a request; else the lower port is the server's (ephemeral ports are high). */
function clientSends(s: Segment): boolean {
  if (s.transport === 'tcp' && s.flags & TCP.SYN) return !(s.flags & TCP.ACK);
  const dstKnown = serviceOnPort(s.transport, s.dstPort) !== undefined;
  const srcKnown = serviceOnPort(s.transport, s.srcPort) !== undefined;
  if (dstKnown !== srcKnown) return dstKnown;
  if (s.transport === 'udp') return !(sniffService('udp', 'c2s', s.payload) && s.payload[2] & 0x80);
  return s.srcPort >= s.dstPort;
}

function notShown(others: number, packets: number): string[] {
  if (others === 0) return [];
  return [`${others} of ${packets} packets are not TCP or UDP over IPv4/IPv6 on a link type the inspector reads (ARP, ICMP, fragments …): not shown`];
}

export function importTrace(name: string, file: Buffer): { store: TraceCapture; info: TraceInfo } {
  const trace = readTrace(file);
  const importer = new TraceImporter(trace);
  importer.run();
  const settings = importer.store.settings();
  return {
    store: importer.store,
    info: {
      name,
      format: trace.format,
      size: file.length,
      packets: trace.packets.length,
      segments: importer.segments,
      connections: importer.store.allConnections().length,
      messages: settings.stored,
      evicted: settings.evicted,
      netlab: importer.netlab,
      startedAt: importer.store.epochMs,
      warnings: [...trace.warnings, ...notShown(trace.packets.length - importer.segments, trace.packets.length)],
    },
  };
}

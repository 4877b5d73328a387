/**
 * The capture as a pcapng packet trace, message by message in capture order. The lab sees
 * sockets, not packets, so the transport is synthesized: a TCP connection gets a three-way
 * handshake when it opens and FIN/ACKs when it closes (RFC 9293 §3.5–3.6), every read is
 * one segment (split at the MSS), and sequence and acknowledgement numbers count the bytes
 * each side sent, so Wireshark's TCP analysis and reassembly find a clean stream. A UDP
 * datagram is one frame, as it was. The lab's notes ride along as packet comments.
 */
import type { ConnectionInfo } from '../api';
import type { TraceRow } from './trace-row';
import { interfaceDescription, sectionHeader } from './pcapng-blocks';
import { BufferPayload, FrameTemplate, MSS, TCP_FLAGS, type Payload } from './pcapng-frames';
import { connectionComment, wireEnds, type WireEnds } from './pcapng-endpoints';
import type { PcapngSink } from './pcapng-sink';

export const SECTION_COMMENT =
  'NetLab capture. The lab captures at the socket: what each lab socket read and wrote, not packets on a wire. ' +
  'The Ethernet, IP, TCP and UDP headers here are synthesized from that socket-level capture: addresses are the lab\'s ' +
  'virtual ones where it knows them (the real loopback endpoints are in each connection\'s first packet comment), ' +
  'server ports are the protocols\' well-known ones, a TCP three-way handshake and FIN/ACK are drawn from the connection ' +
  'events, each read is one segment (split at MSS 1460) with consistent sequence and acknowledgement numbers. ' +
  'Retransmissions, windows and timing below the socket are not shown. The lab\'s notes are packet comments.';

const { SYN, ACK, FIN, PSH } = TCP_FLAGS;
/** a BitTorrent message is at most a 16 KiB block and its header: past that, a length prefix is not believed */
const MAX_PADDED = 1 << 20;
/** closed connections remembered (so a late record does not open one again); notes waiting for a frame */
const MAX_FINISHED = 100_000;
const MAX_WAITING_NOTES = 1000;
/** no comments (shared: never pushed to) */
const NONE: readonly string[] = Object.freeze([]);

interface ConnState {
  /** the connection as the file shows it */
  info: ConnectionInfo;
  /** the store's own record of it, which learns when it closed */
  source: ConnectionInfo;
  ends: WireEnds;
  /** the headers each side sends, patched per frame */
  from: { c2s: FrameTemplate; s2c: FrameTemplate };
  /** the next sequence number of each side */
  next: { c2s: number; s2c: number };
  opened: boolean;
  finished: boolean;
  introduced: boolean;
  /** the connection has chunk records: its reads are the segments */
  sawChunk: boolean;
  /** a TLS record was seen: from then on only records are segments (see add) */
  sawTls: boolean;
  /** the side whose FIN the capture noted first */
  firstFin?: 'c2s' | 's2c';
  /** a TCP connection's notes wait for its own next segment (its FIN at the latest) */
  notes: string[];
}

export class PcapngWriter {
  private conns = new Map<number, ConnState>();
  /** connections whose FIN/ACKs are written: their state is let go, a late record is left out */
  private finished = new Set<number>();
  private notes: { conn: number; text: string }[] = [];
  /** the comments of the frame whose block is still open (its notes may come after it) */
  private heldComments: string[] | null = null;
  /** payloads for the frame being written: a buffer, or a row's bytes copied straight from the capture */
  private readonly buffer = new BufferPayload();
  private readonly row = new RowPayload();
  /** the last payload's note that the capture kept only its head */
  private cut: string | null = null;
  private lastMicros = 0;
  /** the earliest close time of a connection still open in the file (Infinity: none known) */
  private nextClose = Infinity;
  /** the state of the connection of the last record */
  private last: ConnState | null = null;

  /** `epochMs`: the wall-clock time of the capture's time 0; `hostAddress`: a lab host's
   *  virtual address by name, for a web server's connection named only by its Host header */
  constructor(
    private readonly epochMs: number,
    private readonly out: PcapngSink,
    application: string,
    private readonly hostAddress: (name: string) => string | undefined = () => undefined,
  ) {
    out.append(sectionHeader(SECTION_COMMENT, application));
    out.append(interfaceDescription('netlab', 'NetLab lab sockets (synthesized frames)'));
  }

  /** One captured record; `connOf` gives a connection as the store knows it (asked only
   *  for a connection the file has not seen yet). */
  add(m: TraceRow, connOf: (id: number) => ConnectionInfo | undefined): void {
    if (m.t >= this.nextClose) this.closeDue(m.t);
    // a connection's records come in runs: the last one's state is at hand, no lookup
    let s = this.last;
    if (s === null || s.finished || s.source.id !== m.conn) {
      if (this.finished.has(m.conn)) {
        // a note that comes after the FIN/ACKs (a late socket error) rides on the next frame
        if (m.kind === 'event' && !/^connection (opened|closed)|closed its side/.test(m.summary)) this.waiting(m.conn, m.summary);
        return;
      }
      s = this.last = this.state(m, connOf);
    }
    if (m.kind === 'event') return this.event(s, m);
    if (s.info.transport === 'udp') {
      this.udp(s, m, null);
      return;
    }
    // TLS: the records went on the wire; the plaintext the lab decrypted beside them did not
    if (m.protocol === 'tls') s.sawTls = true;
    else if (s.sawTls) return;
    if (m.kind === 'chunk') s.sawChunk = true;
    else if (!m.whole && s.sawChunk) return; // framed from reads already written as segments
    this.segments(s, m);
  }

  /** Write what is held: the last frame, with any notes still waiting for a frame; FIN/ACKs of
   *  connections the store has closed meanwhile. */
  flush(): void {
    for (const s of this.conns.values()) {
      if (!s.finished && s.source.closed !== undefined) this.finish(s, s.source.closed);
    }
    if (this.out.hasOpen && this.notes.length) (this.heldComments ??= []).push(...this.takeNotes(-1));
    this.writeHeld();
  }

  /** The end of an export: notes of connections still open go on the last frame. */
  end(): void {
    this.flush();
    for (const s of this.conns.values()) {
      if (s.notes.length) this.notes.push(...s.notes.splice(0).map((text) => ({ conn: s.info.id, text })));
    }
    this.flush();
  }

  private state(m: TraceRow, connOf: (id: number) => ConnectionInfo | undefined): ConnState {
    let s = this.conns.get(m.conn);
    if (!s) {
      const info = connOf(m.conn) ?? { id: m.conn, transport: m.transport, service: m.service, protocol: m.protocol, client: { address: '127.0.0.1', port: 0 }, server: { address: '127.0.0.1', port: 0 }, opened: m.t };
      // initial sequence numbers: arbitrary, as RFC 9293 §3.4.1 wants them, but stable per connection
      const isn = (Math.imul(info.id, 2654435761) >>> 0) & 0x7fffffff;
      const ends = wireEnds(info);
      s = { info, source: info, ends, from: templates(ends, info.transport), next: { c2s: isn, s2c: (isn ^ 0x5bd1e995) >>> 0 }, opened: false, finished: false, introduced: false, sawChunk: false, sawTls: false, notes: [] };
      this.conns.set(m.conn, s);
      if (info.closed !== undefined) this.nextClose = Math.min(this.nextClose, info.closed);
    }
    return s;
  }

  private event(s: ConnState, m: TraceRow): void {
    const text = m.summary;
    const tcp = s.info.transport === 'tcp';
    // the handshake at the open, except where a web request's Host may yet name the server
    if (tcp && text.startsWith('connection opened')) {
      if (!this.namedByHost(s.info)) this.open(s, m.t);
      return;
    }
    if (tcp && text === 'connection closed') return this.finish(s, m.t);
    if (tcp && text.endsWith('closed its side (FIN)') && m.dir !== 'none') {
      s.firstFin ??= m.dir;
      return;
    }
    // a datagram the link emulation dropped: sent, never delivered; the frame shows what was sent
    if (!tcp && m.dir !== 'none' && m.bytes.length > 0 && m.bytes.toString('utf8') !== text) {
      this.udp(s, m, `NetLab: ${text} (the lab's link emulation)`);
      return;
    }
    if (tcp) s.notes.push(text);
    else this.waiting(s.info.id, text);
  }

  private waiting(conn: number, text: string): void {
    if (this.notes.push({ conn, text }) > MAX_WAITING_NOTES) this.notes.shift();
  }

  private udp(s: ConnState, m: TraceRow, comment: string | null): void {
    const payload = this.buffer.of(this.payload(s, m));
    const comments = [comment, this.cut].filter((c) => c !== null);
    const template = s.from[m.dir === 's2c' ? 's2c' : 'c2s'];
    const at = this.emit(m.t, s, template.size(payload.length), comments);
    this.out.closeFrame(template.udp(this.out.buffer, this.out.view, at, payload));
  }

  /** The bytes of a message as they went: what the capture kept, and zeros for what it did not
   *  (then said in `cut`). */
  private payload(s: ConnState, m: TraceRow): Buffer {
    this.cut = null;
    let size = m.size;
    const b = m.bytes;
    // a BitTorrent piece message kept only its first bytes: its length prefix says how long
    // it was (a chunk, a read, may start anywhere in a message: its size is its own)
    if (s.info.protocol === 'bittorrent' && m.kind === 'message' && b.length >= 5 && b[0] !== 19) size = Math.max(size, Math.min(MAX_PADDED, b.readUInt32BE(0) + 4));
    if (b.length >= size) return b;
    this.cut = `NetLab kept the first ${b.length} of these ${size} bytes: the other ${size - b.length} are zeros here`;
    return Buffer.concat([b, Buffer.alloc(size - b.length)]);
  }

  private segments(s: ConnState, m: TraceRow): void {
    if (m.dir === 'none') return;
    if (!s.opened && m.dir === 'c2s') this.nameByHost(s, m.bytes);
    this.open(s, m.t);
    // the common case, a read kept whole in one segment: copied from the capture into the frame
    const kept = m.kept;
    if (kept > 0 && kept >= m.size && kept <= MSS && s.info.protocol !== 'bittorrent') {
      this.tcp(s, m.t, m.dir, ACK | PSH, this.row.of(m), NONE);
      if (this.row.copied < kept) (this.heldComments ??= []).push(`NetLab kept the first ${this.row.copied} of these ${kept} bytes: the other ${kept - this.row.copied} are zeros here`);
      return;
    }
    const bytes = this.payload(s, m);
    const comments = this.cut ? [this.cut] : NONE;
    for (let at = 0; at < bytes.length; at += MSS) {
      const piece = bytes.subarray(at, Math.min(bytes.length, at + MSS));
      const last = at + MSS >= bytes.length;
      this.tcp(s, m.t, m.dir, ACK | (last ? PSH : 0), this.buffer.of(piece), at === 0 ? comments : NONE);
    }
  }

  /** One TCP segment from `dir`'s side: its sequence number, and the other side's bytes acknowledged. */
  private tcp(s: ConnState, t: number, dir: 'c2s' | 's2c', flags: number, payload: Payload | undefined, comments: readonly string[]): void {
    const template = s.from[dir];
    const seq = s.next[dir];
    const ack = s.next[dir === 'c2s' ? 's2c' : 'c2s'];
    // SYN and FIN each take one sequence number
    s.next[dir] = (seq + (payload?.length ?? 0) + (flags & (SYN | FIN) ? 1 : 0)) >>> 0;
    const at = this.emit(t, s, template.size(payload?.length ?? 0, flags), comments);
    this.out.closeFrame(template.tcp(this.out.buffer, this.out.view, at, seq, ack, flags, payload));
  }

  /** A client that dialled 127.0.0.1 with `Host: gaia.cs.umass.edu` (curl -H, a browser
   *  with a hosts entry) reached gaia: the server's address in the trace is gaia's. */
  private namedByHost(info: ConnectionInfo): boolean {
    return info.protocol === 'http' && info.service !== 'proxy' && !info.server.virtualAddress;
  }

  private nameByHost(s: ConnState, first: Buffer): void {
    const { info } = s;
    if (!this.namedByHost(info)) return;
    const host = /\r?\nHost:[ \t]*([A-Za-z0-9.-]+)/i.exec(first.toString('latin1', 0, 4096))?.[1];
    const address = host ? this.hostAddress(host.toLowerCase().replace(/\.$/, '')) : undefined;
    if (!address) return;
    const named = { ...info, server: { ...info.server, name: info.server.name ?? host, virtualAddress: address } };
    s.ends = wireEnds(named);
    s.from = templates(s.ends, named.transport);
    s.info = named;
  }

  private open(s: ConnState, t: number): void {
    if (s.opened || s.finished || s.info.transport !== 'tcp') return;
    s.opened = true;
    // the SYN/ACK acknowledges the SYN: the server's ack field is the client's ISN + 1
    this.tcp(s, t, 'c2s', SYN, undefined, NONE);
    this.tcp(s, t, 's2c', SYN | ACK, undefined, NONE);
    this.tcp(s, t, 'c2s', ACK, undefined, NONE);
  }

  /** FIN/ACK from the side that closed first, FIN/ACK from the other, the last ACK. */
  private finish(s: ConnState, t: number): void {
    if (s.finished) return;
    if (s.info.transport === 'tcp') {
      this.open(s, t);
      const first = s.firstFin ?? 'c2s';
      const second = first === 'c2s' ? 's2c' : 'c2s';
      this.tcp(s, t, first, FIN | ACK, undefined, NONE);
      this.tcp(s, t, second, FIN | ACK, undefined, NONE);
      this.tcp(s, t, first, ACK, undefined, NONE);
    }
    s.finished = true;
    this.conns.delete(s.source.id);
    this.finished.add(s.source.id);
    if (this.finished.size > MAX_FINISHED) {
      for (const id of [...this.finished].slice(0, MAX_FINISHED / 2)) this.finished.delete(id);
    }
  }

  private closeDue(t: number): void {
    let next = Infinity;
    for (const s of this.conns.values()) {
      const closed = s.source.closed;
      if (s.finished || closed === undefined) continue;
      if (closed <= t) this.finish(s, closed);
      else next = Math.min(next, closed);
    }
    this.nextClose = next;
  }

  /** Notes waiting for a frame, prefixed with their connection when it is not `conn`'s. */
  private takeNotes(conn: number): string[] {
    const out = this.notes.map((n) => (n.conn === conn ? `NetLab: ${n.text}` : `NetLab, connection #${n.conn}: ${n.text}`));
    this.notes = [];
    return out;
  }

  /** Room for a frame of `length` bytes, written in place at the offset returned; its block stays
   *  open for notes that come after it. */
  private emit(t: number, s: ConnState, length: number, comments: readonly string[]): number {
    let all: string[] | null = null;
    if (!s.introduced) {
      s.introduced = true;
      all = [connectionComment(s.info)];
    }
    if (this.notes.length) (all ??= []).push(...this.takeNotes(s.info.id));
    if (s.notes.length) (all ??= []).push(...s.notes.splice(0).map((text) => `NetLab: ${text}`));
    if (comments.length) (all ??= []).push(...comments);
    // strictly increasing: synthesized frames at one instant still come in their order
    const micros = Math.max(Math.round((this.epochMs + t) * 1000), this.lastMicros + 1);
    this.lastMicros = micros;
    this.writeHeld();
    this.heldComments = all;
    return this.out.openPacket(micros, length);
  }

  private writeHeld(): void {
    const comments = this.heldComments;
    this.heldComments = null;
    this.out.closePacket(comments?.length ? comments.join('\n') : undefined);
  }
}

function templates(e: WireEnds, transport: ConnectionInfo['transport']): ConnState['from'] {
  const protocol = transport === 'udp' ? 17 : 6;
  return { c2s: new FrameTemplate(e.client, e.server, e.clientPort, e.serverPort, protocol), s2c: new FrameTemplate(e.server, e.client, e.serverPort, e.clientPort, protocol) };
}

/** A row's kept bytes as a payload, copied from the capture into the frame (no view made). */
class RowPayload implements Payload {
  private row: TraceRow | null = null;
  length = 0;
  /** how many the capture still had (its arena may have let old bytes go) */
  copied = 0;
  of(row: TraceRow): this {
    this.row = row;
    this.length = row.kept;
    return this;
  }
  copyInto(out: Buffer, at: number): number {
    return (this.copied = this.row!.copyTo(out, at));
  }
}

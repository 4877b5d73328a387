/**
 * The tap on one TCP connection of a lab server: every read is recorded as a chunk (the
 * bytes exactly as that read delivered them) and framed into protocol messages; the link
 * emulation of the service sits here, between the socket and the service's handler.
 */
import type { Socket } from 'node:net';
import type { ConnectionInfo, Endpoint, LinkProfile } from '../api';
import { LineFramer, type Framer } from './framer';
import { TlsRecordFramer } from '../tls/tls-decoder';
import { recordFrames, recordRead } from './read-record';
import { endpoint } from './endpoint';
import type { CaptureStore } from './store';
import { LinkDirection, type Transmitter } from '../link/link';
import type { ClientNames } from '../internet/names';
import { connectionAs, TlsLayer } from '../tls/tls-layer';
import type { TLSSocketOptions } from 'node:tls';

export interface TapContext {
  store: CaptureStore;
  service: string;
  protocol: string;
  link: () => LinkProfile;
  /** the lab's names for its own clients (terminal tabs, programs) and the hosts they dialled */
  names: ClientNames;
  framer?: () => Framer;
  /** which end of the connection the lab owns: a server (default), or a lab client dialling
   *  something that is not a lab service (then the capture happens on the client side) */
  side?: 'server' | 'client';
  /** how many of a record's bytes to keep (default: all, up to the store's cap) — a
   *  protocol carrying bulk data keeps the headers it decodes, not every block */
  keep?: (kind: 'chunk' | 'message', bytes: Buffer) => number;
  /** a server listener's own end: the lab host its service stands for, unless the client named the host it dialled */
  serverEnd?: Partial<Endpoint>;
  /** names of the two ends, when the lab knows them better than the socket does */
  endpoints?: { client?: Partial<Endpoint>; server?: Partial<Endpoint> };
  /** the address and port a server listens on, when that is one address: every accepted
   *  connection's local end (no need to ask the socket, one system call per connection) */
  listening?: Endpoint;
  /** the service reads by command lines (SMTP, POP3): the tap notes when a line is left
   *  unfinished, for the listener's deadline on completing it (slowloris) */
  lines?: boolean;
  /** the rate limit's transmitters each way, shared by every connection of the service (its
   *  access link); without them each connection has links of its own */
  transmitters?: { inbound: Transmitter; outbound: Transmitter };
}

/**
 * Unsent bytes (in the socket's buffer, or held by the link emulation) above which a server
 * tap stops reading its peer: a client that sends commands and never reads the replies
 * would otherwise make the lab hold every reply in memory. Big enough for any one reply a
 * lab service makes in a burst (a POP3 RETR of a large message goes out whole, then waits).
 */
export const BACKLOG_HIGH = 1024 * 1024;
/** ... and reads again once the unsent bytes are under this (and under the socket's own mark) */
export const BACKLOG_LOW = 64 * 1024;

const ignoreError = (): void => undefined;

export class TcpTap {
  readonly conn: ConnectionInfo;
  private framer: Framer;
  private inbound: LinkDirection;
  private outbound: LinkDirection;
  private closing = false;
  private readonly inDir: 'c2s' | 's2c';
  private readonly outDir: 'c2s' | 's2c';
  /** bytes went either way since the listener's idle sweep last looked (see TcpListener) */
  active = true;
  /** when the sweep last saw the connection carry bytes (or it opened) */
  quietSince = Date.now();
  /** the socket's unsent bytes when the sweep last looked: fewer now means the peer is reading */
  sweptBacklog = 0;
  /** when the listener gave up on the connection (idle, too slow): dropped if still open later */
  givenUpAt = 0;
  /** what the server closed it for: 'idle', 'request-timeout' */
  givenUpFor = '';
  /** when the command line or request head now pending began (0: none pending); the service
   *  sets it, or the tap itself for a line protocol (TapContext.lines) */
  partialSince = 0;
  /** reply bytes the link emulation holds back, not yet in the socket */
  private delayed = 0;
  /** flow control of a server tap (see regulate) */
  private flow: { congested: boolean; paused: boolean; waiters: (() => void)[]; queued: () => number; maxQueued: number } | null = null;
  /** TLS on this connection (HTTPS from the first byte, or after STARTTLS): reads go to it, writes come from it */
  tls: TlsLayer | null = null;
  private onData: (chunk: Buffer) => void;

  constructor(
    readonly socket: Socket,
    private ctx: TapContext,
    onData: (chunk: Buffer) => void,
  ) {
    this.onData = onData;
    const serverSide = (ctx.side ?? 'server') === 'server';
    this.inDir = serverSide ? 'c2s' : 's2c';
    this.outDir = serverSide ? 's2c' : 'c2s';
    const remote: Endpoint = { address: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 };
    // the listener's own address, known once (not read per connection), when the client came in over the same family
    const known = serverSide && ctx.listening && ctx.listening.address.includes(':') === remote.address.includes(':') ? ctx.listening : null;
    const local: Endpoint = known || { address: socket.localAddress ?? '?', port: socket.localPort ?? 0 };
    const note = serverSide ? ctx.names.lookup(remote.port, local.port) : undefined;
    const clientEnd = serverSide ? remote : local;
    const serverEnd = serverSide ? local : remote;
    const client = endpoint(clientEnd.address, clientEnd.port, note?.client, ctx.endpoints?.client);
    const server = endpoint(serverEnd.address, serverEnd.port, serverSide ? ctx.serverEnd : undefined, note?.server, ctx.endpoints?.server);
    this.conn = ctx.store.openConnection({ transport: 'tcp', service: ctx.service, protocol: ctx.protocol, client, server });
    this.framer = ctx.framer ? ctx.framer() : new LineFramer();
    this.inbound = new LinkDirection(ctx.link, Math.random, undefined, ctx.transmitters?.inbound);
    this.outbound = new LinkDirection(ctx.link, Math.random, undefined, ctx.transmitters?.outbound);
    ctx.store.note(this.conn, 'none', `connection opened: ${client.address}:${client.port} → ${server.address}:${server.port}`);

    const deliver = (chunk: Buffer): void => {
      if (socket.destroyed) return;
      this.active = true;
      if (ctx.lines) this.trackLine(chunk);
      if (this.tls) this.tls.fromWire(chunk);
      else {
        this.capture(this.inDir, chunk);
        this.onData(chunk);
      }
      if (this.flow) this.check();
    };
    socket.on('data', (chunk: Buffer) => this.inbound.inOrder(chunk.length, deliver, chunk));
    socket.on('end', () => {
      ctx.store.note(this.conn, this.inDir, `${serverSide ? 'client' : 'server'} closed its side (FIN)`);
      this.tls?.wireEnded();
    });
    socket.on('error', (err) => ctx.store.note(this.conn, 'none', `socket error: ${err.message}`));
    socket.on('close', () => this.closed());
  }

  /**
   * Send to the peer through the link, recording what goes out. `then` runs once the socket
   * has taken the bytes or, on an emulated link, once the link has transmitted them: a
   * sender writing in pieces keeps a delayed link full instead of waiting a one-way delay
   * per piece.
   */
  send(data: Buffer | string, then?: () => void): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.tls) return this.tls.send(bytes, then);
    this.sendRaw(bytes, then);
  }

  /**
   * Server side: TLS from here on (RFC 3207 §4 for SMTP and its kin; from the first byte for
   * HTTPS). The next bytes read are the ClientHello; what the service writes is encrypted.
   * `inner`: the application protocol inside, when the connection's own protocol is TLS.
   */
  startTls(options: TLSSocketOptions, inner?: { protocol: string; framer: Framer }): TlsLayer {
    const framer = this.framer;
    const { store } = this.ctx;
    const capture = inner
      ? { store, raw: { conn: this.conn, framer }, inner: { conn: connectionAs(this.conn, inner.protocol), framer: inner.framer } }
      : { store, raw: { conn: connectionAs(this.conn, 'tls'), framer: new TlsRecordFramer() }, inner: { conn: this.conn, framer } };
    const wire = {
      send: (b: Buffer, then: () => void) => this.sendRaw(b, then, false),
      end: () => (this.tlsClosing === 'close' ? this.close() : this.end()),
      note: (t: string) => this.note(t),
    };
    this.tls = new TlsLayer(options, capture, wire, (chunk) => this.onData(chunk));
    // a failed handshake (its alert sent), or TLS closed by the peer: the connection goes too
    this.tls.socket.once('close', () => {
      this.tlsClosing ??= 'close';
      this.close();
    });
    return this.tls;
  }

  /** does the link emulation pace or delay what this end sends (a rate or a delay is set, or
   *  bytes are held)? A sender writes in small pieces then, so the link stays evenly full */
  paced(): boolean {
    const p = this.ctx.link();
    return p.rateKbps > 0 || p.delayMs > 0 || p.jitterMs > 0 || this.delayed > 0;
  }

  /** `record`: false for TLS records, which the TLS layer records itself */
  private sendRaw(bytes: Buffer, then?: () => void, record = true): void {
    // no link emulation (the usual case): written now, no function made per write
    if (this.outbound.passThrough) return this.write(bytes, then, record);
    let held = false;
    const sent = (): void => {
      if (held) this.delayed -= bytes.length;
      this.write(bytes, held ? undefined : then, record);
    };
    if (this.outbound.inOrder(bytes.length, sent, undefined)) return;
    held = true;
    this.delayed += bytes.length;
    if (then) {
      // on the next turn at the soonest: a sender of many pieces must not recurse once per piece
      const ms = this.outbound.transmittedIn();
      if (ms > 0) setTimeout(then, ms);
      else setImmediate(then);
    }
    if (this.flow) this.check();
  }

  private write(bytes: Buffer, then: (() => void) | undefined, record: boolean): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    this.active = true;
    // the bytes go to the socket first, then into the capture: the peer has its reply while
    // the lab records it (nothing can record in between, so the order is the same)
    if (then) this.socket.write(bytes, () => then());
    else this.socket.write(bytes);
    if (record) this.capture(this.outDir, bytes);
    if (this.flow) this.check();
  }

  /**
   * Server side: stop reading the peer while too many reply bytes wait to be sent (it sends
   * but does not read), or while the service's own queue of received, unanswered work is
   * over `maxQueued` (pipelined commands); read again when both have come down. TCP's flow
   * control then holds the client back, not the lab's memory.
   */
  regulate(queued: () => number = () => 0, maxQueued = Infinity): void {
    const was = this.flow;
    if (!was) this.socket.on('drain', () => this.check());
    // a service may name its queue after the listener turned flow control on: keep the state
    this.flow = { congested: was?.congested ?? false, paused: was?.paused ?? false, waiters: was?.waiters ?? [], queued, maxQueued };
  }

  /** reply bytes not yet sent: in the socket's buffer or held by the link emulation */
  get backlog(): number {
    return this.socket.writableLength + this.delayed;
  }

  /** too many reply bytes wait: a service with more to say waits for whenWritable */
  get congested(): boolean {
    return this.flow?.congested ?? false;
  }

  /** `fn` once the replies have drained (at once when they have); never if the connection closes first */
  whenWritable(fn: () => void): void {
    if (!this.flow?.congested) fn();
    else this.flow.waiters.push(fn);
  }

  /** the queue the service reads from may have shrunk or grown: look again */
  check(): void {
    const f = this.flow;
    if (!f || this.socket.destroyed) return;
    const backlog = this.backlog;
    if (!f.congested && backlog > BACKLOG_HIGH) f.congested = true;
    else if (f.congested && backlog <= Math.max(BACKLOG_LOW, this.socket.writableHighWaterMark)) f.congested = false;
    const pause = f.congested || f.queued() > f.maxQueued;
    if (pause !== f.paused) {
      f.paused = pause;
      if (pause) this.socket.pause();
      else this.socket.resume();
    }
    if (!f.congested && f.waiters.length) {
      const waiters = f.waiters.splice(0);
      for (const w of waiters) w();
    }
  }

  /** A line protocol: a chunk ending mid-line starts (or continues) an unfinished command line. */
  private trackLine(chunk: Buffer): void {
    const nl = chunk.lastIndexOf(0x0a);
    if (nl === chunk.length - 1) this.partialSince = 0;
    else if (nl >= 0 || this.partialSince === 0) this.partialSince = Date.now();
  }

  /** Close after everything sent so far has gone through the link. */
  end(reason?: string): void {
    if (this.closing) return;
    // TLS: close_notify first (RFC 8446 §6.1); the layer's stream ends, then the wire ends here
    if (this.afterTls(reason, 'end')) return;
    this.closing = true;
    this.outbound.inOrder(0, () => {
      if (reason) this.ctx.store.note(this.conn, this.outDir, reason);
      this.socket.end();
    }, undefined);
  }

  /** The server's last word was sent (SMTP's 221, POP3's QUIT reply): once it has gone through
   *  the link, close both directions. Nothing more is read, so a client that resets the
   *  connection right after the reply (as smtp-source does) costs no error. */
  close(reason?: string): void {
    if (this.closing) return;
    if (this.afterTls(reason, 'close')) return;
    this.closing = true;
    this.outbound.inOrder(0, () => {
      if (reason) this.ctx.store.note(this.conn, this.outDir, reason);
      const socket = this.socket;
      // written into the kernel already: closing now still sends it, then the FIN
      if (socket.writableLength === 0) socket.destroy();
      else socket.end(() => socket.destroy());
    }, undefined);
  }

  private tlsClosing: 'end' | 'close' | null = null;

  /** With TLS up: end the TLS stream (close_notify) and end or close the wire after it. */
  private afterTls(reason: string | undefined, how: 'end' | 'close'): boolean {
    if (!this.tls || this.tlsClosing) return false;
    this.tlsClosing = how;
    if (reason) this.note(reason);
    this.tls.end();
    return true;
  }

  /** A note on this connection for the inspector: why the server did what it did. */
  note(text: string): void {
    this.ctx.store.note(this.conn, 'none', text);
  }

  destroy(reason: string): void {
    this.ctx.store.note(this.conn, 'none', reason);
    this.socket.destroy();
    this.tls?.destroy();
  }

  private capture(dir: 'c2s' | 's2c', chunk: Buffer): void {
    const store = this.ctx.store;
    if (store.enabled) recordRead(store, this.conn, this.framer, dir, chunk, this.ctx.keep);
    // capture off: nothing is recorded, but the read still crossed the wire (the SNMP agent's counters)
    else store.traffic.count(store.traffic.of(this.conn.service), 'tcp', 'chunk', false, dir, chunk.length);
  }

  private closed(): void {
    if (this.conn.closed !== undefined) return;
    if (this.tls) {
      this.tls.flush();
      this.tls.destroy();
    } else {
      // each direction's rest on its own: no array made for the two (one connection per message)
      recordFrames(this.ctx.store, this.conn, this.framer.flush('c2s'), this.ctx.keep);
      recordFrames(this.ctx.store, this.conn, this.framer.flush('s2c'), this.ctx.keep);
    }
    this.ctx.store.note(this.conn, 'none', 'connection closed');
    this.ctx.store.closeConnection(this.conn);
    // Node keeps a socket that has read (and what it references) through every young-generation
    // collection until the next full one: its listeners, which hold this tap and the service's
    // session, go now, so a closed connection leaves Node's own ~2.5 KB to promote, not the
    // lab's. 'close' is the last event; the listeners still due for it run (emit iterates a copy).
    const socket = this.socket;
    socket.removeAllListeners();
    socket.on('error', ignoreError);
  }
}

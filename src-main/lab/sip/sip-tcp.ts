/**
 * SIP over TCP for one end of the lab's SIP service (RFC 3261 §18): the front door at :5060
 * and each domain proxy have one. Its listener's connections are split into messages
 * (sip-stream.ts) and handed on with a way to answer on the same connection (§18.2.2: a
 * response goes back on the connection the request came on). The connections it opens itself,
 * to forward a request over TCP, are kept, one per address and port, and used again for the
 * dialog's ACK and BYE and the next call (§18.1.1); responses come back on them.
 * A stream that cannot be framed gets 400 and is closed; the listener keeps serving.
 */
import net from 'node:net';
import type { Endpoint, LinkProfile } from '../api';
import { TcpTap, type TapContext } from '../capture/tcp-tap';
import type { ServiceContext } from '../services/service';
import { TcpListener, type TcpLimits } from '../services/tcp-listener';
import { encodeSip, parseSip, type Parsed } from './sip-message';
import type { SipSource } from './sip-proxy';
import { SipStreamSplitter, SipTcpFramer } from './sip-stream';

export const TCP_LIMITS: TcpLimits = { idleMs: 120_000, requestMs: 10_000, maxConnections: 256 };
const CONNECT_MS = 3000;

export interface SipTcpOptions {
  service: string;
  /** this end's name in the capture (a domain proxy's), if it has one of its own */
  end?: Partial<Endpoint>;
  link: () => LinkProfile;
  /** a message read (or the reason it is refused) and the way to answer it */
  message: (p: Parsed, src: SipSource) => void;
  /** the number of connections changed */
  changed: () => void;
}

interface Outgoing {
  write: (bytes: Buffer) => void;
  socket: net.Socket;
}

export class SipTcpEnd {
  private listener: TcpListener | null = null;
  private out = new Map<string, Promise<Outgoing>>();
  private splitters = new WeakMap<TcpTap, SipStreamSplitter>();

  constructor(
    private ctx: ServiceContext,
    private opts: SipTcpOptions,
  ) {}

  connectionCount(): number {
    return (this.listener?.taps.size ?? 0) + this.out.size;
  }

  /** listen on `port` (0: any); the port listened on */
  async listen(port: number, addresses: string[]): Promise<number> {
    const tapContext: TapContext = { ...this.ctx, service: this.opts.service, protocol: 'sip', link: this.opts.link, framer: () => new SipTcpFramer(), serverEnd: this.opts.end };
    const tcp = new TcpListener(
      { allowHalfOpen: false, noDelay: true, tapContext, limits: () => TCP_LIMITS },
      {
        accept: (tap) => this.splitters.set(tap, new SipStreamSplitter()),
        data: (tap, chunk) => this.read(this.splitters.get(tap), chunk, this.tapSource(tap), (why) => tap.end(why)),
        idle: (tap) => tap.destroy('idle: connection closed by the proxy'),
        slow: (tap) => tap.destroy('a SIP message not complete in time: connection closed'),
        refuse: (tap) => tap.socket.end(encodeSip({ kind: 'response', status: 503, reason: 'Service Unavailable', headers: [], body: Buffer.alloc(0) })),
        changed: () => this.opts.changed(),
      },
    );
    this.listener = tcp;
    return tcp.listen(port, addresses);
  }

  async close(): Promise<void> {
    for (const c of this.out.values()) void c.then((o) => o.socket.destroy(), () => undefined);
    this.out.clear();
    await this.listener?.close();
    this.listener = null;
  }

  /**
   * Send over the connection to address:port, opened first if there is none. `tapped`: the
   * peer is no lab SIP end (a phone, sipp), so this end captures the connection; a lab proxy's
   * own listener captures what it receives. Rejects when no connection can be made.
   */
  async send(address: string, port: number, bytes: Buffer, tapped: boolean, server?: Partial<Endpoint>): Promise<void> {
    const key = `${address}|${port}`;
    let c = this.out.get(key);
    if (!c) {
      c = this.open(address, port, tapped, server, key);
      this.out.set(key, c);
      c.catch(() => this.out.get(key) === c && this.out.delete(key));
    }
    const o = await c;
    if (o.socket.destroyed || !o.socket.writable) {
      if (this.out.get(key) === c) this.out.delete(key);
      return this.send(address, port, bytes, tapped, server);
    }
    o.write(bytes);
  }

  private open(address: string, port: number, tapped: boolean, server: Partial<Endpoint> | undefined, key: string): Promise<Outgoing> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: address, port, noDelay: true });
      let connected = false;
      const timer = setTimeout(() => socket.destroy(new Error(`no connection within ${CONNECT_MS / 1000} s`)), CONNECT_MS);
      socket.on('error', (err) => {
        clearTimeout(timer);
        if (!connected) reject(err);
      });
      socket.once('connect', () => {
        connected = true;
        clearTimeout(timer);
        const splitter = new SipStreamSplitter();
        const local = socket.localPort ?? 0;
        let out: Outgoing;
        let src: SipSource;
        if (tapped) {
          const tap = new TcpTap(
            socket,
            { store: this.ctx.store, names: this.ctx.names, service: this.opts.service, protocol: 'sip', link: this.opts.link, side: 'client', framer: () => new SipTcpFramer(), endpoints: { client: this.opts.end, server } },
            (chunk) => this.read(splitter, chunk, src, (why) => tap.end(why)),
          );
          src = this.tapSource(tap);
          out = { socket, write: (b) => tap.send(b) };
        } else {
          // another lab SIP end: its listener's tap records the connection and applies its link;
          // it names this end from the local port
          this.ctx.names.note(local, { client: this.opts.end ?? {}, server: {} });
          socket.on('data', (chunk: Buffer) => this.read(splitter, chunk, src, () => socket.destroy()));
          out = { socket, write: (b) => void socket.write(b) };
          src = { transport: 'tcp', address, port, reply: out.write, note: () => undefined };
        }
        socket.setTimeout(TCP_LIMITS.idleMs, () => socket.destroy());
        socket.once('close', () => {
          if (!tapped) this.ctx.names.forget(local);
          void this.out.get(key)?.then((o) => o.socket === socket && this.out.delete(key));
          this.opts.changed();
        });
        this.opts.changed();
        resolve(out);
      });
    });
  }

  private tapSource(tap: TcpTap): SipSource {
    return {
      transport: 'tcp',
      address: tap.socket.remoteAddress ?? '?',
      port: tap.socket.remotePort ?? 0,
      reply: (bytes) => tap.send(bytes),
      note: (text) => tap.note(text),
    };
  }

  /** the messages in a chunk of the stream; a stream that cannot be framed is answered and closed */
  private read(splitter: SipStreamSplitter | undefined, chunk: Buffer, src: SipSource, close: (why: string) => void): void {
    if (!splitter) return;
    for (const piece of splitter.push(chunk)) {
      const p = parseSip(piece.bytes);
      if (piece.ok) {
        this.opts.message(p, src);
        continue;
      }
      this.opts.message(p.ok ? { ok: false, reason: piece.reason, request: p.msg.kind === 'request' ? p.msg : undefined } : { ...p, reason: piece.reason }, src);
      close('the stream cannot be framed any more: connection closed');
    }
  }
}

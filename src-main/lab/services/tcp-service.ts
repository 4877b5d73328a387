/** A lab service that listens on TCP: the listener's life, and a tap per connection. */
import net from 'node:net';
import type { Framer } from '../capture/framer';
import { TcpTap, type TapContext } from '../capture/tcp-tap';
import { LabService } from './service';

const COUNT_MS = 100;
/** idle sweeps per idle period: a connection closes between idleMs and 1.2 × idleMs after its last byte */
const SWEEPS = 5;
/** a listener on every address: each connection's local address is its own */
const UNSPECIFIED = new Set(['0.0.0.0', '::']);

export abstract class TcpLabService extends LabService {
  readonly transport = 'tcp' as const;
  private server: net.Server | null = null;
  private countTimer: NodeJS.Timeout | null = null;
  protected taps = new Set<TcpTap>();
  /** keep our side open after the client's FIN, for services that answer after it */
  protected allowHalfOpen = false;
  /** send each reply at once (TCP_NODELAY): for request–reply protocols whose every reply is one write */
  protected noDelay = false;
  /** how the capture frames this protocol's stream into messages (default: by line) */
  protected framer?: () => Framer;
  /** a connection with no byte either way for this long is handed to `idle` (0: never). One
   *  sweep per listener, not a timer per socket that every read and write would re-arm */
  protected idleMs = 0;
  private sweepTimer: NodeJS.Timeout | null = null;

  connectionCount(): number {
    return this.taps.size;
  }

  /** Called for each accepted connection, with its tap; `data` receives the bytes that passed the link. */
  protected abstract accept(tap: TcpTap): void;
  protected abstract data(tap: TcpTap, chunk: Buffer): void;
  /** the connection was idle for `idleMs` */
  protected idle(tap: TcpTap): void {
    tap.destroy(`idle for ${this.idleMs / 1000} s: the server closes the connection`);
  }

  protected listen(): Promise<void> {
    // one context for every connection of this listener (a benchmark opens thousands a second)
    const tapContext: TapContext = { ...this.ctx, service: this.id, protocol: this.protocol, link: () => this.link, framer: this.framer };
    const server = net.createServer({ allowHalfOpen: this.allowHalfOpen, noDelay: this.noDelay }, (socket) => {
      const tap = new TcpTap(socket, tapContext, (chunk) => this.data(tap, chunk));
      this.taps.add(tap);
      socket.on('close', () => {
        this.taps.delete(tap);
        this.countChanged();
      });
      this.accept(tap);
      this.countChanged();
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.ctx.bindAddress, () => {
        server.off('error', reject);
        this.port = (server.address() as net.AddressInfo).port; // port 0: the system chose one
        if (net.isIP(this.ctx.bindAddress) && !UNSPECIFIED.has(this.ctx.bindAddress)) tapContext.listening = { address: this.ctx.bindAddress, port: this.port };
        server.on('error', () => undefined);
        if (this.idleMs > 0) this.sweepTimer = setInterval(() => this.sweep(), this.idleMs / SWEEPS).unref();
        resolve();
      });
    });
  }

  /** The connection count changed: the rail hears of it at most every COUNT_MS, not on every
   *  accept and close (a benchmark opens thousands of connections a second). */
  private countChanged(): void {
    if (this.countTimer) return;
    this.countTimer = setTimeout(() => {
      this.countTimer = null;
      this.changed();
    }, COUNT_MS);
    this.countTimer.unref();
  }

  /** every idleMs/SWEEPS: a connection found idle SWEEPS times in a row has been idle at least
   *  idleMs; one still there another idleMs later (a client that never closes its side after
   *  the server's FIN) is dropped */
  private sweep(): void {
    for (const tap of this.taps) {
      if (tap.active) {
        tap.active = false;
        tap.idleSweeps = 0;
      } else if (++tap.idleSweeps === SWEEPS) this.idle(tap);
      else if (tap.idleSweeps >= 2 * SWEEPS) tap.destroy(`still open ${this.idleMs / 1000} s after the idle close: dropped`);
    }
  }

  protected close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    if (this.countTimer) clearTimeout(this.countTimer);
    this.countTimer = null;
    const server = this.server;
    this.server = null;
    for (const tap of this.taps) tap.destroy('service stopped');
    this.taps.clear();
    if (!server || !server.listening) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}

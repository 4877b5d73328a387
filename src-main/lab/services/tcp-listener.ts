/**
 * What every lab TCP listener does to its connections, whatever the protocol: a tap per
 * connection with flow control (no reading past a backlog of unsent replies), a cap on
 * connections open at once with the protocol's own refusal, an idle timeout, and a deadline
 * on completing a command line or request head. TcpLabService listens through it, and so
 * does the TCP side of the DNS servers.
 *
 * One sweep per listener, not a timer per socket that every read and write would re-arm:
 * a tap only raises a flag when bytes pass, and the sweep reads the flags.
 */
import net from 'node:net';
import { TcpTap, type TapContext } from '../capture/tcp-tap';
import { addressUnavailable } from './addresses';
import { descriptors } from './descriptors';

export interface TcpLimits {
  /** a connection with no byte either way for this long is handed to `idle` (0: never) */
  idleMs: number;
  /** a command line or request head must be complete this long after its first byte (0: no
   *  bound). An idle timeout alone lets a client keep a connection by sending a byte a second */
  requestMs: number;
  /** connections open at once; the next one is refused with the protocol's own reply */
  maxConnections: number;
}

export interface TcpConnectionHooks {
  accept(tap: TcpTap): void;
  data(tap: TcpTap, chunk: Buffer): void;
  /** no byte either way for idleMs */
  idle(tap: TcpTap): void;
  /** a command line or request head still not complete requestMs after it began */
  slow(tap: TcpTap): void;
  /** over a cap: say so in the protocol (SMTP 421, POP3 -ERR, HTTP 503) and close */
  refuse(tap: TcpTap): void;
  /** at the cap, a connection that may be closed to make room for the new one (DNS over
   *  TCP, RFC 7766 §6.2.3); without it the new one is refused */
  evictable?(tap: TcpTap): boolean;
  /** the number of connections changed */
  changed(): void;
}

export interface TcpListenerOptions {
  allowHalfOpen: boolean;
  noDelay: boolean;
  tapContext: TapContext;
  limits: () => TcpLimits;
}

/** idle sweeps per idle period: a connection closes between idleMs and 1.2 × idleMs after its last byte */
const SWEEPS = 5;
/** no sweep more often than this, whatever the limits */
const MIN_SWEEP_MS = 20;
/** a listener on every address: each connection's local address is its own */
const UNSPECIFIED = new Set(['0.0.0.0', '::']);

export class TcpListener {
  readonly taps = new Set<TcpTap>();
  private servers: net.Server[] = [];
  /** the addresses actually listened on (::1 is left out on a machine without IPv6) */
  addresses: string[] = [];
  private sweepTimer: NodeJS.Timeout | null = null;
  /** connections refused and not yet closed: they hold a descriptor too */
  private refusing = new Set<TcpTap>();

  constructor(
    private options: TcpListenerOptions,
    private hooks: TcpConnectionHooks,
  ) {}

  /** reply bytes the connections hold unsent (what a client that does not read costs the lab) */
  unsentBytes(): number {
    let n = 0;
    for (const tap of this.taps) n += tap.backlog;
    return n;
  }

  /**
   * Listen on each address at one port, the first address choosing it when the port is 0;
   * resolves with the port. An address the machine does not have (no IPv6) is left out; a
   * port the system chose that is taken on another address is chosen again.
   */
  async listen(port: number, hosts: string[]): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const chosen = await this.listenOn(port, hosts[0]);
      this.addresses = [hosts[0]];
      try {
        for (const host of hosts.slice(1)) {
          try {
            await this.listenOn(chosen, host);
            this.addresses.push(host);
          } catch (err) {
            if (!addressUnavailable(err)) throw err;
          }
        }
      } catch (err) {
        await this.closeServers();
        if (port !== 0 || attempt >= 5) throw err;
        continue;
      }
      this.armSweep();
      return chosen;
    }
  }

  private listenOn(port: number, host: string): Promise<number> {
    const { allowHalfOpen, noDelay, tapContext } = this.options;
    const server = net.createServer({ allowHalfOpen, noDelay }, (socket) => this.accepted(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        this.servers.push(server);
        const chosen = (server.address() as net.AddressInfo).port;
        if (!tapContext.listening && net.isIP(host) && !UNSPECIFIED.has(host)) tapContext.listening = { address: host, port: chosen };
        server.on('error', () => undefined);
        resolve(chosen);
      });
    });
  }

  private closeServers(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    this.options.tapContext.listening = undefined;
    return Promise.all(servers.map((s) => (s.listening ? new Promise<void>((r) => s.close(() => r())) : undefined))).then(() => undefined);
  }

  close(): Promise<void> {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
    for (const tap of this.taps) tap.destroy('service stopped');
    for (const tap of this.refusing) tap.socket.destroy();
    this.taps.clear();
    return this.closeServers();
  }

  private accepted(socket: net.Socket): void {
    const ctx = this.options.tapContext;
    const within = descriptors.open();
    const tap = new TcpTap(socket, ctx, (chunk) => this.hooks.data(tap, chunk));
    const limits = this.options.limits();
    const full = this.taps.size >= limits.maxConnections && !this.evict();
    if (!within || full) {
      this.refusing.add(tap);
      socket.once('close', () => {
        descriptors.closed();
        this.refusing.delete(tap);
      });
      socket.on('error', () => undefined);
      ctx.store.note(
        tap.conn,
        'none',
        full
          ? `refused: ${limits.maxConnections} connections are open, this service's cap`
          : `refused: the lab keeps its last ${descriptors.reserve} file descriptors for its own UI and files (${descriptors.budget} connections in all)`,
      );
      this.hooks.refuse(tap);
      return;
    }
    tap.regulate();
    this.taps.add(tap);
    // one listener for the descriptor and the count (a benchmark opens thousands of connections a second)
    socket.once('close', () => {
      descriptors.closed();
      this.taps.delete(tap);
      this.hooks.changed();
    });
    this.hooks.accept(tap);
    this.hooks.changed();
  }

  /** The limits changed: sweep at the pace they ask for from now on, not after the old period. */
  limitsChanged(): void {
    if (!this.sweepTimer) return;
    clearTimeout(this.sweepTimer);
    this.armSweep();
  }

  /** At the cap: close the connection quiet the longest (as the sweep last saw) among those the protocol lets go. */
  private evict(): boolean {
    const may = this.hooks.evictable;
    if (!may) return false;
    let oldest: TcpTap | null = null;
    for (const tap of this.taps) {
      if (tap.givenUpAt || !may(tap)) continue;
      if (!oldest || tap.quietSince < oldest.quietSince) oldest = tap;
    }
    if (!oldest) return false;
    this.taps.delete(oldest);
    oldest.destroy('closed to make room for a new connection: this one was idle and the service is at its cap');
    return true;
  }

  private armSweep(): void {
    const { idleMs, requestMs } = this.options.limits();
    const shortest = Math.min(idleMs || Infinity, requestMs || Infinity);
    // no limit now: look again later, the limits may be changed while running
    const every = shortest === Infinity ? 1000 : Math.max(MIN_SWEEP_MS, shortest / SWEEPS);
    this.sweepTimer = setTimeout(() => {
      this.sweep();
      if (this.servers.length) this.armSweep();
    }, every);
    this.sweepTimer.unref();
  }

  /**
   * A connection found carrying bytes (or with its unsent replies going down: the peer reads
   * a long reply) is quiet from now on; one quiet for idleMs goes to `idle`; one whose pending
   * command line began requestMs ago goes to `slow`; one given up on and still open one
   * period later (a client that never closes its side, or never reads the farewell) is dropped.
   */
  private sweep(): void {
    const { idleMs, requestMs } = this.options.limits();
    const now = Date.now();
    const grace = idleMs || requestMs;
    for (const tap of this.taps) {
      const backlog = tap.socket.writableLength;
      if (tap.active || backlog < tap.sweptBacklog) {
        tap.active = false;
        tap.quietSince = now;
      }
      tap.sweptBacklog = backlog;
      if (tap.givenUpAt) {
        if (grace && now - tap.givenUpAt >= grace) tap.destroy(`still open ${grace / 1000} s after the ${tap.givenUpFor} close: dropped`);
      } else if (requestMs && tap.partialSince && now - tap.partialSince >= requestMs) {
        tap.givenUpAt = now;
        tap.givenUpFor = 'request-timeout';
        this.hooks.slow(tap);
      } else if (idleMs && now - tap.quietSince >= idleMs) {
        tap.givenUpAt = now;
        tap.givenUpFor = 'idle';
        this.hooks.idle(tap);
      }
    }
  }
}

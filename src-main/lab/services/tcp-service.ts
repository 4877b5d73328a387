/** A lab service that listens on TCP: the listener's life, and a tap per connection. */
import type { Framer } from '../capture/framer';
import type { TapContext, TcpTap } from '../capture/tcp-tap';
import { LabService } from './service';
import { listenAddresses } from './addresses';
import { TcpListener, type TcpLimits } from './tcp-listener';
import { Transmitter } from '../link/link';

const COUNT_MS = 100;
/** connections one service holds at once unless it says otherwise: a class of students and
 *  their clients, far from the process's descriptor limit */
export const DEFAULT_MAX_CONNECTIONS = 256;

export abstract class TcpLabService extends LabService {
  readonly transport = 'tcp' as const;
  private listener: TcpListener | null = null;
  private countTimer: NodeJS.Timeout | null = null;
  /** keep our side open after the client's FIN, for services that answer after it */
  protected allowHalfOpen = false;
  /** send each reply at once (TCP_NODELAY): for request–reply protocols whose every reply is one write */
  protected noDelay = false;
  /** how the capture frames this protocol's stream into messages (default: by line) */
  protected framer?: () => Framer;
  /** the protocol reads command lines: the listener bounds the time to finish one (requestMs) */
  protected lines = false;
  /** how many of a captured record's bytes to keep (TapContext.keep): default all */
  protected keep?: TapContext['keep'];
  /** a connection with no byte either way for this long is handed to `idle` (0: never) */
  protected idleMs = 0;
  /** a command line or request head must be complete this long after its first byte (0: no bound) */
  protected requestMs = 0;
  /** connections open at once; the next is handed to `refuse` */
  protected maxConnections = DEFAULT_MAX_CONNECTIONS;

  connectionCount(): number {
    return this.listener?.taps.size ?? 0;
  }

  /** reply bytes the connections hold unsent: bounded per connection (see TcpTap.regulate) */
  unsentBytes(): number {
    return this.listener?.unsentBytes() ?? 0;
  }

  /** The limits in force now. */
  limits(): TcpLimits {
    return { idleMs: this.idleMs, requestMs: this.requestMs, maxConnections: this.maxConnections };
  }

  /** Change the limits (tests make them short); open connections are held to them from the next sweep. */
  setLimits(patch: Partial<TcpLimits>): void {
    if (patch.idleMs !== undefined) this.idleMs = patch.idleMs;
    if (patch.requestMs !== undefined) this.requestMs = patch.requestMs;
    if (patch.maxConnections !== undefined) this.maxConnections = patch.maxConnections;
    this.listener?.limitsChanged();
  }

  /** Called for each accepted connection, with its tap; `data` receives the bytes that passed the link. */
  protected abstract accept(tap: TcpTap): void;
  protected abstract data(tap: TcpTap, chunk: Buffer): void;
  /** the connection was idle for `idleMs` */
  protected idle(tap: TcpTap): void {
    tap.destroy(`idle for ${this.idleMs / 1000} s: the server closes the connection`);
  }
  /** a command line or request head was not complete `requestMs` after it began */
  protected slow(tap: TcpTap): void {
    tap.destroy(`a command not complete within ${this.requestMs / 1000} s (slowloris guard): the server closes the connection`);
  }
  /** a connection over the cap (the note saying which was written): the protocol's refusal, then close */
  protected refuse(tap: TcpTap): void {
    tap.close('the server closes the refused connection');
  }
  /** at the cap: may this connection be closed to make room for a new one? (default: no, refuse the new one) */
  protected evictable?(tap: TcpTap): boolean;

  protected async listen(): Promise<void> {
    // one context for every connection of this listener (a benchmark opens thousands a second)
    const tapContext: TapContext = { ...this.ctx, service: this.id, protocol: this.protocol, link: () => this.link, framer: this.framer, lines: this.lines, serverEnd: this.ownEnd, keep: this.keep, transmitters: { inbound: new Transmitter(), outbound: new Transmitter() } };
    const listener = new TcpListener(
      { allowHalfOpen: this.allowHalfOpen, noDelay: this.noDelay, tapContext, limits: () => this.limits() },
      {
        accept: (tap) => this.accept(tap),
        data: (tap, chunk) => this.data(tap, chunk),
        idle: (tap) => this.idle(tap),
        slow: (tap) => this.slow(tap),
        refuse: (tap) => this.refuse(tap),
        evictable: this.evictable ? (tap) => this.evictable?.(tap) ?? false : undefined,
        changed: () => this.countChanged(),
      },
    );
    this.listener = listener;
    this.port = await listener.listen(this.port, listenAddresses(this.ctx.bindAddress));
    this.addresses = listener.addresses;
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

  protected close(): Promise<void> {
    if (this.countTimer) clearTimeout(this.countTimer);
    this.countTimer = null;
    const listener = this.listener;
    this.listener = null;
    return listener ? listener.close() : Promise.resolve();
  }
}

/**
 * One direction of an emulated link: decides when (and for datagrams whether) a message
 * gets through. Delay is one-way; the rate limit is a token bucket drained at `rateKbps`,
 * so a message of n bytes occupies the link for 8n/rate seconds after the one before it
 * (transmission delay, Kurose & Ross §1.4). Stream data keeps its order; datagrams may be
 * lost or overtaken, as UDP allows.
 */
import type { LinkProfile } from '../api';

/**
 * The transmitter a link direction's rate limit occupies. Each direction has its own unless
 * given one: the connections of one service share theirs, as a server's connections share
 * its access link (Kurose & Ross §2.2.2's parallel connections share the bandwidth).
 */
export class Transmitter {
  busyUntil = 0;
}

export type Verdict = { deliver: true; afterMs: number } | { deliver: false; reason: string };
const now = (): number => performance.now();

/** an unemulated link: no clock read, no object per datagram */
const DELIVER_NOW: Verdict = Object.freeze({ deliver: true, afterMs: 0 });

export class LinkDirection {
  private lastDeliveryAt = 0;
  /** stream deliveries scheduled and not yet run, oldest first (see inOrder) */
  private pending: { run: () => void; done: boolean }[] = [];

  constructor(
    private profile: () => LinkProfile,
    private random: () => number = Math.random,
    private clock: () => number = now,
    private transmitter = new Transmitter(),
  ) {}

  /** When a datagram of `size` bytes handed over now is delivered, or why it is lost. */
  datagram(size: number): Verdict {
    const p = this.profile();
    if (p.lossRate === 0 && p.delayMs === 0 && p.rateKbps <= 0 && p.jitterMs === 0 && p.reorderRate === 0) return DELIVER_NOW;
    if (p.lossRate > 0 && this.random() < p.lossRate) {
      return { deliver: false, reason: `lost by link emulation (loss ${Math.round(p.lossRate * 100)}%)` };
    }
    let after = this.transmission(size) + p.delayMs;
    if (p.jitterMs > 0) after += this.random() * p.jitterMs;
    if (p.reorderRate > 0 && this.random() < p.reorderRate) after += Math.max(50, p.delayMs + p.jitterMs);
    return { deliver: true, afterMs: after };
  }

  /** When stream bytes handed over now are delivered: never before bytes sent earlier. */
  stream(size: number): number {
    const p = this.profile();
    // an unemulated link that never delayed anything: no clock to read, nothing to order
    if (this.lastDeliveryAt === 0 && p.delayMs === 0 && p.rateKbps === 0) return 0;
    const now = this.clock();
    const at = Math.max(now + this.transmission(size) + p.delayMs, this.lastDeliveryAt);
    this.lastDeliveryAt = at;
    return at - now;
  }

  /** an unemulated link that never held or delayed anything: stream bytes handed over now go at once
   *  (what `inOrder` would decide, without its call and the function it is given) */
  get passThrough(): boolean {
    if (this.lastDeliveryAt !== 0 || this.pending.length !== 0) return false;
    const p = this.profile();
    return p.delayMs === 0 && p.rateKbps === 0;
  }

  /**
   * Run `fn(arg)` when stream bytes handed over now are delivered, never before anything
   * handed over earlier (data, then the close); true when it ran at once (nothing held).
   * One timer each is not enough: Node computes a timer's expiry from the event loop's
   * cached clock, so on a busy loop a later, shorter timer can fire first — the FIN
   * overtaking the last response.
   */
  inOrder<T>(size: number, fn: (arg: T) => void, arg: T): boolean {
    const ms = this.stream(size);
    if (ms <= 0 && this.pending.length === 0) {
      fn(arg);
      return true;
    }
    const item = { run: () => fn(arg), done: false };
    this.pending.push(item);
    setTimeout(() => {
      // the head up to this one, in the order they were handed over
      while (!item.done) {
        const head = this.pending.shift()!;
        head.done = true;
        head.run();
      }
    }, Math.max(0, ms));
    return false;
  }

  /** ms until the transmitter has sent everything handed to it (the propagation delay after that
   *  overlaps the next data: a sender waiting on this keeps the link busy, as TCP's window does) */
  transmittedIn(): number {
    return Math.max(0, this.transmitter.busyUntil - this.clock());
  }

  private transmission(size: number): number {
    const p = this.profile();
    const now = this.clock();
    if (p.rateKbps <= 0) return 0;
    const t = this.transmitter;
    const start = Math.max(now, t.busyUntil);
    t.busyUntil = start + (size * 8) / p.rateKbps; // kbit/s = bit/ms
    return t.busyUntil - now;
  }
}

/** Runs `fn` after `ms`, at once when there is no delay, so an unemulated link costs nothing. */
export function later(ms: number, fn: () => void): void {
  if (ms <= 0) fn();
  else setTimeout(fn, ms);
}

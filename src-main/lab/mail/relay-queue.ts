/**
 * The outgoing queue and the client side of the relay (Kurose & Ross §2.3.1, steps 3–4):
 * for each message and destination domain, look up the domain's MX in lab DNS, open a TCP
 * connection to the exchanger's port 25 through the lab internet, and transfer. A hop that
 * is down leaves the message queued and retried with exponential backoff (RFC 5321
 * §4.5.4.1); a permanent refusal (5xx) returns it to the sender. The entries themselves
 * live in the spool journal, so a queued message survives a restart.
 */
import type { Endpoint, MailQueueEntry } from '../api';
import type { Dialled, MxRecord } from '../internet/internet';
import type { FailedRecipient } from './bounce';
import { sendMail, type SmtpClientResult } from './smtp/smtp-client';

export interface QueueItem {
  id: string;
  domain: string;
  from: string;
  rcpts: string[];
  data: Buffer;
  /** MAIL FROM's BODY= as the message came (RFC 6152): passed on where the next hop offers 8BITMIME */
  body?: '7BIT' | '8BITMIME';
  created: number;
  attempts: number;
  next: number;
  lastError?: string;
  sending: boolean;
  /** recipients refused for good so far (returned to the sender when the item finishes) */
  failed: FailedRecipient[];
  /** the exchanger of the last attempt that got an answer */
  mta?: string;
}

export interface RelayDeps {
  mx(domain: string): Promise<MxRecord[]>;
  dial(host: string, port: number): Promise<Dialled>;
  /** label a relay's socket for the inspector; returns the label's forget */
  note(localPort: number, names: { client: Partial<Endpoint>; server: Partial<Endpoint> }, dialled: number): () => void;
  /** the relaying server's own name (EHLO, and the inspector's label) */
  helo(item: QueueItem): string;
  /** the whole item is finished: relayed, or bounced for the recipients listed */
  finished(item: QueueItem, failed: FailedRecipient[]): void;
  changed(): void;
}

export interface RelayTiming {
  /** first retry after this, doubling each time up to maxMs */
  baseMs: number;
  maxMs: number;
  /** give up (bounce) after this long in the queue */
  maxAgeMs: number;
  /** connections opened at once */
  concurrency: number;
}

export const DEFAULT_TIMING: RelayTiming = { baseMs: 1000, maxMs: 30_000, maxAgeMs: 24 * 3600_000, concurrency: 8 };

export class RelayQueue {
  private items = new Map<string, QueueItem>();
  private timer: NodeJS.Timeout | null = null;
  private active = 0;
  private stopped = false;

  constructor(
    private deps: RelayDeps,
    /** settable: a lab (or a test) may keep messages a shorter time before they bounce */
    public timing: RelayTiming = DEFAULT_TIMING,
  ) {}

  add(item: Omit<QueueItem, 'attempts' | 'next' | 'sending' | 'failed'>): void {
    // every item of one shape, its fields all there from the start: thousands queued at once
    // are read on every turn of the queue, and objects that gain fields later each take a
    // shape of their own, which makes every read of them a slow lookup
    const { id, domain, from, rcpts, data, body, created } = item;
    const queued: QueueItem = { id, domain, from, rcpts, data, body, created, attempts: 0, next: Date.now(), lastError: undefined, sending: false, failed: [], mta: undefined };
    this.items.set(`${id}/${domain}`, queued);
    this.deps.changed();
    this.schedule(0);
  }

  list(): MailQueueEntry[] {
    return [...this.items.values()].map((i) => ({
      id: i.id,
      domain: i.domain,
      from: i.from,
      rcpts: [...i.rcpts],
      size: i.data.length,
      created: i.created,
      attempts: i.attempts,
      nextAttempt: i.sending ? undefined : i.next,
      lastError: i.lastError,
      state: i.sending ? 'sending' : 'queued',
    }));
  }

  get size(): number {
    return this.items.size;
  }

  /** the user pressed "retry now" */
  retryNow(): void {
    for (const i of this.items.values()) i.next = Date.now();
    this.schedule(0);
  }

  /** forget what is in memory (the spool keeps it) and stop sending until the next add */
  clear(): void {
    this.items.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), Math.max(0, delay));
    this.timer.unref?.();
  }

  /**
   * Start what is due, up to the concurrency. One pass, which stops as soon as every
   * connection is taken: the attempt that ends next runs the queue again. Only a pass that
   * went through the whole queue knows when the next retry is due, and sets the timer for it
   * (a queue of thousands, filled faster than it drains, is not walked twice on every turn).
   */
  private run(): void {
    this.timer = null;
    const now = Date.now();
    let soonest = Infinity;
    for (const item of this.items.values()) {
      if (item.sending) continue;
      if (item.next > now) {
        if (item.next < soonest) soonest = item.next;
        continue;
      }
      if (this.active >= this.timing.concurrency) return;
      void this.attempt(item);
    }
    if (soonest < Infinity) this.schedule(soonest - Date.now());
  }

  private async attempt(item: QueueItem): Promise<void> {
    item.sending = true;
    item.attempts += 1;
    this.active += 1;
    this.deps.changed();
    let result: SmtpClientResult | { error: string; temporary: boolean };
    try {
      result = await this.transfer(item);
    } catch (err) {
      result = { error: (err as Error).message, temporary: true };
    }
    this.active -= 1;
    item.sending = false;
    try {
      this.settle(item, result);
    } finally {
      // the next due item takes the freed connection (the queue is not walked while all are busy)
      this.deps.changed();
      this.schedule(0);
    }
  }

  /** What the attempt's answer means for each recipient: done, returned, or tried again later. */
  private settle(item: QueueItem, result: SmtpClientResult | { error: string; temporary: boolean }): void {
    const failed = item.failed;
    const answered = 'rcpts' in result ? result.rcpts : [];
    const final = 'final' in result ? result.final : undefined;
    if (answered.length > 0 && (final || answered.every((r) => r.reply.code >= 300))) {
      // per recipient: 2xx done (once the message is accepted), 4xx stays queued, 5xx is returned
      const retry: string[] = [];
      for (const r of answered) {
        if (r.reply.code < 300 && final) continue;
        if (r.reply.code < 500) retry.push(r.address);
        else failed.push({ address: r.address, reason: `${r.reply.code} ${r.reply.text.replace(/\n/g, ' ')}`, remoteMta: item.mta });
      }
      retry.push(...item.rcpts.filter((a) => !answered.some((r) => r.address === a)));
      item.rcpts = retry;
    } else if (!result.temporary) {
      for (const address of item.rcpts) failed.push({ address, reason: result.error ?? 'refused', remoteMta: item.mta });
      item.rcpts = [];
    }
    if (item.rcpts.length > 0 && Date.now() - item.created > this.timing.maxAgeMs) {
      // RFC 5321 §4.5.4.1: give up after the queue's lifetime, and say so to the sender
      for (const address of item.rcpts) {
        failed.push({ address, reason: `still undeliverable after ${item.attempts} attempts: ${result.error ?? 'deferred'}`, expired: true });
      }
      item.rcpts = [];
    }
    if (item.rcpts.length === 0) {
      this.items.delete(`${item.id}/${item.domain}`);
      this.deps.finished(item, failed);
    } else {
      item.lastError = result.error ?? 'some recipients were deferred';
      item.next = Date.now() + Math.min(this.timing.baseMs * 2 ** (item.attempts - 1), this.timing.maxMs);
    }
  }

  private async transfer(item: QueueItem): Promise<SmtpClientResult | { error: string; temporary: boolean }> {
    const records = await this.deps.mx(item.domain);
    // no MX: the domain itself is the exchanger (RFC 5321 §5.1)
    const exchanges = records.length ? records.map((r) => r.exchange) : [item.domain];
    let last: SmtpClientResult | { error: string; temporary: boolean } = { error: 'no mail exchanger', temporary: true };
    for (const exchange of exchanges) {
      const d = await this.deps.dial(exchange, 25);
      if (!d.ok && !d.refused) {
        last = { error: d.error, temporary: true };
        continue;
      }
      if (!d.ok || !d.service) {
        // refused by the lab, or an exchanger on loopback: never whatever listens on the machine's own port 25
        last = { error: `connection refused: no mail server answers at ${exchange} port 25 (is it stopped?)`, temporary: true };
        continue;
      }
      const helo = this.deps.helo(item);
      const result = await sendMail({
        address: d.address,
        port: d.port,
        helo,
        from: item.from,
        rcpts: item.rcpts,
        data: item.data,
        ...(item.body ? { body: item.body } : {}),
        note: this.deps.note,
        names: {
          client: { name: `${helo} (relay)` },
          server: { name: exchange, virtualAddress: d.virtualAddress, virtualPort: 25 },
        },
      });
      if (result.connected) {
        item.mta = exchange;
        return result;
      }
      last = result;
    }
    return last;
  }
}

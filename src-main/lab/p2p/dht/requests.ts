/**
 * The queries a peer has asked and waits on: each has a query id carried by every hop and
 * echoed by the answer. UDP may lose a datagram (or a peer on the path may have left), so a
 * query not answered within its time is sent again, up to `retries` times.
 */
import { randomInt } from 'node:crypto';
import type { DhtMessage, Endpoint, PeerRef, Route } from './dht-codec';

export type RequestKind = 'LOOKUP' | 'PUT' | 'GET';

export interface Answer {
  ok: boolean;
  key: number;
  /** the responsible peer */
  peer?: PeerRef;
  /** query messages sent (the origin's first included) */
  hops: number;
  /** hops plus the answer: what K&R count per query */
  messages: number;
  ms: number;
  tries: number;
  value?: string;
  /** a GET found no value */
  missing?: boolean;
  reason?: string;
  /** the query id of the answered try (the ring's trace of its path) */
  qid?: string;
}

type Answering = Extract<DhtMessage, { type: 'FOUND' | 'STORED' | 'VALUE' | 'NOVALUE' | 'WELCOME' }>;
type Welcome = Extract<DhtMessage, { type: 'WELCOME' }>;

interface Pending {
  /** the answer, or null when the time ran out (or the peer stopped) */
  done(m: Answering | null): void;
  /** performance.now() past which it has timed out */
  deadline: number;
}

/**
 * One sweep per thread for every pending query of every peer, instead of a timer per query:
 * a timed-out query is noticed at most SWEEP_MS late (timeouts are ≥ 300 ms). It runs only
 * while something is pending and never keeps the process alive.
 */
const SWEEP_MS = 25;
const waiting = new Set<Requests>();
let sweeper: NodeJS.Timeout | null = null;

function watch(r: Requests): void {
  waiting.add(r);
  if (sweeper) return;
  sweeper = setInterval(() => {
    const now = performance.now();
    for (const x of waiting) if (x.expire(now) === 0) waiting.delete(x);
    if (waiting.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  }, SWEEP_MS);
  sweeper.unref();
}

/**
 * Query ids: a random start, then counting (12 hex digits). They only match a reply to its
 * request, so they need to be unique, not secret; one random draw per query cost a twentieth
 * of a busy ring's CPU (crypto's synchronous random source is a system call each time). The
 * count is kept as two 24-bit halves and written digit by digit: a 48-bit number's
 * toString(16) goes through the engine's slow path for fractions and exponents.
 */
let qidHigh = randomInt(0, 2 ** 23);
let qidLow = randomInt(0, 2 ** 24);
const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
export function newQid(): string {
  if (++qidLow === 2 ** 24) {
    qidLow = 0;
    qidHigh = (qidHigh + 1) % 2 ** 24;
  }
  const h = qidHigh;
  const l = qidLow;
  return String.fromCharCode(
    HEX[(h >> 20) & 15], HEX[(h >> 16) & 15], HEX[(h >> 12) & 15], HEX[(h >> 8) & 15], HEX[(h >> 4) & 15], HEX[h & 15],
    HEX[(l >> 20) & 15], HEX[(l >> 16) & 15], HEX[(l >> 12) & 15], HEX[(l >> 8) & 15], HEX[(l >> 4) & 15], HEX[l & 15],
  );
}

export class Requests {
  private pending = new Map<string, Pending>();

  constructor(
    private self: PeerRef,
    private send: (to: Endpoint, m: DhtMessage) => void,
    private timeoutMs: number,
  ) {}

  /** one promise per query, however many tries: each try a fresh query id, sent again when not answered in time */
  start(kind: RequestKind, key: number, value: string | undefined, retries: number, build: (route: Route) => DhtMessage, first: (key: number) => Endpoint): Promise<Answer> {
    return new Promise((resolve) => this.attempt(new Query(kind, key, retries, build, first, resolve, this)));
  }

  /** a try of the query: a fresh query id, the first hop sent */
  attempt(q: Query): void {
    q.tries++;
    q.qid = newQid();
    this.wait(q.qid, q);
    this.send(q.first(q.key), q.build({ hops: 1, origin: this.self, qid: q.qid }));
  }

  /** JOIN sent to the successor found: its WELCOME names the predecessor and its successor */
  async welcome(successor: PeerRef): Promise<Welcome> {
    const answer = await new Promise<Answering | null>((resolve) => {
      this.wait('welcome', resolve);
      this.send(successor, { type: 'JOIN', peer: this.self });
    });
    if (!answer || answer.type !== 'WELCOME') throw new Error(`peer ${successor.id} did not welcome peer ${this.self.id}`);
    return answer;
  }

  /** an answer for a pending query: true when one was waiting for it */
  answer(m: Answering): boolean {
    const qid = m.type === 'WELCOME' ? 'welcome' : m.qid;
    const p = this.pending.get(qid);
    if (!p) return false;
    this.pending.delete(qid);
    p.done(m);
    return true;
  }

  cancelAll(): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.done(null);
  }

  /** the sweep: queries past their time end unanswered; how many are still pending */
  expire(now: number): number {
    for (const [qid, p] of this.pending) {
      if (p.deadline > now) continue;
      this.pending.delete(qid);
      p.done(null);
    }
    return this.pending.size;
  }

  /** waits for the answer to `qid` (the caller sends the question next) */
  private wait(qid: string, p: Pending | Pending['done']): void {
    const deadline = performance.now() + this.timeoutMs;
    if (typeof p === 'function') this.pending.set(qid, { done: p, deadline });
    else {
      p.deadline = deadline;
      this.pending.set(qid, p);
    }
    watch(this);
  }
}

/**
 * A query asked, across its tries: one object where each try took three closures (a busy
 * ring asks thousands a second).
 */
class Query implements Pending {
  tries = 0;
  qid = '';
  deadline = 0;
  private t0 = performance.now();

  constructor(
    readonly kind: RequestKind,
    readonly key: number,
    private retries: number,
    readonly build: (route: Route) => DhtMessage,
    readonly first: (key: number) => Endpoint,
    private resolve: (a: Answer) => void,
    private owner: Requests,
  ) {}

  done(answer: Answering | null): void {
    if (answer && answer.type !== 'WELCOME') return this.resolve(answered(answer, this.key, performance.now() - this.t0, this.tries, this.qid));
    if (!answer && this.tries <= this.retries) return this.owner.attempt(this);
    const failed: Answer = { ok: false, key: this.key, hops: 0, messages: 0, ms: performance.now() - this.t0, tries: this.retries + 1, reason: `no answer after ${this.retries + 1} tries` };
    if (this.kind === 'GET') failed.missing = true;
    this.resolve(failed);
  }
}

function answered(answer: Exclude<Answering, Welcome>, key: number, ms: number, tries: number, qid: string): Answer {
  const a: Answer = { ok: true, key, peer: answer.type === 'FOUND' ? answer.peer : { id: answer.id, address: '', port: 0 }, hops: answer.hops, messages: answer.hops + 1, ms, tries, qid };
  if (answer.type === 'VALUE') a.value = answer.value;
  if (answer.type === 'NOVALUE') a.missing = true;
  return a;
}

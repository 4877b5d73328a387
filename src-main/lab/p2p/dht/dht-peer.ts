/**
 * One DHT peer's logic (K&R §2.5.2): it knows its predecessor, its two successors and, with
 * shortcuts on, a finger table; it stores the keys in (predecessor, itself] and copies them
 * on its first `replication` successors. A query it is not responsible for goes on
 * (routing.ts); the responsible peer answers the origin directly. Churn: the peer pings its
 * two successors; one that stops answering has left — if it was the first, the second becomes
 * the first and the new first is asked for its successor (the textbook's peer 4 when 5
 * leaves). No socket here: `io` sends (dht-endpoint.ts), so the logic is the same for every
 * transport.
 */
import { MAX_HOPS, type DhtMessage, type Endpoint, type PeerRef, type Route } from './dht-codec';
import { isResponsible, nextHopPacked, packFingers, type Finger, type PackedFingers } from './routing';
import { inArc, isDigits, keyOf, ringSize, strictlyBetween } from './ring-math';
import { newQid, Requests, type Answer, type RequestKind } from './requests';

export interface PeerOptions {
  bits: number;
  shortcuts: boolean;
  /** copies of each key on the first 0, 1 or 2 successors */
  replication: number;
  pingMs: number;
  /** pings in a row without a PONG before a successor counts as gone */
  misses: number;
}

export interface PeerIo {
  send(to: Endpoint, m: DhtMessage): void;
  /** something the peer refused or noticed, for the capture */
  note(from: Endpoint, text: string): void;
}

type Routed = Extract<DhtMessage, { type: 'LOOKUP' | 'PUT' | 'GET' }>;

export class DhtPeer {
  pred: PeerRef | null = null;
  succ: PeerRef[] = [];
  private table: Finger[] | null = null;
  private packed: PackedFingers | null = null;
  readonly store = new Map<number, string>();
  private readonly requests: Requests;
  private pings = new Map<number, { nonce: string; missed: number }>();
  private departed = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private fingerTurn = 0;
  private nonce = 0;

  constructor(
    readonly self: PeerRef,
    readonly options: PeerOptions,
    private io: PeerIo,
  ) {
    this.requests = new Requests(self, (to, m) => io.send(to, m), Math.max(300, options.pingMs * options.misses));
  }

  get id(): number {
    return this.self.id;
  }

  /** the finger table (shortcuts on); it changes only through this setter and setFinger */
  get fingers(): readonly Finger[] | null {
    return this.table;
  }

  set fingers(table: readonly Finger[] | null) {
    this.table = table ? [...table] : null;
    this.packed = table ? packFingers(table) : null;
  }

  private setFinger(i: number, f: Finger): void {
    this.table![i] = f;
    this.packed = packFingers(this.table!);
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.options.pingMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.requests.cancelAll();
  }

  /** keys this peer is responsible for (the rest of its store are copies) */
  primaryKeys(): number[] {
    return [...this.store.keys()].filter((k) => isResponsible(k, this.id, this.pred?.id ?? null));
  }

  // ---------- asking, as the origin of a query ----------

  /** Look up, store or fetch a key from this peer: answered here at once if it is ours. */
  request(kind: RequestKind, key: number, value?: string, retries = 2): Promise<Answer> {
    if (this.responsibleFor(key)) return Promise.resolve(this.answerLocally(kind, key, value));
    return this.requests.start(kind, key, value, retries, (route) => this.routed(kind, String(key), value, route), (key) => this.next(key));
  }

  /** Join the ring through any peer of it: find the successor, take the keys, tell the predecessor. */
  async join(bootstrap: Endpoint): Promise<void> {
    const found = await this.requests.start('LOOKUP', this.id, undefined, 2, (route) => this.routed('LOOKUP', String(this.id), undefined, route), () => bootstrap);
    if (!found.ok || !found.peer) throw new Error(`no answer from the ring at ${bootstrap.address}:${bootstrap.port}`);
    if (found.peer.id === this.id) throw new Error(`peer ${this.id} is already in the ring`);
    const welcome = await this.requests.welcome(found.peer);
    this.pred = welcome.pred;
    this.succ = welcome.succ.id === this.id ? [found.peer] : [found.peer, welcome.succ];
    this.io.send(this.pred, { type: 'ADOPT', peer: this.self });
    if (this.options.shortcuts) this.fingers = Array.from({ length: this.options.bits }, (_, i) => ({ start: (this.id + 2 ** i) % ringSize(this.options.bits), node: found.peer! }));
    this.start();
  }

  // ---------- receiving ----------

  receive(m: DhtMessage, from: Endpoint): void {
    switch (m.type) {
      case 'LOOKUP':
      case 'PUT':
      case 'GET':
        return this.route(m, from);
      case 'PING':
        return this.io.send(from, { type: 'PONG', nonce: m.nonce, id: this.id, ...(this.succ[0] ? { succ: this.succ[0] } : {}) });
      case 'PONG':
        return this.pong(m);
      case 'SUCC?':
        return this.io.send(from, { type: 'SUCC', id: this.id, succ: this.succ.length ? this.succ : [this.self] });
      case 'SUCC':
        if (m.id === this.succ[0]?.id) this.secondFrom(m.succ[0]);
        return;
      case 'REPLICA':
        this.store.set(m.key, m.value);
        return;
      case 'JOIN':
        return this.welcome(m.peer, from);
      case 'NOTIFY':
        if (m.peer.id !== this.id && m.peer.id !== this.pred?.id) {
          this.pred = m.peer;
          this.replicate();
        }
        return;
      case 'ADOPT':
        if (!this.succ[0] || this.succ[0].id === this.id || strictlyBetween(m.peer.id, this.id, this.succ[0].id)) {
          this.succ = [m.peer, ...this.succ.filter((s) => s.id !== this.id)].slice(0, 2);
          this.replicate();
        }
        return;
      case 'FOUND':
      case 'STORED':
      case 'VALUE':
      case 'NOVALUE':
      case 'WELCOME':
        if (!this.requests.answer(m)) this.io.note(from, `${m.type} answers no query of peer ${this.id}: ignored`);
        return;
      case 'ERR':
        this.io.note(from, `peer ${this.id} was told: ERR ${m.reason}`);
        return;
    }
  }

  private responsibleFor(key: number): boolean {
    if (this.succ.length === 0 || this.succ[0].id === this.id) return true;
    return isResponsible(key, this.id, this.pred?.id ?? null);
  }

  private next(key: number): PeerRef {
    return nextHopPacked(key, this.id, this.succ[0] ?? this.self, this.options.shortcuts ? this.packed : null);
  }

  private routed(kind: RequestKind, key: string, value: string | undefined, route: Route): Routed {
    if (kind === 'PUT') return { type: 'PUT', key, value: value ?? '', route };
    return { type: kind, key, route };
  }

  private route(m: Routed, from: Endpoint): void {
    const key = keyOf(m.key, this.options.bits);
    if (typeof key === 'string') return this.io.send(from, { type: 'ERR', reason: key });
    // typed by hand (no route): this peer asks on the sender's behalf and answers it itself —
    // `nc -u` connects its socket to this peer and would not hear an answer from another
    if (!m.route) return this.onBehalf(m, key, from);
    const route = m.route;
    if (route.hops >= MAX_HOPS) return this.io.note(from, `${m.type} ${m.key} dropped at peer ${this.id}: hop count ${route.hops}, a loop`);
    if (this.responsibleFor(key)) return this.io.send(route.origin, this.answer(m, key, route));
    if (route.hops > 0 && route.origin.id === this.id) {
      return this.io.note(from, `${m.type} ${m.key} came back to its origin, peer ${this.id}, after ${route.hops} hops: a loop, dropped`);
    }
    // every hop lies in (origin, key]: a peer past the key was reached through a stale shortcut
    // (a peer joined before it since): back to the predecessor, which is closer
    const overshot = !inArc(this.id, route.origin.id, key) && this.pred !== null;
    const on: Route = { hops: route.hops + 1, origin: route.origin, qid: route.qid };
    // the key goes on as a number; the text it came in is that number's already, as peers write it
    const text = m.key.length < 11 && (m.key.length === 1 || m.key.charCodeAt(0) !== 0x30) && isDigits(m.key) ? m.key : String(key);
    this.io.send(overshot ? this.pred! : this.next(key), m.type === 'PUT' ? { type: 'PUT', key: text, value: m.value, route: on } : { type: m.type, key: text, route: on });
  }

  private onBehalf(m: Routed, key: number, from: Endpoint): void {
    void this.request(m.type, key, m.type === 'PUT' ? m.value : undefined).then((a) => {
      if (!a.ok || !a.peer) return this.io.send(from, { type: 'ERR', reason: `${m.type} ${key}: ${a.reason ?? 'no answer'}` });
      const common = { key, hops: a.hops, qid: a.qid ?? newQid() };
      if (m.type === 'LOOKUP') return this.io.send(from, { type: 'FOUND', ...common, peer: a.peer });
      if (m.type === 'PUT') return this.io.send(from, { type: 'STORED', ...common, id: a.peer.id });
      this.io.send(from, a.value === undefined ? { type: 'NOVALUE', ...common, id: a.peer.id } : { type: 'VALUE', ...common, id: a.peer.id, value: a.value });
    });
  }

  private answer(m: Routed, key: number, route: Route): DhtMessage {
    const { hops, qid } = route;
    if (m.type === 'LOOKUP') return { type: 'FOUND', key, hops, qid, peer: this.self };
    if (m.type === 'PUT') {
      this.put(key, m.value);
      return { type: 'STORED', key, hops, qid, id: this.id };
    }
    const value = this.store.get(key);
    return value === undefined ? { type: 'NOVALUE', key, hops, qid, id: this.id } : { type: 'VALUE', key, hops, qid, id: this.id, value };
  }

  private answerLocally(kind: RequestKind, key: number, value?: string): Answer {
    if (kind === 'PUT') this.put(key, value ?? '');
    const stored = this.store.get(key);
    return { ok: true, key, peer: this.self, hops: 0, messages: 0, ms: 0, tries: 1, ...(kind === 'GET' && stored !== undefined ? { value: stored } : {}) };
  }

  private put(key: number, value: string): void {
    this.store.set(key, value);
    for (const s of this.replicas()) this.io.send(s, { type: 'REPLICA', key, value });
  }

  private replicas(): PeerRef[] {
    return this.succ.filter((s) => s.id !== this.id).slice(0, this.options.replication);
  }

  /** copy every key this peer is responsible for onto its successors (after a change of neighbours) */
  private replicate(): void {
    const to = this.replicas();
    if (to.length === 0) return;
    for (const key of this.primaryKeys()) for (const s of to) this.io.send(s, { type: 'REPLICA', key, value: this.store.get(key)! });
  }

  /** a peer joins just before this one: it takes the keys in (old predecessor, its id] */
  private welcome(p: PeerRef, from: Endpoint): void {
    if (p.id === this.id) return this.io.send(from, { type: 'ERR', reason: `id ${p.id} is taken` });
    const oldPred = this.pred ?? this.self;
    for (const [key, value] of this.store) if (inArc(key, oldPred.id, p.id)) this.io.send(p, { type: 'REPLICA', key, value });
    this.io.send(p, { type: 'WELCOME', pred: oldPred, succ: this.succ[0] ?? this.self });
    this.pred = p;
  }

  // ---------- churn ----------

  private tick(): void {
    for (const s of this.succ) {
      if (s.id === this.id) continue;
      const state = this.pings.get(s.id) ?? { nonce: '', missed: 0 };
      if (state.nonce) state.missed++;
      if (state.missed >= this.options.misses) {
        this.pings.delete(s.id);
        this.gone(s);
        return;
      }
      state.nonce = (++this.nonce).toString(36);
      this.pings.set(s.id, state);
      this.io.send(s, { type: 'PING', nonce: state.nonce });
    }
    if (this.fingers && this.succ[0] && this.succ[0].id !== this.id) this.fixFinger();
  }

  private pong(m: Extract<DhtMessage, { type: 'PONG' }>): void {
    const state = this.pings.get(m.id);
    if (state && state.nonce === m.nonce) this.pings.set(m.id, { nonce: '', missed: 0 });
    // the first successor's successor is this peer's second (it moves when peers join or leave)
    if (m.id === this.succ[0]?.id && m.succ) this.secondFrom(m.succ);
  }

  private secondFrom(s: PeerRef | undefined): void {
    if (!s || s.id === this.id || s.id === this.succ[0]?.id || this.departed.has(s.id) || s.id === this.succ[1]?.id) return;
    this.succ = [this.succ[0], s];
    this.replicate();
  }

  /** a successor stopped answering: it has left the ring */
  private gone(s: PeerRef): void {
    this.departed.set(s.id, Date.now());
    for (const [id, at] of this.departed) if (Date.now() - at > 20 * this.options.pingMs) this.departed.delete(id);
    this.io.note(s, `peer ${this.id}: successor ${s.id} did not answer ${this.options.misses} pings, it has left`);
    this.succ = this.succ.filter((x) => x.id !== s.id);
    this.fingers?.forEach((f, i) => {
      if (f.node.id === s.id) this.setFinger(i, { start: f.start, node: this.succ[0] ?? this.self });
    });
    if (this.succ.length === 0) {
      this.succ = [this.self];
      this.pred = this.self;
      return;
    }
    // the new first successor: ask it for its successor, and tell it who its predecessor is now
    this.io.send(this.succ[0], { type: 'SUCC?' });
    this.io.send(this.succ[0], { type: 'NOTIFY', peer: this.self });
    this.replicate();
  }

  /** refresh one finger per ping round with a lookup of its start, as Chord's fix_fingers */
  private fixFinger(): void {
    const fingers = this.fingers!;
    const i = this.fingerTurn++ % fingers.length;
    const start = fingers[i].start;
    if (this.responsibleFor(start)) return;
    void this.request('LOOKUP', start, undefined, 0).then((a) => {
      // no answer: a peer on the way has left; the successor is a slow but safe shortcut meanwhile
      const node = a.ok && a.peer ? a.peer : this.succ[0];
      if (node && this.fingers?.[i]?.start === start) this.setFinger(i, { start, node });
    });
  }
}

/**
 * A ring of DHT peers on loopback, each a real UDP endpoint on its own 127.0.0.x (or on
 * 127.0.0.1 with ports apart where the system allows only that — loopback.ts). The ring is
 * laid out stable at the start (each peer told its predecessor, two successors and fingers,
 * what joining one by one would converge to); later peers join through the protocol and
 * leave abruptly. The ring also traces each query hop by hop for the view. A big headless
 * ring may spread its peers over worker threads (`threads`, dht-threads.ts): each is still
 * its own UDP endpoint; each thread holds one arc of the ring (the lab's thread the first),
 * and lookups asked from a worker's peer run there.
 */
import type { LinkProfile } from '../../api';
import type { CaptureStore } from '../../capture/store';
import { loopbackMode, peerAddress, type LoopbackMode } from '../loopback';
import type { DhtMessage, Endpoint, PeerRef } from './dht-codec';
import { DhtCapture } from './dht-capture';
import { DhtEndpoint } from './dht-endpoint';
import type { PeerOptions } from './dht-peer';
import type { DhtLookup, DhtPeerState, DhtTextbook } from './dht-types';
import { hashKey, ringSize, successorOf } from './ring-math';
import { isResponsible } from './routing';
import type { RequestKind } from './requests';
import { layOutPeer, lookupAt, windowed } from './dht-layout';
import { DhtThread, type Ask, type PeerSpec } from './dht-threads';

export interface RingOptions extends PeerOptions {
  /** the port every peer listens on, each on its own address (0: each a free port) */
  port: number;
  store?: CaptureStore | null;
  /** the DHT service's link profile, applied to every datagram a peer receives (one hop) */
  link?: () => LinkProfile;
  /** threads to spread the peers over (1: all in the lab's thread); only without capture or link */
  threads?: number;
}

const MAX_TRACES = 4096;

export class DhtRing {
  /** the peers in the lab's thread */
  readonly peers = new Map<number, DhtEndpoint>();
  /** the peers in worker threads: their thread and how they are named */
  private remote = new Map<number, { thread: DhtThread; self: PeerRef }>();
  private threads: DhtThread[] = [];
  private byEndpoint = new Map<string, number>();
  private traces = new Map<string, number[]>();
  private capture: DhtCapture | null;
  private nextSlot = 0;
  tracing = true;

  private constructor(
    readonly options: RingOptions,
    readonly loopback: LoopbackMode,
  ) {
    this.capture = options.store ? new DhtCapture(options.store, (e) => this.nameOf(e)) : null;
  }

  static async create(ids: readonly number[], options: RingOptions): Promise<DhtRing> {
    const ring = new DhtRing(options, await loopbackMode());
    try {
      const sorted = [...new Set(ids)].sort((a, b) => a - b);
      if ((options.threads ?? 1) > 1 && !options.store && !options.link) await ring.startThreads(options.threads!);
      const t = ring.threads.length + 1;
      const specs: PeerSpec[][] = ring.threads.map(() => []);
      // each thread holds one arc of the ring (the lab's thread the first): a query's last hops,
      // the short ones, stay in one thread, where peers dealt out in turn would hand nearly
      // every hop to another thread (a wake-up each time)
      for (const [i, id] of sorted.entries()) {
        const slot = ring.nextSlot++;
        const part = Math.floor((i * t) / sorted.length);
        if (part === 0) await ring.open(id, slot);
        else specs[part - 1].push({ id, ...ring.place(slot) });
      }
      const opened = await Promise.all(ring.threads.map((th, k) => th.open(specs[k])));
      opened.forEach((refs, k) => {
        for (const self of refs) {
          ring.remote.set(self.id, { thread: ring.threads[k], self });
          ring.byEndpoint.set(`${self.address}:${self.port}`, self.id);
        }
      });
      await ring.layOut();
      for (const e of ring.peers.values()) e.peer.start();
    } catch (err) {
      ring.close();
      throw err;
    }
    return ring;
  }

  sortedIds(): number[] {
    return [...this.peers.keys(), ...this.remote.keys()].sort((a, b) => a - b);
  }

  get size(): number {
    return this.peers.size + this.remote.size;
  }

  /** the threads its peers run in (the lab's own included) */
  get threadCount(): number {
    return this.threads.length + 1;
  }

  has(id: number): boolean {
    return this.peers.has(id) || this.remote.has(id);
  }

  /** the peer a key belongs to, from the ring as it is now (what the protocol must find) */
  responsibleFor(key: number): number {
    return successorOf(key, this.sortedIds());
  }

  nameOf(e: Endpoint): string | undefined {
    const id = this.byEndpoint.get(`${e.address}:${e.port}`);
    return id === undefined ? undefined : `peer ${id}`;
  }

  isPeer(e: Endpoint): boolean {
    return this.byEndpoint.has(`${e.address}:${e.port}`);
  }

  peer(id: number): DhtEndpoint {
    const e = this.peers.get(id);
    if (!e && this.remote.has(id)) throw new Error(`peer ${id} runs in a worker thread`);
    if (!e) throw new Error(`no peer ${id} in the ring (peers: ${this.sortedIds().join(', ')})`);
    return e;
  }

  /** A new peer joins through the protocol (through the ring's first peer); no id: a free one at random. */
  async join(id?: number): Promise<DhtEndpoint> {
    const size = ringSize(this.options.bits);
    if (this.size >= Math.min(size, 4096)) throw new Error('the ring is full');
    let pick = id;
    for (let salt = 0; pick === undefined || (id === undefined && this.peers.has(pick)); salt++) pick = hashKey(`peer-${Date.now()}-${salt}`, this.options.bits);
    if (pick >= size) throw new Error(`id ${pick} is off a ${this.options.bits}-bit ring (0 to ${size - 1})`);
    if (this.has(pick)) throw new Error(`peer ${pick} is already in the ring`);
    const bootstrap = this.peers.values().next().value as DhtEndpoint | undefined;
    const e = await this.open(pick);
    if (!bootstrap) {
      e.peer.succ = [e.self];
      e.peer.start();
      return e;
    }
    try {
      await e.peer.join(bootstrap.self);
    } catch (err) {
      this.leave(pick);
      throw err;
    }
    return e;
  }

  /** The peer leaves abruptly: its socket closes, no goodbye; its neighbours notice by pinging. */
  leave(id: number): void {
    const r = this.remote.get(id);
    if (r) {
      r.thread.leave(id);
      this.remote.delete(id);
      this.byEndpoint.delete(`${r.self.address}:${r.self.port}`);
      return;
    }
    const e = this.peer(id);
    e.close();
    this.peers.delete(id);
    this.byEndpoint.delete(`${e.self.address}:${e.self.port}`);
    this.capture?.closePeer(e.self);
  }

  /** A query from a peer of the ring (the first by default), with the path it took. */
  async ask(kind: RequestKind, key: number, from?: number, value?: string, retries = 2): Promise<DhtLookup> {
    const id = from ?? this.sortedIds()[0];
    const r = this.remote.get(id);
    if (r) return r.thread.ask({ kind, key, from: id, value, retries });
    return lookupAt(this.peer(id), kind, key, value, retries, (qid) => {
      const path = this.traces.get(qid);
      this.traces.delete(qid);
      return path;
    });
  }

  /**
   * Many lookups, `window` in flight, in a ring spread over threads: each thread asks those
   * from its own peers with its share of the window (one message to a worker for the lot).
   * Null when the ring is in one thread, or the window too small to share (one at a time).
   */
  askSpread(asks: readonly { key: number; from?: number }[], window: number): Promise<DhtLookup[]> | null {
    const t = this.threads.length + 1;
    if (t === 1 || window < 2 * t) return null;
    const first = this.sortedIds()[0];
    const groups: { index: number[]; asks: Ask[] }[] = Array.from({ length: t }, () => ({ index: [], asks: [] }));
    asks.forEach((a, i) => {
      const from = a.from !== undefined && this.has(a.from) ? a.from : first;
      const r = this.remote.get(from);
      const g = groups[r ? this.threads.indexOf(r.thread) + 1 : 0];
      g.index.push(i);
      g.asks.push({ kind: 'LOOKUP', key: a.key, from, retries: 2 });
    });
    const share = (g: { asks: Ask[] }): number => Math.max(1, Math.round((window * g.asks.length) / asks.length));
    return Promise.all(
      groups.map((g, k) =>
        k === 0 ? windowed(g.asks.length, share(g), (i) => this.ask('LOOKUP', g.asks[i].key, g.asks[i].from)) : this.threads[k - 1].many(g.asks, share(g)),
      ),
    ).then((results) => {
      const out: DhtLookup[] = new Array(asks.length);
      results.forEach((ls, k) => ls.forEach((l, j) => (out[groups[k].index[j]] = l)));
      return out;
    });
  }

  state(): DhtPeerState[] {
    return this.sortedIds().map((id) => {
      const { peer, self } = this.peer(id);
      const primary = peer.primaryKeys().sort((a, b) => a - b);
      return {
        id,
        address: self.address,
        port: self.port,
        pred: peer.pred?.id ?? null,
        succ: peer.succ.map((s) => s.id),
        fingers: peer.fingers?.map((f) => f.node.id) ?? [],
        primary,
        replicas: peer.store.size - primary.length,
      };
    });
  }

  textbook(): DhtTextbook {
    const n = this.size;
    return { n, successorsOnly: n / 2, shortcuts: Math.round(Math.log2(Math.max(n, 1)) * 100) / 100 };
  }

  close(): void {
    for (const e of this.peers.values()) e.close();
    this.peers.clear();
    for (const t of this.threads) t.close();
    this.threads = [];
    this.remote.clear();
    this.byEndpoint.clear();
    this.capture?.closeAll();
  }

  /** the address and port of the i-th peer opened */
  private place(slot: number): { address: string; port: number } {
    const address = peerAddress(slot, this.loopback);
    return { address, port: this.options.port === 0 ? 0 : this.loopback === 'shared' ? this.options.port + slot : this.options.port };
  }

  private async startThreads(n: number): Promise<void> {
    const { bits, shortcuts, replication, pingMs, misses } = this.options;
    for (let i = 1; i < n; i++) {
      const t = await DhtThread.start({ bits, shortcuts, replication, pingMs, misses });
      if (!t) return;
      this.threads.push(t);
    }
  }

  private async open(id: number, slot = this.nextSlot++): Promise<DhtEndpoint> {
    const { address, port } = this.place(slot);
    const e = await DhtEndpoint.open(id, address, port, this.options, {
      capture: this.capture,
      isPeer: (x) => this.isPeer(x),
      received: (to, m, from) => this.trace(to, m, from),
      link: this.options.link,
    });
    this.peers.set(id, e);
    this.byEndpoint.set(`${e.self.address}:${e.self.port}`, id);
    return e;
  }

  /** every peer told its neighbours, as the ring is when stable (a worker's peers by their thread) */
  private async layOut(): Promise<void> {
    const ids = this.sortedIds();
    const refs = new Map<number, PeerRef>(ids.map((id) => [id, this.peers.get(id)?.self ?? this.remote.get(id)!.self]));
    ids.forEach((id, i) => {
      const e = this.peers.get(id);
      if (e) layOutPeer(e, i, ids, refs, this.options.shortcuts, this.options.bits);
    });
    await Promise.all(this.threads.map((t) => t.layOut(ids.map((id) => refs.get(id)!))));
  }

  private trace(to: PeerRef, m: DhtMessage, from: Endpoint): void {
    if (!this.tracing || (m.type !== 'LOOKUP' && m.type !== 'PUT' && m.type !== 'GET') || !m.route) return;
    let path = this.traces.get(m.route.qid);
    if (!path) {
      path = [m.route.origin.id];
      this.traces.set(m.route.qid, path);
      if (this.traces.size > MAX_TRACES) this.traces.delete(this.traces.keys().next().value as string);
    }
    path.push(to.id);
  }
}

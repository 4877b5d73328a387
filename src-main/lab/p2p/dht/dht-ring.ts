/**
 * A ring of DHT peers on loopback, each a real UDP endpoint on its own 127.0.0.x (or on
 * 127.0.0.1 with ports apart where the system allows only that — loopback.ts). The ring is
 * laid out stable at the start (each peer told its predecessor, two successors and fingers,
 * what joining one by one would converge to); later peers join through the protocol and
 * leave abruptly. The ring also traces each query hop by hop for the view.
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
import { fingerTable, isResponsible } from './routing';
import type { RequestKind } from './requests';

export interface RingOptions extends PeerOptions {
  /** the port every peer listens on, each on its own address (0: each a free port) */
  port: number;
  store?: CaptureStore | null;
  /** the DHT service's link profile, applied to every datagram a peer receives (one hop) */
  link?: () => LinkProfile;
}

const MAX_TRACES = 4096;

export class DhtRing {
  readonly peers = new Map<number, DhtEndpoint>();
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
      for (const id of sorted) await ring.open(id);
      ring.layOut();
      for (const e of ring.peers.values()) e.peer.start();
    } catch (err) {
      ring.close();
      throw err;
    }
    return ring;
  }

  sortedIds(): number[] {
    return [...this.peers.keys()].sort((a, b) => a - b);
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
    if (!e) throw new Error(`no peer ${id} in the ring (peers: ${this.sortedIds().join(', ')})`);
    return e;
  }

  /** A new peer joins through the protocol (through the ring's first peer); no id: a free one at random. */
  async join(id?: number): Promise<DhtEndpoint> {
    const size = ringSize(this.options.bits);
    if (this.peers.size >= Math.min(size, 4096)) throw new Error('the ring is full');
    let pick = id;
    for (let salt = 0; pick === undefined || (id === undefined && this.peers.has(pick)); salt++) pick = hashKey(`peer-${Date.now()}-${salt}`, this.options.bits);
    if (pick >= size) throw new Error(`id ${pick} is off a ${this.options.bits}-bit ring (0 to ${size - 1})`);
    if (this.peers.has(pick)) throw new Error(`peer ${pick} is already in the ring`);
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
    const e = this.peer(id);
    e.close();
    this.peers.delete(id);
    this.byEndpoint.delete(`${e.self.address}:${e.self.port}`);
    this.capture?.closePeer(e.self);
  }

  /** A query from a peer of the ring (the first by default), with the path it took. */
  async ask(kind: RequestKind, key: number, from?: number, value?: string, retries = 2): Promise<DhtLookup> {
    const origin = this.peer(from ?? this.sortedIds()[0]);
    const a = await origin.peer.request(kind, key, value, retries);
    const path = a.qid ? (this.traces.get(a.qid) ?? [origin.self.id]) : [origin.self.id];
    if (a.qid) this.traces.delete(a.qid);
    return {
      key,
      from: origin.self.id,
      responsible: a.peer?.id ?? null,
      hops: a.hops,
      messages: a.messages,
      ms: Math.round(a.ms * 1000) / 1000,
      path,
      ok: a.ok,
      ...(a.value !== undefined ? { value: a.value } : {}),
    };
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
    const n = this.peers.size;
    return { n, successorsOnly: n / 2, shortcuts: Math.round(Math.log2(Math.max(n, 1)) * 100) / 100 };
  }

  close(): void {
    for (const e of this.peers.values()) e.close();
    this.peers.clear();
    this.byEndpoint.clear();
    this.capture?.closeAll();
  }

  private async open(id: number): Promise<DhtEndpoint> {
    const slot = this.nextSlot++;
    const address = peerAddress(slot, this.loopback);
    const port = this.options.port === 0 ? 0 : this.loopback === 'shared' ? this.options.port + slot : this.options.port;
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

  /** every peer told its neighbours, as the ring is when stable */
  private layOut(): void {
    const ids = this.sortedIds();
    const refs = new Map<number, PeerRef>(ids.map((id) => [id, this.peer(id).self]));
    ids.forEach((id, i) => {
      const p = this.peer(id).peer;
      const at = (k: number): PeerRef => refs.get(ids[(i + k + ids.length) % ids.length])!;
      p.pred = at(-1);
      p.succ = ids.length === 1 ? [at(0)] : ids.length === 2 ? [at(1)] : [at(1), at(2)];
      if (this.options.shortcuts) p.fingers = fingerTable(id, this.options.bits, refs, ids);
      // a ring of one: the peer is its own predecessor and holds every key
      if (ids.length === 1) p.pred = null;
    });
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

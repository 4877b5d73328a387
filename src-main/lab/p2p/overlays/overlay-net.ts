/**
 * The three search overlays over one set of peers (same files, same topology): every peer a
 * servent on its own 127.0.0.x with its Gnutella neighbours; Napster's index server on its own
 * port with every peer's list; KaZaA's super-nodes linked among themselves (X-Ultrapeer), each
 * holding its children's lists. The net is also the meter: every message between lab nodes is
 * counted when sent and when handled, so a query is over when nothing is in flight.
 */
import type { LinkProfile } from '../../api';
import type { CaptureStore } from '../../capture/store';
import { seededRandom } from '../choker';
import { loopbackMode, peerAddress, type LoopbackMode } from '../loopback';
import { IndexServer } from './index-server';
import { OverlayCapture } from './overlay-capture';
import { OverlayPeer } from './overlay-peer';
import type { OverlayScenario } from './overlay-scenario';
import { buildGraph, type Graph } from './overlay-topology';
import type { Meter } from './overlay-types';
import type { SharedFile } from './peer-http';

export interface NetOptions {
  /** each servent's port (6346 in the rail; 0: one the system picks) */
  port: number;
  /** Napster's index server */
  indexPort: number;
  indexAddress?: string;
  store?: CaptureStore | null;
  /** the service's link profile, applied on every Gnutella link */
  link?: () => LinkProfile;
}

export interface Sent {
  from: string;
  to: string;
  what: string;
  guid?: string;
}

/** the files of each peer: `perPeer` songs of the catalog (seeded), plus the ones placed by hand */
export function placeFiles(s: OverlayScenario): SharedFile[][] {
  const random = seededRandom(s.seed * 7919 + 1);
  const width = String(s.files.catalog).length < 2 ? 2 : String(s.files.catalog).length;
  const song = (k: number): string => `song-${String(k + 1).padStart(width, '0')}.mp3`;
  const out: SharedFile[][] = [];
  for (let p = 0; p < s.peers; p++) {
    const picked = new Set<number>();
    for (let tries = 0; picked.size < Math.min(s.files.perPeer, s.files.catalog) && tries < 1000; tries++) picked.add(Math.floor(random() * s.files.catalog));
    out.push([...picked].sort((a, b) => a - b).map((k, i) => ({ index: i + 1, name: song(k), size: s.files.size })));
  }
  for (const { peer, file } of s.place) out[peer].push({ index: out[peer].length + 1, name: file, size: s.files.size });
  return out;
}

/** a few at a time: a thousand connections opened at once overflow a listen backlog */
async function inBatches<T>(items: readonly T[], fn: (item: T) => Promise<void>, size = 64): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

export function superNodeIds(s: OverlayScenario): number[] {
  if (Array.isArray(s.superNodes)) return [...new Set(s.superNodes)];
  const k = s.superNodes.count;
  return Array.from({ length: k }, (_, i) => Math.floor((i * s.peers) / k));
}

export class OverlayNet implements Meter {
  readonly peers: OverlayPeer[] = [];
  readonly capture: OverlayCapture;
  readonly index: IndexServer;
  graph: Graph = [];
  superIds: number[] = [];
  superGraph: Graph = [];
  /** each peer's super-node (a super-node's own number for itself) */
  parent: number[] = [];
  loopback: LoopbackMode = 'distinct';
  private byEndpoint = new Map<string, string>();
  private byAddress = new Map<string, string>();
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  load = new Map<string, number>();
  counts = { query: 0, answer: 0 };
  /** every message between lab nodes, while tracing (tests, small runs) */
  trace: Sent[] | null = null;

  constructor(
    readonly scenario: OverlayScenario,
    private options: NetOptions,
  ) {
    this.capture = new OverlayCapture(options.store ?? null);
    this.index = new IndexServer({ name: 'index', address: options.indexAddress ?? '127.0.0.1', meter: this, capture: this.capture, nameOf: (a, p) => this.nameOf(a, p) });
  }

  /** a lab node by address and port; a peer's own client sockets (ephemeral ports) by its 127.0.0.x alone */
  nameOf(address: string, port: number): string | undefined {
    return this.byEndpoint.get(`${address}:${port}`) ?? (this.loopback === 'distinct' && address !== '127.0.0.1' ? this.byAddress.get(address) : undefined);
  }

  sent(from: string, to: string | null, what: string, guid?: string): void {
    if (to === null) return;
    this.inFlight++;
    if (what === 'query' || what === 'ping') this.counts.query++;
    else this.counts.answer++;
    this.trace?.push({ from, to, what, guid });
  }

  received(at: string): void {
    this.load.set(at, (this.load.get(at) ?? 0) + 1);
    if (--this.inFlight === 0) setImmediate(() => this.wake());
  }

  private wake(): void {
    if (this.inFlight !== 0) return;
    for (const w of this.waiters.splice(0)) w();
  }

  quiet(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      setImmediate(() => this.wake());
    });
  }

  /** counters back to zero before a query */
  resetCounts(): void {
    this.load.clear();
    this.counts = { query: 0, answer: 0 };
    if (this.trace) this.trace = [];
  }

  static async build(s: OverlayScenario, options: NetOptions): Promise<OverlayNet> {
    const net = new OverlayNet(s, options);
    try {
      await net.start();
    } catch (err) {
      net.close();
      throw err;
    }
    return net;
  }

  private async start(): Promise<void> {
    const s = this.scenario;
    this.loopback = await loopbackMode();
    const files = placeFiles(s);
    this.superIds = superNodeIds(s);
    const isSuper = new Set(this.superIds);
    const ctx = { meter: this, capture: this.capture, nameOf: (a: string, p: number) => this.nameOf(a, p), quiet: () => this.quiet(), link: this.options.link };
    for (let i = 0; i < s.peers; i++) {
      const p = new OverlayPeer(`p${i}`, peerAddress(i, this.loopback), files[i], isSuper.has(i), ctx);
      p.router.ttl = s.ttl;
      // shared loopback: every servent on 127.0.0.1, so each needs a port of its own
      await p.listen(this.loopback === 'shared' ? 0 : this.options.port);
      this.byEndpoint.set(`${p.address}:${p.port}`, p.name);
      this.byAddress.set(p.address, p.name);
      this.peers.push(p);
    }
    await this.index.listen(this.options.indexPort);
    this.byEndpoint.set(`${this.options.indexAddress ?? '127.0.0.1'}:${this.index.port}`, 'index');
    // Gnutella: the flat overlay
    this.graph = buildGraph(s.peers, s.topology, s.seed);
    await this.linkAll(this.graph, (i) => this.peers[i], false);
    const wanted = new Set(s.overlays);
    // Napster: every peer's list at the central index
    const index = { address: this.options.indexAddress ?? '127.0.0.1', port: this.index.port };
    if (wanted.has('napster')) await inBatches(this.peers, async (p) => void (p.napsterLink = await p.register(index, true)));
    // KaZaA: super-nodes linked among themselves, each child's list at its super-node
    this.superGraph = buildGraph(this.superIds.length, s.superTopology, s.seed + 1);
    this.parent = this.peers.map((_, i) => (isSuper.has(i) ? i : this.superIds[i % this.superIds.length]));
    if (wanted.has('kazaa')) await this.kazaa();
    await this.settled();
  }

  private async kazaa(): Promise<void> {
    const isSuper = new Set(this.superIds);
    await this.linkAll(this.superGraph, (k) => this.peers[this.superIds[k]], true);
    for (const k of this.superIds) for (const e of this.peers[k].entries()) this.peers[k].childIndex.add(e);
    await inBatches(
      this.peers.filter((_, i) => !isSuper.has(i)),
      async (p) => void (p.superNodeLink = await p.register(this.peers[this.parent[Number(p.name.slice(1))]], false)),
    );
  }

  /** every link attached on both sides (an acceptor attaches when the dialer's last 200 OK arrives) */
  private async settled(): Promise<void> {
    const kazaa = this.scenario.overlays.includes('kazaa');
    const want = this.peers.map((_, i) => this.graph[i].length + (kazaa && this.superIds.includes(i) ? this.superGraph[this.superIds.indexOf(i)].length : 0));
    for (let t = 0; t < 500; t++) {
      if (this.peers.every((p, i) => p.router.links.size >= want[i])) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the overlay links did not all come up within 5 s');
  }

  private async linkAll(g: Graph, peer: (i: number) => OverlayPeer, ultrapeer: boolean): Promise<void> {
    const pairs: [number, number][] = [];
    g.forEach((ns, a) => ns.forEach((b) => a < b && pairs.push([a, b])));
    await inBatches(pairs, ([a, b]) => peer(a).connect(peer(b), ultrapeer));
  }

  close(): void {
    for (const p of this.peers) p.close();
    this.index.close();
  }
}

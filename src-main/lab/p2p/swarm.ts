/**
 * Runs a swarm scenario for real: generates the file, writes the .torrent, starts the
 * server (the first seed) and every peer on loopback sockets, joins and removes peers on
 * schedule (late joiners, churn, selfish leavers), and reports snapshots while it runs and
 * the result — each peer's completion time against the §2.5.1 bounds — at the end.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CaptureStore } from '../capture/store';
import { seededRandom } from './choker';
import { runClientServer } from './cs-baseline';
import { loopbackMode, peerAddress, type LoopbackMode } from './loopback';
import { LabPeer } from './peer';
import { dialLimit, newPeerId, peerConfig, type PeerSpec } from './peer-spec';
import { RemotePeer, type SwarmPeer } from './remote-peer';
import { round, swarmResult } from './swarm-result';
import { SwarmThread } from './swarm-threads';
import { drawRate, type SwarmScenario } from './swarm-scenario';
import type { SwarmBaselineView, SwarmEdgeView, SwarmPeerView, SwarmPhase, SwarmResult, SwarmSnapshot } from './swarm-types';
import { createTorrent, generateFile, type TorrentMeta } from './torrent';
import { outsideTap } from './outside-capture';
import { wireRecorder } from './wire-capture';

export interface SwarmRunOptions {
  /** the tracker's HTTP announce URL (http://…/announce) */
  announceUrl: string;
  /** its UDP one (udp://host:port), for scenarios with `tracker: udp` */
  udpAnnounceUrl?: string;
  store?: CaptureStore;
  onSnapshot?(s: SwarmSnapshot): void;
  snapshotMs?: number;
  log?(text: string): void;
  /** each peer on its own 127.0.0.x, or all on 127.0.0.1 (SwarmRun.create finds out which) */
  loopback?: LoopbackMode;
  /** worker threads to spread the peers over (swarm-threads.ts), where nothing watches them one
   *  by one (no capture, no live snapshots); 1 or none: every peer in this thread */
  threads?: number;
}

interface Member {
  peer: SwarmPeer;
  role: 'server' | 'leecher';
  joinAt: number;
  leaveAt?: number;
  freeRider: boolean;
  upload: number;
  download: number;
  started: boolean;
  churned: boolean;
  lastUp: number;
  lastDown: number;
  upRate: number;
  downRate: number;
}

export class SwarmRun {
  readonly meta: TorrentMeta;
  readonly torrentFile: Buffer;
  readonly fileBytes: number;
  private data: Buffer;
  private members: Member[] = [];
  private byId = new Map<string, SwarmPeer>();
  /** the worker threads the peers run in (none: all in this thread) */
  private threads: SwarmThread[];
  private timers: NodeJS.Timeout[] = [];
  private edgeTotals = new Map<string, number>();
  private edgeRates = new Map<string, number>();
  private startedAt = 0;
  private lastSnapshotAt = 0;
  private finished = false;
  private resolveDone: (() => void) | null = null;
  /** the URL the peers announce to (and the .torrent names), by the scenario's tracker protocol */
  readonly announceUrl: string;
  running = false;
  /** 'baseline' once the swarm is over while the client-server baseline still runs */
  phase: SwarmPhase = 'p2p';
  private baselineView: SwarmBaselineView | null = null;
  private baselineAbort = new AbortController();
  /** the swarm as it ended: what the snapshots show while the baseline still runs */
  private final: SwarmSnapshot | null = null;
  readonly loopback: LoopbackMode;

  /** A run whose peers each take their own loopback address where the system allows it. */
  static async create(scenario: SwarmScenario, options: SwarmRunOptions): Promise<SwarmRun> {
    const watched = (options.store && scenario.capture) || options.onSnapshot;
    const threads = watched ? [] : await SwarmThread.spawn(options.threads ?? 1);
    const run = new SwarmRun(scenario, { ...options, loopback: options.loopback ?? (await loopbackMode()) }, threads);
    await run.openThreads();
    return run;
  }

  /** the peers given to each worker thread, in its order */
  private specs: PeerSpec[][];

  constructor(
    readonly scenario: SwarmScenario,
    private options: SwarmRunOptions,
    threads: SwarmThread[] = [],
  ) {
    this.threads = threads;
    this.specs = threads.map(() => []);
    const s = scenario;
    this.data = s.file.path ? readShared(s.file.path, s.peers.reduce((n, g) => n + g.count, 1)) : generateFile(s.file.size ?? 0, s.file.seed);
    this.fileBytes = this.data.length;
    const name = s.file.path ? path.basename(s.file.path) : `${s.name.replace(/[^A-Za-z0-9._-]+/g, '-')}.bin`;
    if (s.tracker === 'udp' && !options.udpAnnounceUrl) throw new Error('the scenario announces over UDP but the UDP tracker is not running');
    this.announceUrl = s.tracker === 'udp' ? options.udpAnnounceUrl! : options.announceUrl;
    const { meta, file } = createTorrent(this.data, { name, pieceLength: s.file.chunkSize, announce: this.announceUrl });
    this.meta = meta;
    this.torrentFile = file;
    const random = seededRandom(s.seed);
    const store = options.store && s.capture ? options.store : undefined;
    this.loopback = options.loopback ?? 'shared';
    const dials = dialLimit(s.peers.reduce((n, g) => n + g.count, 1));
    const add = (role: Member['role'], name: string, g: { upload: number; download: number; freeRider: boolean; joinAt: number; leaveAt?: number; strategy: 'rarest-first' | 'random' | 'in-order'; afterComplete: 'stay' | 'leave'; corrupt: boolean }): void => {
      const spec: PeerSpec = {
        name,
        host: peerAddress(this.members.length, this.loopback),
        peerId: newPeerId().toString('hex'),
        seed: role === 'server',
        uploadRate: g.upload,
        downloadRate: g.download,
        strategy: g.strategy,
        freeRider: g.freeRider,
        afterComplete: g.afterComplete,
        timeFactor: s.timeFactor,
        randomSeed: Math.floor(random() * 2 ** 31),
        corrupt: g.corrupt,
        slots: s.slots,
        maxConnections: dials,
      };
      const peer = threads.length ? this.remote(spec) : this.local(spec, store);
      this.byId.set(spec.peerId, peer);
      this.members.push({ peer, role, joinAt: g.joinAt, leaveAt: g.leaveAt, freeRider: g.freeRider, upload: g.upload, download: g.download, started: false, churned: false, lastUp: 0, lastDown: 0, upRate: 0, downRate: 0 });
    };
    add('server', 'server', { upload: s.server.upload, download: 0, freeRider: false, joinAt: 0, leaveAt: s.server.leaveAt, strategy: 'rarest-first', afterComplete: 'stay', corrupt: false });
    let n = 0;
    for (const g of s.peers) {
      for (let i = 0; i < g.count; i++) {
        n++;
        const name = g.name ? (g.count > 1 ? `${g.name}${i + 1}` : g.name) : `p${n}`;
        add('leecher', name, { ...g, upload: drawRate(g.upload, random), download: drawRate(g.download, random) });
      }
    }
  }

  /** A peer in this thread, recorded in the capture when the scenario asks. */
  private local(spec: PeerSpec, store: CaptureStore | undefined): LabPeer {
    const options = this.options;
    const name = spec.name;
    const peer: LabPeer = new LabPeer(
      peerConfig(spec, this.meta, this.data, {
        events: { log: (_p, text) => options.log?.(`${name}: ${text}`), badPiece: (_p, i, from) => options.log?.(`${name}: piece ${i} from ${this.byId.get(from)?.name ?? from} failed SHA-1`) },
        wire: store ? wireRecorder(store, () => this.byId, () => peer) : undefined,
        // a lab peer accepts and records its lab neighbours' connections; one to a real client is recorded by the dialler
        dialTap: store ? (host, port) => (this.members.some((m) => m.peer.host === host && m.peer.port === port) ? null : outsideTap(store, name)) : undefined,
      }),
    );
    return peer;
  }

  /** A peer in a worker thread: the members go round the threads in turn. */
  private remote(spec: PeerSpec): RemotePeer {
    const k = this.members.length % this.threads.length;
    const thread = this.threads[k];
    this.specs[k].push(spec);
    return new RemotePeer(spec.name, spec.host, Buffer.from(spec.peerId, 'hex'), this.meta.pieceHashes.length, spec.seed, thread, this.specs[k].length - 1);
  }

  /** the members in worker thread `k`, in its order (member i runs in thread i mod the threads: remote) */
  private membersOf(k: number): Member[] {
    return this.members.filter((_, i) => i % this.threads.length === k);
  }

  /** Each worker thread makes its peers; their completions come back as news. */
  private async openThreads(): Promise<void> {
    await Promise.all(
      this.threads.map((t, k) => {
        const mine = this.membersOf(k);
        t.onComplete = (index, at) => {
          (mine[index].peer as RemotePeer).completed(at);
          this.check();
        };
        t.onLog = (text) => this.options.log?.(text);
        return t.open(this.meta, this.specs[k].some((p) => p.seed) ? this.data : null, this.specs[k]);
      }),
    );
  }

  private now(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  async run(): Promise<SwarmResult> {
    this.running = true;
    this.startedAt = performance.now();
    this.lastSnapshotAt = this.startedAt;
    const done = new Promise<void>((r) => (this.resolveDone = r));
    // the baseline's server and clients have links of their own: it runs alongside the swarm
    const leechers = this.members.filter((m) => m.role === 'leecher');
    const baseline = this.scenario.baseline ? this.runBaseline(leechers.map((m) => m.download)) : Promise.resolve(null);
    // peers in worker threads join many at a time, each thread its own (one message each), once
    // the server has joined, as in one thread
    if (this.threads.length) {
      await this.join(this.members[0]);
      await Promise.all(this.threads.map((t, k) => this.joinMany(t, k)));
    }
    for (const m of this.members) {
      const join = (): void => void this.join(m);
      if (m.joinAt <= 0) {
        if (!m.started) await this.join(m);
      } else this.timers.push(setTimeout(join, m.joinAt * 1000));
      if (m.leaveAt !== undefined) {
        this.timers.push(
          setTimeout(() => {
            m.churned = m.peer.completedAt === null || m.role === 'server';
            void m.peer.stop(true);
            this.check();
          }, m.leaveAt * 1000),
        );
      }
    }
    this.timers.push(setInterval(() => this.tick(), this.options.snapshotMs ?? 250));
    this.timers.push(setInterval(() => this.check(), 50));
    const timeout = new Promise<boolean>((r) => this.timers.push(setTimeout(() => r(true), this.scenario.timeout * 1000)));
    const timedOut = await Promise.race([done.then(() => false), timeout]);
    await this.readThreads();
    const result = this.result(timedOut);
    await this.stopSwarm();
    // the swarm is over but the baseline may still run: its progress keeps coming, and the run is not done
    const ticker = setInterval(() => this.options.onSnapshot?.(this.snapshot()), this.options.snapshotMs ?? 250);
    const b = await baseline;
    clearInterval(ticker);
    this.phase = 'done';
    if (b) result.baseline = { distributionTime: round(b.distributionTime), bound: result.bounds.clientServer, clients: b.clients.map(round) };
    this.options.onSnapshot?.(this.snapshot());
    return result;
  }

  /** The client-server baseline (cs-baseline.ts), with its progress for the snapshots. */
  private runBaseline(downloads: number[]): Promise<{ distributionTime: number; clients: number[] } | null> {
    const view: SwarmBaselineView = { state: 'running', progress: 0, clientsDone: 0, clients: downloads.length };
    this.baselineView = view;
    return runClientServer(this.data, this.scenario.server.upload, downloads, {
      timeoutMs: this.scenario.timeout * 1000,
      signal: this.baselineAbort.signal,
      onProgress: (received, total, clientsDone) => Object.assign(view, { progress: total ? received / total : 1, clientsDone }),
    }).then(
      (b) => ((view.state = 'done'), b),
      (err: Error) => {
        view.state = 'failed';
        this.options.log?.(err.message);
        return null;
      },
    );
  }

  /** A worker thread's peers that join at once, started in one message. */
  private async joinMany(t: SwarmThread, k: number): Promise<void> {
    const mine = this.membersOf(k);
    const now = mine.filter((m) => m.joinAt <= 0 && !m.started);
    for (const m of now) m.started = true;
    const facts = await t.startMany(now.map((m) => (m.peer as RemotePeer).index), this.announceUrl);
    facts.forEach((f, i) => (now[i].peer as RemotePeer).update(f));
  }

  /** the facts of every peer in a worker thread, for the result */
  private async readThreads(): Promise<void> {
    await Promise.all(
      this.threads.map(async (t, k) => {
        const mine = this.membersOf(k);
        const facts = await t.facts().catch(() => []);
        facts.forEach((f, i) => (mine[i].peer as RemotePeer).update(f));
      }),
    );
  }

  private async join(m: Member): Promise<void> {
    if (this.finished) return;
    m.started = true;
    await m.peer.start(this.announceUrl);
  }

  private check(): void {
    if (this.finished) return;
    const pending = this.members.filter((m) => m.role === 'leecher' && !m.churned && m.peer.completedAt === null);
    if (pending.length === 0) this.resolveDone?.();
  }

  /** Stop pressed: the swarm stops; pressed again while only the baseline runs, the baseline
   *  stops too and the result comes without it. */
  async stop(): Promise<void> {
    if (this.finished) return void (this.phase === 'baseline' && this.baselineAbort.abort());
    await this.stopSwarm();
  }

  /** stop() then the baseline: nothing of this run is left running (the lab shutting down) */
  async close(): Promise<void> {
    await this.stopSwarm();
    this.baselineAbort.abort();
  }

  private async stopSwarm(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (this.baselineView?.state === 'running') this.phase = 'baseline';
    this.tick();
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    // the last picture is the swarm as it ended, not the sockets being closed afterwards
    const last = (this.final = this.snapshot());
    await Promise.all(this.members.map((m) => m.peer.stop(true)));
    await Promise.all(this.threads.map((t) => t.close()));
    this.options.onSnapshot?.(last);
    this.resolveDone?.(); // stopped by the user: run() reports what was reached
  }

  private tick(): void {
    // the rates are for the live view: nothing to compute where nobody watches (`netlab swarm`)
    if (!this.options.onSnapshot) return;
    const now = performance.now();
    const dt = Math.max(0.001, (now - this.lastSnapshotAt) / 1000);
    this.lastSnapshotAt = now;
    for (const m of this.members) {
      const { up, down } = m.peer.totals();
      for (const c of m.peer.conns) {
        const to = c.remoteId ? this.byId.get(c.remoteId.toString('hex'))?.name : undefined;
        if (!to) continue;
        const key = `${m.peer.name}>${to}`;
        this.edgeRates.set(key, Math.max(0, c.totalOut - (this.edgeTotals.get(key) ?? 0)) / dt);
        this.edgeTotals.set(key, c.totalOut);
      }
      m.upRate = Math.max(0, up - m.lastUp) / dt;
      m.downRate = Math.max(0, down - m.lastDown) / dt;
      m.lastUp = up;
      m.lastDown = down;
    }
    if (!this.finished) this.options.onSnapshot?.(this.snapshot());
  }

  snapshot(): SwarmSnapshot {
    if (this.final) return { ...this.final, phase: this.phase, baseline: this.baselineView && { ...this.baselineView } };
    const peers: SwarmPeerView[] = this.members.map((m) => ({
      name: m.peer.name,
      role: m.role,
      state: !m.started ? 'waiting' : m.peer.stoppedAt !== null ? 'left' : m.peer.seeding ? 'seeding' : 'leeching',
      have: m.peer.have.map((h) => (h ? '1' : '0')).join(''),
      downRate: m.downRate,
      upRate: m.upRate,
      uploadCap: m.upload,
      downloadCap: m.download,
      freeRider: m.freeRider,
      joinAt: m.joinAt,
      completedAt: m.peer.completedAt === null ? null : round((m.peer.completedAt - this.startedAt) / 1000),
      host: m.peer.host,
      port: m.peer.port,
    }));
    const edges: SwarmEdgeView[] = [];
    const availability = new Array<number>(this.meta.pieceHashes.length).fill(0);
    for (const m of this.members) {
      if (m.peer.stoppedAt !== null || !m.started) continue;
      m.peer.have.forEach((h, i) => h && availability[i]++);
      for (const c of m.peer.conns) {
        const to = c.remoteId ? this.byId.get(c.remoteId.toString('hex'))?.name : undefined;
        if (!to) continue;
        edges.push({ from: m.peer.name, to, rate: this.edgeRates.get(`${m.peer.name}>${to}`) ?? 0, choked: c.amChoking, optimistic: m.peer.isOptimistic(c), interested: c.peerInterested });
      }
    }
    return { name: this.scenario.name, running: this.running, t: this.startedAt ? round(this.now()) : 0, pieces: this.meta.pieceHashes.length, fileBytes: this.meta.length, peers, edges, availability, tracker: this.announceUrl, phase: this.phase, baseline: this.baselineView && { ...this.baselineView }, addresses: this.loopback };
  }

  private result(timedOut: boolean): SwarmResult {
    const fileSha1 = createHash('sha1').update(this.data).digest('hex');
    const r = swarmResult({ scenario: this.scenario, members: this.members, byId: this.byId, fileBytes: this.fileBytes, pieces: this.meta.pieceHashes.length, fileSha1, infoHash: this.meta.infoHash.toString('hex'), startedAt: this.startedAt, timedOut });
    return this.threads.length ? { ...r, threads: this.threads.length } : r;
  }
}

/** An existing file to share: every peer holds a copy in memory, so its size is bounded. */
function readShared(file: string, peers: number): Buffer {
  const size = fs.statSync(file).size;
  if (size === 0) throw new Error(`${file} is empty`);
  if (size * peers > 4 * 1024 ** 3) throw new Error(`${peers} peers × ${file} (${size} bytes) is more than 4 GiB of memory`);
  return fs.readFileSync(file);
}

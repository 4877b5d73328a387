/**
 * What a swarm run asks of its members (SwarmPeer), and the stand-in for a member that runs in
 * a worker thread (RemotePeer): the run joins it, makes it leave and reads its facts — when it
 * completed, what it uploaded to whom, the SHA-1 of what it holds — exactly as it reads a
 * LabPeer in its own thread. The facts cross the thread boundary as plain values (PeerFacts);
 * times travel as wall-clock milliseconds, since each thread's performance.now() has its own origin.
 */
import type { PeerConnection } from './connection';
import type { LabPeer } from './peer';

export interface SwarmPeer {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly peerId: Buffer;
  readonly completedAt: number | null;
  readonly stoppedAt: number | null;
  readonly seeding: boolean;
  readonly have: readonly boolean[];
  /** open connections (a peer in another thread shows none: the run draws no edges for it) */
  readonly conns: ReadonlySet<PeerConnection>;
  readonly badPieces: number;
  readonly slots: { readonly leechingRounds: number; readonly regularSlots: ReadonlyMap<string, number> };
  readonly uploadedWhileLeeching: ReadonlyMap<string, number>;
  readonly uploadedTo: ReadonlyMap<string, number>;
  totals(): { up: number; down: number };
  isOptimistic(c: PeerConnection): boolean;
  dataSha1(): string;
  start(announceUrl: string): Promise<void>;
  stop(abrupt?: boolean): Promise<void>;
}

export interface PeerFacts {
  port: number;
  /** wall-clock ms (performance.timeOrigin + the worker's now), null while not yet */
  completedAt: number | null;
  stoppedAt: number | null;
  /** one character per piece, '1' held */
  have: string;
  up: number;
  down: number;
  badPieces: number;
  leechingRounds: number;
  regularSlots: [string, number][];
  uploadedWhileLeeching: [string, number][];
  uploadedTo: [string, number][];
  sha1: string;
}

const wall = (t: number | null): number | null => (t === null ? null : performance.timeOrigin + t);
const local = (t: number | null): number | null => (t === null ? null : t - performance.timeOrigin);

/** A LabPeer's facts, read in the thread it runs in. */
export function factsOf(p: LabPeer): PeerFacts {
  const { up, down } = p.totals();
  return {
    port: p.port,
    completedAt: wall(p.completedAt),
    stoppedAt: wall(p.stoppedAt),
    have: p.have.map((h) => (h ? '1' : '0')).join(''),
    up,
    down,
    badPieces: p.badPieces,
    leechingRounds: p.slots.leechingRounds,
    regularSlots: [...p.slots.regularSlots],
    uploadedWhileLeeching: [...p.uploadedWhileLeeching],
    uploadedTo: [...p.uploadedTo],
    sha1: p.completedAt === null ? '' : p.dataSha1(),
  };
}

/** What a worker thread does for the run: join a peer, make it leave, tell its facts. */
export interface PeerHost {
  start(index: number, announceUrl: string): Promise<PeerFacts>;
  stop(index: number, abrupt: boolean): Promise<PeerFacts>;
}

export class RemotePeer implements SwarmPeer {
  port = 0;
  completedAt: number | null = null;
  stoppedAt: number | null = null;
  have: boolean[];
  readonly conns: ReadonlySet<PeerConnection> = new Set();
  badPieces = 0;
  slots = { leechingRounds: 0, regularSlots: new Map<string, number>() };
  uploadedWhileLeeching = new Map<string, number>();
  uploadedTo = new Map<string, number>();
  private up = 0;
  private down = 0;
  private sha1 = '';

  constructor(
    readonly name: string,
    readonly host: string,
    readonly peerId: Buffer,
    numPieces: number,
    seed: boolean,
    private thread: PeerHost,
    /** its index in its worker thread */
    readonly index: number,
  ) {
    this.have = new Array<boolean>(numPieces).fill(seed);
  }

  get seeding(): boolean {
    return this.have.every(Boolean);
  }

  /** A worker's news: this peer completed at wall-clock time `at`. */
  completed(at: number): void {
    this.completedAt ??= local(at);
    this.have.fill(true);
  }

  update(f: PeerFacts): void {
    this.port = f.port;
    this.completedAt = local(f.completedAt) ?? this.completedAt;
    this.stoppedAt = local(f.stoppedAt);
    this.have = [...f.have].map((c) => c === '1');
    this.up = f.up;
    this.down = f.down;
    this.badPieces = f.badPieces;
    this.slots = { leechingRounds: f.leechingRounds, regularSlots: new Map(f.regularSlots) };
    this.uploadedWhileLeeching = new Map(f.uploadedWhileLeeching);
    this.uploadedTo = new Map(f.uploadedTo);
    this.sha1 = f.sha1;
  }

  totals(): { up: number; down: number } {
    return { up: this.up, down: this.down };
  }

  isOptimistic(): boolean {
    return false;
  }

  dataSha1(): string {
    return this.sha1;
  }

  async start(announceUrl: string): Promise<void> {
    this.update(await this.thread.start(this.index, announceUrl));
  }

  async stop(abrupt = false): Promise<void> {
    if (this.stoppedAt !== null) return;
    this.stoppedAt = performance.now();
    this.update(await this.thread.stop(this.index, abrupt).catch(() => this.facts()));
  }

  private facts(): PeerFacts {
    return { port: this.port, completedAt: wall(this.completedAt), stoppedAt: wall(this.stoppedAt), have: this.have.map((h) => (h ? '1' : '0')).join(''), up: this.up, down: this.down, badPieces: this.badPieces, leechingRounds: this.slots.leechingRounds, regularSlots: [...this.slots.regularSlots], uploadedWhileLeeching: [...this.uploadedWhileLeeching], uploadedTo: [...this.uploadedTo], sha1: this.sha1 };
  }
}

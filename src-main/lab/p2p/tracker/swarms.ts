/**
 * What the tracker remembers: for each torrent (info hash), the peers that announced it,
 * with how much they have left. Peers that stop announcing expire; every map is bounded.
 * An announce costs O(numwant), whatever the size of the swarm: counts are kept as peers
 * come and go, and the peer list handed out is a random run of the swarm's array.
 */
import { compactPeer, MAX_NUMWANT, type AnnounceEvent, type AnnounceAnswer, type PeerAddress } from './announce';

export const ANNOUNCE_INTERVAL_S = 120;
export const MIN_INTERVAL_S = 15;
const MAX_TORRENTS = 100_000;
const MAX_PEERS_PER_TORRENT = 5_000;

interface TrackedPeer {
  /** the peer id's 20 bytes as a latin1 string */
  key: string;
  ip: string;
  port: number;
  left: number;
  seenAt: number;
}

class Torrent {
  list: TrackedPeer[] = [];
  index = new Map<string, number>();
  /** list[i]'s compact form (BEP 23) at bytes 6i…6i+5: an answer is a run of this, one or two copies */
  packed = Buffer.allocUnsafe(6 * 4);
  complete = 0;
  downloaded = 0;
  constructor(public sweptAt: number) {}

  add(p: TrackedPeer): void {
    const i = this.list.length;
    if ((i + 1) * 6 > this.packed.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.packed.length * 2, MAX_PEERS_PER_TORRENT * 6));
      this.packed.copy(grown, 0, 0, i * 6);
      this.packed = grown;
    }
    writeCompact(this.packed, i * 6, p.ip, p.port);
    this.index.set(p.key, i);
    this.list.push(p);
  }

  move(p: TrackedPeer, i: number, ip: string, port: number): void {
    p.ip = ip;
    p.port = port;
    writeCompact(this.packed, i * 6, ip, port);
  }

  remove(key: string): TrackedPeer | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    const p = this.list[i];
    const last = this.list.pop()!;
    const n = this.list.length;
    if (i < n) {
      this.list[i] = last;
      this.index.set(last.key, i);
      this.packed.copy(this.packed, i * 6, n * 6, n * 6 + 6);
    }
    this.index.delete(key);
    if (p.left === 0) this.complete--;
    return p;
  }
}

function writeCompact(out: Buffer, o: number, ip: string, port: number): void {
  compactPeer(ip, port).copy(out, o);
}

export interface AnnounceInput {
  infoHash: string;
  /** the peer id: 20 bytes, or those bytes as a latin1 string */
  peerId: Buffer | string;
  ip: string;
  port: number;
  left: number;
  event: AnnounceEvent;
  numwant: number;
}

/** An answer whose peers are already in compact form: `bytes` holds `count` × 6 bytes and is
 *  only valid until the next announce (it is the tracker's scratch space, copied into the reply). */
export interface CompactAnswer extends Omit<AnnounceAnswer, 'peers'> {
  count: number;
  bytes: Buffer;
}

export interface TorrentStats {
  infoHash: string;
  complete: number;
  incomplete: number;
  downloaded: number;
}

export class TrackerState {
  private torrents = new Map<string, Torrent>();

  constructor(
    private clock: () => number = () => Date.now(),
    readonly interval = ANNOUNCE_INTERVAL_S,
    private random: () => number = Math.random,
  ) {}

  private scratch = Buffer.allocUnsafe(MAX_NUMWANT * 6);
  private picked = new Int32Array(MAX_NUMWANT);

  /** Record an announce; the peers handed back as addresses (for dictionary answers). */
  announce(a: AnnounceInput): AnnounceAnswer {
    const { t, self } = this.record(a);
    const peers: PeerAddress[] = [];
    const n = this.select(t, self, a);
    for (let k = 0; k < n; k++) {
      const i = this.picked[k];
      const p = t.list[i];
      peers.push({ ip: p.ip, port: p.port, peerId: Buffer.from(p.key, 'latin1'), compact: t.packed.subarray(i * 6, i * 6 + 6) });
    }
    return { interval: this.interval, minInterval: MIN_INTERVAL_S, complete: t.complete, incomplete: t.list.length - t.complete, peers };
  }

  /** Record an announce; the peers handed back in compact form: the hot path of a busy tracker. */
  announceCompact(a: AnnounceInput): CompactAnswer {
    const { t, self } = this.record(a);
    const out = this.scratch;
    const answer = (count: number): CompactAnswer => ({ interval: this.interval, minInterval: MIN_INTERVAL_S, complete: t.complete, incomplete: t.list.length - t.complete, count, bytes: out });
    if (a.left === 0) {
      // a seeder is sent leechers only: picked one by one
      const n = this.select(t, self, a);
      for (let k = 0; k < n; k++) t.packed.copy(out, k * 6, this.picked[k] * 6, this.picked[k] * 6 + 6);
      return answer(n);
    }
    // a leecher gets a random run of the swarm's packed array, its own entry left out
    const n = t.list.length;
    const m = Math.min(a.numwant, MAX_NUMWANT, self < 0 ? n : n - 1);
    if (m <= 0) return answer(0);
    const start = Math.floor(this.random() * n);
    let dist = self - start;
    if (dist < 0) dist += n;
    if (self >= 0 && dist < m) {
      copyRun(t.packed, n, start, dist, out, 0);
      copyRun(t.packed, n, start + dist + 1, m - dist, out, dist * 6);
    } else copyRun(t.packed, n, start, m, out, 0);
    return answer(m);
  }

  /** The torrent's memory updated with this announce; `self` is the announcing peer's entry (if kept). */
  private record(a: AnnounceInput): { t: Torrent; self: number } {
    const now = this.clock();
    let t = this.torrents.get(a.infoHash);
    if (!t) {
      if (this.torrents.size >= MAX_TORRENTS) this.expireAll(now);
      t = new Torrent(now);
      this.torrents.set(a.infoHash, t);
    }
    // stale peers are swept at most once every tenth of an interval
    if (now - t.sweptAt > this.interval * 100) this.expire(t, now);
    const key = typeof a.peerId === 'string' ? a.peerId : a.peerId.toString('latin1');
    if (a.event === 'stopped') {
      t.remove(key);
      return { t, self: -1 };
    }
    let i = t.index.get(key) ?? -1;
    if (a.event === 'completed' && (i >= 0 || t.list.length < MAX_PEERS_PER_TORRENT)) t.downloaded++;
    if (i >= 0) {
      // updated in place: no new object for a peer announcing again
      const p = t.list[i];
      if (p.left === 0) t.complete--;
      if (p.ip !== a.ip || p.port !== a.port) t.move(p, i, a.ip, a.port);
      p.left = a.left;
      p.seenAt = now;
    } else if (t.list.length < MAX_PEERS_PER_TORRENT) {
      i = t.list.length;
      t.add({ key, ip: a.ip, port: a.port, left: a.left, seenAt: now });
    }
    if (i >= 0 && a.left === 0) t.complete++;
    return { t, self: i };
  }

  /** Up to numwant other peers into `picked`, a random run of the swarm's array: O(numwant) whatever its size. */
  private select(t: Torrent, self: number, a: AnnounceInput): number {
    const seeder = a.left === 0;
    const list = t.list;
    const n = list.length;
    const want = Math.min(a.numwant, MAX_NUMWANT);
    const start = Math.floor(this.random() * n);
    let taken = 0;
    for (let k = 0; k < n && taken < want; k++) {
      let i = start + k;
      if (i >= n) i -= n;
      if (i === self || (seeder && list[i].left === 0)) continue; // a seeder gains nothing from seeders
      this.picked[taken++] = i;
    }
    return taken;
  }

  stats(infoHash: string): TorrentStats {
    const t = this.torrents.get(infoHash);
    return { infoHash, complete: t?.complete ?? 0, incomplete: t ? t.list.length - t.complete : 0, downloaded: t?.downloaded ?? 0 };
  }

  all(): TorrentStats[] {
    return [...this.torrents.keys()].map((h) => this.stats(h));
  }

  clear(): void {
    this.torrents.clear();
  }

  /** A peer is forgotten after 2.5 intervals without an announce. */
  private expire(t: Torrent, now: number): void {
    t.sweptAt = now;
    for (const p of [...t.list]) if (now - p.seenAt > this.interval * 2500) t.remove(p.key);
  }

  private expireAll(now: number): void {
    for (const [h, t] of this.torrents) {
      this.expire(t, now);
      if (t.list.length === 0) this.torrents.delete(h);
    }
    if (this.torrents.size >= MAX_TORRENTS) this.torrents.delete(this.torrents.keys().next().value as string);
  }
}

/** `count` entries of the packed array from `from` on (wrapping at n), into out at byte o. */
function copyRun(packed: Buffer, n: number, from: number, count: number, out: Buffer, o: number): void {
  if (count <= 0) return;
  if (from >= n) from -= n;
  const first = Math.min(count, n - from);
  packed.copy(out, o, from * 6, (from + first) * 6);
  if (count > first) packed.copy(out, o + first * 6, 0, (count - first) * 6);
}

/**
 * What the tracker remembers: for each torrent (info hash), the peers that announced it,
 * with how much they have left. Peers that stop announcing expire; every map is bounded.
 * An announce costs O(numwant), whatever the size of the swarm: counts are kept as peers
 * come and go, and the peer list handed out is a random run of the swarm's array.
 */
import { compactPeer, type AnnounceEvent, type AnnounceAnswer, type PeerAddress } from './announce';

export const ANNOUNCE_INTERVAL_S = 120;
export const MIN_INTERVAL_S = 15;
const MAX_TORRENTS = 100_000;
const MAX_PEERS_PER_TORRENT = 5_000;

interface TrackedPeer extends PeerAddress {
  key: string;
  left: number;
  seenAt: number;
}

class Torrent {
  list: TrackedPeer[] = [];
  index = new Map<string, number>();
  complete = 0;
  downloaded = 0;
  constructor(public sweptAt: number) {}

  remove(key: string): TrackedPeer | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    const p = this.list[i];
    const last = this.list.pop()!;
    if (i < this.list.length) {
      this.list[i] = last;
      this.index.set(last.key, i);
    }
    this.index.delete(key);
    if (p.left === 0) this.complete--;
    return p;
  }

  put(p: TrackedPeer): void {
    const i = this.index.get(p.key);
    if (i !== undefined) {
      if (this.list[i].left === 0) this.complete--;
      this.list[i] = p;
    } else {
      this.index.set(p.key, this.list.length);
      this.list.push(p);
    }
    if (p.left === 0) this.complete++;
  }
}

export interface AnnounceInput {
  infoHash: string;
  peerId: Buffer;
  ip: string;
  port: number;
  left: number;
  event: AnnounceEvent;
  numwant: number;
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

  announce(a: AnnounceInput): AnnounceAnswer {
    const now = this.clock();
    let t = this.torrents.get(a.infoHash);
    if (!t) {
      if (this.torrents.size >= MAX_TORRENTS) this.expireAll(now);
      t = new Torrent(now);
      this.torrents.set(a.infoHash, t);
    }
    // stale peers are swept at most once every tenth of an interval
    if (now - t.sweptAt > this.interval * 100) this.expire(t, now);
    const key = a.peerId.toString('latin1');
    if (a.event === 'stopped') t.remove(key);
    else if (t.index.has(key) || t.list.length < MAX_PEERS_PER_TORRENT) {
      if (a.event === 'completed') t.downloaded++;
      const prev = t.list[t.index.get(key) ?? -1];
      const compact = prev && prev.ip === a.ip && prev.port === a.port && prev.compact ? prev.compact : compactPeer(a.ip, a.port);
      t.put({ key, peerId: a.peerId, ip: a.ip, port: a.port, compact, left: a.left, seenAt: now });
    }
    const peers: PeerAddress[] = [];
    const seeder = a.left === 0;
    const n = t.list.length;
    const start = Math.floor(this.random() * n);
    for (let k = 0; k < n && peers.length < a.numwant; k++) {
      const p = t.list[(start + k) % n];
      if (p.key === key || (seeder && p.left === 0)) continue; // a seeder gains nothing from seeders
      peers.push(p);
    }
    return { interval: this.interval, minInterval: MIN_INTERVAL_S, complete: t.complete, incomplete: n - t.complete, peers };
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

/**
 * What the tracker remembers: for each torrent (info hash), the peers that announced it,
 * with how much they have left. Peers that stop announcing expire; every map is bounded.
 */
import type { AnnounceEvent, AnnounceAnswer, PeerAddress } from './announce';

export const ANNOUNCE_INTERVAL_S = 120;
export const MIN_INTERVAL_S = 15;
const MAX_TORRENTS = 100_000;
const MAX_PEERS_PER_TORRENT = 5_000;

interface TrackedPeer extends PeerAddress {
  left: number;
  seenAt: number;
}

interface Torrent {
  peers: Map<string, TrackedPeer>;
  downloaded: number;
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
  ) {}

  announce(a: AnnounceInput): AnnounceAnswer {
    const now = this.clock();
    let t = this.torrents.get(a.infoHash);
    if (!t) {
      if (this.torrents.size >= MAX_TORRENTS) this.expire(now, true);
      t = { peers: new Map(), downloaded: 0 };
      this.torrents.set(a.infoHash, t);
    }
    const key = a.peerId.toString('hex');
    if (a.event === 'stopped') t.peers.delete(key);
    else {
      if (a.event === 'completed') t.downloaded++;
      if (!t.peers.has(key) && t.peers.size >= MAX_PEERS_PER_TORRENT) this.expireTorrent(t, now);
      if (t.peers.has(key) || t.peers.size < MAX_PEERS_PER_TORRENT) {
        t.peers.set(key, { peerId: a.peerId, ip: a.ip, port: a.port, left: a.left, seenAt: now });
      }
    }
    const peers: PeerAddress[] = [];
    let complete = 0;
    let incomplete = 0;
    const seeder = a.left === 0;
    for (const [k, p] of t.peers) {
      if (now - p.seenAt > this.interval * 2500) {
        t.peers.delete(k);
        continue;
      }
      if (p.left === 0) complete++;
      else incomplete++;
      // a seeder gains nothing from other seeders
      if (k !== key && peers.length < a.numwant && !(seeder && p.left === 0)) peers.push(p);
    }
    return { interval: this.interval, minInterval: MIN_INTERVAL_S, complete, incomplete, peers };
  }

  stats(infoHash: string): TorrentStats {
    const t = this.torrents.get(infoHash);
    let complete = 0;
    let incomplete = 0;
    for (const p of t?.peers.values() ?? []) p.left === 0 ? complete++ : incomplete++;
    return { infoHash, complete, incomplete, downloaded: t?.downloaded ?? 0 };
  }

  all(): TorrentStats[] {
    return [...this.torrents.keys()].map((h) => this.stats(h));
  }

  clear(): void {
    this.torrents.clear();
  }

  private expireTorrent(t: Torrent, now: number): void {
    for (const [k, p] of t.peers) if (now - p.seenAt > this.interval * 2500) t.peers.delete(k);
  }

  private expire(now: number, dropOldest: boolean): void {
    for (const [h, t] of this.torrents) {
      this.expireTorrent(t, now);
      if (t.peers.size === 0) this.torrents.delete(h);
    }
    if (dropOldest && this.torrents.size >= MAX_TORRENTS) this.torrents.delete(this.torrents.keys().next().value as string);
  }
}

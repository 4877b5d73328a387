/**
 * A swarm member as data: everything a lab peer is made from, drawn once by the swarm run
 * (rates from their distributions, the seed of its own random choices, its peer id), so the
 * same scenario makes the same peers whether they run in the lab's thread or in a worker
 * thread (swarm-threads.ts). Plain values only: it crosses a thread boundary as it is.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { seededRandom } from './choker';
import type { PeerConfig } from './peer-config';
import type { TorrentMeta } from './torrent';

/** the behaviour fields are PeerConfig's own; the rest is drawn or named here as plain values */
export interface PeerSpec extends Pick<PeerConfig, 'name' | 'uploadRate' | 'downloadRate' | 'strategy' | 'freeRider' | 'afterComplete' | 'timeFactor' | 'maxConnections'> {
  host: string;
  /** 40 hex digits: the peer id it announces and hands-shakes with */
  peerId: string;
  seed: boolean;
  /** the seed of the peer's own random choices (piece ties, optimistic unchokes) */
  randomSeed: number;
  corrupt: boolean;
  slots: number;
}

/** Azureus-style peer id: client NL version 0100, then 12 random characters */
export function newPeerId(): Buffer {
  return Buffer.from(`-NL0100-${randomBytes(6).toString('hex')}`, 'latin1');
}

/** The config a LabPeer is built from; `extra` adds what only the lab's own thread has (capture, logs). */
export function peerConfig(spec: PeerSpec, meta: TorrentMeta, data: Buffer | undefined, extra: Partial<PeerConfig> = {}): PeerConfig {
  return {
    name: spec.name,
    meta,
    host: spec.host,
    peerId: Buffer.from(spec.peerId, 'hex'),
    data: spec.seed ? data : undefined,
    uploadRate: spec.uploadRate,
    downloadRate: spec.downloadRate,
    strategy: spec.strategy,
    freeRider: spec.freeRider,
    afterComplete: spec.afterComplete,
    timeFactor: spec.timeFactor,
    random: seededRandom(spec.randomSeed),
    corrupt: spec.corrupt,
    slots: spec.slots,
    maxConnections: spec.maxConnections,
    ...extra,
  };
}

/** A torrent's metadata after a structured clone (Buffers arrive as plain Uint8Arrays). */
export function reviveMeta(m: TorrentMeta): TorrentMeta {
  const buf = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  return { ...m, infoHash: buf(m.infoHash), pieceHashes: m.pieceHashes.map(buf) };
}

/** neighbours a peer dials in a swarm of `peers` lab peers (each connection between two lab
 *  peers costs the process two descriptors, one at each end); undefined: the peer's usual 30 */
export function dialLimit(peers: number, openFiles = openFileLimit()): number | undefined {
  const usual = 30;
  // a margin for the listeners, the tracker and its announces
  const each = Math.floor((openFiles - 1000 - peers) / 2 / peers);
  return each >= usual ? undefined : Math.max(4, each);
}

/** the process's soft limit on open descriptors (Linux: /proc/self/limits), or a generous guess */
function openFileLimit(): number {
  try {
    const m = /Max open files\s+(\d+)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    /* not Linux */
  }
  return 65536;
}

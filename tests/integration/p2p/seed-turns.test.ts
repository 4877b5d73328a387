/**
 * A seed takes turns (upload-slots.ts): with nobody to reciprocate, it gives each interested
 * neighbour one chunk before it gives any a second, so early in a swarm every leecher soon
 * holds something to trade — where ranking by who takes its data fastest kept feeding the
 * same four plus one optimistic unchoke.
 */
import { afterAll, expect, it } from 'vitest';
import { seededRandom } from '../../../src-main/lab/p2p/choker';
import { LabPeer } from '../../../src-main/lab/p2p/peer';
import { createTorrent, generateFile } from '../../../src-main/lab/p2p/torrent';
import { waitFor } from '../../helpers/lab';

const peers: LabPeer[] = [];
afterAll(async () => Promise.all(peers.map((p) => p.stop(true))));

it('a seed gives each of its six neighbours a chunk before it gives any of them a second', async () => {
  // one 16 KiB block per chunk, a seed slow enough that all six are connected before its first turn ends
  const data = generateFile(8 * 16 * 1024, 11);
  const { meta } = createTorrent(data, { name: 'turns.bin', pieceLength: 16 * 1024, announce: '' });
  const base = { meta, downloadRate: 0, strategy: 'rarest-first' as const, freeRider: false, afterComplete: 'stay' as const, timeFactor: 1 };
  const seed = new LabPeer({ ...base, name: 'seed', data, uploadRate: 64 * 1024, random: seededRandom(1) });
  peers.push(seed);
  await seed.start('');
  // the leechers dial only the seed: every chunk they hold came from it
  const leechers = Array.from({ length: 6 }, (_, i) => new LabPeer({ ...base, name: `p${i + 1}`, uploadRate: 0, random: seededRandom(10 + i) }));
  peers.push(...leechers);
  await Promise.all(leechers.map((l) => l.start('')));
  for (const l of leechers) l.connect('127.0.0.1', seed.port);
  const seen = new Set<string>();
  const watch = setInterval(() => {
    const counts = leechers.map((l) => l.haveCount);
    if (Math.max(...counts) >= 2 && Math.min(...counts) === 0) seen.add(counts.join(' '));
  }, 5);
  try {
    await waitFor(() => leechers.every((l) => l.haveCount >= 2), 'two chunks each', 20_000);
  } finally {
    clearInterval(watch);
  }
  expect([...seen], 'chunks held while someone had a second and someone none').toEqual([]);
}, 30_000);

/** The tracker's memory: compact answers are runs of a packed array kept in step with the peers. */
import { describe, expect, it } from 'vitest';
import { parseCompactPeers } from '../../../src-main/lab/p2p/tracker/announce';
import { seededRandom } from '../../../src-main/lab/p2p/choker';
import { TrackerState } from '../../../src-main/lab/p2p/tracker/swarms';

const id = (n: number): string => `-TS0001-${String(n).padStart(12, '0')}`;

describe('TrackerState compact answers', () => {
  it('hand out every other peer exactly once, whatever joined, moved or left, and wrap around the array', () => {
    const random = seededRandom(7);
    const s = new TrackerState(() => 0, 120, random);
    const model = new Map<string, { ip: string; port: number; left: number }>();
    const announce = (n: number, ip: string, port: number, left: number, event: 'started' | 'stopped' | 'update' = 'update', numwant = 200) => {
      const a = s.announceCompact({ infoHash: 'h', peerId: id(n), ip, port, left, event, numwant });
      return { ...a, peers: parseCompactPeers(a.bytes.subarray(0, a.count * 6)) };
    };
    for (let step = 0; step < 800; step++) {
      const n = Math.floor(random() * 60);
      const r = random();
      if (r < 0.15) {
        announce(n, '127.0.0.1', 1, 10, 'stopped');
        model.delete(id(n));
        continue;
      }
      // sometimes a peer comes back from another address
      const ip = r < 0.25 ? `127.0.0.${2 + (step % 5)}` : model.get(id(n))?.ip ?? '127.0.0.1';
      const port = 10_000 + n;
      const left = r > 0.9 ? 0 : 10;
      const want = 1 + Math.floor(random() * 70);
      model.set(id(n), { ip, port, left });
      const a = announce(n, ip, port, left, 'update', want);
      const others = [...model].filter(([k, p]) => k !== id(n) && (left > 0 || p.left > 0)).map(([, p]) => `${p.ip}:${p.port}`);
      const got = a.peers.map((p) => `${p.ip}:${p.port}`);
      expect(new Set(got).size).toBe(got.length);
      expect(got.length).toBe(Math.min(want, others.length));
      const known = new Set(others);
      expect(got.filter((g) => !known.has(g))).toEqual([]);
      expect(a.complete).toBe([...model.values()].filter((p) => p.left === 0).length);
      expect(a.complete + a.incomplete).toBe(model.size);
    }
  });

  it('a dictionary answer lists the same peers with their ids', () => {
    const s = new TrackerState(() => 0);
    s.announce({ infoHash: 'h', peerId: Buffer.from(id(1), 'latin1'), ip: '127.0.0.1', port: 1, left: 5, event: 'started', numwant: 50 });
    const a = s.announce({ infoHash: 'h', peerId: id(2), ip: '127.0.0.2', port: 2, left: 5, event: 'started', numwant: 50 });
    expect(a.peers.map((p) => [p.ip, p.port, p.peerId.toString('latin1'), p.compact?.toString('hex')])).toEqual([['127.0.0.1', 1, id(1), '7f0000010001']]);
  });
});

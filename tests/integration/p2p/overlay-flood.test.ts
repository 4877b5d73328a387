/**
 * Gnutella's flooding on real TCP connections between servents on their own 127.0.0.x
 * (K&R §2.5, Peterson & Davie §9.4): a Query with TTL t reaches exactly the peers within t
 * hops of the asker, at the message count the formula gives for the topology; duplicate
 * suppression keeps a loop from multiplying it; the QueryHit comes back on the reverse path;
 * Napster answers in two messages; a KaZaA child's query stays among the super-nodes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OverlayNet } from '../../../src-main/lab/p2p/overlays/overlay-net';
import { askOverlay } from '../../../src-main/lab/p2p/overlays/overlay-run';
import { overlayScenarioSchema } from '../../../src-main/lab/p2p/overlays/overlay-scenario';
import { distances, floodFormula } from '../../../src-main/lab/p2p/overlays/overlay-topology';

const nets: OverlayNet[] = [];
async function net(over: Record<string, unknown>): Promise<OverlayNet> {
  const s = overlayScenarioSchema.parse({ files: { perPeer: 0 }, superNodes: [0], ...over });
  const n = await OverlayNet.build(s, { port: 0, indexPort: 0 });
  n.trace = [];
  nets.push(n);
  return n;
}
afterEach(() => {
  for (const n of nets.splice(0)) n.close();
});

/** the peers a query visited, from the trace: whoever received it */
const queried = (n: OverlayNet): Set<string> => new Set(n.trace!.filter((m) => m.what === 'query').map((m) => m.to));

describe('flooding with a TTL', () => {
  it('a binary tree of 31 peers, TTL 3 from the root: 2 + 4 + 8 = 14 peers, 14 messages (one per peer)', async () => {
    const n = await net({ peers: 31, topology: { kind: 'tree', degree: 2 }, ttl: 3, place: [{ peer: 30, file: 'deep.mp3' }] });
    const q = await askOverlay(n, 'gnutella', 0, 'deep');
    expect(q.queryMessages).toBe(14);
    expect(q.formula).toBe(14);
    expect(q.reached).toBe(14);
    const d = distances(n.graph, 0);
    const within = n.peers.filter((_, i) => d[i] >= 1 && d[i] <= 3).map((p) => p.name);
    expect([...queried(n)].sort()).toEqual(within.sort());
    // peer 30 is 4 hops down: not found with TTL 3
    expect(q.found).toBe(false);
  });

  it('the same tree with TTL 4 finds the file 4 hops down, and the flood is 2 + 4 + 8 + 16 = 30 messages', async () => {
    const n = await net({ peers: 31, topology: { kind: 'tree', degree: 2 }, ttl: 4, place: [{ peer: 30, file: 'deep.mp3' }] });
    const q = await askOverlay(n, 'gnutella', 0, 'deep');
    expect(q).toMatchObject({ found: true, hops: 4, queryMessages: 30, formula: 30, reached: 30 });
    // the QueryHit crossed 4 links back
    expect(q.answerMessages).toBe(4);
  });

  it('a random overlay of 60 peers of degree 4, TTL 2: the count matches deg(a) + Σ (deg(v) − 1) over the first ring', async () => {
    const n = await net({ peers: 60, topology: { kind: 'random', degree: 4 }, ttl: 2 });
    for (const from of [0, 17, 42]) {
      const q = await askOverlay(n, 'gnutella', from, 'nothing-matches');
      const f = floodFormula(n.graph, from, 2);
      expect(q.queryMessages).toBe(f.messages);
      const d = distances(n.graph, from);
      expect(queried(n).size).toBe(n.peers.filter((_, i) => d[i] >= 1 && d[i] <= 2).length);
    }
  });
});

describe('duplicate suppression', () => {
  it('four peers all linked (a loop everywhere), TTL 7: 3 + 3 × 2 = 9 messages, not 3 × 2^6', async () => {
    const n = await net({ peers: 4, topology: { kind: 'complete' }, ttl: 7 });
    const q = await askOverlay(n, 'gnutella', 0, 'nothing-matches');
    expect(q.queryMessages).toBe(9);
    expect(q.formula).toBe(9);
    // every copy past the first was dropped: each of the 3 others saw 3 copies and forwarded one
    const dups = n.peers.reduce((k, p) => k + p.router.duplicates, 0);
    expect(dups).toBe(9 - 3);
  });

  it('a ring of 8 and TTL 7: the two floods meet at p4 and die, 2 + 7 × 1 = 9 messages', async () => {
    const n = await net({ peers: 8, topology: { kind: 'ring' }, ttl: 7 });
    const q = await askOverlay(n, 'gnutella', 0, 'nothing-matches');
    expect(q.queryMessages).toBe(9);
    expect(q.formula).toBe(9);
  });
});

describe('QueryHit on the reverse path', () => {
  it('p0 – p1 – p2 – p3 – p4 with a branch p2 – p5: the hit from p4 comes back p4 → p3 → p2 → p1 → p0, nowhere else', async () => {
    const edges = [[0, 1], [1, 2], [2, 3], [3, 4], [2, 5]];
    const n = await net({ peers: 6, topology: { kind: 'edges', edges }, ttl: 7, place: [{ peer: 4, file: 'far-away.mp3' }] });
    const q = await askOverlay(n, 'gnutella', 0, 'far-away');
    expect(q).toMatchObject({ found: true, hops: 4 });
    expect(q.hits[0]).toMatchObject({ peer: 'p4', name: 'far-away.mp3', ip: n.peers[4].address, port: n.peers[4].port });
    const hits = n.trace!.filter((m) => m.what === 'queryHit').map((m) => `${m.from}>${m.to}`);
    expect(hits).toEqual(['p4>p3', 'p3>p2', 'p2>p1', 'p1>p0']);
    // and the query went down both branches, every link once
    expect(n.trace!.filter((m) => m.what === 'query').map((m) => `${m.from}>${m.to}`).sort()).toEqual(['p0>p1', 'p1>p2', 'p2>p3', 'p2>p5', 'p3>p4']);
  });

  it('Ping/Pong: a Ping finds the peers within its TTL, each Pong routed back', async () => {
    const n = await net({ peers: 6, topology: { kind: 'line' }, ttl: 3 });
    n.peers[0].router.ping(3);
    await n.quiet();
    expect([...n.peers[0].router.discovered.values()].map((d) => d.hops).sort()).toEqual([1, 2, 3]);
  });
});

describe('Napster and KaZaA on the same peers', () => {
  it('Napster: one SEARCH to the index and one answer, whoever holds the file; the index is the busiest', async () => {
    const n = await net({ peers: 10, topology: { kind: 'line' }, ttl: 2, place: [{ peer: 9, file: 'far.mp3' }] });
    const q = await askOverlay(n, 'napster', 0, 'far');
    expect(q).toMatchObject({ found: true, messages: 2, hops: 1, busiest: { node: 'index', load: 1 } });
    expect(q.hits[0]).toMatchObject({ peer: 'p9', port: n.peers[9].port });
    // Gnutella with TTL 2 on the line does not get there
    expect((await askOverlay(n, 'gnutella', 0, 'far')).found).toBe(false);
  });

  it('KaZaA: a child asks its super-node, which floods the other super-nodes only', async () => {
    const n = await net({ peers: 9, topology: { kind: 'line' }, superNodes: [0, 3, 6], superTopology: { kind: 'complete' }, ttl: 7, place: [{ peer: 8, file: 'kz.mp3' }] });
    // p1's super-node is p3 (children round-robin: 1 → superIds[1 % 3] = p3); p8's is p6 (8 % 3 = 2)
    expect(n.parent[1]).toBe(3);
    expect(n.parent[8]).toBe(6);
    const q = await askOverlay(n, 'kazaa', 1, 'kz');
    expect(q.found).toBe(true);
    expect(q.hops).toBe(2);
    // SEARCH, 2 + 2 × 1 Queries among 3 super-nodes, 1 QueryHit, 1 answer
    expect(q.queryMessages).toBe(1 + 4);
    expect(q.formula).toBe(5);
    expect(q.answerMessages).toBe(2);
    const between = n.trace!.filter((m) => m.what === 'query').flatMap((m) => [m.from, m.to]);
    expect(new Set(between)).toEqual(new Set(['p1', 'p0', 'p3', 'p6']));
  });
});

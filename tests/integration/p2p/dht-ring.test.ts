/**
 * The circular DHT of K&R §2.5.2 on real UDP sockets on loopback: each key found at its
 * successor, the textbook's answers; successors only against shortcuts; peer 5 leaving
 * abruptly and peer 4 repairing its successors; a join taking its keys; churn with
 * replication losing no key; 10,000 lookups on a stable ring, none failing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DhtRing, type RingOptions } from '../../../src-main/lab/p2p/dht/dht-ring';
import { seededRandom as seeded } from '../../../src-main/lab/p2p/choker';
import { askMany } from '../../../src-main/lab/p2p/dht/dht-run';
import { waitFor } from '../../helpers/lab';

const FOUR_BIT = [1, 3, 4, 5, 8, 10, 12, 14];
const SIX_BIT = [1, 12, 13, 25, 32, 40, 48, 60];
const base: RingOptions = { bits: 4, shortcuts: false, replication: 2, pingMs: 50, misses: 2, port: 0 };

const rings: DhtRing[] = [];
async function ring(ids: number[], o: Partial<RingOptions> = {}): Promise<DhtRing> {
  const r = await DhtRing.create(ids, { ...base, ...o });
  rings.push(r);
  return r;
}
afterEach(() => {
  for (const r of rings.splice(0)) r.close();
});

describe('a key is stored at its successor', () => {
  it('4-bit ring 1, 3, 4, 5, 8, 10, 12, 14: key 13 → 14, key 15 → 1, from every peer', async () => {
    const r = await ring(FOUR_BIT);
    for (const from of FOUR_BIT) {
      expect((await r.ask('LOOKUP', 13, from)).responsible).toBe(14);
      expect((await r.ask('LOOKUP', 15, from)).responsible).toBe(1);
    }
  });

  it('6-bit ring: key 51 → 60, key 60 → 60, key 61 → 1, the query going clockwise peer by peer', async () => {
    const r = await ring(SIX_BIT, { bits: 6 });
    const l51 = await r.ask('LOOKUP', 51, 1);
    expect(l51).toMatchObject({ ok: true, responsible: 60, path: [1, 12, 13, 25, 32, 40, 48, 60] });
    expect(l51.messages).toBe(l51.hops + 1);
    expect((await r.ask('LOOKUP', 60, 1)).responsible).toBe(60);
    const l61 = await r.ask('LOOKUP', 61, 1);
    expect(l61.responsible).toBe(1);
    // asked of the peer responsible itself: no message at all
    expect(await r.ask('LOOKUP', 61, 1)).toMatchObject({ hops: 0, messages: 0 });
  });

  it('a name is hashed onto the ring (SHA-1 cut to n bits) and stored at its successor', async () => {
    const r = await ring(SIX_BIT, { bits: 6 });
    const put = await r.ask('PUT', 53, 12, 'hello');
    expect(put.responsible).toBe(60);
    expect((await r.ask('GET', 53, 25)).value).toBe('hello');
    expect(r.peer(60).peer.store.get(53)).toBe('hello');
    // copies on 60's two successors
    expect(r.peer(1).peer.store.get(53)).toBe('hello');
    expect(r.peer(12).peer.store.get(53)).toBe('hello');
  });
});

describe('shortcuts', () => {
  it("cut the slide's query (peer 3 asks for key 11) from 6 messages to 2–3", async () => {
    const plain = await ring(FOUR_BIT);
    const fast = await ring(FOUR_BIT, { shortcuts: true });
    const a = await plain.ask('LOOKUP', 11, 3);
    const b = await fast.ask('LOOKUP', 11, 3);
    expect(a).toMatchObject({ responsible: 12, messages: 6, path: [3, 4, 5, 8, 10, 12] });
    expect(b.responsible).toBe(12);
    expect(b.messages).toBeGreaterThanOrEqual(2);
    expect(b.messages).toBeLessThanOrEqual(3);
  });

  it('keep the mean near log2 N on a 256-peer ring where successors only take N/2', async () => {
    const ids = Array.from({ length: 256 }, (_, i) => i * 256 + 7);
    const random = seeded(3);
    const asks = Array.from({ length: 300 }, () => ({ key: Math.floor(random() * 65536), from: ids[Math.floor(random() * ids.length)] }));
    const fast = await ring(ids, { bits: 16, shortcuts: true, pingMs: 60_000 });
    const ls = await askMany(fast, asks);
    expect(ls.every((l) => l.ok && l.responsible === fast.responsibleFor(l.key))).toBe(true);
    const mean = ls.reduce((n, l) => n + l.hops, 0) / ls.length;
    expect(mean).toBeLessThanOrEqual(1.2 * Math.log2(256));
  });
});

describe('churn', () => {
  it("peer 5 leaves abruptly: peer 4's successors become 8 and 10, peer 3's become 4 and 8", async () => {
    const r = await ring(FOUR_BIT);
    expect(r.peer(4).peer.succ.map((s) => s.id)).toEqual([5, 8]);
    r.leave(5);
    await waitFor(() => r.peer(4).peer.succ.map((s) => s.id).join() === '8,10', "peer 4's successors 8, 10");
    await waitFor(() => r.peer(3).peer.succ.map((s) => s.id).join() === '4,8', "peer 3's successors 4, 8");
    expect(r.peer(8).peer.pred?.id).toBe(4);
    // key 5 now belongs to 8
    expect((await r.ask('LOOKUP', 5, 1)).responsible).toBe(8);
  });

  it('peer 13 joins: it takes key 13 from 14, 12 makes it its first successor, 10 its second', async () => {
    const r = await ring(FOUR_BIT);
    await r.ask('PUT', 13, 1, 'thirteen');
    await r.ask('PUT', 14, 1, 'fourteen');
    await r.join(13);
    const p13 = r.peer(13).peer;
    expect(p13.pred?.id).toBe(12);
    expect(p13.succ.map((s) => s.id)).toEqual([14, 1]);
    expect(p13.primaryKeys()).toEqual([13]);
    await waitFor(() => r.peer(12).peer.succ.map((s) => s.id).join() === '13,14', "12's successors 13, 14");
    await waitFor(() => r.peer(10).peer.succ.map((s) => s.id).join() === '12,13', "10's successors 12, 13");
    expect(await r.ask('GET', 13, 3)).toMatchObject({ responsible: 13, value: 'thirteen' });
    expect(await r.ask('GET', 14, 3)).toMatchObject({ responsible: 14, value: 'fourteen' });
  });

  it('with replication on two successors, peers leaving one after another lose no key', async () => {
    const r = await ring(SIX_BIT, { bits: 6 });
    const keys = Array.from({ length: 64 }, (_, k) => k);
    for (const k of keys) expect((await r.ask('PUT', k, 1, `v${k}`)).ok).toBe(true);
    for (const gone of [60, 25, 40]) {
      r.leave(gone);
      const pred = r.sortedIds().filter((id) => id < gone).pop() ?? r.sortedIds().at(-1)!;
      await waitFor(() => r.peer(pred).peer.succ[0]?.id !== gone && r.peer(pred).peer.succ.length === 2, `peer ${pred} repaired`);
      await new Promise((res) => setTimeout(res, 200));
    }
    const got = await Promise.all(keys.map((k) => r.ask('GET', k, 12)));
    expect(got.filter((g) => g.value !== `v${g.key}`).map((g) => g.key)).toEqual([]);
    expect(got.every((g) => g.responsible === r.responsibleFor(g.key))).toBe(true);
  });

  it('without replication the keys of a departed peer are lost (what replication is for)', async () => {
    const r = await ring(SIX_BIT, { bits: 6, replication: 0 });
    await r.ask('PUT', 51, 1, 'gone-with-60');
    r.leave(60);
    await waitFor(() => r.peer(48).peer.succ[0]?.id === 1, "48's successor 1");
    expect(await r.ask('GET', 51, 1)).toMatchObject({ responsible: 1 });
    expect((await r.ask('GET', 51, 1)).value).toBeUndefined();
  });
});

it('10,000 lookups on a stable ring: none fails, each at the successor of its key', async () => {
  const r = await ring(SIX_BIT, { bits: 6, pingMs: 60_000 });
  r.tracing = false;
  const random = seeded(7);
  const asks = Array.from({ length: 10_000 }, () => ({ key: Math.floor(random() * 64), from: SIX_BIT[Math.floor(random() * 8)] }));
  const ls = await askMany(r, asks);
  expect(ls.filter((l) => !l.ok)).toEqual([]);
  expect(ls.filter((l) => l.responsible !== r.responsibleFor(l.key))).toEqual([]);
}, 60_000);

/** The DHT's line codec and ring arithmetic: every message round-trips; hostile lines are refused with a reason. */
import { describe, expect, it } from 'vitest';
import { encodeMessage, MAX_DATAGRAM, parseMessage, type DhtMessage } from '../../../src-main/lab/p2p/dht/dht-codec';
import { hashKey, inArc, keyOf, strictlyBetween, successorOf } from '../../../src-main/lab/p2p/dht/ring-math';
import { nextHop, nextHopPacked, packFingers, fingerTable, type Finger } from '../../../src-main/lab/p2p/dht/routing';
import type { PeerRef } from '../../../src-main/lab/p2p/dht/dht-codec';

const peer = { id: 12, address: '127.0.0.3', port: 7400 };
const route = { hops: 3, origin: { id: 1, address: '127.0.0.2', port: 7400 }, qid: 'a1b2' };
const all: DhtMessage[] = [
  { type: 'PING', nonce: 'x1' },
  { type: 'PONG', nonce: 'x1', id: 12, succ: peer },
  { type: 'PONG', nonce: 'x1', id: 12 },
  { type: 'SUCC?' },
  { type: 'SUCC', id: 4, succ: [peer, { ...peer, id: 13 }] },
  { type: 'LOOKUP', key: '51', route },
  { type: 'LOOKUP', key: 'song.mp3' },
  { type: 'FOUND', key: 51, peer, hops: 7, qid: 'ff' },
  { type: 'PUT', key: '53', value: 'hello', route },
  { type: 'PUT', key: '53', value: 'hello' },
  { type: 'STORED', key: 53, id: 60, hops: 2, qid: 'ff' },
  { type: 'GET', key: '53', route },
  { type: 'VALUE', key: 53, id: 60, hops: 2, qid: 'ff', value: 'hello' },
  { type: 'NOVALUE', key: 53, id: 60, hops: 2, qid: 'ff' },
  { type: 'REPLICA', key: 53, value: 'hello' },
  { type: 'JOIN', peer },
  { type: 'NOTIFY', peer },
  { type: 'ADOPT', peer },
  { type: 'WELCOME', pred: peer, succ: { ...peer, id: 14 } },
  { type: 'ERR', reason: 'unknown command' },
];

describe('DHT codec', () => {
  it.each(all.map((m) => [encodeMessage(m), m] as const))('%s round-trips', (line, m) => {
    expect(parseMessage(Buffer.from(line + '\n'))).toEqual({ ok: true, msg: m });
  });

  it('reads a verb typed in lower case, as a person types it in nc', () => {
    expect(parseMessage(Buffer.from('lookup 51\r\n'))).toEqual({ ok: true, msg: { type: 'LOOKUP', key: '51' } });
  });

  it.each([
    [Buffer.alloc(MAX_DATAGRAM + 1, 'A'), /at most 512/],
    [Buffer.from(''), /empty/],
    [Buffer.from('LOOKUP'), /usage: LOOKUP/],
    [Buffer.from('LOOKUP 51 3 1@127.0.0.1:9'), /all of <hops> <origin> <qid>/],
    [Buffer.from('LOOKUP 51 256 1@127.0.0.1:9 ab'), /hop count goes from 0 to 255/],
    [Buffer.from('LOOKUP 51 3 127.0.0.1:9 ab'), /not a peer/],
    [Buffer.from('LOOKUP 51 3 1@300.0.0.1:9 ab'), /not an address:port/],
    [Buffer.from('PUT 53 two words'), /usage: PUT|all of/],
    [Buffer.from('FOUND 51 x 3 ab'), /not a peer/],
    [Buffer.from('FLY 51'), /unknown command 'FLY'/],
    [Buffer.from([0x50, 0x49, 0x00, 0x47]), /printable ASCII/],
    [Buffer.from('LOOKUP 51\nLOOKUP 52'), /printable ASCII/],
  ])('refuses %s', (bytes, reason) => {
    const p = parseMessage(bytes);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.reason).toMatch(reason);
  });
});

describe('ring arithmetic', () => {
  it("finds each key's successor, wrapping round (K&R's 4-bit and 6-bit rings)", () => {
    expect(successorOf(13, [1, 3, 4, 5, 8, 10, 12, 14])).toBe(14);
    expect(successorOf(15, [1, 3, 4, 5, 8, 10, 12, 14])).toBe(1);
    expect([51, 60, 61].map((k) => successorOf(k, [1, 12, 13, 25, 32, 40, 48, 60]))).toEqual([60, 60, 1]);
    expect(inArc(0, 60, 1)).toBe(true);
    expect(inArc(60, 60, 1)).toBe(false);
  });

  it('hashes names with SHA-1 cut to n bits, and refuses keys off the ring', () => {
    expect(hashKey('song.mp3', 6)).toBeLessThan(64);
    expect(hashKey('song.mp3', 32) >>> 26).toBe(hashKey('song.mp3', 6));
    expect(keyOf('song.mp3', 6)).toBe(hashKey('song.mp3', 6));
    expect(keyOf('64', 6)).toMatch(/off the ring/);
  });

  it("routes the slide's query from peer 3 for key 11 straight to 12 with shortcuts, to 4 without", () => {
    const ids = [1, 3, 4, 5, 8, 10, 12, 14];
    const refs = new Map(ids.map((id) => [id, { id, address: '127.0.0.1', port: id }]));
    const fingers = fingerTable(3, 4, refs, ids);
    expect(fingers.map((f) => f.node.id)).toEqual([4, 5, 8, 12]);
    expect(nextHop(11, 3, refs.get(4)!, fingers).id).toBe(12);
    expect(nextHop(11, 3, refs.get(4)!, null).id).toBe(4);
  });

  it('a peer named twice reads the same both times, each its own object; a near miss of a known name is still refused', () => {
    const line = Buffer.from('FOUND 5 12@127.0.0.3:7400 1 ab\n');
    const a = parseMessage(line);
    const b = parseMessage(line);
    expect(a).toEqual(b);
    if (!a.ok || !b.ok || a.msg.type !== 'FOUND' || b.msg.type !== 'FOUND') throw new Error('not parsed');
    expect(a.msg.peer).toEqual(peer);
    a.msg.peer.port = 1;
    expect(b.msg.peer.port).toBe(7400);
    expect(parseMessage(line)).toEqual(b);
    expect(parseMessage(Buffer.from('FOUND 5 12@127.0.0.3:74000 1 ab'))).toMatchObject({ ok: false, reason: expect.stringMatching(/not an address:port/) });
    expect(parseMessage(Buffer.from('FOUND 5 12@127.0.0.300:7400 1 ab'))).toMatchObject({ ok: false });
  });

  it('on a sparse ring (1,000 peers on 24 bits) packs the fingers naming the successor into one and routes as the walk', () => {
    let seed = 3;
    const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const ids = [...new Set(Array.from({ length: 1000 }, () => rand(2 ** 24)))].sort((a, b) => a - b);
    const refs = new Map(ids.map((id) => [id, { id, address: '127.0.0.1', port: id % 65536 }]));
    for (let t = 0; t < 50; t++) {
      const i = rand(ids.length);
      const fingers = fingerTable(ids[i], 24, refs, ids);
      const packed = packFingers(fingers);
      expect(packed.nodes.length).toBeLessThan(fingers.length - 5);
      const succ = refs.get(ids[(i + 1) % ids.length])!;
      for (let k = 0; k < 200; k++) {
        const key = rand(2 ** 24);
        expect(nextHopPacked(key, ids[i], succ, packed)).toBe(nextHopPacked(key, ids[i], succ, { starts: Float64Array.from(fingers, (f) => f.start), ids: Float64Array.from(fingers, (f) => f.node.id), nodes: fingers.map((f) => f.node) }));
      }
    }
  });

  it('routes as the finger table reads, stale fingers included (a random table after churn), exactly as a walk finger by finger', () => {
    // the walk as K&R and Chord state it, finger objects one by one
    const walk = (key: number, self: number, succ: PeerRef, fingers: readonly Finger[]): PeerRef => {
      if (inArc(key, self, succ.id)) return succ;
      let best: PeerRef | null = null;
      for (const f of fingers) {
        if (f.node.id !== self && (key === f.start || (f.start !== f.node.id && inArc(key, f.start, f.node.id)))) return f.node;
        if (strictlyBetween(f.node.id, self, key) && (!best || strictlyBetween(best.id, self, f.node.id))) best = f.node;
      }
      return best ?? succ;
    };
    let seed = 7;
    const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let t = 0; t < 300; t++) {
      const ids = [...new Set(Array.from({ length: 3 + rand(30) }, () => rand(256)))].sort((a, b) => a - b);
      const refs = new Map(ids.map((id) => [id, { id, address: '127.0.0.1', port: id }]));
      const self = ids[rand(ids.length)];
      // the stable table, then churn's marks: some fingers stale (another peer, or the peer itself)
      const fingers = fingerTable(self, 8, refs, ids).map((f) => (rand(3) ? f : { start: f.start, node: refs.get(ids[rand(ids.length)])! }));
      const succ = refs.get(ids[rand(ids.length)])!;
      for (let k = 0; k < 30; k++) {
        const key = rand(256);
        expect(nextHop(key, self, succ, fingers)).toBe(walk(key, self, succ, fingers));
      }
    }
  });
});

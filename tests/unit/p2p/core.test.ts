import { describe, expect, it } from 'vitest';
import { boundCurve, clientServerBound, p2pBound } from '../../../src-main/lab/p2p/bounds';
import { rechoke, seededRandom } from '../../../src-main/lab/p2p/choker';
import { pickPiece } from '../../../src-main/lab/p2p/picker';
import { createTorrent, generateFile, parseTorrent } from '../../../src-main/lab/p2p/torrent';
import { bitfieldFrom, bitfieldTo, decodeMessage, encodeHandshake, encodeMessage, WireError, WireParser } from '../../../src-main/lab/p2p/wire';
import { parseSwarmScenario, SwarmScenarioError } from '../../../src-main/lab/p2p/swarm-scenario';
import { peerAddress } from '../../../src-main/lab/p2p/loopback';
import { SwarmRun } from '../../../src-main/lab/p2p/swarm';
import fs from 'node:fs';
import path from 'node:path';

const all = (n: number, v: boolean): boolean[] => new Array<boolean>(n).fill(v);

describe('piece picker', () => {
  it('rarest first picks the least available piece the neighbour has', () => {
    const pick = pickPiece({ strategy: 'rarest-first', have: all(5, false), neighbour: all(5, true), availability: [3, 1, 2, 1, 5], inFlight: new Set([3]), random: () => 0.99 });
    expect(pick).toEqual({ piece: 1, endgame: false });
  });
  it('breaks ties at random among the rarest', () => {
    const base = { strategy: 'rarest-first' as const, have: all(4, false), neighbour: all(4, true), availability: [1, 2, 1, 1], inFlight: new Set<number>() };
    expect(pickPiece({ ...base, random: () => 0 })!.piece).toBe(0);
    expect(pickPiece({ ...base, random: () => 0.5 })!.piece).toBe(2);
    expect(pickPiece({ ...base, random: () => 0.99 })!.piece).toBe(3);
  });
  it('skips pieces we have or the neighbour lacks; in-order and random are switchable', () => {
    const have = [true, false, false, false];
    const neighbour = [true, false, true, true];
    expect(pickPiece({ strategy: 'in-order', have, neighbour, availability: [9, 9, 9, 0], inFlight: new Set(), random: () => 0 })!.piece).toBe(2);
    expect(pickPiece({ strategy: 'random', have, neighbour, availability: [0, 0, 0, 0], inFlight: new Set(), random: () => 0.99 })!.piece).toBe(3);
    expect(pickPiece({ strategy: 'rarest-first', have: all(4, true), neighbour, availability: [1, 1, 1, 1], inFlight: new Set(), random: () => 0 })).toBeNull();
  });
  it('enters endgame only when every missing piece is already in flight', () => {
    const base = { strategy: 'rarest-first' as const, have: [true, false, false], neighbour: [true, true, false], availability: [1, 1, 1], random: () => 0 };
    // piece 2 is missing and not in flight (this neighbour lacks it): no endgame yet
    expect(pickPiece({ ...base, inFlight: new Set([1]) })).toBeNull();
    expect(pickPiece({ ...base, inFlight: new Set([1, 2]) })).toEqual({ piece: 1, endgame: true });
    // never the same piece twice from one neighbour
    expect(pickPiece({ ...base, inFlight: new Set([1, 2]), fromThisNeighbour: new Set([1]) })).toBeNull();
    // nor a piece already asked of enough neighbours (endgame copies would fill the download link)
    expect(pickPiece({ ...base, inFlight: new Set([1, 2]), crowded: new Set([1]) })).toBeNull();
    expect(pickPiece({ ...base, have: [false, false, false], inFlight: new Set([0, 1, 2]), crowded: new Set([1]) })).toEqual({ piece: 0, endgame: true });
  });
});

describe('choker', () => {
  const cands = [
    { id: 'a', interested: true, rate: 50 },
    { id: 'b', interested: true, rate: 500 },
    { id: 'c', interested: true, rate: 300 },
    { id: 'd', interested: false, rate: 900 },
    { id: 'e', interested: true, rate: 100 },
    { id: 'f', interested: true, rate: 200 },
    { id: 'g', interested: true, rate: 0 },
  ];
  it('keeps the four interested neighbours that gave the most unchoked', () => {
    const d = rechoke({ candidates: cands, slots: 4, optimistic: null, rotate: true, random: seededRandom(1) });
    expect(d.regular).toEqual(['b', 'c', 'f', 'e']);
    expect(['a', 'g']).toContain(d.optimistic);
  });
  it('keeps the optimistic unchoke between rotations and rotates it every third round', () => {
    const d = rechoke({ candidates: cands, slots: 4, optimistic: 'g', rotate: false, random: () => 0 });
    expect(d.optimistic).toBe('g');
    const r = rechoke({ candidates: cands, slots: 4, optimistic: 'g', rotate: true, random: () => 0 });
    expect(r.optimistic).toBe('a');
    // the optimistic one earned a regular slot: a new one is drawn
    const promoted = rechoke({ candidates: cands.map((c) => (c.id === 'g' ? { ...c, rate: 1000 } : c)), slots: 4, optimistic: 'g', rotate: false, random: () => 0 });
    expect(promoted.regular[0]).toBe('g');
    expect(promoted.optimistic).not.toBe('g');
  });
  it('rotates the optimistic unchoke over everyone over many rounds; a free-rider chokes all', () => {
    const seen = new Set<string>();
    let optimistic: string | null = null;
    const random = seededRandom(7);
    for (let i = 0; i < 40; i++) {
      optimistic = rechoke({ candidates: cands, slots: 4, optimistic, rotate: true, random }).optimistic;
      if (optimistic) seen.add(optimistic);
    }
    expect([...seen].sort()).toEqual(['a', 'g']);
    expect(rechoke({ candidates: cands, slots: 4, optimistic: null, rotate: true, random, freeRider: true })).toEqual({ regular: [], spare: [], optimistic: null });
  });
});

describe('distribution-time bounds (§2.5.1)', () => {
  const F = 8 * 2 ** 20;
  const u = 400 * 1024;
  it('client-server grows linearly with N, P2P levels off', () => {
    expect(clientServerBound({ fileBytes: F, peers: 10, serverUpload: 10 * u, minDownload: 10 * u, peersUpload: 10 * u })).toBeCloseTo(10 * F / (10 * u));
    expect(p2pBound({ fileBytes: F, peers: 10, serverUpload: 10 * u, minDownload: 10 * u, peersUpload: 10 * u })).toBeCloseTo(10 * F / (20 * u));
    expect(p2pBound({ fileBytes: F, peers: 1, serverUpload: 10 * u, minDownload: 2 * u, peersUpload: u })).toBeCloseTo(F / (2 * u));
    const curve = boundCurve(F, 10 * u, u, Infinity, 30);
    // the textbook's figure: at N = 30, client-server is 3 F/u, P2P under 1 F/u
    expect(curve[29].clientServer).toBeCloseTo((3 * F) / u);
    expect(curve[29].p2p).toBeLessThan(F / u);
    expect(curve[29].p2p).toBeCloseTo((30 * F) / (40 * u));
  });
});

describe('peer wire codec', () => {
  it('round-trips messages and the handshake', () => {
    const p = new WireParser(10);
    const hs = encodeHandshake(Buffer.alloc(20, 1), Buffer.alloc(20, 2));
    const msgs = [
      { type: 'have', index: 3 },
      { type: 'request', index: 1, begin: 16384, length: 16384 },
      { type: 'piece', index: 2, begin: 0, block: Buffer.from('abc') },
      { type: 'bitfield', bits: bitfieldFrom([true, false, true, false, false, false, false, false, false, true]) },
      { type: 'keep-alive' },
    ] as const;
    const out = p.push(Buffer.concat([hs, ...msgs.map((m) => encodeMessage(m))]));
    expect(out.handshake!.peerId).toEqual(Buffer.alloc(20, 2));
    expect(out.bodies.map((b) => decodeMessage(b, 10))).toEqual(msgs);
    expect(bitfieldTo(bitfieldFrom([true, false, true]), 3)).toEqual([true, false, true]);
  });
  it('reads the same messages however the stream is cut into reads (a handshake, a prefix, a block split anywhere)', () => {
    const block = Buffer.from(Array.from({ length: 40_000 }, (_, i) => i % 251));
    const msgs = [
      { type: 'have', index: 3 },
      { type: 'piece', index: 2, begin: 16384, block },
      { type: 'interested' },
      { type: 'piece', index: 1, begin: 0, block: block.subarray(0, 5) },
      { type: 'keep-alive' },
    ] as const;
    const stream = Buffer.concat([encodeHandshake(Buffer.alloc(20, 1), Buffer.alloc(20, 2)), ...msgs.map((m) => encodeMessage(m))]);
    const cuts = [[1], [3, 67, 68, 70, 71, 72, 73, 80], [100, 20_000, 40_080, 40_090], Array.from({ length: 100 }, (_, i) => 40_000 + i)];
    for (const at of cuts) {
      const p = new WireParser(10);
      const bodies: Buffer[] = [];
      let peer: Buffer | undefined;
      let from = 0;
      for (const to of [...at, stream.length]) {
        const out = p.push(stream.subarray(from, to));
        peer ??= out.handshake?.peerId;
        bodies.push(...out.bodies);
        from = to;
      }
      expect(peer).toEqual(Buffer.alloc(20, 2));
      expect(bodies.map((b) => decodeMessage(b, 10))).toEqual(msgs);
    }
  });
  it('refuses huge length prefixes before buffering, bad handshakes, bad bitfields and requests', () => {
    const p = new WireParser(10);
    p.push(encodeHandshake(Buffer.alloc(20), Buffer.alloc(20)));
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(0x7fffffff);
    expect(() => p.push(huge)).toThrow(/length prefix/);
    expect(() => new WireParser(10).push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(WireError);
    expect(() => decodeMessage(Buffer.from([5, 0xff]), 10)).toThrow(/bitfield of 1 bytes/);
    expect(() => decodeMessage(Buffer.from([5, 0xff, 0xff]), 10)).toThrow(/spare bits/);
    const req = encodeMessage({ type: 'request', index: 0, begin: 0, length: 10_000_000 }).subarray(4);
    expect(() => decodeMessage(req, 10)).toThrow(/at most/);
    expect(() => decodeMessage(encodeMessage({ type: 'have', index: 10 }).subarray(4), 10)).toThrow(/beyond/);
  });
});

describe('torrents and scenario files', () => {
  it('creates a .torrent whose info hash and piece hashes read back', () => {
    const data = generateFile(100_000, 3);
    expect(generateFile(100_000, 3)).toEqual(data);
    const { meta, file } = createTorrent(data, { name: 'x.bin', pieceLength: 32768, announce: 'http://127.0.0.1:6969/announce' });
    const back = parseTorrent(file);
    expect(back.infoHash).toEqual(meta.infoHash);
    expect(back.pieceHashes.length).toBe(4);
    expect(back.announce).toBe('http://127.0.0.1:6969/announce');
  });
  it('the shipped textbook swarm is valid and in the textbook ratio', () => {
    const s = parseSwarmScenario(fs.readFileSync(path.resolve(__dirname, '../../../resources/scenarios/swarm-textbook.yaml'), 'utf8'));
    const g = s.peers[0];
    expect(g.count).toBe(10);
    expect(s.server.upload).toBeCloseTo(10 * (g.upload as number), -3);
    expect(g.download as number).toBeGreaterThanOrEqual(s.server.upload);
    expect(s.file.chunkSize).toBe(256 * 1024);
  });
  it('names the line of a mistake', () => {
    const text = 'file:\n  size: 4 MiB\nserver:\n  upload: fast\npeers:\n  - count: 2\n    upload: 100 KiB/s\n';
    expect(() => parseSwarmScenario(text)).toThrow(SwarmScenarioError);
    expect(() => parseSwarmScenario(text)).toThrow(/^line 4: server.upload: 'fast' is not a rate/);
    expect(() => parseSwarmScenario('file:\n  size: 1 MiB\n  chunkSize: 10 KiB\nserver: {upload: 1 MiB/s}\npeers: [{upload: 1}]\n')).toThrow(/line 3: .*multiple of 16 KiB/);
    expect(() => parseSwarmScenario('file: [')).toThrow(/line 1/);
    expect(() => parseSwarmScenario('file: { size: 1 MiB }\nserver: { upload: 1 MiB/s }\npeers: [{ upload: 1 }]\nslotz: 4\n')).toThrow(/^line 4: slotz: unknown key 'slotz'/);
  });
});

describe('choker: reciprocation', () => {
  it('a leecher gives regular slots only to neighbours that fed it; the rest wait for the optimistic one', () => {
    const cands = [
      { id: 'feeder', interested: true, rate: 10 },
      { id: 'rider', interested: true, rate: 0 },
      { id: 'other', interested: true, rate: 0 },
    ];
    const d = rechoke({ candidates: cands, slots: 4, optimistic: null, rotate: true, random: () => 0, reciprocate: true });
    expect(d.regular).toEqual(['feeder']);
    expect(['rider', 'other']).toContain(d.optimistic);
    const seed = rechoke({ candidates: cands, slots: 4, optimistic: null, rotate: true, random: () => 0, reciprocate: false });
    expect(seed.regular).toHaveLength(3);
  });

  it('a leecher lends its unearned slots to neighbours that may still feed it, never to one that withholds what it wants', () => {
    const cands = [
      { id: 'feeder', interested: true, rate: 10 },
      { id: 'newcomer', interested: true, rate: 0, mayFeed: true },
      { id: 'rider', interested: true, rate: 0, mayFeed: false },
      { id: 'unchoker', interested: true, rate: 0, mayFeed: true },
    ];
    const d = rechoke({ candidates: cands, slots: 2, optimistic: null, rotate: true, random: () => 0, reciprocate: true });
    expect(d.regular).toEqual(['feeder']);
    expect(d.spare).toHaveLength(1);
    expect(['newcomer', 'unchoker']).toContain(d.spare[0]);
    expect(d.spare).not.toContain('rider');
    expect(d.optimistic).not.toBe(d.spare[0]);
    // a seed has no spare slots: every slot is regular, ranked by how fast they take its data
    expect(rechoke({ candidates: cands, slots: 2, optimistic: null, rotate: true, random: () => 0, reciprocate: false }).spare).toEqual([]);
  });

  it('a seed takes turns: its regular slots go to the neighbours it has served least, not the fastest takers', () => {
    const cands = [
      { id: 'fast', interested: true, rate: 900, served: 640 * 1024 },
      { id: 'fed', interested: true, rate: 500, served: 64 * 1024 },
      { id: 'new1', interested: true, rate: 0, served: 0 },
      { id: 'new2', interested: true, rate: 0, served: 0 },
      { id: 'done', interested: false, rate: 0, served: 0 },
    ];
    const d = rechoke({ candidates: cands, slots: 3, optimistic: null, rotate: true, random: seededRandom(2), reciprocate: false, turns: true });
    expect(d.regular.slice(0, 2).sort()).toEqual(['new1', 'new2']);
    expect(d.regular[2]).toBe('fed');
    expect(d.optimistic).toBe('fast');
  });
});

describe('swarm scenario: an existing file', () => {
  it('takes a path instead of a size, and needs one of them', () => {
    const s = parseSwarmScenario('file: { path: /etc/hostname }\nserver: { upload: 1 MiB/s }\npeers: [{ upload: 100 KiB/s }]\n');
    expect(s.file.path).toBe('/etc/hostname');
    expect(() => parseSwarmScenario('file: { seed: 1 }\nserver: { upload: 1 MiB/s }\npeers: [{ upload: 1 }]\n')).toThrow(/line 1: file: give the file a size/);
    expect(() => parseSwarmScenario('file: { size: 1 GiB }\nserver: { upload: 1 MiB/s }\npeers: [{ count: 10, upload: 1 }]\n')).toThrow(/4 GiB of memory/);
  });
});

describe('swarm scenario: a peer rate that does not read', () => {
  const peersUpload = (up: string): string => `file: { size: 1 MiB }\nserver: { upload: 1 MiB/s }\npeers:\n  - count: 2\n    upload: ${up}\n`;
  it('says what a rate looks like, at the line, where it said "Invalid input"', () => {
    expect(() => parseSwarmScenario(peersUpload('400 KB/sec'))).toThrow(/^line 5: peers\.0\.upload: '400 KB\/sec' is not a rate such as 400 KiB\/s or 3\.2 Mbit\/s/);
    expect(() => parseSwarmScenario(peersUpload('{ uniform: [1 MiB/s, 2 KB/sec] }'))).toThrow(/^line 5: peers\.0\.upload\.uniform\.1: '2 KB\/sec' is not a rate such as 400 KiB\/s/);
    expect(() => parseSwarmScenario(peersUpload('{ uniformm: [1, 2] }'))).toThrow(/^line 5: peers\.0\.upload\.uniformm: unknown key 'uniformm'/);
    expect(() => parseSwarmScenario(peersUpload('true'))).toThrow(/^line 5: peers\.0\.upload: not a rate such as 400 KiB\/s or 3\.2 Mbit\/s.*nor \{ uniform: \[low, high\] \}/);
    expect(() => parseSwarmScenario('file: { size: 1 MiB }\nserver: { upload: 1 MiB/s }\npeers:\n  - count: 2\n')).toThrow(/^line 4: peers\.0\.upload: required: a rate such as 400 KiB\/s/);
    expect(() => parseSwarmScenario(peersUpload('99 Gbit/s'))).toThrow(/'99 Gbit\/s' is out of range: at most 10 GB\/s/);
    for (const ok of ['400 KiB/s', '3.2 Mbit/s', '400 KB/s', '51200']) expect(() => parseSwarmScenario(peersUpload(ok)), ok).not.toThrow();
    expect(parseSwarmScenario(peersUpload('{ uniform: [1 MiB/s, 2 MiB/s] }')).peers[0].upload).toEqual({ uniform: [1024 * 1024, 2 * 1024 * 1024] });
  });
});

describe('swarm peers: one loopback address each, or a shared one where the system has no more', () => {
  const text = 'name: addr\nfile: { size: 64 KiB, chunkSize: 16 KiB }\nserver: { upload: 1 MiB/s }\npeers: [{ count: 4, upload: 1 MiB/s }]\n';
  it('gives the server 127.0.0.2 and each peer the next address; shared mode puts all on 127.0.0.1 and says so', () => {
    const distinct = new SwarmRun(parseSwarmScenario(text), { announceUrl: 'http://127.0.0.1:1/announce', loopback: 'distinct' }).snapshot();
    expect(distinct.addresses).toBe('distinct');
    expect(distinct.peers.map((p) => p.host)).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6']);
    const shared = new SwarmRun(parseSwarmScenario(text), { announceUrl: 'http://127.0.0.1:1/announce', loopback: 'shared' }).snapshot();
    expect(shared.addresses).toBe('shared');
    expect(new Set(shared.peers.map((p) => p.host))).toEqual(new Set(['127.0.0.1']));
    // a thousand peers (the scenario's limit): all different, never 127.0.0.1, never a .0 or .255
    const many = Array.from({ length: 1001 }, (_, i) => peerAddress(i, 'distinct'));
    expect(new Set(many).size).toBe(1001);
    expect(many.filter((a) => a === '127.0.0.1' || /\.(0|255)$/.test(a))).toEqual([]);
    expect(peerAddress(253, 'distinct')).toBe('127.0.1.1');
  });
});

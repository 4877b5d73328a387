/**
 * The search overlays' pure parts: Gnutella 0.6 descriptors round-trip byte for byte, every
 * malformed input is refused with its reason (payload length past the cap, TTL 0 or 255, an
 * unknown descriptor, bad payloads), the handshake parser, the index protocol's session, the
 * terminal's `overlay` command, the scenario's checks and the flood formula on known shapes.
 */
import { describe, expect, it } from 'vitest';
import { decodeDescriptor, DescriptorReader, encodeDescriptor, HEADER_BYTES, MAX_PAYLOAD, parseHandshake, type Descriptor } from '../../../src-main/lab/p2p/overlays/gnutella-codec';
import { FileIndex, IndexSession, MAX_ERRORS, parseHitLine } from '../../../src-main/lab/p2p/overlays/index-protocol';
import { parseOverlayCommand } from '../../../src-main/lab/p2p/overlays/overlay-command';
import { parseOverlayScenario } from '../../../src-main/lab/p2p/overlays/overlay-scenario';
import { buildGraph, floodFormula } from '../../../src-main/lab/p2p/overlays/overlay-topology';

const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const samples: Descriptor[] = [
  { guid, kind: 'ping', ttl: 7, hops: 0, payload: { kind: 'ping' } },
  { guid, kind: 'pong', ttl: 2, hops: 1, payload: { kind: 'pong', port: 6346, ip: '127.0.0.5', files: 3, kb: 59 } },
  { guid, kind: 'query', ttl: 6, hops: 1, payload: { kind: 'query', minSpeed: 0, criteria: 'rare bootleg' } },
  { guid, kind: 'queryHit', ttl: 3, hops: 0, payload: { kind: 'queryHit', port: 6346, ip: '127.0.0.13', speed: 1000, hits: [{ index: 4, size: 20000, name: 'rare-bootleg.mp3' }, { index: 1, size: 5, name: 'a.mp3' }], servent: Buffer.from('p11'.padEnd(16, '\0')) } },
];

describe('Gnutella 0.6 descriptors', () => {
  it.each(samples.map((d) => [d.kind, d] as const))('%s round-trips, header little-endian', (_, d) => {
    const bytes = encodeDescriptor(d);
    expect(bytes.readUInt32LE(19)).toBe(bytes.length - HEADER_BYTES);
    expect(bytes[16]).toBe({ ping: 0x00, pong: 0x01, query: 0x80, queryHit: 0x81 }[d.kind]);
    const r = decodeDescriptor(bytes);
    expect(r.ok && r.d).toEqual(d);
    expect(encodeDescriptor((r as { d: Descriptor }).d).equals(bytes)).toBe(true);
  });

  it('a stream split anywhere gives the same descriptors', () => {
    const all = Buffer.concat(samples.map(encodeDescriptor));
    for (const cut of [1, 22, 23, 30, all.length - 1]) {
      const r = new DescriptorReader();
      r.push(all.subarray(0, cut));
      const got = [];
      for (let d = r.next(); d; d = r.next()) got.push(d);
      r.push(all.subarray(cut));
      for (let d = r.next(); d; d = r.next()) got.push(d);
      expect(got.map((g) => g.ok && g.d.kind)).toEqual(['ping', 'pong', 'query', 'queryHit']);
      expect(r.pending).toBe(0);
    }
  });

  const bad = (mutate: (b: Buffer) => Buffer) => decodeDescriptor(mutate(Buffer.from(encodeDescriptor(samples[2]))));
  it.each([
    ['TTL 255', (b: Buffer) => ((b[17] = 255), b), /TTL 255 .*past the limit/],
    ['TTL 0', (b: Buffer) => ((b[17] = 0), b), /TTL 0/],
    ['an unknown descriptor', (b: Buffer) => ((b[16] = 0x42), b), /unknown payload descriptor 0x42/],
    ['a truncated descriptor', (b: Buffer) => b.subarray(0, 20), /truncated descriptor: 20 bytes/],
  ])('%s is refused with its reason', (_, mutate, reason) => {
    const r = bad(mutate);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });

  it('a Query whose criteria lack their NUL is refused', () => {
    const b = Buffer.from(encodeDescriptor(samples[2]));
    const cut = b.subarray(0, b.length - 1);
    cut.writeUInt32LE(cut.length - HEADER_BYTES, 19);
    expect(decodeDescriptor(cut)).toMatchObject({ ok: false, reason: expect.stringMatching(/ending with a NUL/) });
  });

  it('a payload length past the cap loses the framing: fatal, and nothing more is read', () => {
    const b = Buffer.from(encodeDescriptor(samples[0]));
    b.writeUInt32LE(MAX_PAYLOAD + 1, 19);
    const r = new DescriptorReader();
    r.push(Buffer.concat([b, encodeDescriptor(samples[0])]));
    const first = r.next();
    expect(first).toMatchObject({ ok: false, fatal: true });
    expect(r.next()).toBeNull();
  });

  it('a QueryHit whose name lacks its two NULs is refused', () => {
    const b = Buffer.from(encodeDescriptor(samples[3]));
    b[HEADER_BYTES + 11 + 8 + 'rare-bootleg.mp3'.length + 1] = 0x41;
    expect(decodeDescriptor(b)).toMatchObject({ ok: false });
  });

  it('the handshake: whole blocks only, headers by name, garbage refused', () => {
    expect(parseHandshake(Buffer.from('GNUTELLA CONNECT/0.6\r\nUser-Agent: x'))).toBeNull();
    const h = parseHandshake(Buffer.from('GNUTELLA CONNECT/0.6\r\nListen-IP: 127.0.0.2:6346\r\nX-Ultrapeer: True\r\n\r\nrest'));
    expect(h).toMatchObject({ h: { first: 'GNUTELLA CONNECT/0.6', headers: { 'listen-ip': '127.0.0.2:6346', 'x-ultrapeer': 'True' } } });
    expect(typeof h === 'object' && h?.rest.toString()).toBe('rest');
    expect(parseHandshake(Buffer.from('GNUTELLA CONNECT/0.6\r\n\x01\x02 garbage\r\n\r\n'))).toMatch(/bad handshake header line/);
    expect(parseHandshake(Buffer.alloc(5000, 0x41))).toMatch(/longer than 4096/);
  });
});

describe('the index protocol', () => {
  it('LOGIN, ADD, SEARCH; errors numbered; too many bad lines in a row close the session', () => {
    const index = new FileIndex();
    const s = new IndexSession(index, '127.0.0.9');
    expect(s.line('ADD 1 2 x.mp3')).toEqual({ lines: ['503 LOGIN first'] });
    expect(s.line('LOGIN alice 6346')).toMatchObject({ lines: [expect.stringMatching(/^201 welcome alice/)] });
    expect(s.line('ADD 1 4000 Blue-Song.mp3')).toEqual({ lines: ['202 added Blue-Song.mp3'] });
    expect(s.line('search blue song')).toEqual({ search: 'blue song' });
    expect(index.search('BLUE').map((e) => e.name)).toEqual(['Blue-Song.mp3']);
    expect(parseHitLine('210 Blue-Song.mp3 4000 127.0.0.9:6346 1 alice')).toEqual({ name: 'Blue-Song.mp3', size: 4000, ip: '127.0.0.9', port: 6346, index: 1, peer: 'alice' });
    for (let i = 1; i < MAX_ERRORS; i++) expect(s.line('NOPE')).toMatchObject({ lines: [expect.stringMatching(/^500 unknown command 'NOPE'/)] });
    expect(s.line('NOPE')).toMatchObject({ close: true });
  });
});

describe('`overlay` at the terminal', () => {
  it('parses query, get and peers, and explains mistakes', () => {
    expect(parseOverlayCommand(['query', 'rare', 'bootleg', 'from', 'p3', 'via', 'kazaa'])).toEqual({ kind: 'overlay', action: 'query', file: 'rare bootleg', from: 3, via: 'kazaa' });
    expect(parseOverlayCommand(['get', 'song-05'])).toEqual({ kind: 'overlay', action: 'get', file: 'song-05' });
    expect(parseOverlayCommand(['peers'])).toEqual({ kind: 'overlay', action: 'peers' });
    expect(parseOverlayCommand(['ping', 'from', '4'])).toEqual({ kind: 'overlay', action: 'ping', from: 4 });
    expect(parseOverlayCommand(['query'])).toMatchObject({ kind: 'error', message: expect.stringMatching(/^usage: overlay query NAME/) });
    expect(parseOverlayCommand(['query', 'x', 'via', 'bittorrent'])).toMatchObject({ kind: 'error' });
    expect(parseOverlayCommand(['fly'])).toMatchObject({ kind: 'error', message: "overlay: unknown action 'fly' (query, get, ping, peers)" });
  });
});

describe('scenarios and the flood formula', () => {
  it('a mistake is named at its line', () => {
    expect(() => parseOverlayScenario('peers: 4\nplace:\n  - { peer: 9, file: x.mp3 }\n')).toThrow(/line 3: .*peer 9 does not exist/);
    expect(() => parseOverlayScenario('peers: 4\nttl: 255\n')).toThrow(/line 2/);
  });

  it('tree, ring, complete: the formula the textbook\'s reasoning gives', () => {
    expect(floodFormula(buildGraph(31, { kind: 'tree', degree: 2 }, 1), 0, 3)).toEqual({ messages: 14, reached: 14 });
    expect(floodFormula(buildGraph(16, { kind: 'ring' }, 1), 0, 4)).toEqual({ messages: 8, reached: 8 });
    expect(floodFormula(buildGraph(4, { kind: 'complete' }, 1), 0, 7)).toEqual({ messages: 9, reached: 3 });
    const g = buildGraph(200, { kind: 'random', degree: 4 }, 7);
    expect(g.every((ns) => ns.length >= 2)).toBe(true);
    expect(buildGraph(200, { kind: 'random', degree: 4 }, 7)).toEqual(g);
  });
});

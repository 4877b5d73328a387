import { describe, expect, it } from 'vitest';
import { encodeFailure, parseAnnounce, parseCompactPeers, parseScrape, TrackerRequestError, encodeAnnounce } from '../../src-main/lab/services/tracker/announce';
import { parseUdpRequest, encodeConnectRequest, encodeAnnounceRequest, PROTOCOL_ID } from '../../src-main/lab/services/tracker/udp-packets';
import { TrackerState } from '../../src-main/lab/services/tracker/swarms';
import { bdecode } from '../../src-main/lab/p2p/bencode';

const hash = Buffer.alloc(20, 0xab);
const pct = (b: Buffer): string => [...b].map((c) => '%' + c.toString(16).padStart(2, '0')).join('');
const q = (extra = ''): string => `info_hash=${pct(hash)}&peer_id=-NL0001-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=100${extra}`;

describe('tracker HTTP announce parser', () => {
  it('normalises a full announce', () => {
    const p = parseAnnounce(q('&event=started&compact=1&numwant=5'));
    expect(p).toMatchObject({ infoHash: 'ab'.repeat(20), port: 6881, left: 100, event: 'started', compact: true, numwant: 5 });
    expect(p.peerId.toString()).toBe('-NL0001-abcdefghijkl');
  });
  it.each([
    ['', 'missing info_hash'],
    [`info_hash=abc&peer_id=x`, 'info_hash must be 20 bytes'],
    [q().replace('port=6881', 'port=99999'), 'port 99999 is out of range'],
    [q().replace('left=100', 'left=-1'), 'left is not a non-negative integer'],
    [q('&event=bogus'), "unknown event 'bogus'"],
    [q() + '&x=%zz', 'bad percent-escape'],
    [q().replace('&port=6881', ''), 'missing port'],
  ])('refuses %s', (query, reason) => {
    expect(() => parseAnnounce(query)).toThrow(TrackerRequestError);
    expect(() => parseAnnounce(query)).toThrow(reason);
  });
  it('caps numwant and parses scrape hashes', () => {
    expect(parseAnnounce(q('&numwant=100000')).numwant).toBe(200);
    expect(parseScrape(`info_hash=${pct(hash)}&info_hash=${pct(Buffer.alloc(20, 1))}`)).toEqual(['ab'.repeat(20), '01'.repeat(20)]);
  });
  it('failure reasons are bencoded dictionaries', () => {
    expect(Buffer.from(encodeFailure('nope')).toString()).toBe('d14:failure reason4:nopee');
  });
  it('compact and dictionary peer lists', () => {
    const a = { interval: 120, minInterval: 15, complete: 1, incomplete: 0, peers: [{ ip: '127.0.0.1', port: 26001, peerId: Buffer.alloc(20, 0x41) }] };
    const compact = bdecode(encodeAnnounce(a, { compact: true, noPeerId: false })) as Record<string, Uint8Array>;
    expect(parseCompactPeers(compact.peers)).toEqual([{ ip: '127.0.0.1', port: 26001 }]);
    const dict = bdecode(encodeAnnounce(a, { compact: false, noPeerId: false })) as Record<string, { port: number }[]>;
    expect(dict.peers[0].port).toBe(26001);
  });
});

describe('tracker UDP (BEP 15) parser', () => {
  it('reads connect and announce requests', () => {
    expect(parseUdpRequest(encodeConnectRequest(7))).toEqual({ action: 'connect', transactionId: 7 });
    const r = parseUdpRequest(
      encodeAnnounceRequest({ connectionId: 5n, transactionId: 9, infoHash: 'ab'.repeat(20), peerId: Buffer.alloc(20, 0x42), downloaded: 1, left: 2, uploaded: 3, event: 'started', ip: 0, key: 1, numwant: -1, port: 26002 }),
    );
    expect(r).toMatchObject({ action: 'announce', connectionId: 5n, transactionId: 9, left: 2, event: 'started', numwant: 50, port: 26002 });
  });
  it('refuses short, unknown and wrongly-identified datagrams', () => {
    expect(() => parseUdpRequest(Buffer.alloc(10))).toThrow(/shorter/);
    const bad = encodeConnectRequest(1);
    bad.writeBigUInt64BE(PROTOCOL_ID + 1n, 0);
    expect(() => parseUdpRequest(bad)).toThrow(/protocol id/);
    const unknown = encodeConnectRequest(1);
    unknown.writeUInt32BE(9, 8);
    expect(() => parseUdpRequest(unknown)).toThrow(/unknown action 9/);
  });
});

describe('tracker state', () => {
  it('lists other peers, counts seeds, forgets stopped peers', () => {
    const s = new TrackerState(() => 0);
    const id = (c: number): Buffer => Buffer.alloc(20, c);
    s.announce({ infoHash: 'h', peerId: id(1), ip: '127.0.0.1', port: 1, left: 0, event: 'started', numwant: 50 });
    const a = s.announce({ infoHash: 'h', peerId: id(2), ip: '127.0.0.1', port: 2, left: 10, event: 'started', numwant: 50 });
    expect(a.peers.map((p) => p.port)).toEqual([1]);
    expect([a.complete, a.incomplete]).toEqual([1, 1]);
    s.announce({ infoHash: 'h', peerId: id(1), ip: '127.0.0.1', port: 1, left: 0, event: 'stopped', numwant: 50 });
    expect(s.stats('h')).toMatchObject({ complete: 0, incomplete: 1 });
  });
});

import { describe, expect, it } from 'vitest';
import { encodeFailure, parseAnnounce, parseCompactPeers, parseScrape, TrackerRequestError, encodeAnnounce } from '../../../src-main/lab/p2p/tracker/announce';
import { parseUdpRequest, encodeConnectRequest, encodeAnnounceRequest, PROTOCOL_ID } from '../../../src-main/lab/p2p/tracker/udp-packets';
import { TrackerState } from '../../../src-main/lab/p2p/tracker/swarms';
import { HttpHeadError, parseHead } from '../../../src-main/lab/p2p/tracker/http';
import { bdecode } from '../../../src-main/lab/p2p/bencode';

const hash = Buffer.alloc(20, 0xab);
const pct = (b: Buffer): string => [...b].map((c) => '%' + c.toString(16).padStart(2, '0')).join('');
const q = (extra = ''): string => `info_hash=${pct(hash)}&peer_id=-NL0001-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=100${extra}`;

describe('tracker HTTP announce parser', () => {
  it('normalises a full announce', () => {
    const p = parseAnnounce(q('&event=started&compact=1&numwant=5'));
    expect(p).toMatchObject({ infoHash: 'ab'.repeat(20), port: 6881, left: 100, event: 'started', compact: true, numwant: 5 });
    expect(p.peerKey).toBe('-NL0001-abcdefghijkl');
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
  it('reads escaped keys and values, raw unreserved bytes, the first of repeated keys; checks every escape', () => {
    const mixed = Buffer.from('AB-._~%&=+ 012345678', 'latin1');
    const p = parseAnnounce(`info%5Fhash=${pct(hash)}&info_hash=${pct(Buffer.alloc(20, 1))}&peer_id=AB-._~%25%26%3D%2B+012345678&port=%36%38%38%31&uploaded=0&downloaded=0&left=7&event=completed`);
    expect(p).toMatchObject({ infoHash: 'ab'.repeat(20), peerKey: mixed.toString('latin1'), port: 6881, event: 'completed', compact: false, numwant: 50 });
    expect(parseAnnounce(`info_hash=${'%AB'.repeat(19)}%ab&peer_id=${'x'.repeat(20)}&port=1&uploaded=0&downloaded=0&left=0`).infoHash).toBe('ab'.repeat(20));
    expect(() => parseAnnounce(q('&left=1%'))).toThrow(/bad percent-escape/);
    expect(() => parseAnnounce(q('&x=%4'))).toThrow(/bad percent-escape/);
    expect(() => parseAnnounce(q('&x=caf\u00e9'))).toThrow(/non-ASCII/);
    expect(() => parseAnnounce(q().replace('port=6881', 'port=68a1'))).toThrow(/port is not a non-negative integer/);
    expect(() => parseAnnounce(q().replace('left=100', 'left=12345678901234567'))).toThrow(/left is not a non-negative integer/);
    expect(() => parseAnnounce(q().replace('peer_id=-NL0001-abcdefghijkl', 'peer_id=short'))).toThrow('peer_id must be 20 bytes, got 5');
    expect(parseAnnounce(q('&ip=10.0.0.7&event=')).ip).toBe('10.0.0.7');
    expect(parseAnnounce(q('&ip=somewhere')).ip).toBeUndefined();
  });
  it('parses request heads: keep-alive by version and Connection, bare LF, malformed request lines', () => {
    const h = (t: string) => parseHead(Buffer.from(t, 'latin1'));
    expect(h('GET /announce?a=1 HTTP/1.1\r\nHost: x')).toEqual({ method: 'GET', target: '/announce?a=1', path: '/announce', query: 'a=1', keepAlive: true });
    expect(h('GET /scrape HTTP/1.1\r\nCONNECTION:  Close ')).toMatchObject({ path: '/scrape', query: '', keepAlive: false });
    expect(h('GET /x HTTP/1.0')).toMatchObject({ keepAlive: false });
    expect(h('GET /x HTTP/1.0\nconnection: keep-alive')).toMatchObject({ keepAlive: true });
    for (const bad of ['GET  /x HTTP/1.1', 'get /x HTTP/1.1', 'GET /x HTTP/2.0', 'GET HTTP/1.1', 'GET /a b HTTP/1.1', ' GET /x HTTP/1.1', 'GET /x\tHTTP/1.1', 'VERYLONGMETHOD /x HTTP/1.1']) {
      expect(() => h(bad), bad).toThrow(HttpHeadError);
    }
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

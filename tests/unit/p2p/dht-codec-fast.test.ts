/**
 * The fast reading of the lines peers write (a query's hop, its answer) reads exactly what the
 * one grammar reads: the same line typed by a person (the verb in lower case, two spaces, which
 * only the full parser takes) gives the same message, and every near miss is refused as before.
 */
import { describe, expect, it } from 'vitest';
import { encodeMessage, parseMessage, type DhtMessage } from '../../../src-main/lab/p2p/dht/dht-codec';
import { encodePeerLine, parsePeerLine } from '../../../src-main/lab/p2p/dht/dht-codec-fast';

let seed = 11;
const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
const ref = () => ({ id: rand(2) ? rand(2 ** 24) : 4294967295 - rand(10), address: `127.${rand(256)}.${rand(256)}.${rand(256)}`, port: rand(65536) });
const qid = () => Array.from({ length: 1 + rand(16) }, () => '0123456789abcdefghijklmnopqrstuvwxyz'[rand(36)]).join('');

function randomLine(): DhtMessage {
  const route = { hops: rand(256), origin: ref(), qid: qid() };
  switch (rand(3)) {
    case 0:
      return { type: 'LOOKUP', key: String(rand(2) ? rand(2 ** 24) : 4294967295), route };
    case 1:
      return { type: 'GET', key: String(rand(2 ** 32)), route };
    default:
      return { type: 'FOUND', key: rand(2 ** 32), peer: ref(), hops: rand(256), qid: qid() };
  }
}

/** the same line as a person might type it: lower case, two spaces between the first fields */
const typed = (line: string): string => line.replace(/^[A-Z]+ /, (v) => v.toLowerCase() + ' ');

describe('a peer line read fast', () => {
  it('reads 2,000 random peer lines as the full parser reads them typed by hand', () => {
    for (let i = 0; i < 2000; i++) {
      const m = randomLine();
      const line = encodeMessage(m);
      const fast = parseMessage(Buffer.from(line + '\n'));
      expect(fast).toEqual({ ok: true, msg: m });
      // the fast reading took it; the typed line below it leaves to the full parser
      expect(parsePeerLine(Buffer.from(line), line.length)).toEqual(m);
      expect(parsePeerLine(Buffer.from(typed(line)), line.length + 1)).toBeNull();
      expect(parseMessage(Buffer.from(typed(line) + '\r\n'))).toEqual(fast);
    }
  });

  it('writes each of 2,000 random messages byte for byte as the one encoder does, and leaves the rest to it', () => {
    for (let i = 0; i < 2000; i++) {
      const m = randomLine();
      if ((m.type === 'LOOKUP' || m.type === 'GET') && rand(4) === 0) m.key = ['song.mp3', 'a-b_c.d', '0'][rand(3)];
      expect(encodePeerLine(m)?.toString('latin1')).toBe(encodeMessage(m) + '\n');
    }
    const others: DhtMessage[] = [{ type: 'LOOKUP', key: '51' }, { type: 'PING', nonce: 'a' }, { type: 'PUT', key: '5', value: 'v', route: { hops: 1, origin: ref(), qid: 'a' } }, { type: 'FOUND', key: 1.5, peer: ref(), hops: 1, qid: 'a' }];
    for (const m of others) expect(encodePeerLine(m)).toBeNull();
  });

  it('gives each peer named its own object, and the address as written', () => {
    const line = Buffer.from('FOUND 7 9@127.0.3.44:7400 2 ab');
    const a = parseMessage(line);
    const b = parseMessage(line);
    if (!a.ok || !b.ok || a.msg.type !== 'FOUND' || b.msg.type !== 'FOUND') throw new Error('not read');
    expect(a.msg.peer).toEqual({ id: 9, address: '127.0.3.44', port: 7400 });
    expect(a.msg.peer).not.toBe(b.msg.peer);
  });

  it('leaves leading zeros, keys by name and long keys to the full parser, which reads them as before', () => {
    expect(parseMessage(Buffer.from('LOOKUP 051 003 01@127.000.0.2:07400 ab'))).toEqual({ ok: true, msg: { type: 'LOOKUP', key: '051', route: { hops: 3, origin: { id: 1, address: '127.000.0.2', port: 7400 }, qid: 'ab' } } });
    expect(parseMessage(Buffer.from('GET song.mp3 1 1@127.0.0.2:7400 ab'))).toMatchObject({ ok: true, msg: { key: 'song.mp3' } });
    expect(parseMessage(Buffer.from('LOOKUP 99999999999 1 1@127.0.0.2:7400 ab'))).toMatchObject({ ok: true, msg: { key: '99999999999' } });
  });

  it.each([
    ['LOOKUP 51 256 1@127.0.0.2:7400 ab', /hop count goes from 0 to 255/],
    ['LOOKUP 51 3 4294967296@127.0.0.2:7400 ab', /a peer id must be a number/],
    ['LOOKUP 51 3 1@127.0.0.256:7400 ab', /not an address:port/],
    ['LOOKUP 51 3 1@127.0.0.2:65536 ab', /not an address:port/],
    ['LOOKUP 51 3 1@127.0.0:7400 ab', /not an address:port/],
    ['LOOKUP 51 3 1@127.0.0.2:7400 0123456789abcdefg', /query id/],
    ['LOOKUP 51 3 1@127.0.0.2:7400 aB', /query id/],
    ['LOOKUP 51 3 1@127.0.0.2:7400', /all of <hops> <origin> <qid>/],
    ['LOOKUP 51 3 1@127.0.0.2:7400 ab cd', /usage: LOOKUP/],
    ['FOUND 4294967296 1@127.0.0.2:7400 3 ab', /a key must be a number/],
    ['FOUND 51 1@127.0.0.2:7400 3', /usage: FOUND/],
    ['FOUND 51 1@127.0.0.2:7400 3 ab\x01', /printable ASCII/],
    ['LOOKUP 51 3 1@127.0.0.2:7400 ab ', null],
  ])('%s is read as the full parser reads it', (line, reason) => {
    const p = parseMessage(Buffer.from(line));
    if (reason === null) return expect(p).toMatchObject({ ok: true });
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.reason).toMatch(reason);
  });
});

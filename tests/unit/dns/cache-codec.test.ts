import * as packet from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { DnsCache } from '../../../src-main/lab/dns/cache';
import { checkQuery, encodeQuery, encodeReply, quickName, quickQuestion, ttlOffsets } from '../../../src-main/lab/dns/codec';
import { parseDig, parseNslookup } from '../../../src-main/lab/dns/dig-command';
import type { Rr } from '../../../src-main/lab/dns/records';
import { DnsTcpFramer } from '../../../src-main/lab/dns/tcp-framer';
import { parseCommand } from '../../../src-main/lab/terminal/commands';

const A: Rr = { name: 'gaia.cs.umass.edu', ttl: 10, type: 'A', data: '128.119.40.205' };
const SOA: Rr = { name: 'umass.edu', ttl: 3600, type: 'SOA', data: { mname: 'dns.umass.edu', rname: 'h.umass.edu', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 5 } };

describe('the resolver cache', () => {
  it('hands records back with the TTL that is left, and forgets them when it runs out', () => {
    let now = 1_000_000;
    const c = new DnsCache(() => now);
    c.put([A], 'answer');
    expect(c.get(A.name, 'A')).toMatchObject({ kind: 'positive', ttl: 10, rrs: [{ ttl: 10 }] });
    now += 4000;
    expect(c.get(A.name, 'A')).toMatchObject({ ttl: 6, rrs: [{ ttl: 6 }] });
    now += 6000;
    expect(c.get(A.name, 'A')).toBeUndefined();
  });

  it('keeps NXDOMAIN for min(SOA TTL, SOA minimum) and NODATA per type', () => {
    let now = 0;
    const c = new DnsCache(() => now);
    c.putNegative('nope.umass.edu', '*', SOA);
    c.putNegative('gaia.cs.umass.edu', 'MX', SOA);
    expect(c.get('nope.umass.edu', 'AAAA')).toMatchObject({ kind: 'nxdomain', ttl: 5 });
    expect(c.get('gaia.cs.umass.edu', 'MX')).toMatchObject({ kind: 'nodata' });
    expect(c.get('gaia.cs.umass.edu', 'A')).toBeUndefined();
    now += 5000;
    expect(c.get('nope.umass.edu', 'A')).toBeUndefined();
  });

  it('a referral never overwrites an answer; a fork reads its snapshot and writes through', () => {
    const c = new DnsCache(() => 0);
    c.put([{ ...A, ttl: 100 }], 'answer');
    c.put([{ ...A, data: '192.0.2.99', ttl: 100 }], 'glue');
    expect(c.get(A.name, 'A')).toMatchObject({ rrs: [{ data: '128.119.40.205' }] });
    const f = c.fork();
    c.flush();
    expect(f.get(A.name, 'A')).toBeDefined();
    f.put([{ ...SOA, name: 'x.edu', ttl: 50 }], 'answer');
    expect(c.get('x.edu', 'SOA')).toBeDefined();
    expect(c.rows().map((r) => r.name)).toEqual(['x.edu']);
  });
});

describe('DNS messages', () => {
  it('checks queries: FORMERR for garbage, drop for too short, NOTIMP for other opcodes', () => {
    expect(checkQuery(Buffer.from([1, 2, 3]))).toMatchObject({ ok: false, reply: null });
    const garbage = Buffer.from([0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1]);
    const r = checkQuery(garbage);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reply?.readUInt16BE(0)).toBe(0xabcd);
      expect((r.reply?.readUInt16BE(2) ?? 0) & 0xf).toBe(1); // FORMERR
    }
    const notify = encodeQuery(7, 'x.edu', 'SOA', false);
    notify.writeUInt16BE(4 << 11, 2);
    const n = checkQuery(notify);
    expect(n.ok === false && ((n.reply?.readUInt16BE(2) ?? 0) & 0xf)).toBe(4);
  });

  it('truncates a reply that does not fit, keeping the question and setting TC', () => {
    const q = checkQuery(encodeQuery(9, 'big.x.edu', 'TXT', true));
    if (!q.ok) throw new Error('query');
    const txt: Rr[] = Array.from({ length: 5 }, (_, i) => ({ name: 'big.x.edu', ttl: 60, type: 'TXT', data: ['x'.repeat(200) + i] }));
    const { bytes, truncated } = encodeReply(q.query, { rcode: 'NOERROR', aa: true, answers: txt, authorities: [], additionals: [], kind: 'answer' }, { ra: false, maxSize: 512 });
    expect(truncated).toBe(true);
    const p = packet.decode(bytes);
    expect(p.flag_tc).toBe(true);
    expect(p.id).toBe(9);
    expect(p.questions?.[0].name).toBe('big.x.edu');
    expect(p.answers).toEqual([]);
  });

  it('reads the question without decoding, and finds every TTL to age', () => {
    const q = encodeQuery(0x1234, 'GaIa.cs.umass.edu', 'A', true);
    const qq = quickQuestion(q)!;
    expect(qq).toMatchObject({ id: 0x1234, qtype: 1, qclass: 1, end: q.length });
    expect(quickName(q)).toBe('gaia.cs.umass.edu');
    // the key is the wire question, case folded: another case of the same name, the same key; another type, another
    expect(quickQuestion(encodeQuery(7, 'gaia.CS.umass.edu', 'A', true))!.key).toBe(qq.key);
    expect(quickQuestion(encodeQuery(7, 'gaia.cs.umass.edu', 'MX', true))!.key).not.toBe(qq.key);
    expect(quickQuestion(encodeQuery(7, 'gaia.cs.umass.ed', 'A', true))!.key).not.toBe(qq.key);
    const reply = packet.encode({ id: 1, type: 'response', questions: [{ name: 'a.b', type: 'A' }], answers: [{ name: 'a.b', type: 'A', ttl: 77, data: '1.2.3.4' }], authorities: [{ name: 'b', type: 'NS', ttl: 88, data: 'ns.b' }] });
    expect(ttlOffsets(reply).map((o) => reply.readUInt32BE(o))).toEqual([77, 88]);
  });

  it('frames DNS over TCP by its two-byte length', () => {
    const f = new DnsTcpFramer();
    const m = encodeQuery(1, 'a.b', 'A', true);
    const framed = Buffer.concat([Buffer.from([0, m.length]), m]);
    expect(f.push('c2s', framed.subarray(0, 5))).toEqual([]);
    expect(f.push('c2s', framed.subarray(5))[0].bytes).toEqual(m);
  });
});

describe('dig and nslookup commands', () => {
  it('parses dig like the real one', () => {
    expect(parseCommand('dig gaia.cs.umass.edu')).toMatchObject({ kind: 'dig', name: 'gaia.cs.umass.edu', type: 'A', recurse: true });
    expect(parseDig(['crepes.fr', 'MX', '@198.41.0.4', '+norecurse', '+tcp'])).toMatchObject({ type: 'MX', server: '198.41.0.4', recurse: false, tcp: true });
    expect(parseDig(['+trace', 'www.networkutopia.com'])).toMatchObject({ trace: true, name: 'www.networkutopia.com' });
    expect(parseDig(['-x', '128.119.40.205'])).toMatchObject({ name: '205.40.119.128.in-addr.arpa', type: 'PTR' });
    expect(parseDig(['a.b', '+bogus'])).toMatchObject({ kind: 'error', message: expect.stringContaining('+bogus') });
    expect(parseDig([])).toMatchObject({ kind: 'error', message: expect.stringContaining('usage: dig') });
    expect(parseDig(['a.b', 'WKS'])).toMatchObject({ kind: 'error', message: expect.stringContaining("unknown type 'WKS'") });
  });

  it('parses nslookup', () => {
    expect(parseNslookup(['-type=mx', 'crepes.fr'])).toMatchObject({ kind: 'nslookup', type: 'MX', name: 'crepes.fr' });
    expect(parseNslookup(['128.119.40.205'])).toMatchObject({ type: 'PTR', name: '205.40.119.128.in-addr.arpa' });
    expect(parseNslookup(['gaia.cs.umass.edu', '198.41.0.4'])).toMatchObject({ server: '198.41.0.4' });
    expect(parseNslookup([])).toMatchObject({ kind: 'error' });
  });
});

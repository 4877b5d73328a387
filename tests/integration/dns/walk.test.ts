/**
 * The local server's walk as a real resolver walks (RFC 1034 §5.3.3): it starts at the
 * closest zone whose servers it has cached, not at the root, until those referrals expire;
 * and a referral without glue sends it to find the server's address first, then on at the
 * referred zone. Proved with dig and dnspython and the hierarchy servers' capture.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import type { DnsStep } from '../../../src-main/lab/dns/types';
import { hierarchyQueries, lastCapturedId, RESOURCES, startLab, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab;
let port: (id: string) => number;

beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(async () => {
  await lab.shutdown();
});

const lastId = (): Promise<number> => lastCapturedId(lab);

/** Which hierarchy servers got a query after `after`, in order. */
async function asked(after: number): Promise<string[]> {
  return (await hierarchyQueries(lab, after)).map((m) => `${m.service} ${m.summary.replace(/^Standard query 0x[0-9a-f]{4} /, '')}`);
}

async function dig(...args: string[]): Promise<string> {
  const r = await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), '+tries=1', '+time=5', '+short', ...args]);
  return r.stdout.trim();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A step as one line: its number (or ⤼ for a skipped one, … for a note), who talks to whom. */
function line(s: DnsStep): string {
  const n = s.skipped ? `(${s.n ?? '⤼'})` : (s.n ?? '…');
  const indent = '  '.repeat(s.depth ?? 0);
  return `${indent}${n} ${s.from} → ${s.to}`;
}

describe('the walk starts at the closest cached zone', () => {
  it('a second .edu name goes straight to the edu TLD server until the referral expires', async () => {
    // the root's referral to edu (NS and glue) lives 3 s in this lab's root zone
    const root = fs.readFileSync(path.join(RESOURCES, 'zones', 'root.zone'), 'utf8');
    const short = root.replace(/^edu\s+172800/m, 'edu 3').replace(/^a\.edu-servers\.net\.\s+172800/m, 'a.edu-servers.net. 3');
    expect(short).not.toBe(root);
    expect(await lab['dns.saveZone']('.', short)).toMatchObject({ ok: true });

    let mark = await lastId();
    expect(await dig('www.someschool.edu')).toBe('192.0.2.10');
    expect(await asked(mark)).toEqual(['dns-root A www.someschool.edu', 'dns-edu A www.someschool.edu', 'dns-someschool A www.someschool.edu']);

    mark = await lastId();
    expect(await dig('gaia.cs.umass.edu')).toBe('128.119.40.205');
    expect(await asked(mark)).toEqual(['dns-edu A gaia.cs.umass.edu', 'dns-umass A gaia.cs.umass.edu']);

    // the resolution view keeps the textbook's numbers: 2 and 3 (to the root and back) skipped
    const view = await lab['dns.resolve']('hamburger.edu', 'MX');
    const steps = view.iterative.steps;
    expect(steps.map(line)).toEqual([
      '1 requesting host → local DNS server',
      '(2) local DNS server → a.root-servers.net',
      '(3) a.root-servers.net → local DNS server',
      '4 local DNS server → a.edu-servers.net',
      '5 a.edu-servers.net → local DNS server',
      '6 local DNS server → dns.hamburger.edu',
      '7 dns.hamburger.edu → local DNS server',
      '8 local DNS server → requesting host',
    ]);
    // recursive: the local server sends its recursive query straight to the edu server
    expect(view.recursive.steps.map(line)).toEqual([
      '1 requesting host → local DNS server',
      '(2) local DNS server → a.root-servers.net',
      '(3) a.root-servers.net → local DNS server',
      '4 local DNS server → a.edu-servers.net',
      '5 a.edu-servers.net → dns.hamburger.edu',
      '6 dns.hamburger.edu → a.edu-servers.net',
      '7 a.edu-servers.net → local DNS server',
      '8 local DNS server → requesting host',
    ]);
    expect(steps[2].text).toMatch(/^from the cache \(TTL [0-3] s left\): referral to edu\.: NS a\.edu-servers\.net\.; glue a\.edu-servers\.net 192\.12\.94\.30$/);
    expect(steps.filter((s) => s.skipped).every((s) => s.message === undefined)).toBe(true);
    expect(steps.filter((s) => !s.skipped && s.message === undefined).map(line)).toEqual([]);

    // the referral to edu expires: a name under edu whose zone is not cached asks the root again
    // (the universities' own referrals live on: hamburger.edu goes straight to its server)
    await sleep(3200);
    mark = await lastId();
    expect(await dig('hamburger.edu')).toBe('192.0.2.30');
    expect(await asked(mark)).toEqual(['dns-hamburger A hamburger.edu']);
    mark = await lastId();
    expect(await dig('www.nowhere.edu')).toBe('');
    expect(await asked(mark)).toEqual(['dns-root A www.nowhere.edu', 'dns-edu A www.nowhere.edu']);
    await lab['dns.resetZone']('.');
  });
});

const FR = fs.readFileSync(path.join(RESOURCES, 'zones', 'fr.zone'), 'utf8');

describe('a referral without glue (networkutopia.fr, served by dns1.networkutopia.com)', () => {
  it('the fr server refers without glue; the local server finds the server first, then asks it, never the root again for the name', async () => {
    const ref = await run('dig', ['@127.0.0.1', '-p', String(port('dns-fr')), '+norecurse', '+noall', '+authority', '+additional', 'www.networkutopia.fr']);
    expect(ref.stdout.trim().split('\n').map((l) => l.replace(/\s+/g, ' '))).toEqual(['networkutopia.fr. 172800 IN NS dns1.networkutopia.com.', 'networkutopia.fr. 172800 IN NS dns2.networkutopia.com.']);

    await lab['dns.flush']();
    let mark = await lastId();
    expect(await dig('networkutopia.fr')).toBe('212.212.212.4');
    expect(await asked(mark)).toEqual([
      'dns-root A networkutopia.fr',
      'dns-fr A networkutopia.fr',
      // the sub-resolution: dns1.networkutopia.com's address, from the root down
      'dns-root A dns1.networkutopia.com',
      'dns-gtld A dns1.networkutopia.com',
      'dns-networkutopia A dns1.networkutopia.com',
      // then on at networkutopia.fr, where the walk stopped
      'dns-networkutopia A networkutopia.fr',
    ]);
    // what the sub-resolution learnt is cached like any answer
    mark = await lastId();
    expect(await dig('dns1.networkutopia.com')).toBe('212.212.212.1');
    expect(await dig('www.networkutopia.fr')).toBe('www.networkutopia.com.\n212.212.212.4');
    expect(await asked(mark)).toEqual(['dns-networkutopia A www.networkutopia.fr']);
  });

  it('dnspython resolves the glue-less domain through the local server', async () => {
    const script = `
import sys, dns.resolver, dns.message, dns.query, dns.flags
local, fr = int(sys.argv[1]), int(sys.argv[2])
res = dns.resolver.Resolver(configure=False); res.nameservers = ['127.0.0.1']; res.port = local
print('A', sorted(r.to_text() for r in res.resolve('boutique.networkutopia.fr', 'A')))
print('CNAME', res.resolve('www.networkutopia.fr', 'A').canonical_name.to_text())
q = dns.message.make_query('boutique.networkutopia.fr', 'A'); q.flags &= ~dns.flags.RD
r = dns.query.udp(q, '127.0.0.1', port=fr, timeout=3)
print('REF', len(r.answer), sorted(str(x) for x in r.authority), len(r.additional))
`;
    const r = await run('/usr/bin/python3', ['-c', script, String(port('dns-local')), String(port('dns-fr'))]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([
      "A ['212.212.212.4']",
      'CNAME www.networkutopia.com.',
      "REF 0 ['networkutopia.fr. 172800 IN NS dns1.networkutopia.com.\\nnetworkutopia.fr. 172800 IN NS dns2.networkutopia.com.'] 0",
    ]);
  });

  it('the resolution view shows the sub-resolution nested, numbered, each message linked', async () => {
    await lab['dns.flush']();
    const view = await lab['dns.resolve']('networkutopia.fr', 'A');
    const steps = view.iterative.steps;
    expect(steps.map(line)).toEqual([
      '1 requesting host → local DNS server',
      '2 local DNS server → a.root-servers.net',
      '3 a.root-servers.net → local DNS server',
      '4 local DNS server → d.nic.fr',
      '5 d.nic.fr → local DNS server',
      '… local DNS server → local DNS server',
      '  6 local DNS server → a.root-servers.net',
      '  7 a.root-servers.net → local DNS server',
      '  8 local DNS server → a.gtld-servers.net',
      '  9 a.gtld-servers.net → local DNS server',
      '  10 local DNS server → dns1.networkutopia.com',
      '  11 dns1.networkutopia.com → local DNS server',
      '… local DNS server → local DNS server',
      '12 local DNS server → dns1.networkutopia.com',
      '13 dns1.networkutopia.com → local DNS server',
      '14 local DNS server → requesting host',
    ]);
    expect(steps[4].text).toBe('referral to networkutopia.fr.: NS dns1.networkutopia.com., dns2.networkutopia.com.');
    expect(steps[5].text).toBe('the servers of networkutopia.fr. are known by name only (dns1.networkutopia.com, no glue): resolving dns1.networkutopia.com first');
    expect(steps[6].question).toBe('dns1.networkutopia.com A');
    expect(steps[12].text).toBe('dns1.networkutopia.com is at 212.212.212.1: back to networkutopia.fr A, asking the servers of networkutopia.fr.');
    expect(steps.filter((s) => s.kind !== 'cache' && s.message === undefined)).toEqual([]);
    expect(view.iterative.answers).toEqual([expect.stringMatching(/^networkutopia\.fr\.\t\d+\tIN\tA\t212\.212\.212\.4$/)]);
    // recursive: the chain stops at fr's glue-less referral; the local server goes on from networkutopia.fr
    const rec = view.recursive;
    expect(rec.rcode).toBe('NOERROR');
    expect(rec.steps.filter((s) => s.from === 'local DNS server' && s.to === 'a.root-servers.net' && s.question === 'networkutopia.fr A')).toHaveLength(1);
    expect(rec.steps.some((s) => s.depth === 1 && s.question === 'dns1.networkutopia.com A')).toBe(true);
  });

  it('dig +trace in the lab terminal follows the glue-less referral as the real dig does', async () => {
    const { session } = await lab['terminal.open']({ cols: 120, rows: 40 });
    let out = '';
    const off = lab.on('terminal.output', (o) => {
      if (o.session === session) out += o.data;
    });
    try {
      await lab['terminal.input'](session, 'dig +trace www.networkutopia.fr\r');
      await waitFor(() => out.includes('from 212.212.212.1#53(dns1.networkutopia.com)'), `dig +trace output:\n${out}`, 8000);
      const lines = out.split(/\r?\n/);
      const from = lines.filter((l) => l.startsWith(';; Received')).map((l) => l.replace(/^.* from /, '').replace(/ in \d+ ms$/, ''));
      expect(from).toEqual([expect.stringContaining('(local DNS server)'), '198.41.0.4#53(a.root-servers.net)', '194.0.9.1#53(d.nic.fr)', '212.212.212.1#53(dns1.networkutopia.com)']);
      expect(out).toMatch(/networkutopia\.fr\.\s+172800\s+IN\s+NS\s+dns1\.networkutopia\.com\./);
      expect(out).toMatch(/www\.networkutopia\.fr\.\s+3600\s+IN\s+CNAME\s+www\.networkutopia\.com\./);
    } finally {
      off();
      await lab['terminal.close'](session);
    }
  });

  it('a loop of glue-less referrals ends in SERVFAIL, with the loop named, and the server keeps serving', async () => {
    const looped = `${FR}\nloop-a.fr. IN NS ns.loop-b.fr.\nloop-b.fr. IN NS ns.loop-a.fr.\nself.fr. IN NS ns.self.fr.\n`;
    expect(await lab['dns.saveZone']('fr', looped)).toMatchObject({ ok: true });
    const mark = await lastId();
    const out = await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), '+tries=1', '+time=5', 'www.loop-a.fr']);
    expect(out.stdout).toContain('status: SERVFAIL');
    expect((await asked(mark)).length).toBeLessThan(10);
    const view = await lab['dns.resolve']('www.loop-a.fr', 'A');
    expect(view.iterative.error).toMatch(/ns\.loop-b\.fr: .*ns\.loop-a\.fr: .*a loop/);
    expect((await lab['dns.resolve']('www.self.fr', 'A')).iterative.error).toContain('ns.self.fr: a loop');
    expect(await dig('crepes.fr', 'MX')).toBe('10 mail.crepes.fr.');
    await lab['dns.resetZone']('fr');
  });
});

describe('what the cache answers with', () => {
  it('an address learnt as glue (the additional section) helps the walk but is never handed out as an answer', async () => {
    await lab['dns.flush']();
    expect(await dig('hamburger.edu', 'MX')).toBe('10 mail.hamburger.edu.');
    expect((await lab['dns.cache']()).find((r) => r.name === 'mail.hamburger.edu' && r.type === 'A')).toMatchObject({ source: 'glue' });
    const mark = await lastId();
    expect(await dig('mail.hamburger.edu')).toBe('192.0.2.31');
    // asked the authoritative server (root and TLD skipped: their referrals are cached)
    expect(await asked(mark)).toEqual(['dns-hamburger A mail.hamburger.edu']);
    expect((await lab['dns.cache']()).find((r) => r.name === 'mail.hamburger.edu' && r.type === 'A')).toMatchObject({ source: 'answer' });
  });
});

/**
 * The local server's walk as a real resolver walks (RFC 1034 §5.3.3): it starts at the
 * closest zone whose servers it has cached, not at the root, until those referrals expire;
 * and a referral without glue sends it to find the server's address first, then on at the
 * referred zone. Proved with dig and dnspython and the hierarchy servers' capture.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src-main/lab/lab';
import type { DnsStep } from '../../src-main/lab/dns/types';
import { HIERARCHY } from '../../src-main/lab/dns/hierarchy';
import { captured, RESOURCES, startLab } from '../helpers/lab';
import { run } from '../helpers/proc';

let lab: Lab;
let port: (id: string) => number;
const hierarchy = new Set(HIERARCHY.map((s) => s.id));

beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(async () => {
  await lab.shutdown();
});

async function lastId(): Promise<number> {
  const all = await captured(lab);
  return all.length ? all[all.length - 1].id : 0;
}

/** Which hierarchy servers got a query after `after`, in order. */
async function asked(after: number): Promise<string[]> {
  lab.store.flush();
  return (await captured(lab)).filter((m) => m.id > after && hierarchy.has(m.service) && m.kind === 'message' && m.dir === 'c2s').map((m) => `${m.service} ${m.summary.replace(/^Standard query 0x[0-9a-f]{4} /, '')}`);
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

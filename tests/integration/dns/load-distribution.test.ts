/**
 * DNS services of Kurose & Ross §2.4.1 in hamburger.edu: host aliasing (www.hamburger.edu is
 * an alias of relay1.west-coast.hamburger.edu), load distribution (that canonical name has
 * three addresses, rotated by the authoritative server on every response, RFC 1794) and mail
 * server aliasing (the MX names the canonical mail server; smtp and pop are aliases). Proved
 * with dig, kdig and dnspython; a user's older copy of the zone gets the records or a warning.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { RESOURCES, startLab, tempDir } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab;
let port: (id: string) => number;
beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(() => lab.shutdown());

const REPLICAS = ['192.0.2.35', '192.0.2.36', '192.0.2.37'];

/** dig's ANSWER section as [name, ttl, class, type, data] rows */
async function answer(server: string, ...args: string[]): Promise<string[][]> {
  const r = await run('dig', ['@127.0.0.1', '-p', String(port(server)), '+tries=1', '+time=5', '+noall', '+answer', ...args]);
  expect(r.code).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(/\s+/));
}
const firstA = (rows: string[][]) => rows.find((r) => r[3] === 'A')?.[4];

describe('load distribution: a replicated web server (§2.4.1)', () => {
  it('the authoritative server answers all three addresses, the first one turning on every response (dig)', async () => {
    const firsts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const rows = await answer('dns-hamburger', '+norecurse', 'www.hamburger.edu', 'A');
      // the alias, then the canonical name's addresses
      expect(rows[0].slice(3)).toEqual(['CNAME', 'relay1.west-coast.hamburger.edu.']);
      expect(rows.slice(1).map((r) => r[0])).toEqual(Array(3).fill('relay1.west-coast.hamburger.edu.'));
      expect(rows.slice(1).map((r) => r[4]).sort()).toEqual(REPLICAS);
      firsts.push(firstA(rows)!);
    }
    // round robin: three responses, three different first addresses
    expect(new Set(firsts).size).toBe(3);
  });

  it('kdig over TCP sees the same rotation, and the canonical name asked directly too', async () => {
    const kdig = async (...args: string[]) => {
      const r = await run('kdig', ['@127.0.0.1', '-p', String(port('dns-hamburger')), '+tcp', '+short', ...args]);
      return r.stdout.trim().split('\n');
    };
    const a = await kdig('relay1.west-coast.hamburger.edu', 'A');
    const b = await kdig('relay1.west-coast.hamburger.edu', 'A');
    expect([...a].sort()).toEqual(REPLICAS);
    expect([...b].sort()).toEqual(REPLICAS);
    expect(a[0]).not.toBe(b[0]);
    // the rotation is of the order only: b is a turned one step on
    expect([...a.slice(1), a[0]]).toEqual(b);
  });

  it('a single address, and an ANY question, come the same every time', async () => {
    const one = await answer('dns-hamburger', 'mail.hamburger.edu', 'A');
    const again = await answer('dns-hamburger', 'mail.hamburger.edu', 'A');
    expect(one.map((r) => r[4])).toEqual(['192.0.2.31']);
    expect(again).toEqual(one);
    const any = await answer('dns-hamburger', '+tcp', 'relay1.west-coast.hamburger.edu', 'ANY');
    expect(any.map((r) => r[4])).toEqual(REPLICAS);
    expect(await answer('dns-hamburger', '+tcp', 'relay1.west-coast.hamburger.edu', 'ANY')).toEqual(any);
  });

  it('the local server and the resolution view show the alias and the three addresses', async () => {
    const rows = await answer('dns-local', 'www.hamburger.edu');
    expect(rows[0].slice(3)).toEqual(['CNAME', 'relay1.west-coast.hamburger.edu.']);
    expect(rows.filter((r) => r[3] === 'A').map((r) => r[4]).sort()).toEqual(REPLICAS);
    const r = await lab['dns.resolve']('www.hamburger.edu', 'A');
    expect(r.iterative.rcode).toBe('NOERROR');
    expect(r.iterative.answers[0]).toMatch(/^www\.hamburger\.edu\.\s+\d+\s+IN\s+CNAME\s+relay1\.west-coast\.hamburger\.edu\.$/);
    expect(r.iterative.answers.slice(1).map((x) => x.split(/\s+/)[4]).sort()).toEqual(REPLICAS);
    // the lab's own clients reach a replica: any of the three addresses, the web server on :80
    const dialled = await lab.internet.dial('www.hamburger.edu', 80);
    expect(dialled).toMatchObject({ ok: true, service: 'http' });
    expect(REPLICAS).toContain(dialled.ok ? dialled.virtualAddress : '');
  });

  it('a browser through the lab proxy reaches the replicated site by its alias', async () => {
    const r = await run('curl', ['-s', '--max-time', '10', '-x', `http://127.0.0.1:${port('proxy')}`, 'http://www.hamburger.edu/']);
    expect(r.stdout).toContain('<title>hamburger.edu — a replicated web server</title>');
    const canonical = await run('curl', ['-s', '--max-time', '10', '-x', `http://127.0.0.1:${port('proxy')}`, 'http://relay1.west-coast.hamburger.edu/']);
    expect(canonical.stdout).toContain('a replicated web server');
  });
});

describe('mail server aliasing (§2.4.1)', () => {
  it('the MX names the canonical mail server; smtp and pop are aliases of it (dnspython)', async () => {
    const script = `
import sys, dns.resolver
res = dns.resolver.Resolver(configure=False); res.nameservers = ['127.0.0.1']; res.port = int(sys.argv[1])
mx = res.resolve('hamburger.edu', 'MX')
print('MX', [r.exchange.to_text() for r in mx])
ex = res.resolve(mx[0].exchange, 'A')
print('MXA', ex.canonical_name.to_text(), [r.address for r in ex])
for alias in ('smtp.hamburger.edu', 'pop.hamburger.edu', 'www.hamburger.edu'):
    a = res.resolve(alias, 'A')
    print('ALIAS', alias, a.canonical_name.to_text(), sorted(r.address for r in a))
`;
    const r = await run('/usr/bin/python3', ['-c', script, String(port('dns-local'))]);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain("MX ['mail.hamburger.edu.']");
    // the MX's target is a canonical name (RFC 2181 §10.3): its A record, no CNAME
    expect(lines).toContain("MXA mail.hamburger.edu. ['192.0.2.31']");
    expect(lines).toContain("ALIAS smtp.hamburger.edu mail.hamburger.edu. ['192.0.2.31']");
    expect(lines).toContain("ALIAS pop.hamburger.edu mail.hamburger.edu. ['192.0.2.31']");
    expect(lines).toContain(`ALIAS www.hamburger.edu relay1.west-coast.hamburger.edu. ${JSON.stringify(REPLICAS).replace(/"/g, "'").replace(/,/g, ', ')}`);
  });
});

describe("a user's older copy of hamburger.edu", () => {
  it('gets the new records appended when it has none of their names, its own edits kept; a copy with its own www keeps it and says what it left out', async () => {
    const shipped = await fs.readFile(path.join(RESOURCES, 'zones', 'hamburger.edu.zone'), 'utf8');
    const older = shipped.slice(0, shipped.indexOf('; Host aliasing')).trimEnd() + '\nbob    IN A   192.0.2.33   ; my own host\n';
    expect(older).not.toContain('relay1');
    const dir = await tempDir();
    await fs.mkdir(path.join(dir, 'zones'));
    await fs.writeFile(path.join(dir, 'zones', 'hamburger.edu.zone'), older);
    const own = `${older}www    IN A   192.0.2.99\n`;
    await fs.writeFile(path.join(dir, 'zones', 'crepes.fr.zone'), await fs.readFile(path.join(RESOURCES, 'zones', 'crepes.fr.zone'), 'utf8'));
    const other = await startLab(dir);
    try {
      const mended = await fs.readFile(path.join(dir, 'zones', 'hamburger.edu.zone'), 'utf8');
      expect(mended.startsWith(older)).toBe(true);
      expect(mended).toContain('www                IN CNAME relay1.west-coast.hamburger.edu.');
      const zones = await other.lab['dns.zones']();
      expect(zones.find((z) => z.zone === 'hamburger.edu')?.migrated).toEqual([expect.stringMatching(/^added at the end: www\.hamburger\.edu, an alias of the replicated web server/)]);
      // a zone the lab added nothing to is left alone, and says nothing
      expect(zones.find((z) => z.zone === 'crepes.fr')?.migrated).toBeUndefined();
      const r = await run('dig', ['@127.0.0.1', '-p', String(other.port('dns-hamburger')), '+short', 'bob.hamburger.edu', 'www.hamburger.edu']);
      expect(r.stdout).toContain('192.0.2.33');
      expect(r.stdout).toContain('relay1.west-coast.hamburger.edu.');
    } finally {
      await other.lab.shutdown();
    }

    // a copy that made www its own: kept as it is, on disk and in answers; the warning says why
    await fs.writeFile(path.join(dir, 'zones', 'hamburger.edu.zone'), own);
    const third = await startLab(dir);
    try {
      expect(await fs.readFile(path.join(dir, 'zones', 'hamburger.edu.zone'), 'utf8')).toBe(own);
      const zones = await third.lab['dns.zones']();
      expect(zones.find((z) => z.zone === 'hamburger.edu')?.migrated).toEqual([expect.stringMatching(/^not added: .* your copy already has www\.hamburger\.edu; Reset the zone/)]);
      const r = await run('dig', ['@127.0.0.1', '-p', String(third.port('dns-hamburger')), '+short', 'www.hamburger.edu']);
      expect(r.stdout.trim()).toBe('192.0.2.99');
    } finally {
      await third.lab.shutdown();
    }
  });

  it('a copy that does not parse is left as it is: nothing appended', async () => {
    const dir = await tempDir();
    await fs.mkdir(path.join(dir, 'zones'));
    const broken = '$TTL 3600\n@ IN SOA dns.hamburger.edu. hostmaster.hamburger.edu. 1 3600 600 604800 300\n@ IN NS dns.hamburger.edu.\ndns IN A 999.0.2.34\n';
    await fs.writeFile(path.join(dir, 'zones', 'hamburger.edu.zone'), broken);
    const other = await startLab(dir);
    try {
      expect(await fs.readFile(path.join(dir, 'zones', 'hamburger.edu.zone'), 'utf8')).toBe(broken);
      const z = (await other.lab['dns.zones']()).find((x) => x.zone === 'hamburger.edu');
      expect(z?.error?.line).toBe(4);
      // the shipped zone answers meanwhile, rotation and all
      const r = await run('dig', ['@127.0.0.1', '-p', String(other.port('dns-hamburger')), '+short', 'relay1.west-coast.hamburger.edu']);
      expect(r.stdout.trim().split('\n').sort()).toEqual(REPLICAS);
    } finally {
      await other.lab.shutdown();
    }
  });
});

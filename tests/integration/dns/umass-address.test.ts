/**
 * dns.umass.edu is 128.119.40.111, as the textbook's edu TLD record says (Kurose & Ross §2.4.2):
 * in the glue, the umass.edu zone, the reverse zone and the lab's host table. A user's saved
 * copy still holding the lab's old 128.119.40.5 is mended when the lab starts, that line only.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAB_HOSTS } from '../../../src-main/lab/internet/hosts';
import { labForFile, RESOURCES, tempDir } from '../../helpers/lab';
import { run } from '../../helpers/proc';

const shipped = (file: string) => fs.readFile(path.join(RESOURCES, 'zones', file), 'utf8');

/** The user's copies as an older lab saved them: the old address, and edits of their own. */
async function oldCopies(): Promise<string> {
  const dir = await tempDir();
  await fs.mkdir(path.join(dir, 'zones'), { recursive: true });
  const edu = (await shipped('edu.zone'))
    .replace(/^dns\.umass\.edu\..*$/m, 'dns.umass.edu.       IN A   128.119.40.5')
    .concat('\nmyschool.edu.        IN NS  dns.myschool.edu.\ndns.myschool.edu.    IN A   192.0.2.77\n');
  const umass = (await shipped('umass.edu.zone'))
    .replace(/^dns\s+IN A.*$/m, 'dns               3600 IN A    128.119.40.5   ; our server')
    .concat('lab               IN A    128.119.40.5          ; my own host, on the old address\n');
  const reverse = (await shipped('40.119.128.in-addr.arpa.zone')).replace(/^111\s+IN PTR.*$/m, '5      IN PTR dns.umass.edu.');
  await fs.writeFile(path.join(dir, 'zones', 'edu.zone'), edu);
  await fs.writeFile(path.join(dir, 'zones', 'umass.edu.zone'), umass);
  await fs.writeFile(path.join(dir, 'zones', '40.119.128.in-addr.arpa.zone'), reverse);
  return dir;
}

const the = labForFile(oldCopies);
const port = (id: string) => the.port(id);

const kdig = (server: string, ...args: string[]) => run('kdig', ['@127.0.0.1', '-p', String(port(server)), '+timeout=3', '+retry=0', ...args], { timeoutMs: 15_000 });

describe("dns.umass.edu at the textbook's 128.119.40.111", () => {
  it('the edu TLD gives it as glue, umass.edu answers it, the reverse zone names it', async () => {
    const glue = await kdig('dns-edu', '+norecurse', 'gaia.cs.umass.edu', 'A');
    expect(glue.stdout).toMatch(/dns\.umass\.edu\.\s+172800\s+IN\s+A\s+128\.119\.40\.111/);
    const a = await kdig('dns-local', '+short', 'dns.umass.edu', 'A');
    expect(a.stdout.trim()).toBe('128.119.40.111');
    const ptr = await kdig('dns-local', '+short', '-x', '128.119.40.111');
    expect(ptr.stdout.trim()).toBe('dns.umass.edu.');
    const old = await kdig('dns-local', '-x', '128.119.40.5');
    expect(old.stdout).toContain('status: NXDOMAIN');
  });

  it('the host table and the lab resolver say .111', async () => {
    expect(LAB_HOSTS.find((h) => h.name === 'dns.umass.edu')?.virtualAddress).toBe('128.119.40.111');
    const r = await the.lab['dns.resolve']('dns.umass.edu', 'A');
    expect(r.iterative.answers).toEqual([expect.stringMatching(/^dns\.umass\.edu\.\s+\d+\s+IN\s+A\s+128\.119\.40\.111$/)]);
  });

  it("the user's old copies were mended on start, their own edits kept, and the zone list says what changed", async () => {
    const edu = await fs.readFile(path.join(the.dataDir, 'zones', 'edu.zone'), 'utf8');
    expect(edu).toContain('dns.umass.edu.       IN A   128.119.40.111\n');
    expect(edu).toContain('dns.myschool.edu.    IN A   192.0.2.77');
    const umass = await fs.readFile(path.join(the.dataDir, 'zones', 'umass.edu.zone'), 'utf8');
    expect(umass).toContain('dns               3600 IN A    128.119.40.111   ; our server\n');
    // the user's own record on the old address is theirs: left alone
    expect(umass).toContain('lab               IN A    128.119.40.5          ; my own host');
    const reverse = await fs.readFile(path.join(the.dataDir, 'zones', '40.119.128.in-addr.arpa.zone'), 'utf8');
    expect(reverse).toMatch(/^111    IN PTR dns\.umass\.edu\.$/m);
    expect(reverse).not.toMatch(/^5\s/m);
    const myschool = await kdig('dns-edu', '+norecurse', 'www.myschool.edu', 'A');
    expect(myschool.stdout).toMatch(/dns\.myschool\.edu\.\s+\d+\s+IN\s+A\s+192\.0\.2\.77/);
    const zones = await the.lab['dns.zones']();
    expect(zones.find((z) => z.zone === 'edu')?.migrated).toEqual([
      "line 8: the glue for dns.umass.edu: 128.119.40.5 → 128.119.40.111 (the textbook's address, Kurose & Ross §2.4.2)",
    ]);
    // the same sentence with its catalogue key, for the UI's language (lab-text-migrate.ts)
    expect(zones.find((z) => z.zone === 'edu')?.migratedText).toEqual([
      expect.objectContaining({ textKey: 'dnsLab.migrated.fixed', textParams: { line: 8, what: { key: 'dnsLab.migrated.glue' }, old: '128.119.40.5', new: '128.119.40.111' } }),
    ]);
    expect(zones.find((z) => z.zone === 'umass.edu')?.migrated).toHaveLength(1);
    expect(zones.find((z) => z.zone === 'com')?.migrated).toBeUndefined();
  });
});

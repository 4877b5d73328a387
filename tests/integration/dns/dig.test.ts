/** Lab DNS against the real dig (Debian dnsutils): the local server and each hierarchy server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab;
let port: (id: string) => number;

beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(async () => {
  await lab.shutdown();
});

async function dig(server: string, ...args: string[]): Promise<string> {
  const r = await run('dig', ['@127.0.0.1', '-p', String(port(server)), '+tries=1', '+time=3', ...args]);
  return r.stdout + r.stderr;
}

/** The records of a section as "name ttl IN type data" lines. */
function section(out: string, name: string): string[] {
  const m = new RegExp(`;; ${name} SECTION:\\n([\\s\\S]*?)(?:\\n\\n|$)`).exec(out);
  return m ? m[1].split('\n').filter(Boolean).map((l) => l.replace(/\s+/g, ' ')) : [];
}

describe('dig against the lab DNS', () => {
  it('the local server answers recursively (RA, no AA) by walking the hierarchy', async () => {
    const out = await dig('dns-local', 'gaia.cs.umass.edu');
    expect(out).toContain('status: NOERROR');
    expect(out).toMatch(/flags: qr rd ra;/);
    expect(section(out, 'ANSWER')).toEqual([expect.stringMatching(/^gaia\.cs\.umass\.edu\. \d+ IN A 128\.119\.40\.205$/)]);
  });

  it('the root refers to the TLD with glue, without AA or RA', async () => {
    const out = await dig('dns-root', '+norecurse', 'gaia.cs.umass.edu');
    expect(out).toContain('status: NOERROR');
    expect(out).toMatch(/flags: qr;/);
    expect(section(out, 'AUTHORITY')).toEqual(['edu. 172800 IN NS a.edu-servers.net.']);
    expect(section(out, 'ADDITIONAL')).toContain('a.edu-servers.net. 172800 IN A 192.12.94.30');
  });

  it('the TLD refers to the authoritative server; the authoritative server answers with AA', async () => {
    const tld = await dig('dns-edu', '+norecurse', 'gaia.cs.umass.edu');
    expect(section(tld, 'AUTHORITY')).toEqual(['umass.edu. 172800 IN NS dns.umass.edu.']);
    expect(section(tld, 'ADDITIONAL')).toContain('dns.umass.edu. 172800 IN A 128.119.40.111');
    const auth = await dig('dns-umass', '+norecurse', 'gaia.cs.umass.edu');
    expect(auth).toMatch(/flags: qr aa;/);
    expect(section(auth, 'ANSWER')).toEqual(['gaia.cs.umass.edu. 3600 IN A 128.119.40.205']);
  });

  it('MX with the exchange address in the additional section', async () => {
    const out = await dig('dns-crepes', 'crepes.fr', 'MX');
    expect(section(out, 'ANSWER')).toEqual(['crepes.fr. 3600 IN MX 10 mail.crepes.fr.']);
    expect(section(out, 'ADDITIONAL')).toContain('mail.crepes.fr. 3600 IN A 192.0.2.21');
    const viaLocal = await dig('dns-local', '+short', 'networkutopia.com', 'MX');
    expect(viaLocal.trim()).toBe('10 mail.networkutopia.com.');
  });

  it('follows a CNAME chain', async () => {
    const out = await dig('dns-local', 'www.cs.umass.edu');
    const answer = section(out, 'ANSWER');
    expect(answer[0]).toMatch(/^www\.cs\.umass\.edu\. \d+ IN CNAME gaia\.cs\.umass\.edu\.$/);
    expect(answer[1]).toMatch(/^gaia\.cs\.umass\.edu\. \d+ IN A 128\.119\.40\.205$/);
  });

  it('NXDOMAIN with the SOA, from the authoritative server and through the local server', async () => {
    const auth = await dig('dns-umass', 'nosuch.umass.edu');
    expect(auth).toContain('status: NXDOMAIN');
    expect(section(auth, 'AUTHORITY')[0]).toMatch(/^umass\.edu\. 300 IN SOA dns\.umass\.edu\. hostmaster\.umass\.edu\. 2026112101 3600 600 604800 300$/);
    const local = await dig('dns-local', 'nosuch.someschool.edu');
    expect(local).toContain('status: NXDOMAIN');
    const tld = await dig('dns-local', 'www.nowhere.example');
    expect(tld).toContain('status: NXDOMAIN');
  });

  it('SOA, NS, AAAA, TXT and PTR', async () => {
    expect((await dig('dns-local', '+short', 'umass.edu', 'SOA')).trim()).toBe('dns.umass.edu. hostmaster.umass.edu. 2026112101 3600 600 604800 300');
    expect((await dig('dns-local', '+short', 'networkutopia.com', 'NS')).trim().split('\n').sort()).toEqual(['dns1.networkutopia.com.', 'dns2.networkutopia.com.']);
    expect((await dig('dns-local', '+short', 'gaia.cs.umass.edu', 'AAAA')).trim()).toBe('2001:db8:128:119::205');
    expect((await dig('dns-local', '+short', 'umass.edu', 'TXT')).trim()).toBe('"University of Massachusetts Amherst (NetLab copy)"');
    expect((await dig('dns-local', '+short', '-x', '128.119.40.205')).trim()).toBe('gaia.cs.umass.edu.');
    expect((await dig('dns-local', '+short', '-x', '212.212.212.4')).trim()).toBe('www.networkutopia.com.');
  });

  it('NODATA: the name exists, the type does not', async () => {
    const out = await dig('dns-local', 'gaia.cs.umass.edu', 'MX');
    expect(out).toContain('status: NOERROR');
    expect(out).toContain('ANSWER: 0');
    expect(section(out, 'AUTHORITY')[0]).toMatch(/IN SOA dns\.umass\.edu\./);
  });

  it('+tcp works on every server', async () => {
    expect((await dig('dns-local', '+tcp', '+short', 'www.networkutopia.com')).trim()).toBe('212.212.212.4');
    expect(section(await dig('dns-gtld', '+tcp', '+norecurse', 'www.networkutopia.com'), 'AUTHORITY')).toContain('networkutopia.com. 172800 IN NS dns1.networkutopia.com.');
  });

  it('a reply too long for 512 bytes is truncated over UDP and dig retries over TCP', async () => {
    const ignored = await dig('dns-networkutopia', '+noedns', '+ignore', 'big.networkutopia.com', 'TXT');
    expect(ignored).toMatch(/flags: qr aa tc rd;/);
    expect(ignored).toContain('ANSWER: 0');
    const out = await dig('dns-networkutopia', '+noedns', 'big.networkutopia.com', 'TXT');
    expect(out).toContain('Truncated, retrying in TCP mode');
    expect(section(out, 'ANSWER')).toHaveLength(5);
    const local = await dig('dns-local', '+noedns', 'big.networkutopia.com', 'TXT');
    expect(section(local, 'ANSWER'), local).toHaveLength(5);
  });

  it('the local server asked without recursion answers from its cache or with the closest referral', async () => {
    const cached = await dig('dns-local', '+norecurse', 'gaia.cs.umass.edu');
    expect(section(cached, 'ANSWER')[0]).toMatch(/128\.119\.40\.205/);
    const referral = await dig('dns-local', '+norecurse', 'www.someschool.edu');
    expect(section(referral, 'ANSWER')).toEqual([]);
    expect(section(referral, 'AUTHORITY')[0]).toMatch(/^(edu|someschool\.edu)\. \d+ IN NS /);
    const fromRoot = await dig('dns-local', '+norecurse', 'nothing.org');
    expect(section(fromRoot, 'AUTHORITY')[0]).toMatch(/^(\.|org\.) \d+ IN NS /);
  });

  it('echoes the id and the question as the client wrote it', async () => {
    const out = await dig('dns-local', 'GaIa.Cs.UMass.edu');
    expect(out).toContain(';GaIa.Cs.UMass.edu.\t\tIN\tA');
    expect(out).not.toContain('ID mismatch');
  });

  it('refuses names outside its zones on an authoritative server', async () => {
    const out = await dig('dns-crepes', 'gaia.cs.umass.edu');
    expect(out).toContain('status: REFUSED');
  });
});

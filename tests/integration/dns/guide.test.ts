/** The guided exercise of K&R §2.4.3: registering networkutopia.com, checked with the real dig. */
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

const dig = async (...args: string[]) => (await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), '+tries=1', '+time=3', ...args])).stdout;
const done = (g: { started: boolean; steps: { id: string; done: boolean }[] }) => g.steps.filter((s) => s.done).map((s) => s.id);

describe('registering networkutopia.com', () => {
  it('starts from before the registration, ticks each step as the zones are edited, then resolves', async () => {
    // before Start the shipped zones hold every record already: nothing is ticked, nothing is started
    const before = await lab['dns.guide']('check');
    expect(before.started).toBe(false);
    expect(before.steps.map((s) => s.id)).toEqual(['ns', 'glue', 'www', 'mx', 'resolve']);
    expect(done(before)).toEqual([]);
    const started = await lab['dns.guide']('start');
    expect(started.started).toBe(true);
    expect(done(started)).toEqual([]);
    expect(await dig('www.networkutopia.com')).toContain('status: NXDOMAIN');
    // the registrar's part
    const com = (await lab['dns.readZone']('com')).text;
    expect(com).not.toMatch(/^networkutopia/m);
    const saved = await lab['dns.saveZone']('com', `${com}\nnetworkutopia.com.      IN NS dns1.networkutopia.com.\ndns1.networkutopia.com. IN A  212.212.212.1\n`);
    expect(saved.ok).toBe(true);
    expect(done(await lab['dns.guide']('check'))).toEqual(['ns', 'glue']);
    // the company's part
    const own = (await lab['dns.readZone']('networkutopia.com')).text;
    await lab['dns.saveZone']('networkutopia.com', `${own}www  IN A  212.212.212.4\n@    IN MX 10 mail.networkutopia.com.\nmail IN A  212.212.212.5\n`);
    expect(done(await lab['dns.guide']('check'))).toEqual(['ns', 'glue', 'www', 'mx', 'resolve']);
    expect((await dig('+short', 'www.networkutopia.com')).trim()).toBe('212.212.212.4');
    expect((await dig('+short', 'networkutopia.com', 'MX')).trim()).toBe('10 mail.networkutopia.com.');
    const restored = await lab['dns.guide']('restore');
    expect(restored.started).toBe(false);
    expect(done(restored)).toEqual([]);
    expect((await lab['dns.readZone']('com')).modified).toBe(false);
  });
});

describe('the zone editor warns of a name missing its trailing dot', () => {
  it("saves networkutopia.com IN NS dns1.networkutopia.com, says at the line what it became, and dig shows it", async () => {
    const com = (await lab['dns.readZone']('com')).text;
    expect((await lab['dns.readZone']('com')).warnings).toEqual([]);
    const text = com.replace(/^networkutopia\.com\..*IN\s+NS\s+dns1\.networkutopia\.com\.$/m, 'networkutopia.com.      IN NS dns1.networkutopia.com');
    expect(text).not.toBe(com);
    const line = text.split('\n').findIndex((l) => l.endsWith('IN NS dns1.networkutopia.com')) + 1;
    const saved = await lab['dns.saveZone']('com', text);
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(saved.zone.warnings).toEqual([
      {
        line,
        message: 'relative name: did you mean dns1.networkutopia.com. ? Without the trailing dot, dns1.networkutopia.com is read relative to the origin and becomes dns1.networkutopia.com.com.',
        textKey: 'dnsLab.zone.relative',
        textParams: { name: 'dns1.networkutopia.com', full: 'dns1.networkutopia.com.com' },
      },
    ]);
    // what the warning says is what the server now answers
    const tld = (await run('dig', ['@127.0.0.1', '-p', String(port('dns-gtld')), '+tries=1', '+time=3', '+norecurse', 'www.networkutopia.com'])).stdout;
    expect(tld).toMatch(/networkutopia\.com\.\s+\d+\s+IN\s+NS\s+dns1\.networkutopia\.com\.com\./);
    // reading the zone again still shows it; an owner without its dot is caught too
    expect((await lab['dns.readZone']('com')).warnings).toHaveLength(1);
    const own = (await lab['dns.readZone']('networkutopia.com')).text;
    const r = await lab['dns.saveZone']('networkutopia.com', `${own}www2.networkutopia.com IN A 212.212.212.9\nftp IN A 212.212.212.10\n`);
    expect(r.ok && r.zone.warnings.map((w) => w.message)).toEqual([
      'relative name: did you mean www2.networkutopia.com. ? Without the trailing dot, www2.networkutopia.com is read relative to the origin and becomes www2.networkutopia.com.networkutopia.com.',
    ]);
    await lab['dns.resetZone']('com');
    await lab['dns.resetZone']('networkutopia.com');
  });
});

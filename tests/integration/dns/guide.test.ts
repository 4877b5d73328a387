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
const done = (steps: { id: string; done: boolean }[]) => steps.filter((s) => s.done).map((s) => s.id);

describe('registering networkutopia.com', () => {
  it('starts from before the registration, ticks each step as the zones are edited, then resolves', async () => {
    expect(done(await lab['dns.guide']('check'))).toEqual(['ns', 'glue', 'www', 'mx', 'resolve']);
    expect(done(await lab['dns.guide']('start'))).toEqual([]);
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
    expect(done(await lab['dns.guide']('restore'))).toContain('resolve');
    expect((await lab['dns.readZone']('com')).modified).toBe(false);
  });
});

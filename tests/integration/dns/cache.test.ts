/** The local server's cache, proved by the capture: a hit sends nothing upstream. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { captured, hierarchyQueries, lastCapturedId, startLab } from '../../helpers/lab';
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

/** DNS messages the hierarchy servers received after `after` (the local server's upstream traffic). */
async function upstream(after: number): Promise<string[]> {
  return (await hierarchyQueries(lab, after)).map((m) => `${m.service}: ${m.summary}`);
}

async function dig(...args: string[]): Promise<{ out: string; ttl: number }> {
  const r = await run('dig', ['@127.0.0.1', '-p', String(port('dns-local')), '+tries=1', '+time=3', '+noall', '+answer', '+authority', '+comments', ...args]);
  const m = /\n\S+\s+(\d+)\s+IN\s+/.exec(r.stdout);
  return { out: r.stdout, ttl: m ? Number(m[1]) : -1 };
}

const someschool = (minimum: number, wwwTtl: number) =>
  `$TTL 3600\n@ IN SOA dns.someschool.edu. hostmaster.someschool.edu. 2 3600 600 604800 ${minimum}\n@ IN NS dns.someschool.edu.\ndns IN A 192.0.2.14\n@ IN A 192.0.2.10\nwww ${wwwTtl} IN A 192.0.2.10\n`;

describe('caching in the local DNS server', () => {
  it('a lab just started has asked nothing: no DNS message in the inspector, an empty cache, the first lookup walks from the root', async () => {
    lab.store.flush();
    expect((await captured(lab)).filter((m) => m.protocol === 'dns').map((m) => m.summary)).toEqual([]);
    expect(await lab['dns.cache']()).toEqual([]);
    const mark = await lastId();
    expect((await dig('mail.hamburger.edu')).out).toContain('192.0.2.');
    expect((await upstream(mark))[0]).toMatch(/^dns-root: Standard query 0x[0-9a-f]{4} A mail\.hamburger\.edu$/);
  });

  it('the second query is answered from the cache: no message goes up the hierarchy, the TTL counts down', async () => {
    await lab['dns.flush']();
    let mark = await lastId();
    const first = await dig('gaia.cs.umass.edu');
    expect(first.out).toContain('128.119.40.205');
    expect(await upstream(mark)).toEqual([
      expect.stringMatching(/^dns-root: Standard query 0x[0-9a-f]{4} A gaia\.cs\.umass\.edu$/),
      expect.stringMatching(/^dns-edu: /),
      expect.stringMatching(/^dns-umass: /),
    ]);
    await new Promise((r) => setTimeout(r, 1100));
    mark = await lastId();
    const second = await dig('gaia.cs.umass.edu');
    expect(second.out).toContain('128.119.40.205');
    expect(await upstream(mark)).toEqual([]);
    expect(second.ttl).toBeLessThan(first.ttl);
    expect(second.ttl).toBeGreaterThan(first.ttl - 5);
    // the cache table shows what was learnt, referrals included
    const rows = await lab['dns.cache']();
    expect(rows.find((r) => r.name === 'gaia.cs.umass.edu' && r.type === 'A')).toMatchObject({ source: 'answer', records: ['128.119.40.205'] });
    expect(rows.find((r) => r.name === 'edu' && r.type === 'NS')).toMatchObject({ source: 'referral' });
    // another name in the same domain starts at the cached umass.edu servers: root and TLD skipped
    mark = await lastId();
    await dig('cs.umass.edu');
    expect((await upstream(mark)).map((s) => s.split(':')[0])).toEqual(['dns-umass']);
  });

  it('an expired record is fetched again', async () => {
    const saved = await lab['dns.saveZone']('someschool.edu', someschool(300, 1));
    expect(saved.ok).toBe(true);
    let mark = await lastId();
    expect((await dig('www.someschool.edu')).out).toContain('192.0.2.10');
    expect(await upstream(mark)).not.toEqual([]);
    mark = await lastId();
    await dig('www.someschool.edu');
    expect(await upstream(mark)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1300));
    mark = await lastId();
    await dig('www.someschool.edu');
    expect(await upstream(mark)).toEqual([expect.stringMatching(/^dns-someschool: /)]);
  });

  it('NXDOMAIN is cached for the SOA minimum, then asked again', async () => {
    await lab['dns.saveZone']('someschool.edu', someschool(1, 3600));
    let mark = await lastId();
    const first = await dig('nosuch.someschool.edu');
    expect(first.out).toContain('status: NXDOMAIN');
    expect(await upstream(mark)).not.toEqual([]);
    mark = await lastId();
    const again = await dig('nosuch.someschool.edu');
    expect(again.out).toContain('status: NXDOMAIN');
    expect(await upstream(mark)).toEqual([]);
    expect((await lab['dns.cache']()).find((r) => r.name === 'nosuch.someschool.edu')).toMatchObject({ source: 'negative', records: ['NXDOMAIN'] });
    await new Promise((r) => setTimeout(r, 1300));
    mark = await lastId();
    await dig('nosuch.someschool.edu');
    expect(await upstream(mark)).toEqual([expect.stringMatching(/^dns-someschool: .*nosuch/)]);
    await lab['dns.resetZone']('someschool.edu');
  });

  it('flushing empties the cache', async () => {
    await dig('crepes.fr', 'MX');
    expect((await lab['dns.cache']()).length).toBeGreaterThan(0);
    expect(await lab['dns.flush']()).toEqual([]);
    const mark = await lastId();
    await dig('crepes.fr', 'MX');
    expect((await upstream(mark)).length).toBe(3);
  });

  it('a stopped TLD server means SERVFAIL (the local server keeps serving), and starting it again heals', async () => {
    await lab['dns.flush']();
    await lab['services.stop']('dns-edu');
    const failed = await dig('www.someschool.edu');
    expect(failed.out).toContain('status: SERVFAIL');
    const steps = (await lab['dns.resolve']('www.someschool.edu', 'A')).iterative.steps;
    expect(steps.map((x) => x.text)).toContainEqual(expect.stringContaining('no lab DNS server answers at 192.12.94.30'));
    await lab['services.start']('dns-edu');
    expect((await dig('www.someschool.edu')).out).toContain('192.0.2.10');
  });
});

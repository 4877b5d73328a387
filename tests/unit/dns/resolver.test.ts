/** The resolution algorithm over in-process authorities (the sockets are tested elsewhere). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Authority } from '../../../src-main/lab/dns/authority';
import { DnsCache } from '../../../src-main/lab/dns/cache';
import { HIERARCHY, ROOT_HINTS, zoneFileName } from '../../../src-main/lab/dns/hierarchy';
import { Resolver, type NameServer, type TraceStep, type Upstream, type UpstreamReply } from '../../../src-main/lab/dns/resolver';
import { parseZone } from '../../../src-main/lab/dns/zone-parser';

const ZONES = path.resolve(__dirname, '..', '..', '..', 'resources', 'zones');
const servers = new Map(
  HIERARCHY.flatMap((s) => {
    const zones = s.zones.map((z) => {
      const r = parseZone(fs.readFileSync(path.join(ZONES, zoneFileName(z)), 'utf8'), z);
      if (!r.ok) throw new Error(z);
      return r.zone;
    });
    return s.addresses.map((a) => [a, new Authority(zones)] as const);
  }),
);

/** Each virtual address answers from its zones, as the lab's servers do. */
class InProcess implements Upstream {
  asked: string[] = [];
  async query(server: NameServer, name: string, type: string): Promise<UpstreamReply> {
    this.asked.push(server.host);
    const auth = servers.get(server.address);
    if (!auth) return { ok: false, error: 'no server' };
    const s = auth.answer(name, type as 'A');
    return { ok: true, rcode: s.rcode, aa: s.aa, answers: s.answers, authorities: s.authorities, additionals: s.additionals, transport: 'udp', retriedOverTcp: false };
  }
}

describe('the iterative resolver', () => {
  it('walks root → TLD → authoritative, then answers from the cache', async () => {
    const up = new InProcess();
    const r = new Resolver(new DnsCache(), up, ROOT_HINTS);
    const trace: TraceStep[] = [];
    const a = await r.resolve('gaia.cs.umass.edu', 'A', trace);
    expect(a).toMatchObject({ rcode: 'NOERROR', fromCache: false, answers: [{ data: '128.119.40.205' }] });
    expect(up.asked).toEqual(['a.root-servers.net', 'a.edu-servers.net', 'dns.umass.edu']);
    expect(trace.filter((s) => s.kind !== 'cache').map((s) => s.kind)).toEqual(['query', 'reply', 'query', 'reply', 'query', 'reply']);
    up.asked = [];
    expect(await r.resolve('gaia.cs.umass.edu', 'A')).toMatchObject({ fromCache: true });
    expect(await r.resolve('cs.umass.edu', 'A')).toMatchObject({ answers: [{ data: '128.119.40.186' }] });
    expect(up.asked).toEqual(['dns.umass.edu']);
  });

  it('resolves a server name a referral gives no glue for, and follows CNAMEs', async () => {
    const up = new InProcess();
    const r = new Resolver(new DnsCache(), up, ROOT_HINTS);
    expect(await r.resolve('205.40.119.128.in-addr.arpa', 'PTR')).toMatchObject({ answers: [{ type: 'PTR', data: 'gaia.cs.umass.edu' }] });
    expect(up.asked).toEqual(['a.root-servers.net', 'a.root-servers.net', 'a.edu-servers.net', 'dns.umass.edu', 'dns.umass.edu']);
    const c = await r.resolve('www.cs.umass.edu', 'A');
    expect(c.answers.map((x) => x.type)).toEqual(['CNAME', 'A']);
  });

  it('caches NXDOMAIN; answers SERVFAIL when no server can be reached', async () => {
    const up = new InProcess();
    const cache = new DnsCache();
    const r = new Resolver(cache, up, ROOT_HINTS);
    expect(await r.resolve('nosuch.crepes.fr', 'A')).toMatchObject({ rcode: 'NXDOMAIN', authorities: [{ type: 'SOA' }] });
    expect(cache.get('nosuch.crepes.fr', 'MX')).toMatchObject({ kind: 'nxdomain' });
    const dead = new Resolver(new DnsCache(), { query: async () => ({ ok: false, error: 'timed out' }) }, ROOT_HINTS);
    expect(await dead.resolve('gaia.cs.umass.edu', 'A')).toMatchObject({ rcode: 'SERVFAIL', error: expect.stringContaining('timed out') });
  });

  it('without recursion: the cache, or the closest referral it knows', async () => {
    const r = new Resolver(new DnsCache(), new InProcess(), ROOT_HINTS);
    expect(r.fromCache('gaia.cs.umass.edu', 'A')).toMatchObject({ referral: { ns: [{ name: '', data: 'a.root-servers.net' }] } });
    await r.resolve('www.someschool.edu', 'A');
    expect(r.fromCache('gaia.cs.umass.edu', 'A')).toMatchObject({ referral: { ns: [{ name: 'edu', data: 'a.edu-servers.net' }], glue: [{ data: '192.12.94.30' }] } });
  });

  it('a referral without glue: the name of the server first (nested in the trace), then on at the referred zone', async () => {
    const up = new InProcess();
    const r = new Resolver(new DnsCache(), up, ROOT_HINTS);
    const trace: TraceStep[] = [];
    expect(await r.resolve('networkutopia.fr', 'A', trace)).toMatchObject({ rcode: 'NOERROR', answers: [{ data: '212.212.212.4' }] });
    expect(up.asked).toEqual(['a.root-servers.net', 'd.nic.fr', 'a.root-servers.net', 'a.gtld-servers.net', 'dns1.networkutopia.com', 'dns1.networkutopia.com']);
    expect(trace.filter((s) => s.kind === 'query').map((s) => `${s.depth ?? 0} ${s.question}`)).toEqual([
      '0 networkutopia.fr A',
      '0 networkutopia.fr A',
      '1 dns1.networkutopia.com A',
      '1 dns1.networkutopia.com A',
      '1 dns1.networkutopia.com A',
      '0 networkutopia.fr A',
    ]);
    // the zone is cached by its servers' names: the next name starts there
    up.asked = [];
    await r.resolve('boutique.networkutopia.fr', 'A');
    expect(up.asked).toEqual(['dns1.networkutopia.com']);
  });

  it('referrals that never end, each to a server without glue, stop at the depth and query bounds', async () => {
    let n = 0;
    // the root refers every name's TLD to four servers in TLDs never seen before, without glue
    const endless: Upstream = {
      query: async (_server, name) => {
        n++;
        const tld = name.split('.').pop()!;
        const ns = [1, 2, 3, 4].map((i) => ({ name: tld, ttl: 60, type: 'NS' as const, data: `ns.t${n}x${i}` }));
        return { ok: true, rcode: 'NOERROR', aa: false, answers: [], authorities: ns, additionals: [], transport: 'udp', retriedOverTcp: false };
      },
    };
    const trace: TraceStep[] = [];
    const r = await new Resolver(new DnsCache(), endless, ROOT_HINTS).resolve('www.x', 'A', trace);
    expect(r.rcode).toBe('SERVFAIL');
    expect(r.error).toContain(`more than 3 nested lookups`);
    expect(r.error).toContain('gave up after 48 queries');
    expect(n).toBe(48);
    expect(r.error!.length).toBeLessThan(600);
    expect(Math.max(...trace.map((s) => s.depth ?? 0))).toBe(3);
  });
});

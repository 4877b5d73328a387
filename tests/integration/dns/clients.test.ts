/** dnspython (Debian python3-dnspython), the lab terminal's dig/nslookup/telnet, and the resolution view's API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { captured, startLab, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab;
let port: (id: string) => number;

beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(async () => {
  await lab.shutdown();
});

const PY = '/usr/bin/python3';

const SCRIPT = `
import sys, dns.message, dns.query, dns.rcode, dns.flags, dns.resolver
local, root, auth = (int(x) for x in sys.argv[1:4])
def show(tag, r):
    flags = dns.flags.to_text(r.flags)
    print(tag, dns.rcode.to_text(r.rcode()), flags, '|', ' ; '.join(str(rr) for rr in r.answer), '|', ' ; '.join(str(rr) for rr in r.authority), '|', ' ; '.join(str(rr) for rr in r.additional))
q = lambda n, t: dns.message.make_query(n, t)
show('A', dns.query.udp(q('gaia.cs.umass.edu', 'A'), '127.0.0.1', port=local, timeout=3))
show('MX', dns.query.udp(q('hamburger.edu', 'MX'), '127.0.0.1', port=local, timeout=3))
show('CNAME', dns.query.udp(q('www.cs.umass.edu', 'A'), '127.0.0.1', port=local, timeout=3))
show('NX', dns.query.udp(q('nosuch.crepes.fr', 'A'), '127.0.0.1', port=local, timeout=3))
show('SOA', dns.query.tcp(q('networkutopia.com', 'SOA'), '127.0.0.1', port=local, timeout=3))
nr = q('www.networkutopia.com', 'A'); nr.flags &= ~dns.flags.RD
show('REF', dns.query.udp(nr, '127.0.0.1', port=root, timeout=3))
show('AUTH', dns.query.udp(q('gaia.cs.umass.edu', 'A'), '127.0.0.1', port=auth, timeout=3))
big = dns.query.udp(q('big.networkutopia.com', 'TXT'), '127.0.0.1', port=local, timeout=3)
print('TC', bool(big.flags & dns.flags.TC))
res = dns.resolver.Resolver(configure=False); res.nameservers = ['127.0.0.1']; res.port = local
print('RESOLVER', [r.to_text() for r in res.resolve('big.networkutopia.com', 'TXT', tcp=False)].__len__())
`;

describe('dnspython against lab DNS', () => {
  it('asks the local, root and authoritative servers over UDP and TCP', async () => {
    const r = await run(PY, ['-c', SCRIPT, String(port('dns-local')), String(port('dns-root')), String(port('dns-umass'))]);
    expect(r.stderr).toBe('');
    const line = (tag: string) => r.stdout.split('\n').find((l) => l.startsWith(`${tag} `)) ?? '';
    expect(line('A')).toMatch(/^A NOERROR QR RD RA \| gaia\.cs\.umass\.edu\. \d+ IN A 128\.119\.40\.205/);
    expect(line('MX')).toMatch(/hamburger\.edu\. \d+ IN MX 10 mail\.hamburger\.edu\./);
    expect(line('CNAME')).toMatch(/www\.cs\.umass\.edu\. \d+ IN CNAME gaia\.cs\.umass\.edu\. ; gaia\.cs\.umass\.edu\. \d+ IN A 128\.119\.40\.205/);
    expect(line('NX')).toMatch(/^NX NXDOMAIN QR RD RA \| +\| crepes\.fr\. \d+ IN SOA dns\.crepes\.fr\./);
    expect(line('SOA')).toMatch(/networkutopia\.com\. \d+ IN SOA dns1\.networkutopia\.com\. hostmaster\.networkutopia\.com\./);
    expect(line('REF')).toBe('REF NOERROR QR |  | com. 172800 IN NS a.gtld-servers.net. | a.gtld-servers.net. 172800 IN A 192.5.6.30');
    expect(line('AUTH')).toMatch(/^AUTH NOERROR QR AA RD \| gaia\.cs\.umass\.edu\. 3600 IN A 128\.119\.40\.205/);
    expect(line('TC')).toBe('TC True');
    expect(line('RESOLVER')).toBe('RESOLVER 5');
  });
});

async function openTerminal() {
  const { session } = await lab['terminal.open']({ cols: 120, rows: 40 });
  let out = '';
  const off = lab.on('terminal.output', (o) => {
    if (o.session === session) out += o.data;
  });
  return {
    type: (s: string) => lab['terminal.input'](session, s),
    mark: () => out.length,
    expect: (text: string, from = 0) => waitFor(() => out.slice(from).includes(text) && out.slice(from), `terminal output ${JSON.stringify(text)}:\n${out.slice(from)}`, 8000),
    close: async () => {
      off();
      await lab['terminal.close'](session);
    },
  };
}

describe('the lab terminal', () => {
  it('dig prints like the real one, with +norecurse referrals, +tcp, +short and +trace', async () => {
    const t = await openTerminal();
    let m = t.mark();
    await t.type('dig gaia.cs.umass.edu\r');
    let out = await t.expect(';; MSG SIZE', m);
    expect(out).toContain('status: NOERROR');
    expect(out).toMatch(/;; flags: qr rd ra; QUERY: 1, ANSWER: 1/);
    expect(out).toMatch(/gaia\.cs\.umass\.edu\.\t+\d+\tIN\tA\t128\.119\.40\.205/);
    expect(out).toContain('(local DNS server) (UDP)');
    m = t.mark();
    await t.type('dig @198.41.0.4 crepes.fr MX +norecurse\r');
    out = await t.expect(';; MSG SIZE', m);
    expect(out).toContain(';; AUTHORITY SECTION:');
    expect(out).toMatch(/fr\.\t+172800\tIN\tNS\td\.nic\.fr\./);
    expect(out).toContain('SERVER: 198.41.0.4#53(a.root-servers.net)');
    m = t.mark();
    await t.type('dig +tcp +short www.networkutopia.com @dns1.networkutopia.com\r');
    out = await t.expect('212.212.212.4', m);
    m = t.mark();
    await t.type('dig +trace www.networkutopia.com\r');
    out = await t.expect('from 212.212.212.1#53(dns1.networkutopia.com)', m);
    expect(out).toContain('from 198.41.0.4#53(a.root-servers.net)');
    expect(out).toContain('from 192.5.6.30#53(a.gtld-servers.net)');
    m = t.mark();
    await t.type('dig nosuch.umass.edu\r');
    out = await t.expect(';; MSG SIZE', m);
    expect(out).toContain('status: NXDOMAIN');
    m = t.mark();
    await t.type('dig -x 128.119.40.205 +short\r');
    await t.expect('gaia.cs.umass.edu.', m);
    await t.close();
  });

  it('nslookup prints the nslookup way', async () => {
    const t = await openTerminal();
    let m = t.mark();
    await t.type('nslookup gaia.cs.umass.edu\r');
    let out = await t.expect('Address: 128.119.40.205', m);
    expect(out).toContain('Non-authoritative answer:');
    expect(out).toContain('Name:\tgaia.cs.umass.edu');
    m = t.mark();
    await t.type('nslookup -type=mx hamburger.edu\r');
    await t.expect('hamburger.edu\tmail exchanger = 10 mail.hamburger.edu.', m);
    m = t.mark();
    await t.type('nslookup nosuch.crepes.fr\r');
    await t.expect("** server can't find nosuch.crepes.fr: NXDOMAIN", m);
    await t.close();
  });

  it('telnet resolves through the local DNS server: the query shows in the capture', async () => {
    await lab['dns.flush']();
    const t = await openTerminal();
    const m = t.mark();
    await t.type(`telnet gaia.cs.umass.edu ${port('echo-tcp')}\r`);
    await t.expect('Connected to gaia.cs.umass.edu', m);
    await t.type('hi\r');
    await t.expect('HI', m);
    lab.store.flush();
    const msgs = await captured(lab);
    expect(msgs.some((x) => x.service === 'dns-local' && /^Standard query 0x[0-9a-f]+ A gaia\.cs\.umass\.edu$/.test(x.summary))).toBe(true);
    expect(msgs.some((x) => x.service === 'dns-umass' && x.summary.includes('A 128.119.40.205'))).toBe(true);
    const conns = await lab['capture.connections']();
    expect(conns.find((c) => c.service === 'dns-root')?.server).toMatchObject({ name: 'a.root-servers.net', virtualAddress: '198.41.0.4' });
    expect(conns.find((c) => c.service === 'dns-root')?.client).toMatchObject({ name: 'local DNS server' });
    await t.close();
  });

  it('hosts lists the names the zones hold', async () => {
    const t = await openTerminal();
    await t.type('hosts\r');
    const out = await t.expect('dns1.networkutopia.com');
    expect(out).toMatch(/gaia\.cs\.umass\.edu\s+128\.119\.40\.205/);
    await t.close();
  });
});

describe('the resolution view', () => {
  it('shows the textbook steps, iterative and recursive, each linked to its captured message', async () => {
    await lab['dns.flush']();
    const r = await lab['dns.resolve']('gaia.cs.umass.edu', 'A');
    const it8 = r.iterative.steps;
    expect(it8.map((s) => `${s.n} ${s.from} → ${s.to}`)).toEqual([
      '1 requesting host → local DNS server',
      '2 local DNS server → a.root-servers.net',
      '3 a.root-servers.net → local DNS server',
      '4 local DNS server → a.edu-servers.net',
      '5 a.edu-servers.net → local DNS server',
      '6 local DNS server → dns.umass.edu',
      '7 dns.umass.edu → local DNS server',
      '8 local DNS server → requesting host',
    ]);
    expect(r.recursive.steps.map((s) => `${s.n} ${s.from} → ${s.to}`)).toEqual([
      '1 requesting host → local DNS server',
      '2 local DNS server → a.root-servers.net',
      '3 a.root-servers.net → a.edu-servers.net',
      '4 a.edu-servers.net → dns.umass.edu',
      '5 dns.umass.edu → a.edu-servers.net',
      '6 a.edu-servers.net → a.root-servers.net',
      '7 a.root-servers.net → local DNS server',
      '8 local DNS server → requesting host',
    ]);
    for (const run of [r.iterative, r.recursive]) {
      expect(run.answers).toEqual([expect.stringMatching(/gaia\.cs\.umass\.edu\.\t\d+\tIN\tA\t128\.119\.40\.205/)]);
      for (const s of run.steps) {
        expect(s.message, `${run.mode} step ${s.n}`).toBeTypeOf('number');
        const d = await lab['capture.detail'](s.message!);
        expect(d?.summary).toContain('gaia.cs.umass.edu');
        expect(d?.dir).toBe(s.kind === 'query' ? 'c2s' : 's2c');
      }
    }
    expect(r.iterative.steps[2].text).toContain('referral to edu.');
    // the second time, the cache answers: everything between 1 and the last step is skipped
    const again = await lab['dns.resolve']('gaia.cs.umass.edu', 'A');
    expect(again.iterative.steps.map((s) => s.kind)).toEqual(['query', 'cache', 'reply']);
    expect(again.iterative.steps[1]).toMatchObject({ skipped: true, text: expect.stringContaining('in the cache') });
    expect(again.recursive.steps.map((s) => s.n ?? '-')).toEqual([1, '-', 2]);
    // a neighbour name: root and TLD are skipped, the authoritative server is asked
    const near = await lab['dns.resolve']('cs.umass.edu', 'A');
    // (they keep their numbers, greyed: not sent, their referrals come from the cache)
    expect(near.iterative.steps.map((s) => `${s.skipped ? `(${s.n})` : s.n} ${s.to}`)).toEqual([
      '1 local DNS server',
      '(2) a.root-servers.net',
      '(3) local DNS server',
      '(4) a.edu-servers.net',
      '(5) local DNS server',
      '6 dns.umass.edu',
      '7 local DNS server',
      '8 requesting host',
    ]);
    expect(near.iterative.steps[4].text).toMatch(/^from the cache \(TTL \d+ s left\): referral to umass\.edu\.: NS dns\.umass\.edu\.; glue dns\.umass\.edu 128\.119\.40\.111$/);
  });
});

/**
 * What third-party resolvers and tools expect of a DNS server (RFC 8906): a type the lab holds
 * no records of is answered NODATA or NXDOMAIN as the name decides, never NOTIMP; an EDNS
 * version it does not speak gets BADVERS (RFC 6891 §6.1.3); the DO bit comes back (RFC 3225).
 * Asked with kdig (knot-dnsutils) and dnspython, and read back from the inspector.
 */
import { describe, expect, it } from 'vitest';
import { summaryMatcher } from '../../../src-main/lab/capture/search-words';
import { findField } from '../../helpers/fields';
import { captured, labForFile } from '../../helpers/lab';
import { run } from '../../helpers/proc';

const the = labForFile();
const port = (id: string) => the.port(id);

const kdig = (server: string, ...args: string[]) => run('kdig', ['@127.0.0.1', '-p', String(port(server)), '+timeout=3', '+retry=0', ...args], { timeoutMs: 15_000 });

const status = (out: string) => /status: (\w+)/.exec(out)?.[1];
const count = (out: string, section: string) => Number(new RegExp(`${section}: (\\d+)`).exec(out)?.[1]);

describe('record types the lab holds none of (RFC 8906 §3.1.4)', () => {
  it.each([
    ['www.networkutopia.com', 'HTTPS', 'NOERROR'],
    ['_imap._tcp.crepes.fr', 'SRV', 'NXDOMAIN'],
    ['umass.edu', 'CAA', 'NOERROR'],
    ['nosuch.umass.edu', 'CAA', 'NXDOMAIN'],
    ['networkutopia.com', 'DS', 'NOERROR'],
    ['gaia.cs.umass.edu', 'TYPE65280', 'NOERROR'],
  ])('kdig %s %s from the local server: %s with the zone SOA', async (name, type, rcode) => {
    const r = await kdig('dns-local', name, type);
    expect(r.stderr).toBe('');
    expect(status(r.stdout)).toBe(rcode);
    expect(count(r.stdout, 'ANSWER')).toBe(0);
    expect(r.stdout).toMatch(/;; AUTHORITY SECTION:\n\S+\s+\d+\s+IN\s+SOA\s/);
  });

  it('meta-types name no data: AXFR over UDP and MAILB are NOTIMP at the local server, which keeps serving', async () => {
    const script = `
import sys, dns.message, dns.query, dns.rcode
local = int(sys.argv[1])
for t in ('AXFR', 'MAILB', 'TYPE200', 'SRV'):
    r = dns.query.udp(dns.message.make_query('umass.edu', t), '127.0.0.1', port=local, timeout=3)
    print(t, dns.rcode.to_text(r.rcode()))
`;
    const r = await run('/usr/bin/python3', ['-c', script, String(port('dns-local'))]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['AXFR NOTIMP', 'MAILB NOTIMP', 'TYPE200 NOTIMP', 'SRV NOERROR']);
  });

  it('the authoritative server answers the same', async () => {
    const yes = await kdig('dns-umass', 'gaia.cs.umass.edu', 'SRV', '+norecurse');
    expect(status(yes.stdout)).toBe('NOERROR');
    const no = await kdig('dns-umass', 'nosuch.cs.umass.edu', 'SRV', '+norecurse');
    expect(status(no.stdout)).toBe('NXDOMAIN');
  });
});

describe('EDNS (RFC 6891, RFC 3225)', () => {
  for (const server of ['dns-local', 'dns-umass']) {
    it(`${server}: EDNS version 1 gets BADVERS with version 0 in the OPT; version 0 is answered`, async () => {
      const bad = await kdig(server, '+edns=1', '+nocookie', 'gaia.cs.umass.edu', 'A');
      expect(status(bad.stdout)).toBe('BADVERS');
      expect(bad.stdout).toMatch(/;; Version: 0; flags: ?; UDP size: \d+ B; ext-rcode: BADVERS/);
      expect(count(bad.stdout, 'ANSWER')).toBe(0);
      const good = await kdig(server, '+edns=0', '+nocookie', 'gaia.cs.umass.edu', 'A');
      expect(status(good.stdout)).toBe('NOERROR');
      expect(good.stdout).toMatch(/gaia\.cs\.umass\.edu\.\s+\d+\s+IN\s+A\s+128\.119\.40\.205/);
    });

    it(`${server}: the DO bit asked is the DO bit answered`, async () => {
      const withDo = await kdig(server, '+dnssec', 'gaia.cs.umass.edu', 'A');
      expect(status(withDo.stdout)).toBe('NOERROR');
      expect(withDo.stdout).toMatch(/;; Version: 0; flags: do; UDP size/);
      // asked again (a cache hit at the local server) with DO clear: not the DO reply
      const without = await kdig(server, '+edns', 'gaia.cs.umass.edu', 'A');
      expect(without.stdout).toMatch(/;; Version: 0; flags: ; UDP size/);
      const again = await kdig(server, '+dnssec', 'gaia.cs.umass.edu', 'A');
      expect(again.stdout).toMatch(/;; Version: 0; flags: do; UDP size/);
    });
  }

  it('dnspython: BADVERS, DO copied back, NODATA and NXDOMAIN for SRV over UDP and TCP', async () => {
    const script = `
import sys, dns.message, dns.query, dns.rcode, dns.flags
local = int(sys.argv[1])
m = dns.message.make_query('gaia.cs.umass.edu', 'A')
m.use_edns(1)
r = dns.query.udp(m, '127.0.0.1', port=local, timeout=3)
print('V1', dns.rcode.to_text(r.rcode()), r.edns, len(r.answer))
r = dns.query.udp(dns.message.make_query('gaia.cs.umass.edu', 'A', want_dnssec=True), '127.0.0.1', port=local, timeout=3)
print('DO', dns.rcode.to_text(r.rcode()), bool(r.ednsflags & dns.flags.DO))
for name in ('_sip._udp.umass.edu', 'umass.edu'):
    for q in (dns.query.udp, dns.query.tcp):
        r = q(dns.message.make_query(name, 'SRV'), '127.0.0.1', port=local, timeout=3)
        print('SRV', name, q.__name__, dns.rcode.to_text(r.rcode()), len(r.answer), [rr.rdtype == dns.rdatatype.SOA for rr in r.authority])
`;
    const r = await run('/usr/bin/python3', ['-c', script, String(port('dns-local'))]);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      'V1 BADVERS 0 0',
      'DO NOERROR True',
      'SRV _sip._udp.umass.edu udp NXDOMAIN 0 [True]',
      'SRV _sip._udp.umass.edu tcp NXDOMAIN 0 [True]',
      'SRV umass.edu udp NOERROR 0 [True]',
      'SRV umass.edu tcp NOERROR 0 [True]',
    ]);
  });

  it('the inspector names the extended RCODE: BADVERS, not NOERROR, and a search for it finds it', async () => {
    await kdig('dns-local', '+edns=1', '+nocookie', 'crepes.fr', 'MX');
    const lab = the.lab;
    const rows = (await captured(lab)).filter((m) => m.service === 'dns-local' && m.dir === 's2c' && m.summary.includes('MX crepes.fr'));
    const bad = rows.find((m) => summaryMatcher('BADVERS')(m.summary));
    expect(bad?.summary).toMatch(/^Standard query response 0x[0-9a-f]{4} Bad OPT version MX crepes\.fr$/);
    const detail = await lab['capture.detail'](bad!.id);
    expect(findField(detail!.fields, 'RCODE')?.value).toMatch(/^BADVERS \(16: Bad OPT version; 0 in the header, 1 in the OPT record's upper bits\)$/);
    expect(findField(detail!.fields, 'Extended RCODE')?.value).toMatch(/^1 /);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Authority } from '../../../src-main/lab/dns/authority';
import { allZones, zoneFileName } from '../../../src-main/lab/dns/hierarchy';
import { parseTtl, parseZone, type Zone } from '../../../src-main/lab/dns/zone-parser';
import { LAB_HOSTS } from '../../../src-main/lab/internet/hosts';

const ZONES = path.resolve(__dirname, '..', '..', '..', 'resources', 'zones');

function shipped(): Zone[] {
  return allZones().map((z) => {
    const r = parseZone(fs.readFileSync(path.join(ZONES, zoneFileName(z)), 'utf8'), z);
    if (!r.ok) throw new Error(`${zoneFileName(z)}: line ${r.errors[0].line}: ${r.errors[0].message}`);
    return r.zone;
  });
}

const HEAD = '$TTL 3600\n@ IN SOA dns.x.edu. hostmaster.x.edu. 1 3600 600 604800 300\n@ IN NS dns.x.edu.\n';

function errorsOf(text: string, origin = 'x.edu') {
  const r = parseZone(text, origin);
  return r.ok ? [] : r.errors;
}

describe('zone files (RFC 1035 master format)', () => {
  it('every shipped zone parses', () => {
    expect(shipped().length).toBe(allZones().length);
  });

  it('no shipped zone has a name that looks as if its trailing dot were missing', () => {
    for (const z of allZones()) {
      const r = parseZone(fs.readFileSync(path.join(ZONES, zoneFileName(z)), 'utf8'), z);
      expect(r.ok && r.warnings, zoneFileName(z)).toEqual([]);
    }
  });

  it('warns at the line of a full name written without its trailing dot, and only there', () => {
    const text = `$TTL 3600\n@ IN SOA dns1.networkutopia.com. hostmaster.networkutopia.com. 1 3600 600 604800 300\nnetworkutopia.com IN NS dns1.networkutopia.com\n@ IN NS dns1\n@ IN MX 10 mail.crepes.fr\nwww.cs IN CNAME gaia.cs\n`;
    const r = parseZone(text, 'networkutopia.com');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map((w) => [w.line, w.message.slice(0, w.message.indexOf(' ?'))])).toEqual([
      [3, 'relative name: did you mean networkutopia.com.'],
      [3, 'relative name: did you mean dns1.networkutopia.com.'],
      [5, 'relative name: did you mean mail.crepes.fr.'],
    ]);
    expect(r.warnings[1].message).toContain('becomes dns1.networkutopia.com.networkutopia.com.');
  });

  it('every lab host exists in the zones with the same address, and the mail domains have MX', () => {
    const auth = new Authority(shipped());
    for (const h of LAB_HOSTS) {
      const r = auth.answer(h.name, 'A');
      // follow referrals down to the authoritative answer, as a resolver would
      const a = r.kind === 'answer' ? r.answers : [];
      expect(a.length > 0 ? a.map((x) => x.data) : [], h.name).toContain(h.virtualAddress);
    }
    for (const d of ['crepes.fr', 'hamburger.edu', 'networkutopia.com']) {
      expect(auth.answer(d, 'MX').answers).toEqual([{ name: d, ttl: 3600, type: 'MX', data: { preference: 10, exchange: `mail.${d}` } }]);
    }
  });

  it('reads directives, @, relative names, blank owners, parentheses, quoted strings and units', () => {
    const r = parseZone(
      `$ORIGIN x.edu.\n$TTL 1h\n@ IN SOA dns hostmaster ( 7 ; serial\n  1h 10m 1w 5m )\n  IN NS dns\ndns 300 IN A 192.0.2.1\nwww CNAME dns\n@ MX 10 mail\nmail IN 60 A 192.0.2.2\n@ TXT "hello; \\"world\\"" "two"\n`,
      'x.edu',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const rec = r.zone.records;
    expect(rec[0]).toMatchObject({ name: 'x.edu', type: 'SOA', ttl: 3600, data: { mname: 'dns.x.edu', rname: 'hostmaster.x.edu', serial: 7, refresh: 3600, retry: 600, expire: 604800, minimum: 300 } });
    expect(rec[1]).toMatchObject({ name: 'x.edu', type: 'NS', data: 'dns.x.edu' });
    expect(rec[2]).toMatchObject({ name: 'dns.x.edu', ttl: 300, data: '192.0.2.1' });
    expect(rec[3]).toMatchObject({ name: 'www.x.edu', type: 'CNAME', data: 'dns.x.edu', ttl: 3600 });
    expect(rec[5]).toMatchObject({ name: 'mail.x.edu', ttl: 60 });
    expect(rec[6]).toMatchObject({ type: 'TXT', data: ['hello; "world"', 'two'] });
    expect(parseTtl('1w2d3h4m5s')).toBe(604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
  });

  it('reports each mistake at its line', () => {
    expect(errorsOf(`${HEAD}www IN A 300.1.2.3\n`)).toEqual([{ line: 4, message: expect.stringContaining("'300.1.2.3' is not an IPv4 address"), textKey: 'dnsLab.zone.notIpv4', textParams: { token: '300.1.2.3' } }]);
    expect(errorsOf(`${HEAD}www IN AA 1.2.3.4\n`)[0]).toMatchObject({ line: 4, message: expect.stringContaining("unknown record type 'AA'") });
    expect(errorsOf(`${HEAD}\n\nwww.other.edu. IN A 1.2.3.4\n`)[0]).toMatchObject({ line: 6, message: expect.stringContaining('outside the zone x.edu') });
    expect(errorsOf(`${HEAD}@ IN MX mail\n`)[0]).toMatchObject({ line: 4, message: expect.stringContaining('MX: missing data') });
    expect(errorsOf(`${HEAD}@ IN MX 10 192.0.2.1\n`)[0]).toMatchObject({ line: 4, message: expect.stringContaining('not an address') });
    expect(errorsOf(`${HEAD}www IN CNAME dns\nwww IN A 1.2.3.4\n`)[0]).toMatchObject({ line: 5, message: expect.stringContaining('CNAME and other records') });
    expect(errorsOf(`${HEAD}txt IN TXT "never closed\n`)[0]).toMatchObject({ line: 4, message: expect.stringContaining('not closed') });
    expect(errorsOf(`${HEAD}@ IN SOA ( a b\n 1 2 3\n`)[0]).toMatchObject({ line: 4, message: expect.stringContaining('never closed') });
    expect(errorsOf(`${HEAD}${'a'.repeat(64)} IN A 1.2.3.4\n`)[0]).toMatchObject({ line: 4, message: expect.stringContaining('longer than 63') });
    expect(errorsOf(`${HEAD}$INCLUDE other.zone\n`)[0]).toMatchObject({ line: 4, message: expect.stringContaining('$INCLUDE') });
    expect(errorsOf(`${HEAD}www CH A 1.2.3.4\n`)[0]).toMatchObject({ line: 4, message: expect.stringContaining('only class IN') });
  });

  it('deep parentheses and 2 MB files are refused at a line, in milliseconds', () => {
    for (const n of [1e4, 4e5]) {
      const t0 = performance.now();
      expect(errorsOf(`${HEAD}@ IN SOA ${'('.repeat(n)}${')'.repeat(n)}\n`)[0]).toMatchObject({ line: 4, message: expect.stringContaining("'(' inside parentheses") });
      expect(performance.now() - t0).toBeLessThan(2000);
    }
    const record = 'www IN A 192.0.2.1 ; twenty-seven more chars\n';
    const t0 = performance.now();
    // the line where the 1 000 000-character cap is passed
    expect(errorsOf(HEAD + record.repeat(Math.ceil(2_000_000 / record.length)))).toEqual([
      { line: 3 + Math.ceil((1_000_000 - HEAD.length) / record.length), message: expect.stringContaining('larger than 1000000 characters'), textKey: 'dnsLab.zone.tooLarge', textParams: { max: 1_000_000 } },
    ]);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('a zone needs its SOA and NS at the apex', () => {
    expect(errorsOf('$TTL 60\n@ IN NS dns.x.edu.\n')[0]).toMatchObject({ message: expect.stringContaining('no SOA record') });
    expect(errorsOf('$TTL 60\n@ IN SOA dns.x.edu. h.x.edu. 1 2 3 4 5\n')[0]).toMatchObject({ line: 2, message: expect.stringContaining('no NS record') });
    expect(errorsOf('www IN A 1.2.3.4\n')[0]).toMatchObject({ line: 1, message: expect.stringContaining('no TTL') });
  });
});

describe('authoritative answers', () => {
  const auth = new Authority(shipped());

  it('refers below a zone cut with glue, not authoritative', () => {
    const root = new Authority(shipped().filter((z) => z.origin === '' || z.origin === 'arpa'));
    const r = root.answer('gaia.cs.umass.edu', 'A');
    expect(auth.answer('gaia.cs.umass.edu', 'A')).toMatchObject({ kind: 'answer', aa: true });
    expect(r).toMatchObject({ kind: 'referral', aa: false, delegation: 'edu' });
    expect(r.authorities.map((x) => x.data)).toEqual(['a.edu-servers.net']);
    expect(r.additionals.map((x) => x.data)).toEqual(['192.12.94.30']);
  });

  it('answers NXDOMAIN and NODATA with the SOA (TTL = min(SOA TTL, minimum))', () => {
    const only = new Authority(shipped().filter((z) => z.origin === 'umass.edu'));
    expect(only.answer('nope.umass.edu', 'A')).toMatchObject({ rcode: 'NXDOMAIN', aa: true, authorities: [{ type: 'SOA', ttl: 300 }] });
    expect(only.answer('gaia.cs.umass.edu', 'MX')).toMatchObject({ rcode: 'NOERROR', kind: 'nodata', answers: [] });
    // an empty non-terminal exists: NODATA, not NXDOMAIN
    expect(only.answer('cs.umass.edu', 'MX')).toMatchObject({ kind: 'nodata' });
    expect(only.answer('www.crepes.fr', 'A')).toMatchObject({ rcode: 'REFUSED' });
  });

  it('follows a CNAME inside its zones', () => {
    const only = new Authority(shipped().filter((z) => z.origin === 'umass.edu'));
    expect(only.answer('www.cs.umass.edu', 'A').answers.map((r) => `${r.type} ${r.data}`)).toEqual(['CNAME gaia.cs.umass.edu', 'A 128.119.40.205']);
  });
});

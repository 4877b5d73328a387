/**
 * The lab terminal's nslookup: `nslookup NAME [SERVER]` and `nslookup -type=MX NAME`, printed
 * as BIND's nslookup prints them, asked through the same lab path as dig (the terminal's own
 * socket to a lab DNS server), so every query and reply is in the capture.
 */
import { describe, expect, it } from 'vitest';
import { captured, lastCapturedId, labForFile, waitFor } from '../../helpers/lab';

const the = labForFile();

/** Type a line at a fresh lab terminal; what it printed up to the next prompt. */
async function nslookup(args: string): Promise<string> {
  const { session } = await the.lab['terminal.open']({ cols: 160, rows: 40 });
  let out = '';
  const off = the.lab.on('terminal.output', (o) => {
    if (o.session === session) out += o.data;
  });
  try {
    await waitFor(() => out.includes('netlab>'), 'the prompt');
    const from = out.length;
    await the.lab['terminal.input'](session, `nslookup ${args}\r`);
    return await waitFor(() => {
      const after = out.slice(from);
      const i = after.indexOf('netlab>', after.indexOf('\n'));
      return i > 0 && after.slice(0, i);
    }, `nslookup ${args}`, 10_000);
  } finally {
    off();
    await the.lab['terminal.close'](session);
  }
}

const lines = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '').split('\n').slice(1).join('\n').trim();

describe('nslookup in the lab terminal', () => {
  it('NAME: the local server, a non-authoritative answer, and the exchange captured', async () => {
    await the.lab['dns.flush']();
    const after = await lastCapturedId(the.lab);
    const out = lines(await nslookup('gaia.cs.umass.edu'));
    expect(out).toBe(
      [`Server:\t\t127.0.0.1`, `Address:\t127.0.0.1#${the.port('dns-local')}`, '', 'Non-authoritative answer:', 'Name:\tgaia.cs.umass.edu', 'Address: 128.119.40.205'].join('\n'),
    );
    the.lab.store.flush();
    const msgs = (await captured(the.lab)).filter((m) => m.id > after);
    expect(msgs.some((m) => m.service === 'dns-local' && /^Standard query 0x[0-9a-f]{4} A gaia\.cs\.umass\.edu$/.test(m.summary))).toBe(true);
    expect(msgs.some((m) => m.service === 'dns-local' && /^Standard query response 0x[0-9a-f]{4} A gaia\.cs\.umass\.edu A 128\.119\.40\.205/.test(m.summary))).toBe(true);
    const conns = await the.lab['capture.connections']();
    const terminal = conns.filter((c) => c.service === 'dns-local' && /^terminal \d+$/.test(c.client?.name ?? ''));
    expect(terminal.length).toBeGreaterThan(0);
  });

  it('-type=MX NAME', async () => {
    const out = lines(await nslookup('-type=MX crepes.fr'));
    expect(out).toMatch(/^Server:\t\t127\.0\.0\.1\nAddress:\t127\.0\.0\.1#\d+\n\nNon-authoritative answer:\ncrepes\.fr\tmail exchanger = 10 mail\.crepes\.fr\.$/);
  });

  it('NAME SERVER: asks that server (by name or address); an authoritative server answers without "Non-authoritative"', async () => {
    const after = await lastCapturedId(the.lab);
    const byName = lines(await nslookup('gaia.cs.umass.edu dns.umass.edu'));
    expect(byName).toBe(['Server:\t\tdns.umass.edu', 'Address:\t128.119.40.111#53', '', 'Name:\tgaia.cs.umass.edu', 'Address: 128.119.40.205'].join('\n'));
    const byAddress = lines(await nslookup('-type=mx hamburger.edu 192.0.2.34'));
    expect(byAddress).toBe(['Server:\t\t192.0.2.34', 'Address:\t192.0.2.34#53', '', 'hamburger.edu\tmail exchanger = 10 mail.hamburger.edu.'].join('\n'));
    the.lab.store.flush();
    const msgs = (await captured(the.lab)).filter((m) => m.id > after);
    expect(msgs.some((m) => m.service === 'dns-umass' && /^Standard query 0x[0-9a-f]{4} A gaia\.cs\.umass\.edu$/.test(m.summary))).toBe(true);
    expect(msgs.some((m) => m.service === 'dns-hamburger' && /^Standard query response 0x[0-9a-f]{4} MX hamburger\.edu MX 10 mail\.hamburger\.edu/.test(m.summary))).toBe(true);
  });

  it("a name that does not exist, a server that cannot be found, and a usage error", async () => {
    expect(lines(await nslookup('nosuch.crepes.fr'))).toMatch(/\*\* server can't find nosuch\.crepes\.fr: NXDOMAIN$/);
    expect(lines(await nslookup('gaia.cs.umass.edu nosuch.example.com'))).toBe("nslookup: couldn't get address for 'nosuch.example.com': not found");
    expect(lines(await nslookup('-type=BOGUS crepes.fr'))).toBe('nslookup: unknown query type: BOGUS');
    // the terminal and the server go on
    expect(lines(await nslookup('-query=mx hamburger.edu'))).toContain('mail exchanger = 10 mail.hamburger.edu.');
  });
});

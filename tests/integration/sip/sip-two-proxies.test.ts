/**
 * A call between two lab domains crosses two proxies (RFC 3261 §4's trapezoid, P&D ch. 9):
 * crepes.fr's proxy finds hamburger.edu's through lab DNS — dig shows the SRV record of
 * _sip._udp.hamburger.edu and its target's address — and forwards with its own Via and
 * Record-Route. Driven by real clients: sipp as alice (a scenario file) to a sipp uas
 * registered as bob, and a request typed by hand through nc -u.
 */
import dgram from 'node:dgram';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseZone } from '../../../src-main/lab/dns/zone-parser';
import { headerValues, parseVia } from '../../../src-main/lab/sip/sip-message';
import { run } from '../../helpers/proc';
import { captured, labForFile } from '../../helpers/lab';
import { method, status, TestUa } from './sip-ua-helper';

const t = labForFile();
let sip = 0;
let bob: TestUa;

const register = (ua: TestUa, aor: string, contactPort: number, id: string): void =>
  ua.send(`REGISTER sip:${aor.split('@')[1]} SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:${ua.port};branch=z9hG4bK${id}\nFrom: <sip:${aor}>;tag=${id}\nTo: <sip:${aor}>\nCall-ID: ${id}\nCSeq: 1 REGISTER\nContact: <sip:${aor.split('@')[0]}@127.0.0.1:${contactPort}>\nExpires: 60\nContent-Length: 0\n\n`, sip);

beforeAll(async () => {
  sip = t.port('sip');
  bob = await new TestUa().open();
});
afterAll(() => bob?.close());

describe('a call from crepes.fr to hamburger.edu through both domains’ proxies', () => {
  it('dig finds hamburger.edu’s SIP proxy: SRV _sip._udp.hamburger.edu → sip.hamburger.edu:5060 and its address', async () => {
    const r = await run('dig', ['@127.0.0.1', '-p', String(t.port('dns-local')), '_sip._udp.hamburger.edu', 'SRV', '+noall', '+answer']);
    expect(r.stdout).toMatch(/_sip\._udp\.hamburger\.edu\.\s+\d+\s+IN\s+SRV\s+0 0 5060 sip\.hamburger\.edu\./);
    // the target's address, from hamburger.edu's own server with the SRV in the additional section (RFC 2782)
    const auth = await run('dig', ['@127.0.0.1', '-p', String(t.port('dns-hamburger')), '_sip._udp.hamburger.edu', 'SRV', '+norec', '+noall', '+additional']);
    expect(auth.stdout).toMatch(/sip\.hamburger\.edu\.\s+\d+\s+IN\s+A\s+192\.0\.2\.32/);
    const tcp = await run('dig', ['@127.0.0.1', '-p', String(t.port('dns-local')), '+short', '_sip._tcp.crepes.fr', 'SRV']);
    expect(tcp.stdout.trim()).toBe('0 0 5060 sip.crepes.fr.');
  });

  it('a bad SRV record in a zone file is refused at its line with the form it needs', () => {
    const bad = parseZone('$TTL 60\n@ IN SOA dns.x.fr. h.x.fr. 1 1 1 1 1\n@ IN NS dns.x.fr.\ndns IN A 192.0.2.9\n_sip._udp IN SRV 0 0 sip.x.fr.\n', 'x.fr');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatchObject({ line: 5, message: expect.stringContaining('SRV: missing data; the form is SRV PRIORITY WEIGHT PORT TARGET'), textKey: 'dnsLab.zone.missingData' });
    const port = parseZone('$TTL 60\n@ IN SOA dns.x.fr. h.x.fr. 1 1 1 1 1\n@ IN NS dns.x.fr.\ndns IN A 192.0.2.9\n_sip._udp IN SRV 0 0 70000 sip.x.fr.\n', 'x.fr');
    expect(port.ok).toBe(false);
  });

  it('sipp as alice@crepes.fr calls a sipp uas registered as bob@hamburger.edu: INVITE, ACK and BYE pass both proxies', async () => {
    const uasPort = await new Promise<number>((resolve) => {
      const probe = dgram.createSocket('udp4').bind(0, '127.0.0.1', () => {
        const p = probe.address().port;
        probe.close(() => resolve(p));
      });
    });
    const uas = spawn('sipp', ['-sf', path.join(__dirname, '../../fixtures/sip/bob-answers.xml'), '-i', '127.0.0.1', '-p', String(uasPort), '-nostdin'], { stdio: 'ignore' });
    try {
      register(bob, 'bob@hamburger.edu', uasPort, 'reg1');
      await bob.next(status(200), 'bob registered');
      const uac = await run('sipp', [`127.0.0.1:${sip}`, '-sf', path.join(__dirname, '../../fixtures/sip/alice-calls-bob.xml'), '-i', '127.0.0.1', '-m', '3', '-r', '3', '-nostdin', '-timeout', '20s', '-timeout_error'], { timeoutMs: 30_000 });
      t.lab.store.flush();
      const rows = (await captured(t.lab)).filter((m) => m.protocol === 'sip' && m.kind === 'message');
      const conns = new Map((await t.lab['capture.connections']()).map((c) => [c.id, c]));
      expect(uac.code, uac.stdout + uac.stderr).toBe(0);
      const at = (start: string) => new Set(rows.filter((m) => m.dir === 'c2s' && m.summary.startsWith(start)).map((m) => conns.get(m.conn)?.server.name));
      // each request arrived at crepes.fr's proxy (from alice) and at hamburger.edu's (from crepes.fr's)
      for (const m of ['INVITE sip:bob@hamburger.edu', 'ACK', 'BYE']) expect([...at(m)].sort(), m).toEqual(['crepes.fr proxy', 'hamburger.edu proxy']);
      const fromProxy = rows.filter((m) => m.dir === 'c2s' && m.summary.startsWith('INVITE') && conns.get(m.conn)?.server.name === 'hamburger.edu proxy');
      expect(fromProxy.length).toBeGreaterThanOrEqual(3);
      expect(conns.get(fromProxy[0].conn)?.client.name).toBe('crepes.fr proxy');
      // the two Record-Routes the uas echoed came back to sipp, which routed ACK and BYE by them
      expect(rows.filter((m) => m.summary.startsWith('200 OK') && m.dir === 's2c').length).toBeGreaterThanOrEqual(12);
    } finally {
      uas.kill('SIGTERM');
    }
  });

  it('by hand: an INVITE typed into nc -u reaches bob with three Vias and two Record-Routes; 100 and 180 come back to nc', async () => {
    register(bob, 'bob@hamburger.edu', bob.port, 'reg2');
    await bob.next(status(200), 'bob registered');
    const invite = 'INVITE sip:bob@hamburger.edu SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKhand9;rport\r\nMax-Forwards: 70\r\nFrom: <sip:alice@crepes.fr>;tag=9\r\nTo: <sip:bob@hamburger.edu>\r\nCall-ID: byhand9\r\nCSeq: 1 INVITE\r\nContact: <sip:alice@127.0.0.1:5999>\r\nContent-Length: 0\r\n\r\n';
    const nc = spawn('nc', ['-u', '-w3', '127.0.0.1', String(sip)]);
    let out = '';
    nc.stdout.on('data', (d) => (out += d));
    nc.stdin.write(invite);
    const got = await bob.next(method('INVITE'), 'INVITE at bob');
    const vias = headerValues(got, 'Via');
    expect(vias).toHaveLength(3);
    expect(vias[2]).toMatch(/^SIP\/2\.0\/UDP 127\.0\.0\.1:5999;branch=z9hG4bKhand9;rport=\d+;received=127\.0\.0\.1$|^SIP\/2\.0\/UDP 127\.0\.0\.1:5999;branch=z9hG4bKhand9;rport=\d+$/);
    expect(headerValues(got, 'Record-Route')).toHaveLength(2);
    // bob answers where the top Via says: hamburger.edu's proxy, which passes it to crepes.fr's, which passes it to nc
    const top = parseVia(vias[0])!;
    const head = got.headers.filter(([n]) => n === 'Via' || n === 'Record-Route' || n === 'From' || n === 'Call-ID' || n === 'CSeq').map(([n, v]) => `${n}: ${v}`).join('\n');
    bob.send(`SIP/2.0 180 Ringing\n${head}\nTo: <sip:bob@hamburger.edu>;tag=b9\nContent-Length: 0\n\n`, top.port!);
    const until = Date.now() + 3000;
    while (!out.includes('180 Ringing') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    nc.kill();
    expect(out).toContain('SIP/2.0 100 Trying');
    expect(out).toContain('SIP/2.0 180 Ringing');
    const ringing = out.slice(out.indexOf('SIP/2.0 180'));
    expect(ringing.match(/^Via:/gm)).toHaveLength(1);
    expect(ringing.match(/^Record-Route:/gm)).toHaveLength(2);
  });
});

/**
 * Real SIP clients against the lab's registrar and proxy: sipsak (Debian) registers a user
 * and pings with OPTIONS; sipp (Debian sip-tester) places calls through the proxy to a sipp
 * answering as bob, the whole INVITE/100/180/200/ACK/BYE/200 exchange each time.
 */
import dgram from 'node:dgram';
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../helpers/proc';
import { captured, labForFile } from '../../helpers/lab';
import { status, TestUa } from './sip-ua-helper';

const t = labForFile();
let sip = 0;

/** sipsak 0.9.8 cuts a five-digit port in its Request-URI: the proxy gets a four-digit one */
async function fourDigitPort(): Promise<number> {
  for (let p = 5061 + Math.floor(Math.random() * 4000); ; p++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(p, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return p;
  }
}

beforeAll(async () => {
  const info = await t.lab['services.configure']('sip', { port: await fourDigitPort() });
  expect(info.state).toBe('running');
  sip = info.port;
});

describe('real SIP clients', () => {
  it('sipsak registers alice (usrloc mode) and gets 200 to OPTIONS', async () => {
    const reg = await run('sipsak', ['-U', '-i', '-C', 'sip:alice@127.0.0.1:5999', '-x', '60', '-s', `sip:alice@127.0.0.1:${sip}`, '-vv'], { timeoutMs: 15_000 });
    expect(reg.stdout).toMatch(/All usrloc tests completed successful/);
    expect(reg.code).toBe(0);
    const opt = await run('sipsak', ['-vv', '-s', `sip:127.0.0.1:${sip}`], { timeoutMs: 15_000 });
    expect(opt.stdout).toMatch(/SIP\/2\.0 200 OK/);
    expect(opt.stdout).toMatch(/Allow: INVITE/);
    // the binding is in the registrar: a call to alice@crepes.fr now goes to 127.0.0.1:5999
    const ua = await new TestUa().open();
    try {
      ua.send(`REGISTER sip:crepes.fr SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:${ua.port};branch=z9hG4bKq1\nFrom: <sip:alice@crepes.fr>;tag=1\nTo: <sip:alice@crepes.fr>\nCall-ID: q1\nCSeq: 1 REGISTER\nContent-Length: 0\n\n`, sip);
      const r = await ua.next(status(200), 'the bindings');
      expect(r.headers.some(([n, v]) => n === 'Contact' && v.includes('127.0.0.1:5999'))).toBe(true);
    } finally {
      ua.close();
    }
  });

  it('sipp places calls through the proxy to a sipp answering as bob', async () => {
    const uasPort = await fourDigitPort();
    const uas = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(uasPort), '-nostdin'], { stdio: 'ignore' });
    try {
      // bob's phone is the sipp uas: register its contact
      const ua = await new TestUa().open();
      ua.send(`REGISTER sip:hamburger.edu SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:${ua.port};branch=z9hG4bKb1\nFrom: <sip:bob@hamburger.edu>;tag=1\nTo: <sip:bob@hamburger.edu>\nCall-ID: b1\nCSeq: 1 REGISTER\nContact: <sip:bob@127.0.0.1:${uasPort}>\nExpires: 60\nContent-Length: 0\n\n`, sip);
      await ua.next(status(200), 'bob registered');
      ua.close();
      const uac = await run('sipp', ['-sn', 'uac', `127.0.0.1:${sip}`, '-s', 'bob', '-i', '127.0.0.1', '-m', '5', '-r', '5', '-nostdin', '-timeout', '20s', '-timeout_error'], { timeoutMs: 30_000 });
      expect(uac.code, uac.stdout + uac.stderr).toBe(0);
      t.lab.store.flush();
      const rows = (await captured(t.lab)).filter((m) => m.protocol === 'sip' && m.kind === 'message');
      expect(rows.filter((m) => m.dir === 'c2s' && m.summary.startsWith('INVITE sip:bob@127.0.0.1')).length).toBeGreaterThanOrEqual(5);
      expect(rows.filter((m) => m.summary.startsWith('180 Ringing')).length).toBeGreaterThanOrEqual(10); // in from bob, out to the caller
      expect(rows.filter((m) => m.summary.startsWith('BYE')).length).toBeGreaterThanOrEqual(10);
    } finally {
      uas.kill('SIGTERM');
    }
  });
});

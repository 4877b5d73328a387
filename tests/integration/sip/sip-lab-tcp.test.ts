/**
 * The SIP lab's check with `transport: tcp` (resources/labs/sip.yaml, task call-tcp): a call
 * placed by sipp over UDP through the proxy leaves it open — while the lab's other call check
 * (BYE answered 200, any transport) passes from that same call — and the same call placed
 * with `sipp -t t1` passes it, its evidence on a TCP connection of the proxy's front door.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import type { LabCheckPassed } from '../../../src-main/lab/api';
import { run } from '../../helpers/proc';
import { labForFile, waitFor } from '../../helpers/lab';
import { status, TestUa } from './sip-ua-helper';

const t = labForFile();

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('the SIP lab, a call over TCP', () => {
  it('sipp over UDP leaves the TCP check open; sipp -t t1 passes it', async () => {
    const lab = t.lab;
    const sip = t.port('sip');
    const passed: LabCheckPassed[] = [];
    lab.on('labs.passed', (p) => passed.push(p));
    await lab['labs.open']('shipped', 'sip.yaml');
    const uasPort = await freeUdpPort();
    const uas = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(uasPort), '-nostdin'], { stdio: 'ignore' });
    try {
      const ua = await new TestUa().open();
      ua.send(`REGISTER sip:hamburger.edu SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:${ua.port};branch=z9hG4bKlt1\nFrom: <sip:bob@hamburger.edu>;tag=1\nTo: <sip:bob@hamburger.edu>\nCall-ID: lt1\nCSeq: 1 REGISTER\nContact: <sip:bob@127.0.0.1:${uasPort}>\nExpires: 60\nContent-Length: 0\n\n`, sip);
      await ua.next(status(200), 'bob registered');
      ua.close();
      await new Promise((r) => setTimeout(r, 300)); // the uas listening

      const udp = await run('sipp', ['-sn', 'uac', `127.0.0.1:${sip}`, '-s', 'bob', '-i', '127.0.0.1', '-m', '1', '-nostdin', '-timeout', '20s', '-timeout_error'], { timeoutMs: 30_000 });
      expect(udp.code, udp.stdout + udp.stderr).toBe(0);
      // the session saw the whole UDP call (its BYE and 200 passed the call task's check) …
      await waitFor(() => passed.find((p) => p.check === 'bye'), 'the bye check from the call over UDP');
      // … and the TCP check stays open
      expect(passed.find((p) => p.check === 'invite-tcp')).toBeUndefined();
      const open = (await lab['labs.status']())!.tasks.find((x) => x.id === 'call-tcp')!.checks.find((c) => c.id === 'invite-tcp')!;
      expect(open.passed).toBe(false);

      const tcp = await run('sipp', ['-sn', 'uac', '-t', 't1', `127.0.0.1:${sip}`, '-s', 'bob', '-i', '127.0.0.1', '-m', '1', '-nostdin', '-timeout', '20s', '-timeout_error'], { timeoutMs: 30_000 });
      expect(tcp.code, tcp.stdout + tcp.stderr).toBe(0);
      const hit = await waitFor(() => passed.find((p) => p.check === 'invite-tcp'), 'the TCP check from the call over TCP');
      expect(hit.task).toBe('call-tcp');
      const first = await lab['capture.detail'](hit.evidence[0]);
      expect(first?.summary).toMatch(/^INVITE /);
      expect(first?.connection?.transport).toBe('tcp');
    } finally {
      uas.kill('SIGTERM');
    }
  }, 60_000);
});

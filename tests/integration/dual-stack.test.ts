/**
 * Every lab service answers on ::1 as well as 127.0.0.1 (issue 13 item 3): on stock Debian
 * and Ubuntu, `localhost` is ::1 first, so the README's `nc -u localhost 12000` and
 * `dig @localhost` go there. Each protocol is asked by a real client over IPv6.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src-main/lab/lab';
import { startLab } from '../helpers/lab';
import { PYTHON, run } from '../helpers/proc';

let lab: Lab;
let port: (id: string) => number;
beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(() => lab.shutdown());

const byProtocol = (protocol: string) => lab.services.filter((s) => s.protocol === protocol && s.state === 'running');

describe('IPv6 loopback', () => {
  it('lists 127.0.0.1 and ::1 for every running service, in the API and the terminal', async () => {
    const running = (await lab['services.list']()).filter((s) => s.state === 'running');
    expect(running.length).toBeGreaterThan(8);
    // the DHT ring's peers each listen on their own loopback address (127.0.0.2, …), as swarm peers do
    for (const s of running.filter((x) => x.id !== 'dht')) expect(s.addresses, s.id).toEqual(['127.0.0.1', '::1']);
    const dht = running.find((x) => x.id === 'dht');
    for (const a of dht?.addresses ?? []) expect(a).toMatch(/^127\./);
  });

  it('accepts a TCP connection on [::1] at every TCP port, the capture showing ::1 at both ends', async () => {
    const tcpPorts = lab.services.filter((s) => s.state === 'running' && (s.transport === 'tcp' || s.alsoTcp)).map((s) => s.port);
    for (const p of tcpPorts) {
      await new Promise<void>((resolve, reject) => {
        const s = net.connect(p, '::1', () => {
          s.destroy();
          resolve();
        });
        s.on('error', (e) => reject(new Error(`[::1]:${p}: ${e.message}`)));
      });
    }
    const conns = await lab['capture.connections']();
    const v6 = conns.filter((c) => c.client.address === '::1');
    expect(v6.length).toBeGreaterThanOrEqual(tcpPorts.length);
    for (const c of v6) expect(c.server.address).toBe('::1');
  });

  it('echoes in capitals to nc -6 over UDP and TCP', async () => {
    const udp = await run('nc', ['-6', '-u', '-w', '1', '::1', String(port('echo-udp'))], { input: 'hello over six\n' });
    expect(udp.stdout).toBe('HELLO OVER SIX\n');
    const tcp = await run('nc', ['-6', '-N', '::1', String(port('echo-tcp'))], { input: 'hello over six\n' });
    expect(tcp.stdout).toBe('HELLO OVER SIX\n');
  });

  it('answers dig @::1 over UDP and TCP', async () => {
    const local = lab.services.find((s) => s.id === 'dns-local') ?? byProtocol('dns')[0];
    for (const tcp of [false, true]) {
      const r = await run('dig', ['@::1', '-p', String(local.port), ...(tcp ? ['+tcp'] : []), '+short', 'gaia.cs.umass.edu', 'A']);
      expect(r.stdout.trim(), r.stderr).toBe('128.119.40.205');
    }
  });

  it('serves curl over http://[::1] and through the proxy on [::1]', async () => {
    const page = await run('curl', ['-sg', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Host: gaia.cs.umass.edu', `http://[::1]:${port('http')}/wireshark-labs/HTTP-wireshark-file1.html`]);
    expect(page.stdout).toBe('200');
    const proxied = await run('curl', ['-sg', '-o', '/dev/null', '-w', '%{http_code}', '-x', `http://[::1]:${port('proxy')}`, 'http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html']);
    expect(proxied.stdout).toBe('200');
  });

  it('takes mail over SMTP and gives it back over POP3 on ::1 (python3 smtplib, poplib)', async () => {
    const mx = byProtocol('smtp').find((s) => s.id !== 'submission') ?? byProtocol('smtp')[0];
    const script = [
      'import smtplib, poplib, sys',
      `s = smtplib.SMTP('::1', ${mx.port}, timeout=10)`,
      'code, _ = s.ehlo("crepes.fr")',
      'print("ehlo", code)',
      's.quit()',
      `p = poplib.POP3('::1', ${port('pop3')}, timeout=10)`,
      'print(p.user("bob").decode())',
      'print(p.pass_("hungry").decode())',
      'p.quit()',
    ].join('\n');
    const r = await run(PYTHON, ['-c', script]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ehlo 250$/m);
    expect(r.stdout).toMatch(/^\+OK.*\n\+OK/m);
  });

  it('answers a tracker announce on [::1]', async () => {
    const hash = '%AA'.repeat(20);
    const r = await run('curl', ['-sg', `http://[::1]:${port('tracker')}/announce?info_hash=${hash}&peer_id=-NL0001-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=0&compact=1`]);
    expect(r.stdout).toMatch(/^d.*(interval|failure reason)/);
  });
});

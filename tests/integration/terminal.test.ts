/** The lab terminal as a student uses it: telnet and nc typed at the prompt, real sockets behind. */
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src-main/lab/lab';
import { captured, startLab, waitFor } from '../helpers/lab';
import { openTerminal as openLabTerminal } from '../helpers/terminal';

let lab: Lab;
let port: (id: string) => number;
beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(() => lab.shutdown());

const openTerminal = () => openLabTerminal(lab);

describe('lab terminal', () => {
  it('greets with a prompt and explains itself on help', async () => {
    const t = await openTerminal();
    await t.expect('netlab>');
    await t.type('help\r');
    await t.expect('nc -u HOST PORT');
    await t.close();
  });

  it('services names each port with its transports: the DNS servers answer on UDP and TCP alike', async () => {
    const t = await openTerminal();
    await t.expect('netlab>');
    const m = t.mark();
    await t.type('services\r');
    await t.expect(`UDP+TCP ${port('dns-local')}`, m);
    await t.expect(`TCP ${port('echo-tcp')}`, m);
    expect(t.screen().slice(m)).toMatch(new RegExp(`UDP ${port('echo-udp')} +running`));
    // and it is true: a DNS query over TCP on that port is answered (RFC 7766 framing)
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const query = dnsPacket.streamEncode({ type: 'query', id: 0x1234, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'gaia.cs.umass.edu' }] });
      const s = net.connect(port('dns-local'), '127.0.0.1', () => s.write(query));
      let got = Buffer.alloc(0);
      s.on('data', (d) => {
        got = Buffer.concat([got, d]);
        if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
          s.destroy();
          resolve(got);
        }
      });
      s.on('error', reject);
    });
    const answer = dnsPacket.streamDecode(reply);
    expect(answer.id).toBe(0x1234);
    expect(answer.answers?.map((a) => ('data' in a ? a.data : undefined))).toContain('128.119.40.205');
    await t.close();
  });

  it('telnet to the TCP echo: hello comes back HELLO and the server closes, as in the textbook', async () => {
    const t = await openTerminal();
    await t.type(`telnet 127.0.0.1 ${port('echo-tcp')}\r`);
    await t.expect("Escape character is '^]'.");
    const m = t.mark();
    await t.type('hello\r');
    await t.expect('HELLO', m);
    await t.expect('Connection closed by foreign host.', m);
    await t.expect('netlab>', m);
    // the line was sent with CRLF, as telnet does
    const msgs = await waitFor(async () => {
      const all = await captured(lab);
      return all.some((x) => x.kind === 'message' && x.summary === 'HELLO\\r\\n') && all;
    }, 'the reply in the capture');
    expect(msgs.some((x) => x.kind === 'message' && x.dir === 'c2s' && x.summary === 'hello\\r\\n')).toBe(true);
    await t.close();
  });

  it('telnet by lab name shows the virtual host in the capture and Ctrl-] close leaves', async () => {
    await lab['services.configure']('echo-tcp', { mode: 'persistent' });
    const t = await openTerminal();
    await t.type(`telnet gaia.cs.umass.edu ${port('echo-tcp')}\r`);
    await t.expect('Trying 128.119.40.205...');
    await t.expect('Connected to gaia.cs.umass.edu');
    let m = t.mark();
    await t.type('one\r');
    await t.expect('ONE', m);
    m = t.mark();
    await t.type('two\r');
    await t.expect('TWO', m);
    m = t.mark();
    await t.type('\x1d');
    await t.expect('telnet> ', m);
    await t.type('close\r');
    await t.expect('Connection closed.', m);
    await t.expect('netlab>', m);
    const conns = await lab['capture.connections']();
    const conn = conns.reverse().find((c) => c.server.name === 'gaia.cs.umass.edu');
    expect(conn?.server).toMatchObject({ virtualAddress: '128.119.40.205', address: '127.0.0.1' });
    expect(conn?.client.name).toBe(`terminal ${t.session}`);
    await lab['services.configure']('echo-tcp', { mode: 'textbook' });
    await t.close();
  });

  it('a line typed before nc has connected waits and goes to the server, as a tty keeps type-ahead', async () => {
    const t = await openTerminal();
    const m = t.mark();
    // one write: the sentence reaches the session while nc is still connecting
    await t.type(`nc localhost ${port('echo-tcp')}\rkeyboards are enough\r`);
    await t.expect('KEYBOARDS ARE ENOUGH', m);
    await t.expect('netlab>', m);
    // Ctrl-C while connecting still leaves at once and drops what was typed after it
    const m2 = t.mark();
    await t.type(`nc localhost ${port('echo-tcp')}\r\x03`);
    await t.expect('netlab>', m2);
    await t.close();
  });

  it('nc -u sends each line as one datagram and prints the reply; Ctrl-C leaves', async () => {
    const t = await openTerminal();
    await t.type(`nc -u localhost ${port('echo-udp')}\r`);
    await new Promise((r) => setTimeout(r, 100));
    let m = t.mark();
    await t.type('ping\r');
    await t.expect('PING', m);
    m = t.mark();
    await t.type('pong\r');
    await t.expect('PONG', m);
    m = t.mark();
    await t.type('\x03');
    await t.expect('netlab>', m);
    await t.close();
  });

  it('says clearly when a connection is refused, a host unknown, a port bad', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const free = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const t = await openTerminal();
    let m = t.mark();
    await t.type(`telnet localhost ${free}\r`);
    await t.expect('telnet: Unable to connect to remote host: Connection refused', m);
    m = t.mark();
    await t.type(`nc 127.0.0.1 ${free}\r`);
    await t.expect(`nc: connect to 127.0.0.1 port ${free} (tcp) failed: Connection refused`, m);
    m = t.mark();
    await t.type('telnet www.nowhere.example 80\r');
    await t.expect('could not resolve www.nowhere.example', m);
    m = t.mark();
    await t.type('telnet 8.8.8.8 53\r');
    await t.expect('outside the lab', m);
    m = t.mark();
    await t.type('telnet localhost 0\r');
    await t.expect("bad port '0'", m);
    // after all that, the terminal still works
    m = t.mark();
    await t.type(`telnet localhost ${port('echo-tcp')}\r`);
    await t.expect('Connected to localhost', m);
    await t.type('ok\r');
    await t.expect('OK', m);
    await t.close();
  });

  it("a lab host's well-known port with no lab server is refused by the lab, which says where that port answers (K&R §2.3.1)", async () => {
    const t = await openTerminal();
    let m = t.mark();
    // the textbook's session greets "220 hamburger.edu"; hamburger.edu's mail goes to its MX
    await t.type('telnet hamburger.edu 25\r');
    await t.expect('telnet: Unable to connect to remote host: Connection refused', m);
    await t.expect('try `telnet mail.hamburger.edu 25`', m);
    const said = t.screen().slice(m);
    expect(said).toContain('Trying 192.0.2.30...');
    expect(said).toContain('hamburger.edu (192.0.2.30) runs no lab server on port 25.');
    // nc's own words, and no line of a server on this machine's port 25
    m = t.mark();
    await t.type('nc 192.0.2.30 25\r');
    await t.expect('nc: connect to 192.0.2.30 port 25 (tcp) failed: Connection refused', m);
    await t.expect('try `nc mail.hamburger.edu 25`', m);
    // the hint's line works
    m = t.mark();
    await t.type('telnet mail.hamburger.edu 25\r');
    await t.expect('220 hamburger.edu', m);
    await t.type('QUIT\r');
    await t.expect('221', m);
    await t.expect('netlab>', m);
    // a port no lab host serves: the hint says so; ports from 1024 up still reach loopback
    m = t.mark();
    await t.type('telnet gaia.cs.umass.edu 7\r');
    await t.expect('No lab server answers on port 7 now', m);
    m = t.mark();
    await t.type(`telnet gaia.cs.umass.edu ${port('echo-tcp')}\r`);
    await t.expect('Connected to gaia.cs.umass.edu', m);
    await t.type('ok\r');
    await t.expect('OK', m);
    await t.close();
  });

  it('recalls history with the up arrow', async () => {
    const t = await openTerminal();
    await t.type('hosts\r');
    await t.expect('gaia.cs.umass.edu');
    const m = t.mark();
    await t.type('\x1b[A\r');
    await t.expect('gaia.cs.umass.edu', m);
    await t.close();
  });

  it('captures traffic to a port that is not a lab service on the terminal side', async () => {
    const server = net.createServer((s) => s.end('220 not a lab service\r\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const p = (server.address() as net.AddressInfo).port;
    const t = await openTerminal();
    const m = t.mark();
    await t.type(`telnet localhost ${p}\r`);
    await t.expect('220 not a lab service', m);
    const msgs = await waitFor(async () => {
      const all = await captured(lab);
      return all.some((x) => x.service === 'terminal' && x.dir === 's2c' && x.kind === 'message') && all;
    }, 'terminal-side capture');
    expect(msgs.find((x) => x.service === 'terminal' && x.kind === 'message')?.summary).toBe('220 not a lab service\\r\\n');
    server.close();
    await t.close();
  });

  it('pauses a flooding connection until the screen catches up (flow control)', async () => {
    const MB = 1024 * 1024;
    const server = net.createServer((s) => s.end(Buffer.alloc(MB, 'x')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const p = (server.address() as net.AddressInfo).port;
    let received = 0;
    const { session } = await lab['terminal.open']({ cols: 80, rows: 24 });
    const off = lab.on('terminal.output', (o) => {
      if (o.session === session) received += o.data.length;
    });
    await lab['terminal.input'](session, `nc localhost ${p}\r`);
    await new Promise((r) => setTimeout(r, 500));
    // nothing acknowledged: the lab stopped reading after about 100,000 characters
    expect(received).toBeGreaterThan(50_000);
    expect(received).toBeLessThan(400_000);
    // the screen acknowledges what it wrote, and the rest flows
    await waitFor(async () => {
      await lab['terminal.ack'](session, received);
      return received >= MB;
    }, 'the whole megabyte after acknowledgements', 10_000);
    off();
    server.close();
    await lab['terminal.close'](session);
  });
});

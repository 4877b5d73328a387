/** The echo services against real clients: nc (Debian netcat-openbsd) and python3 sockets. */
import net from 'node:net';
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src-main/lab/lab';
import { captured, startLab, waitFor } from '../helpers/lab';
import { PYTHON, run } from '../helpers/proc';

let lab: Lab;
let port: (id: string) => number;
beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(() => lab.shutdown());

function tcpExchange(p: number, data: string | Buffer, opts: { waitClose?: boolean; ms?: number } = {}): Promise<{ reply: Buffer; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let closedByServer = false;
    let weEnded = false;
    const s = net.connect(p, '127.0.0.1', () => s.write(data));
    s.on('data', (d) => chunks.push(d));
    s.on('end', () => (closedByServer = !weEnded));
    s.on('error', reject);
    s.on('close', () => resolve({ reply: Buffer.concat(chunks), closedByServer }));
    if (!opts.waitClose) {
      setTimeout(() => {
        weEnded = true;
        s.end();
      }, opts.ms ?? 300);
    }
  });
}

describe('TCP echo', () => {
  it('answers nc in capitals and closes, as the textbook TCPServer does', async () => {
    const r = await run('nc', ['-N', '127.0.0.1', String(port('echo-tcp'))], { input: 'hello, lab\n' });
    expect(r.stdout).toBe('HELLO, LAB\n');
  });

  it('answers python3 sockets as the textbook TCPClient uses them', async () => {
    const code = `
from socket import *
s = socket(AF_INET, SOCK_STREAM)
s.connect(('127.0.0.1', ${port('echo-tcp')}))
s.send('the quick brown fox'.encode())
print(s.recv(1024).decode())
print(repr(s.recv(1024)))
`;
    const r = await run(PYTHON, ['-c', code]);
    expect(r.stdout).toBe("THE QUICK BROWN FOX\nb''\n");
  });

  it('keeps the connection open in persistent mode', async () => {
    await lab['services.configure']('echo-tcp', { mode: 'persistent' });
    try {
      const { reply, closedByServer } = await tcpExchange(port('echo-tcp'), 'one\ntwo\n', { ms: 300 });
      expect(reply.toString()).toBe('ONE\nTWO\n');
      expect(closedByServer).toBe(false);
    } finally {
      await lab['services.configure']('echo-tcp', { mode: 'textbook' });
    }
  });

  it('captures both chunks and framed messages, with open and close notes', async () => {
    await lab['capture.clear']();
    await run('nc', ['-N', '127.0.0.1', String(port('echo-tcp'))], { input: 'abc\n' });
    const msgs = await waitFor(async () => {
      const all = await captured(lab);
      return all.some((m) => m.summary === 'connection closed') && all;
    }, 'the connection to close in the capture');
    // each read delivered one whole line: one record stands for the chunk and the message
    const shape = msgs.filter((m) => m.kind !== 'event').map((m) => `${m.kind}${m.whole ? ' (whole)' : ''} ${m.dir} ${m.summary}`);
    expect(shape).toEqual(['message (whole) c2s abc\\n', 'message (whole) s2c ABC\\n']);
    expect(msgs[0]).toMatchObject({ kind: 'event', service: 'echo-tcp', transport: 'tcp' });
    const conns = await lab['capture.connections']();
    const conn = conns.find((c) => c.id === msgs[0].conn)!;
    expect(conn.server.port).toBe(port('echo-tcp'));
    expect(conn.closed).toBeGreaterThan(conn.opened);
  });

  it('reads one recv(1024) of a 1 MB line, notes the rest, and keeps serving', async () => {
    await lab['capture.clear']();
    const big = Buffer.alloc(1024 * 1024, 0x61);
    const { reply } = await tcpExchange(port('echo-tcp'), big, { waitClose: true });
    expect(reply.length).toBeGreaterThan(0);
    expect(reply.length).toBeLessThanOrEqual(1024);
    expect(reply.every((c) => c === 0x41)).toBe(true);
    const notes = (await captured(lab)).filter((m) => m.kind === 'event').map((m) => m.summary);
    expect(notes.some((n) => n.includes('recv(1024)'))).toBe(true);
    const r = await run('nc', ['-N', '127.0.0.1', String(port('echo-tcp'))], { input: 'still here\n' });
    expect(r.stdout).toBe('STILL HERE\n');
  });

  it('passes binary garbage through, changing only ASCII letters', async () => {
    const garbage = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x61, 0x7a, 0x0d, 0x0a]);
    const { reply } = await tcpExchange(port('echo-tcp'), garbage, { waitClose: true });
    expect([...reply]).toEqual([0, 1, 2, 0xff, 0xfe, 0x41, 0x5a, 0x0d, 0x0a]);
  });

  it('a half-open client does not stop others from being served', async () => {
    const idle = net.connect(port('echo-tcp'), '127.0.0.1');
    await new Promise((r) => idle.once('connect', r));
    const r = await run('nc', ['-N', '127.0.0.1', String(port('echo-tcp'))], { input: 'next\n' });
    expect(r.stdout).toBe('NEXT\n');
    idle.destroy();
  });

  it('stops and restarts: a stopped service refuses, a restarted one answers', async () => {
    await lab['services.stop']('echo-tcp');
    const refused = await new Promise<string>((resolve) => {
      const s = net.connect(port('echo-tcp'), '127.0.0.1');
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? ''));
      s.on('connect', () => resolve('connected'));
    });
    expect(refused).toBe('ECONNREFUSED');
    const info = await lab['services.start']('echo-tcp');
    expect(info.state).toBe('running');
    const r = await run('nc', ['-N', '127.0.0.1', String(port('echo-tcp'))], { input: 'back\n' });
    expect(r.stdout).toBe('BACK\n');
  });
});

describe('UDP echo', () => {
  it('answers nc -u datagrams in capitals', async () => {
    const r = await run('nc', ['-u', '-w', '1', '127.0.0.1', String(port('echo-udp'))], { input: 'datagram\n' });
    expect(r.stdout).toBe('DATAGRAM\n');
  });

  it('answers python3 as the textbook UDPClient uses it', async () => {
    const code = `
from socket import *
s = socket(AF_INET, SOCK_DGRAM)
s.settimeout(3)
s.sendto('hello udp'.encode(), ('127.0.0.1', ${port('echo-udp')}))
m, a = s.recvfrom(2048)
print(m.decode())
`;
    const r = await run(PYTHON, ['-c', code]);
    expect(r.stdout).toBe('HELLO UDP\n');
  });

  it('loses datagrams under loss emulation, and the capture shows each loss', async () => {
    await lab['services.configure']('echo-udp', { link: { lossRate: 0.5 } });
    await lab['capture.clear']();
    const sock = dgram.createSocket('udp4');
    const replies: string[] = [];
    sock.on('message', (m) => replies.push(m.toString()));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const N = 200;
    for (let i = 0; i < N; i++) sock.send(`m${i}`, port('echo-udp'), '127.0.0.1');
    await new Promise((r) => setTimeout(r, 500));
    sock.close();
    await lab['services.configure']('echo-udp', { link: { lossRate: 0 } });
    // each datagram crosses the lossy link twice: about a quarter come back
    expect(replies.length).toBeGreaterThan(N * 0.1);
    expect(replies.length).toBeLessThan(N * 0.45);
    const losses = (await captured(lab)).filter((m) => m.kind === 'event' && m.summary.includes('lost by link emulation'));
    expect(losses.length).toBe(N - replies.length);
  });

  it('reorders datagrams under reorder emulation', async () => {
    await lab['services.configure']('echo-udp', { link: { reorderRate: 0.3, delayMs: 5 } });
    const sock = dgram.createSocket('udp4');
    const replies: number[] = [];
    sock.on('message', (m) => replies.push(Number(m.toString().slice(1))));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    for (let i = 0; i < 100; i++) sock.send(`m${i}`, port('echo-udp'), '127.0.0.1');
    await waitFor(() => replies.length === 100, 'all replies', 5000);
    sock.close();
    await lab['services.configure']('echo-udp', { link: { reorderRate: 0, delayMs: 0 } });
    expect(replies).not.toEqual([...replies].sort((a, b) => a - b));
    expect([...replies].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
  });
});

describe('a taken port', () => {
  it('is a clear message naming the port, and the other services keep running', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const info = await lab['services.configure']('echo-tcp', { port: taken });
      expect(info.state).toBe('error');
      expect(info.error).toContain(`port ${taken} (TCP) is already in use`);
      expect(info.error).toContain('another port');
      const udp = (await lab['services.list']()).find((s) => s.id === 'echo-udp');
      expect(udp?.state).toBe('running');
      const r = await run('nc', ['-u', '-w', '1', '127.0.0.1', String(port('echo-udp'))], { input: 'alive\n' });
      expect(r.stdout).toBe('ALIVE\n');
    } finally {
      blocker.close();
      const info = await lab['services.configure']('echo-tcp', { port: 0 });
      expect(info.state).toBe('running');
    }
  });
});

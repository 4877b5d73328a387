/** FTP against bad input on raw sockets: each gets its textbook reply, the server keeps serving, stored files stay whole. */
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { FtpService } from '../../../src-main/lab/ftp/ftp-service';
import { MAX_FTP_LINE, passivePort } from '../../../src-main/lab/ftp/ftp-codec';
import { startLab } from '../../helpers/lab';
import { Wire } from '../../helpers/mail-wire';
import { run } from '../../helpers/proc';

let lab: Lab;
let dataDir: string;
let port: (id: string) => number;
const home = (): string => path.join(dataDir, 'ftp', 'home', 'alice@crepes.fr');

async function login(user = 'alice', pass = 'hungry'): Promise<Wire> {
  const w = await Wire.open(port('ftp'));
  expect(await w.reply()).toMatch(/^220 /);
  expect(await w.cmd(`USER ${user}`)).toMatch(/^331 /);
  expect(await w.cmd(`PASS ${pass}`)).toMatch(/^230 /);
  return w;
}

/** PASV, then the command, reading what comes on the data connection */
async function passive(w: Wire, command: string): Promise<{ first: string; data: Buffer; last: string }> {
  const where = passivePort(await w.cmd('PASV'));
  if (!where) throw new Error('no passive port');
  const s = net.connect(where.port, '127.0.0.1');
  const chunks: Buffer[] = [];
  const closed = new Promise<void>((r) => s.on('close', () => r()));
  s.on('data', (d) => chunks.push(d));
  await new Promise((r) => s.once('connect', r));
  const first = await w.cmd(command);
  if (!/^1\d\d /.test(first)) {
    s.destroy();
    return { first, data: Buffer.alloc(0), last: first };
  }
  await closed;
  return { first, data: Buffer.concat(chunks), last: await w.reply() };
}

/** the service still answers a new client: list the home */
async function stillServing(): Promise<void> {
  const r = await run('curl', ['-sS', '--list-only', `ftp://alice:hungry@127.0.0.1:${port('ftp')}/`]);
  expect(r.stderr).toBe('');
  expect(r.stdout).toContain('keep.txt');
  expect(await fs.readFile(path.join(home(), 'keep.txt'), 'utf8')).toBe('precious\n');
}

beforeAll(async () => {
  ({ lab, dataDir, port } = await startLab());
  const w = await login();
  await w.cmd('TYPE I');
  const where = passivePort(await w.cmd('EPSV'));
  const s = net.connect(where!.port, '127.0.0.1');
  await new Promise((r) => s.once('connect', r));
  expect(await w.cmd('STOR keep.txt')).toMatch(/^125 /);
  s.end('precious\n');
  expect(await w.reply()).toMatch(/^226 /);
  w.close();
});
afterAll(() => lab.shutdown());

describe('FTP bad input', () => {
  it('an unknown command is 500, a command before login 530, PASS before USER and RNTO before RNFR 503', async () => {
    const w = await Wire.open(port('ftp'));
    await w.reply();
    expect(await w.cmd('FROB x')).toMatch(/^500 /);
    expect(await w.cmd('RETR keep.txt')).toMatch(/^530 /);
    expect(await w.cmd('PASS hungry')).toMatch(/^503 /);
    await w.cmd('USER alice');
    expect(await w.cmd('PASS hungry')).toMatch(/^230 /);
    expect(await w.cmd('RNTO x')).toMatch(/^503 /);
    expect(await w.cmd('TYPE X')).toMatch(/^504 /);
    expect(await w.cmd('NOOP')).toMatch(/^200 /);
    w.close();
    await stillServing();
  });

  it('RETR and CWD outside the root are refused with 550, whatever the path or a link says', async () => {
    await fs.symlink('/etc', path.join(home(), 'etc-link')).catch(() => undefined);
    const w = await login();
    for (const p of ['../../../../etc/hostname', '/etc/hostname', '../pub/README.txt', 'etc-link/hostname']) {
      const r = await passive(w, `RETR ${p}`);
      expect(r.first, p).toMatch(/^550 /);
      expect(r.data.length).toBe(0);
    }
    expect(await w.cmd('CWD ../../..')).toMatch(/^250 Directory changed to \/\./);
    expect(await w.cmd('PWD')).toMatch(/^257 "\/" /);
    expect(await w.cmd('CWD etc-link')).toMatch(/^550 /);
    expect(await w.cmd('DELE ../../../../tmp/x')).toMatch(/^550 /);
    w.close();
    await stillServing();
  });

  it('PORT to a non-loopback address or a privileged port is refused; a data connection that cannot open is 425', async () => {
    const w = await login();
    expect(await w.cmd('PORT 192,0,2,1,200,10')).toMatch(/^501 .*not a loopback address/);
    expect(await w.cmd('EPRT |1|10.0.0.1|5000|')).toMatch(/^501 /);
    expect(await w.cmd('PORT 127,0,0,1,0,21')).toMatch(/^501 .*privileged/);
    expect(await w.cmd('PORT 1,2,3')).toMatch(/^501 /);
    expect(await w.cmd('RETR keep.txt')).toMatch(/^425 Use PORT/);
    // a loopback port where nobody listens: the server cannot connect
    const closedPort = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    expect(await w.cmd(`PORT 127,0,0,1,${closedPort >> 8},${closedPort & 255}`)).toMatch(/^200 /);
    expect(await w.cmd('RETR keep.txt')).toMatch(/^425 Can't open data connection/);
    expect(await w.cmd('NOOP')).toMatch(/^200 /);
    w.close();
    await stillServing();
  });

  it('a line too long is 500 and the session goes on', async () => {
    const w = await login();
    expect(await w.cmd(`RETR ${'a'.repeat(MAX_FTP_LINE * 4)}`)).toMatch(/^500 Command line too long/);
    expect(await w.cmd('PWD')).toMatch(/^257 /);
    w.close();
    await stillServing();
  });

  it('a STOR over the size limit is 452 and the file it would replace stays whole', async () => {
    const ftp = lab.services.find((s): s is FtpService => s instanceof FtpService)!;
    const before = ftp.maxFileBytes;
    ftp.maxFileBytes = 1000;
    try {
      const w = await login();
      await w.cmd('TYPE I');
      const where = passivePort(await w.cmd('PASV'));
      const s = net.connect(where!.port, '127.0.0.1');
      s.on('error', () => undefined);
      await new Promise((r) => s.once('connect', r));
      expect(await w.cmd('STOR keep.txt')).toMatch(/^125 /);
      s.end(Buffer.alloc(50_000, 1));
      expect(await w.reply()).toMatch(/^452 /);
      expect(await w.cmd('SIZE keep.txt')).toBe('213 9\r\n');
      w.close();
    } finally {
      ftp.maxFileBytes = before;
    }
    expect((await fs.readdir(home())).filter((n) => n.startsWith('.ftp-upload'))).toEqual([]);
    await stillServing();
  });

  it('anonymous reads the public area and may not write to it', async () => {
    const w = await login('anonymous', 'student@someschool.edu');
    expect(await w.cmd('MKD x')).toMatch(/^550 /);
    expect(await w.cmd('DELE README.txt')).toMatch(/^550 /);
    expect((await passive(w, 'STOR new.txt')).first).toMatch(/^550 /);
    const r = await passive(w, 'NLST');
    expect(r.data.toString()).toBe('README.txt\r\nrfc\r\n');
    expect(r.last).toMatch(/^226 /);
    w.close();
  });

  it('an idle control connection gets 421 and is closed; one half-sent line too (slowloris)', async () => {
    const ftp = lab.services.find((s): s is FtpService => s instanceof FtpService)!;
    const before = ftp.limits();
    ftp.setLimits({ idleMs: 300, requestMs: 300 });
    try {
      const idle = await login();
      expect(await idle.reply(3000)).toMatch(/^421 Timeout/);
      await idle.waitClosed();
      const slow = await login();
      slow.send('NOO');
      expect(await slow.reply(3000)).toMatch(/^421 Command line not completed/);
      await slow.waitClosed();
    } finally {
      ftp.setLimits(before);
    }
    await stillServing();
  });

  it('an HTTP request on the FTP port gets 500 and the connection closes', async () => {
    const w = await Wire.open(port('ftp'));
    await w.reply();
    w.send('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await w.reply()).toMatch(/^500 .*not a web server/);
    await w.waitClosed();
    await stillServing();
  });
});

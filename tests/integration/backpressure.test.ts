/**
 * Clients that send commands and never read the replies (issue 20, item 4): every lab TCP
 * service stops reading such a client once a bounded amount of replies waits to be sent,
 * so TCP's flow control holds the client back instead of the lab's memory growing with
 * what it sends. Measured by what the server holds: the reply bytes its sockets have not
 * sent (the service's unsentBytes()), while a raw client floods it. Once the client reads
 * again, every command is still answered.
 */
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src-main/lab/lab';
import { BACKLOG_HIGH } from '../../src-main/lab/capture/tcp-tap';
import { startLab, waitFor } from '../helpers/lab';
import { Wire } from '../helpers/mail-wire';

/** what a service may hold for one client: the high-water mark and one burst of replies past it */
const BOUND = BACKLOG_HIGH + 3 * 1024 * 1024;

let lab: Lab;
let port: (id: string) => number;

function unsent(id: string): number {
  const s = lab.services.find((x) => x.id === id) as unknown as { unsentBytes(): number };
  return s.unsentBytes();
}

interface Flood {
  socket: net.Socket;
  /** the most reply bytes the service held unsent while the client did not read */
  maxUnsent: number;
  /** bytes of commands the client got into the connection */
  sent: number;
}

/**
 * Write `payload` again and again (after `prelude`) without reading, up to `total` bytes or
 * until the server stops taking them (the client's own buffer stays full for 1.5 s); sample
 * the service's unsent replies meanwhile, and for a while after.
 */
async function flood(id: string, prelude: Buffer, payload: Buffer, total: number): Promise<Flood> {
  const socket = net.connect(port(id), '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise((r) => socket.once('connect', r));
  socket.pause(); // never read
  let maxUnsent = 0;
  const sample = setInterval(() => (maxUnsent = Math.max(maxUnsent, unsent(id))), 10);
  socket.write(prelude);
  let sent = 0;
  while (sent < total) {
    if (!socket.write(payload)) {
      const drained = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => resolve(false), 1500);
        socket.once('drain', () => {
          clearTimeout(t);
          resolve(true);
        });
      });
      if (!drained) break;
    }
    sent += payload.length;
  }
  // what was sent gets answered (or not) in the next moments: keep sampling until it has not
  // changed for a second
  let last = -1;
  for (let i = 0, still = 0; i < 300 && still < 10; i++) {
    still = unsent(id) === last ? still + 1 : 0;
    last = unsent(id);
    await new Promise((r) => setTimeout(r, 100));
  }
  clearInterval(sample);
  maxUnsent = Math.max(maxUnsent, unsent(id));
  return { socket, maxUnsent, sent: sent - socket.writableLength };
}

/** Read what the server sends from now on until `pattern` has been seen `times` times. */
async function readUntil(socket: net.Socket, pattern: RegExp, times: number, ms = 60_000): Promise<void> {
  let seen = 0;
  // a match may straddle two reads: look at the end of the previous one too
  let tail = '';
  const matches = (text: string): number => (text.match(pattern) ?? []).length;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`saw ${seen} of ${times} after ${ms} ms`)), ms);
    socket.on('data', (d: Buffer) => {
      const text = tail + d.toString('latin1');
      seen += matches(text) - matches(tail);
      tail = text.slice(-64);
      if (seen >= times) {
        clearTimeout(t);
        resolve();
      }
    });
    socket.resume();
  });
}

beforeAll(async () => {
  ({ lab, port } = await startLab());
}, 30_000);
afterAll(async () => {
  await lab.shutdown();
});

describe('a client that never reads the replies', () => {
  it('POP3: RETR of a 1 MB message pipelined 200 times holds about one reply, and all 200 arrive once the client reads', async () => {
    const w = await Wire.open(port('smtp-hamburger'));
    await w.reply();
    await w.cmd('HELO crepes.fr');
    await w.cmd('MAIL FROM:<alice@crepes.fr>');
    await w.cmd('RCPT TO:<bob@hamburger.edu>');
    await w.cmd('DATA');
    const line = `${'x'.repeat(98)}\r\n`;
    expect(await w.cmd(`Subject: big\r\n\r\n${line.repeat(10_000)}.`)).toMatch(/^250 /);
    await w.cmd('QUIT');
    await waitFor(async () => (await lab['mail.mailbox']('bob@hamburger.edu')).length === 1, 'the message in the Maildir');

    const f = await flood('pop3', Buffer.from('USER bob\r\nPASS hungry\r\n'), Buffer.from('RETR 1\r\n'.repeat(200)), 1600);
    expect(f.maxUnsent).toBeGreaterThan(0);
    expect(f.maxUnsent).toBeLessThan(BOUND);
    await readUntil(f.socket, /\r\n\.\r\n/g, 200);
    f.socket.destroy();
  }, 120_000);

  it('SMTP: a flood of HELO stops being read; the replies held stay bounded', async () => {
    const f = await flood('smtp', Buffer.alloc(0), Buffer.from('HELO x\r\n'.repeat(8192)), 16 * 1024 * 1024);
    expect(f.maxUnsent).toBeLessThan(BOUND);
    // it was a flood: the server held more than its high-water mark in replies at some point, or stopped reading
    expect(f.sent).toBeLessThan(16 * 1024 * 1024);
    f.socket.destroy();
  }, 120_000);

  it('DNS over TCP: pipelined queries stop being read; the replies held stay bounded', async () => {
    const query = dnsPacket.streamEncode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'gaia.cs.umass.edu' }] });
    const f = await flood('dns-local', Buffer.alloc(0), Buffer.concat(Array(2048).fill(query)), 16 * 1024 * 1024);
    expect(f.maxUnsent).toBeLessThan(BOUND);
    expect(f.sent).toBeLessThan(16 * 1024 * 1024);
    f.socket.destroy();
  }, 120_000);

  it('tracker: pipelined /scrape stops being read; the replies held stay bounded, and each is answered once the client reads', async () => {
    const request = Buffer.from('GET /scrape HTTP/1.1\r\nHost: t\r\n\r\n');
    const f = await flood('tracker', Buffer.alloc(0), Buffer.concat(Array(2048).fill(request)), 16 * 1024 * 1024);
    expect(f.maxUnsent).toBeLessThan(BOUND);
    expect(f.sent).toBeLessThan(16 * 1024 * 1024);
    const requests = Math.floor(f.sent / request.length);
    await readUntil(f.socket, /HTTP\/1\.1 200 OK/g, requests);
    f.socket.destroy();
  }, 120_000);

  it('HTTP: pipelined GETs stop being read; the replies held stay bounded', async () => {
    const request = Buffer.from('GET / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n');
    const f = await flood('http', Buffer.alloc(0), Buffer.concat(Array(512).fill(request)), 16 * 1024 * 1024);
    expect(f.maxUnsent).toBeLessThan(BOUND);
    expect(f.sent).toBeLessThan(16 * 1024 * 1024);
    f.socket.destroy();
  }, 120_000);
});

/**
 * Connection limits of the lab's TCP services (issue 20, item 6), against raw sockets with
 * short limits set on the running services (the defaults are a minute and more):
 *  - slowloris: a client sending a byte at a time, often enough to never be idle, is closed
 *    once its command line / request head is not complete in time, with the protocol's reply;
 *  - a per-service cap: the connection past it gets the protocol's refusal (SMTP 421, POP3
 *    -ERR, HTTP and tracker 503), DNS makes room by closing its longest-idle connection;
 *  - the tracker, which kept idle connections forever, closes them;
 *  - the process-wide descriptor budget refuses connections past it, on every service.
 * Each refusal and close is a note in the inspector.
 */
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src-main/lab/lab';
import type { TcpLimits } from '../../src-main/lab/services/tcp-listener';
import { descriptors } from '../../src-main/lab/services/descriptors';
import { captured, startLab, waitFor } from '../helpers/lab';

let lab: Lab;
let port: (id: string) => number;

function limit(id: string, patch: Partial<TcpLimits>): () => void {
  const s = lab.services.find((x) => x.id === id) as unknown as { setLimits(p: Partial<TcpLimits>): void; limits?: () => TcpLimits };
  const before = s.limits?.();
  s.setLimits(patch);
  return () => s.setLimits(before ?? { idleMs: 30_000, requestMs: 10_000, maxConnections: 256 });
}

interface Client {
  socket: net.Socket;
  text: () => string;
  closed: Promise<number>;
}

function connect(id: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    let text = '';
    const socket = net.connect(port(id), '127.0.0.1');
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    const closed = new Promise<number>((r) => socket.on('close', () => r(Date.now() - t0)));
    socket.once('connect', () => resolve({ socket, text: () => text, closed }));
    socket.once('error', reject);
  });
}

/** Send `text` one byte every `everyMs` (then start over), until the connection closes. */
function dribble(c: Client, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (c.socket.destroyed || !c.socket.writable) return clearInterval(timer);
    c.socket.write(text[i++ % text.length]);
  }, everyMs);
  void c.closed.then(() => clearInterval(timer));
}

async function notes(): Promise<string[]> {
  lab.store.flush();
  return (await captured(lab)).filter((m) => m.kind === 'event').map((m) => m.summary);
}

beforeAll(async () => {
  ({ lab, port } = await startLab());
}, 30_000);
afterAll(async () => {
  await lab.shutdown();
});

describe('a client that sends a byte at a time (slowloris)', () => {
  // idle after 1 s of silence; a byte every 250 ms is never idle, so only the deadline on
  // finishing the line (1.5 s) can close it
  const slow = { idleMs: 1000, requestMs: 1500 };

  it('SMTP: 421 once a command line is not complete in time; complete lines at the same pace keep the session', async () => {
    const undo = limit('smtp', slow);
    try {
      const [loris, polite] = await Promise.all([connect('smtp'), connect('smtp')]);
      dribble(loris, 'MAIL FROM:<alice@crepes.fr>', 250);
      const pings = setInterval(() => polite.socket.write('NOOP\r\n'), 250);
      const ms = await loris.closed;
      expect(ms).toBeGreaterThanOrEqual(1400);
      expect(ms).toBeLessThan(15_000);
      expect(loris.text()).toMatch(/\r\n421 mail\.crepes\.fr Timeout: a line not completed within 1\.5 s, closing transmission channel\r\n$/);
      // the polite client sent a byte as often, in whole lines: still served
      expect(polite.socket.destroyed).toBe(false);
      expect(polite.text()).toMatch(/250 OK\r\n$/);
      clearInterval(pings);
      polite.socket.destroy();
      expect(await notes()).toContain('a line not complete 1.5 s after its first byte (slowloris guard): the server closes the connection');
    } finally {
      undo();
    }
  }, 30_000);

  it('POP3: -ERR and close once a command line is not complete in time', async () => {
    const undo = limit('pop3', slow);
    try {
      const loris = await connect('pop3');
      dribble(loris, 'USER bob', 250);
      const ms = await loris.closed;
      expect(ms).toBeGreaterThanOrEqual(1400);
      expect(ms).toBeLessThan(15_000);
      expect(loris.text()).toMatch(/^\+OK POP3 server ready <[^>]+>\r\n-ERR command line not completed within 1\.5 s, signing off\r\n$/);
      expect(await notes()).toContain('a command line not complete 1.5 s after its first byte (slowloris guard): nothing deleted');
    } finally {
      undo();
    }
  }, 30_000);

  it('tracker: 408 once a request head is not complete in time', async () => {
    const undo = limit('tracker', slow);
    try {
      const loris = await connect('tracker');
      dribble(loris, 'GET /announce?info_hash=', 250);
      const ms = await loris.closed;
      expect(ms).toBeGreaterThanOrEqual(1400);
      expect(ms).toBeLessThan(15_000);
      expect(loris.text()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(await notes()).toContain('request head not complete within 1.5 s (slowloris guard): the tracker closes the connection');
    } finally {
      undo();
    }
  }, 30_000);
});

describe('the tracker closes idle connections', () => {
  it('a connection that sends nothing is closed after the idle time; one that keeps announcing is not', async () => {
    const undo = limit('tracker', { idleMs: 600 });
    try {
      const [idle, busy] = await Promise.all([connect('tracker'), connect('tracker')]);
      const scrapes = setInterval(() => busy.socket.write('GET /scrape HTTP/1.1\r\nHost: t\r\n\r\n'), 150);
      const ms = await idle.closed;
      expect(ms).toBeGreaterThanOrEqual(550);
      expect(ms).toBeLessThan(10_000);
      expect(busy.socket.destroyed).toBe(false);
      clearInterval(scrapes);
      busy.socket.destroy();
      expect(await notes()).toContain('idle for 0.6 s: the tracker closes the connection');
    } finally {
      undo();
    }
  }, 30_000);
});

describe('a cap on connections per service', () => {
  /** open `n` connections and wait until the service has them all */
  async function fill(id: string, n: number): Promise<Client[]> {
    const clients = await Promise.all(Array.from({ length: n }, () => connect(id)));
    const s = lab.services.find((x) => x.id === id);
    await waitFor(() => s?.connectionCount() === n, `${n} connections to ${id}`);
    return clients;
  }

  const refusals: [string, RegExp][] = [
    ['smtp', /^421 mail\.crepes\.fr 4\.3\.2 Too many connections, try again later, closing transmission channel\r\n$/],
    ['pop3', /^-ERR \[SYS\/TEMP\] too many connections, try again later\r\n$/],
    ['ftp', /^421 Too many connections, service not available; try again later\.\r\n$/],
    ['imap', /^\* BYE \[UNAVAILABLE\] too many connections, try again later\r\n$/],
    ['http', /^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*Retry-After: 5\r\n[\s\S]*Connection: close\r\n/],
    ['proxy', /^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*Retry-After: 5\r\n/],
    ['tracker', /^HTTP\/1\.1 503 Service Unavailable\r\nRetry-After: 10\r\n/],
  ];

  for (const [id, refusal] of refusals) {
    it(`${id}: the connection past the cap gets the protocol's refusal and is closed; the ones in are served`, async () => {
      const undo = limit(id, { maxConnections: 3 });
      try {
        const inside = await fill(id, 3);
        const extra = await connect(id);
        await extra.closed;
        expect(extra.text()).toMatch(refusal);
        expect(inside.every((c) => !c.socket.destroyed)).toBe(true);
        expect(await notes()).toContain('refused: 3 connections are open, this service\'s cap');
        // room again once one leaves
        inside[0].socket.destroy();
        const s = lab.services.find((x) => x.id === id);
        await waitFor(() => s?.connectionCount() === 2, 'one connection gone');
        const next = await connect(id);
        await new Promise((r) => setTimeout(r, 200));
        expect(next.socket.destroyed).toBe(false);
        for (const c of [...inside, next]) c.socket.destroy();
      } finally {
        undo();
      }
    }, 30_000);
  }

  it('DNS over TCP: at the cap the longest-idle connection makes room (RFC 7766 §6.2.3); busy ones are not closed', async () => {
    const undo = limit('dns-local', { maxConnections: 3 });
    try {
      const query = dnsPacket.streamEncode({ type: 'query', id: 9, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'gaia.cs.umass.edu' }] });
      const idle = await fill('dns-local', 3);
      // three idle: the fourth is served, the oldest idle one closed for it
      const fourth = await connect('dns-local');
      fourth.socket.write(query);
      await waitFor(() => fourth.text().length >= 2, 'an answer over the fourth connection');
      await waitFor(() => idle.filter((c) => c.socket.destroyed).length === 1, 'one idle connection closed');
      expect(await notes()).toContain('closed to make room for a new connection: this one was idle and the service is at its cap');
      for (const c of [...idle, fourth]) c.socket.destroy();
      await waitFor(() => lab.services.find((x) => x.id === 'dns-local')?.connectionCount() === 0, 'all closed');

      // three half-way through a query: none can go, the fourth is closed
      const busy = await fill('dns-local', 3);
      for (const c of busy) c.socket.write(query.subarray(0, 5));
      await new Promise((r) => setTimeout(r, 100));
      const refused = await connect('dns-local');
      await refused.closed;
      expect(busy.every((c) => !c.socket.destroyed)).toBe(true);
      expect(await notes()).toContain('every connection has a query in progress: the server closes the new one');
      for (const c of busy) c.socket.destroy();
    } finally {
      undo();
    }
  }, 30_000);
});

describe('the descriptor reserve', () => {
  it('past the lab-wide budget every service refuses in its own words, and accepts again once connections close', async () => {
    await waitFor(() => descriptors.inUse === 0, 'no lab connection open');
    // a soft limit of 66 keeps the 64 reserved for the lab itself: two connections in all
    descriptors.setLimit(66);
    try {
      expect(descriptors.budget).toBe(2);
      const a = await connect('smtp');
      const b = await connect('echo-tcp');
      await waitFor(() => descriptors.inUse === 2, 'two connections held');
      const smtp = await connect('smtp');
      const pop3 = await connect('pop3');
      await Promise.all([smtp.closed, pop3.closed]);
      expect(smtp.text()).toMatch(/^421 .*4\.3\.2 Too many connections/);
      expect(pop3.text()).toMatch(/^-ERR \[SYS\/TEMP\]/);
      expect(await notes()).toContain('refused: the lab keeps its last 64 file descriptors for its own UI and files (2 connections in all)');
      a.socket.destroy();
      await waitFor(() => descriptors.inUse === 1, 'one connection closed');
      const again = await connect('pop3');
      await waitFor(() => /^\+OK POP3 server ready/.test(again.text()), 'a POP3 greeting');
      for (const c of [b, again]) c.socket.destroy();
    } finally {
      descriptors.setLimit(undefined);
    }
  }, 30_000);
});

/** Abuse over raw sockets: the servers answer FORMERR or drop, and go on serving. */
import dgram from 'node:dgram';
import net from 'node:net';
import * as packet from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab } from '../../helpers/lab';

let lab: Lab;
let port: (id: string) => number;

beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(async () => {
  await lab.shutdown();
});

/** Send one datagram; the reply, or null after `ms`. */
function udp(p: number, msg: Buffer, ms = 400): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      resolve(null);
    }, ms);
    s.on('message', (m) => {
      clearTimeout(timer);
      s.close();
      resolve(m);
    });
    s.send(msg, p, '127.0.0.1');
  });
}

const query = (id: number, name = 'gaia.cs.umass.edu') => packet.encode({ id, type: 'query', flags: packet.RECURSION_DESIRED, questions: [{ name, type: 'A' }] });

async function stillAnswers(server: string): Promise<void> {
  const r = await udp(port(server), query(4242), 3000);
  expect(r).not.toBeNull();
  const p = packet.decode(r!);
  expect(p.id).toBe(4242);
  expect(p.flags! & 0xf).toBe(0);
}

const rcode = (b: Buffer | null) => (b ? b.readUInt16BE(2) & 0xf : -1);

describe('bad input to lab DNS servers', () => {
  for (const server of ['dns-local', 'dns-root', 'dns-umass']) {
    it(`${server}: random bytes, short headers and pointer loops get FORMERR or nothing`, async () => {
      expect(await udp(port(server), Buffer.from([0x12]))).toBeNull();
      expect(await udp(port(server), Buffer.alloc(11, 0xff))).toBeNull();
      // a header that promises a question and then ends
      const header = Buffer.from([0xbe, 0xef, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
      const trunc = await udp(port(server), header);
      expect(trunc?.readUInt16BE(0)).toBe(0xbeef);
      expect(rcode(trunc)).toBe(1);
      // a name whose compression pointer points at itself
      const loop = Buffer.concat([header, Buffer.from([0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01])]);
      expect(rcode(await udp(port(server), loop))).toBe(1);
      // a forward pointer (RFC 1035 §4.1.4 allows only earlier ones)
      const fwd = Buffer.concat([header, Buffer.from([0xc0, 0x20, 0x00, 0x01, 0x00, 0x01])]);
      expect(rcode(await udp(port(server), fwd))).toBe(1);
      // a label longer than the message
      const long = Buffer.concat([header, Buffer.from([0x3f, 0x61, 0x00, 0x01, 0x00, 0x01])]);
      expect(rcode(await udp(port(server), long))).toBe(1);
      // two questions
      const two = packet.encode({ id: 5, type: 'query', questions: [{ name: 'a.edu', type: 'A' }, { name: 'b.edu', type: 'A' }] });
      expect(rcode(await udp(port(server), two))).toBe(1);
      // a response sent to a server is dropped, not answered (no reflection loops)
      const resp = packet.encode({ id: 6, type: 'response', questions: [{ name: 'a.edu', type: 'A' }] });
      expect(await udp(port(server), resp)).toBeNull();
      for (let i = 0; i < 200; i++) {
        const junk = Buffer.alloc(12 + (i % 60));
        for (let k = 0; k < junk.length; k++) junk[k] = (i * 31 + k * 17) & 0xff;
        junk[2] &= 0x07; // a query, opcode 0: it reaches the parser
        await udp(port(server), junk, 5);
      }
      await stillAnswers(server);
    });
  }

  it('an oversized TCP length prefix closes the connection; the next query is answered', async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const s = net.connect(port('dns-local'), '127.0.0.1', () => s.write(Buffer.from([0xff, 0xff, 1, 2, 3])));
      s.on('close', () => resolve(true));
      s.on('error', () => undefined);
      setTimeout(() => resolve(false), 3000);
    });
    expect(closed).toBe(true);
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const q = query(77);
      const s = net.connect(port('dns-local'), '127.0.0.1', () => s.write(Buffer.concat([Buffer.from([0, q.length]), q])));
      let buf = Buffer.alloc(0);
      s.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          s.end();
          resolve(buf.subarray(2));
        }
      });
      s.on('error', reject);
    });
    expect(packet.decode(reply).answers?.[0]).toMatchObject({ type: 'A', data: '128.119.40.205' });
    await stillAnswers('dns-local');
  });

  it('a query storm is served', async () => {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const got = new Set<number>();
    s.on('message', (m) => got.add(m.readUInt16BE(0)));
    // bursts of 100: a loopback socket's receive buffer holds a few hundred datagrams
    for (let i = 0; i < 2000; i++) {
      s.send(query(i, i % 2 ? 'gaia.cs.umass.edu' : `n${i % 50}.umass.edu`), port('dns-local'), '127.0.0.1');
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 30));
    }
    await new Promise((r) => setTimeout(r, 1500));
    s.close();
    expect(got.size).toBeGreaterThan(1900);
    await stillAnswers('dns-local');
  });
});

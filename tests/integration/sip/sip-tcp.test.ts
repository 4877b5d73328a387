/**
 * SIP over TCP (RFC 3261 §18.3) and over ::1: a REGISTER and an OPTIONS on one TCP
 * connection, each framed by its Content-Length; a 64 KB header is answered 400 and the
 * connection closed, while the proxy keeps serving; the same proxy answers on ::1 over UDP.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { labForFile, waitFor } from '../../helpers/lab';

const t = labForFile();

const req = (method: string, n: number, extra = '') =>
  `${method} sip:crepes.fr SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKtcp${n}\r\nFrom: <sip:alice@crepes.fr>;tag=${n}\r\nTo: <sip:alice@crepes.fr>\r\nCall-ID: tcp${n}\r\nCSeq: ${n} ${method}\r\nContact: <sip:alice@127.0.0.1:5999>\r\n${extra}Content-Length: 0\r\n\r\n`;

async function talk(send: string[], until: (text: string) => boolean): Promise<{ text: string; closed: boolean }> {
  const s = net.connect(t.port('sip'), '127.0.0.1');
  let text = '';
  let closed = false;
  s.on('data', (d) => (text += d.toString('latin1')));
  s.on('close', () => (closed = true));
  s.on('error', () => undefined);
  await new Promise((r) => s.once('connect', r));
  for (const part of send) s.write(part);
  await waitFor(() => until(text), `replies over TCP; got:\n${text.slice(0, 500)}`);
  await new Promise((r) => setTimeout(r, 150));
  const closedByServer = closed;
  s.destroy();
  return { text, closed: closedByServer };
}

describe('SIP over TCP and ::1', () => {
  it('answers two requests on one connection, the second sent in two pieces', async () => {
    const second = req('OPTIONS', 2);
    const r = await talk([req('REGISTER', 1, 'Expires: 60\r\n'), second.slice(0, 40), second.slice(40)], (x) => (x.match(/SIP\/2\.0 200 OK/g) ?? []).length >= 2);
    expect(r.text).toMatch(/CSeq: 1 REGISTER[\s\S]*CSeq: 2 OPTIONS/);
    expect(r.closed).toBe(false);
  });

  it('a 64 KB header gets 400 and the connection closes; the next connection is served', async () => {
    const big = req('OPTIONS', 3, `X-Big: ${'a'.repeat(64 * 1024)}\r\n`);
    const r = await talk([big], (x) => x.includes('SIP/2.0 400'));
    expect(r.text).toMatch(/^SIP\/2\.0 400 message head over 16384 bytes/);
    expect(r.closed).toBe(true);
    const again = await talk([req('OPTIONS', 4)], (x) => x.includes('SIP/2.0 200 OK'));
    expect(again.text).toMatch(/Allow: INVITE/);
  });

  it('answers OPTIONS over UDP on ::1', async () => {
    const s = dgram.createSocket('udp6');
    await new Promise<void>((r) => s.bind(0, '::1', () => r()));
    const got = new Promise<string>((resolve) => s.once('message', (m) => resolve(m.toString('latin1'))));
    s.send(req('OPTIONS', 5).replace('SIP/2.0/TCP 127.0.0.1:5999', `SIP/2.0/UDP [::1]:${s.address().port}`), t.port('sip'), '::1');
    const text = await got;
    s.close();
    expect(text).toMatch(/^SIP\/2\.0 200 OK/);
    expect(text).toMatch(/Via: SIP\/2\.0\/UDP \[::1\]:\d+;branch=z9hG4bKtcp5/);
  });
});

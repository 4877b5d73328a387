/**
 * The proxy's client transactions over UDP (RFC 3261 §17.1): a callee that never answers
 * gets the INVITE again and again, at doubling intervals (Timer A), until Timer B ends it and
 * the caller gets 408; an OPTIONS is repeated with intervals capped at T2 (Timer E) until
 * Timer F; a retransmitted request is answered from the server transaction, not forwarded
 * again. T1 is made 20 ms here (the lab's is 200 ms) so 64·T1 is 1.28 s.
 */
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { SipService } from '../../../src-main/lab/sip/sip-service';
import { labForFile } from '../../helpers/lab';
import { status, TestUa } from './sip-ua-helper';

const t = labForFile();
let caller: TestUa;
let mute: TestUa;

const req = (m: string, uri: string, branch: string, callId: string) =>
  `${m} ${uri} SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=${branch};rport\nMax-Forwards: 70\nFrom: <sip:alice@crepes.fr>;tag=a\nTo: <sip:carol@hamburger.edu>\nCall-ID: ${callId}\nCSeq: 1 ${m}\nContact: <sip:alice@127.0.0.1:${caller.port}>\nContent-Length: 0\n\n`;

beforeAll(async () => {
  (t.lab.services.find((s) => s.id === 'sip') as SipService).setTimers({ t1: 20, t2: 160 });
  caller = await new TestUa().open();
  mute = await new TestUa().open();
  // carol's phone is a socket that never answers
  caller.send(`REGISTER sip:hamburger.edu SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bKreg\nFrom: <sip:carol@hamburger.edu>;tag=r\nTo: <sip:carol@hamburger.edu>\nCall-ID: reg\nCSeq: 1 REGISTER\nContact: <sip:carol@127.0.0.1:${mute.port}>\nContent-Length: 0\n\n`, t.port('sip'));
  await caller.next(status(200), 'carol registered');
});
afterAll(() => {
  caller?.close();
  mute?.close();
});

function gaps(times: number[]): number[] {
  return times.slice(1).map((x, i) => x - times[i]);
}

describe('SIP transaction timers', () => {
  it('Timer A doubles the INVITE retransmissions, Timer B answers 408', async () => {
    const sip = t.port('sip');
    const at: number[] = [];
    mute.socket.on('message', () => at.push(Date.now()));
    const started = Date.now();
    caller.send(req('INVITE', 'sip:carol@hamburger.edu', 'z9hG4bKta', 'ta'), sip);
    await caller.next(status(100), '100 Trying');
    // the caller repeats its INVITE: the proxy answers it from the transaction, forwards nothing new
    caller.send(req('INVITE', 'sip:carol@hamburger.edu', 'z9hG4bKta', 'ta'), sip);
    await caller.next(status(100), '100 Trying again');
    const timeout = await caller.next(status(408), '408 from Timer B', 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(64 * 20 - 50);
    expect(timeout.headers.filter(([n]) => n === 'Via')).toHaveLength(1);
    const invites = mute.got.filter((m) => m.kind === 'request' && m.method === 'INVITE');
    // 20, 40, 80, 160, 320, 640 ms apart: 7 sends within 1.28 s, the intervals growing
    expect(invites.length).toBeGreaterThanOrEqual(5);
    expect(invites.length).toBeLessThanOrEqual(8);
    const g = gaps(at);
    expect(g[g.length - 1]).toBeGreaterThan(g[0] * 4);
    // the 408 is repeated (Timer G) until the caller ACKs it on the INVITE's branch
    await caller.next(status(408), 'the 408 again', 2000);
    caller.send(req('ACK', 'sip:carol@hamburger.edu', 'z9hG4bKta', 'ta'), sip);
    await new Promise((r) => setTimeout(r, 150));
    caller.got.length = 0;
    await new Promise((r) => setTimeout(r, 700));
    expect(caller.got.filter((m) => m.kind === 'response' && m.status === 408)).toHaveLength(0);
    mute.socket.removeAllListeners('message');
    mute.socket.on('message', () => undefined);
  });

  it('Timer E caps the OPTIONS retransmissions at T2, Timer F answers 408', async () => {
    mute.got.length = 0;
    const at: number[] = [];
    mute.socket.on('message', () => at.push(Date.now()));
    caller.send(req('OPTIONS', 'sip:carol@hamburger.edu', 'z9hG4bKte', 'te'), t.port('sip'));
    await caller.next((m) => m.kind === 'response' && m.status === 408 && /OPTIONS/.test(m.headers.find(([n]) => n === 'CSeq')?.[1] ?? ''), '408 from Timer F', 5000);
    const g = gaps(at);
    // T1, 2·T1, 4·T1, then T2 (160 ms) each time: at least 9 sends in 1.28 s, none more than ~T2 apart
    expect(at.length).toBeGreaterThanOrEqual(9);
    expect(Math.max(...g)).toBeLessThan(160 * 2);
  });
});

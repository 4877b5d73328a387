/**
 * The SIP registrar and proxy over real UDP sockets: two user agents register, one calls the
 * other through the proxy (INVITE, 100, 180, 200, ACK, BYE, 200), a CANCEL ends a ringing call
 * with 487, and the errors a proxy gives (404, 480, 483, 482, 400) come back with their reasons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { header, headerValues, type SipMessage } from '../../../src-main/lab/sip/sip-message';
import { captured, labForFile, waitFor } from '../../helpers/lab';
import { method, status, TestUa } from './sip-ua-helper';

const t = labForFile();
let alice: TestUa;
let bob: TestUa;
let sip = 0;
let n = 0;

const req = (m: string, uri: string, from: string, to: string, ua: TestUa, extra = '', body = '', callId = `c${++n}@test`, cseq = 1, branch = `z9hG4bKt${n}`) =>
  `${m} ${uri} SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:${ua.port};branch=${branch};rport\nMax-Forwards: 70\nFrom: <sip:${from}>;tag=f${n}\nTo: <sip:${to}>\nCall-ID: ${callId}\nCSeq: ${cseq} ${m}\nContact: <sip:${from.split('@')[0]}@127.0.0.1:${ua.port}>\n${extra}${body ? 'Content-Type: application/sdp\n' : ''}Content-Length: ${Buffer.byteLength(body)}\n\n${body}`;

function register(ua: TestUa, aor: string, expires = 60): void {
  ua.send(req('REGISTER', `sip:${aor.split('@')[1]}`, aor, aor, ua, `Expires: ${expires}\n`), sip);
}

/** what bob's phone answers to a request the proxy forwarded: the same Vias, Call-ID, CSeq */
function answer(m: SipMessage, code: number, reason: string, ua: TestUa, body = ''): string {
  const vias = headerValues(m, 'Via').map((v) => `Via: ${v}\n`).join('');
  const rr = headerValues(m, 'Record-Route').map((v) => `Record-Route: ${v}\n`).join('');
  return `SIP/2.0 ${code} ${reason}\n${vias}${rr}From: ${header(m, 'From')}\nTo: ${header(m, 'To')};tag=bobtag\nCall-ID: ${header(m, 'Call-ID')}\nCSeq: ${header(m, 'CSeq')}\nContact: <sip:bob@127.0.0.1:${ua.port}>\n${body ? 'Content-Type: application/sdp\n' : ''}Content-Length: ${body.length}\n\n${body}`;
}

beforeAll(async () => {
  sip = t.port('sip');
  alice = await new TestUa().open();
  bob = await new TestUa().open();
});
afterAll(() => {
  alice?.close();
  bob?.close();
});

describe('SIP registrar and proxy', () => {
  it('registers a contact with its expiry and refuses an unknown user with 404', async () => {
    register(bob, 'bob@hamburger.edu', 120);
    const ok = await bob.next(status(200), '200 to REGISTER');
    expect(header(ok, 'Contact')).toContain(`127.0.0.1:${bob.port}`);
    expect(header(ok, 'Contact')).toMatch(/expires=1[12]\d/);
    register(alice, 'nobody@crepes.fr');
    await alice.next(status(404), '404 for nobody');
  });

  it('carries a call: INVITE with SDP, 100, 180, 200 with the answer, ACK and BYE through the proxy', async () => {
    const offer = 'v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';
    alice.send(req('INVITE', 'sip:bob@hamburger.edu', 'alice@crepes.fr', 'bob@hamburger.edu', alice, '', offer, 'call1@test'), sip);
    await alice.next(status(100), '100 Trying');
    const invite = await bob.next(method('INVITE'), 'INVITE at bob');
    expect((invite as { uri: string }).uri).toBe(`sip:bob@127.0.0.1:${bob.port}`);
    // through two proxies (RFC 3261's trapezoid): hamburger.edu's Via on top, then crepes.fr's, then alice's
    const vias = headerValues(invite, 'Via');
    expect(vias).toHaveLength(3);
    expect(vias[0]).toMatch(/^SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK/);
    expect(vias[1]).toMatch(/^SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK/);
    expect(vias[0].split(';')[0]).not.toBe(vias[1].split(';')[0]);
    expect(vias[2]).toContain(`rport=${alice.port}`);
    expect(header(invite, 'Max-Forwards')).toBe('68');
    const rr = headerValues(invite, 'Record-Route');
    expect(rr).toHaveLength(2);
    expect(rr[0]).toBe(`<sip:${vias[0].split(' ')[1].split(';')[0]};lr>`);
    expect(rr[1]).toBe(`<sip:${vias[1].split(' ')[1].split(';')[0]};lr>`);
    expect(invite.body.toString()).toBe(offer);
    bob.send(answer(invite, 180, 'Ringing', bob), sip);
    const ringing = await alice.next(status(180), '180 at alice');
    expect(headerValues(ringing, 'Via')).toHaveLength(1);
    bob.send(answer(invite, 200, 'OK', bob, 'v=0\r\nm=audio 40002 RTP/AVP 0\r\n'), sip);
    const ok = await alice.next(status(200), '200 at alice');
    expect(ok.body.toString()).toContain('40002');
    // ACK and BYE follow the Record-Route, reversed (the caller's route set, §12.1.2): through both proxies
    expect(headerValues(ok, 'Record-Route')).toEqual(rr);
    const route = [...rr].reverse().map((r) => `Route: ${r}\n`).join('');
    alice.send(req('ACK', `sip:bob@127.0.0.1:${bob.port}`, 'alice@crepes.fr', 'bob@hamburger.edu', alice, route, '', 'call1@test', 1, 'z9hG4bKack1'), sip);
    await bob.next(method('ACK'), 'ACK at bob');
    alice.send(req('BYE', `sip:bob@127.0.0.1:${bob.port}`, 'alice@crepes.fr', 'bob@hamburger.edu', alice, route, '', 'call1@test', 2), sip);
    const bye = await bob.next(method('BYE'), 'BYE at bob');
    expect(header(bye, 'Route')).toBeUndefined();
    bob.send(answer(bye, 200, 'OK', bob), sip);
    await alice.next((m) => m.kind === 'response' && m.status === 200 && /BYE/.test(header(m, 'CSeq') ?? ''), '200 to BYE');
    // the inspector pairs them by Call-ID and CSeq
    t.lab.store.flush();
    const all = await captured(t.lab);
    const rows = all.filter((m) => m.protocol === 'sip' && m.kind === 'message' && m.summary.includes('call1@test'));
    expect(rows.map((r) => r.summary.split(' ')[0])).toEqual(expect.arrayContaining(['INVITE', '100', '180', '200', 'ACK', 'BYE']));
    // display filters on the decoded fields: the 180s of this call, in and out of the proxy
    const ringingRows = await t.lab['capture.match']({ filter: 'sip.status == 180 && sip.call_id == "call1@test"' }, 0);
    expect(ringingRows).toHaveLength(4); // bob → hamburger.edu's proxy → crepes.fr's proxy → alice
    expect(await t.lab['capture.match']({ filter: 'sip.method == BYE' }, 0)).toHaveLength(4);
    // crepes.fr's proxy found hamburger.edu's through lab DNS (RFC 3263 §4.2): the SRV record, then its target's A record
    const dns = all.filter((m) => m.service === 'dns-local' && m.kind === 'message').map((m) => m.summary);
    expect(dns.some((d) => /SRV _sip\._udp\.hamburger\.edu/.test(d) && /sip\.hamburger\.edu/.test(d))).toBe(true);
    expect(dns.some((d) => /^Standard query response .* A sip\.hamburger\.edu.* 192\.0\.2\.32/.test(d))).toBe(true);
    expect(all.some((m) => m.protocol === 'sip' && m.kind === 'event' && m.summary.startsWith("hamburger.edu resolved by lab DNS (SRV _sip._udp.hamburger.edu → sip.hamburger.edu:5060, then A) to 192.0.2.32, port 5060: hamburger.edu's SIP proxy"))).toBe(true);
    // the inspector names both proxies: the INVITE enters crepes.fr's and leaves hamburger.edu's
    const conns = new Map((await t.lab['capture.connections']()).map((c) => [c.id, c]));
    const ends = new Set(rows.filter((r) => r.summary.startsWith('INVITE')).map((r) => conns.get(r.conn)?.server.name));
    expect([...ends].sort()).toEqual(['crepes.fr proxy', 'hamburger.edu proxy']);
  });

  it('answers 487 to a ringing INVITE cancelled by the caller', async () => {
    alice.send(req('INVITE', 'sip:bob@hamburger.edu', 'alice@crepes.fr', 'bob@hamburger.edu', alice, '', '', 'call2@test', 1, 'z9hG4bKinv2'), sip);
    const invite = await bob.next(method('INVITE'), 'INVITE at bob');
    bob.send(answer(invite, 180, 'Ringing', bob), sip);
    await alice.next(status(180), '180');
    alice.send(req('CANCEL', 'sip:bob@hamburger.edu', 'alice@crepes.fr', 'bob@hamburger.edu', alice, '', '', 'call2@test', 1, 'z9hG4bKinv2').replace('CSeq: 1 CANCEL', 'CSeq: 1 CANCEL'), sip);
    await alice.next((m) => m.kind === 'response' && m.status === 200 && /CANCEL/.test(header(m, 'CSeq') ?? ''), '200 to CANCEL');
    const cancel = await bob.next(method('CANCEL'), 'CANCEL at bob');
    expect(headerValues(cancel, 'Via')).toEqual([headerValues(invite, 'Via')[0]]);
    // bob answers the CANCEL (that answer stops at the proxy) and ends the INVITE with 487
    bob.send(answer(cancel, 200, 'OK', bob), sip);
    bob.send(answer(invite, 487, 'Request Terminated', bob), sip);
    await alice.next(status(487), '487 at alice');
    expect(alice.got.filter((m) => m.kind === 'response' && m.status === 200 && /INVITE/.test(header(m, 'CSeq') ?? ''))).toHaveLength(0);
    await bob.next(method('ACK'), 'the proxy ACKs the 487 hop by hop');
  });

  it('gives 480 for a known user not registered, 404 for an unknown one, 483 at Max-Forwards 0', async () => {
    alice.send(req('INVITE', 'sip:carol@hamburger.edu', 'alice@crepes.fr', 'carol@hamburger.edu', alice), sip);
    await alice.next(status(480), '480');
    alice.send(req('INVITE', 'sip:zed@hamburger.edu', 'alice@crepes.fr', 'zed@hamburger.edu', alice), sip);
    await alice.next(status(404), '404');
    alice.send(req('OPTIONS', 'sip:bob@hamburger.edu', 'alice@crepes.fr', 'bob@hamburger.edu', alice).replace('Max-Forwards: 70', 'Max-Forwards: 0'), sip);
    const r = await alice.next(status(483), '483');
    expect((r as { reason: string }).reason).toBe('Too Many Hops');
  });

  it('detects a loop: a contact that points back at the proxy gets 482', async () => {
    alice.send(req('REGISTER', 'sip:crepes.fr', 'pierre@crepes.fr', 'pierre@crepes.fr', alice, 'Expires: 60\n').replace(/Contact: <[^>]+>/, `Contact: <sip:pierre@127.0.0.1:${sip}>`), sip);
    await alice.next(status(200), 'pierre registered');
    alice.send(req('OPTIONS', 'sip:pierre@crepes.fr', 'alice@crepes.fr', 'pierre@crepes.fr', alice), sip);
    const r = await alice.next((m) => m.kind === 'response' && (m.status === 482 || m.status === 483), 'loop answer');
    expect(r.kind === 'response' && r.status).toBe(482);
  });

  it('answers bad input with 400 and a reason, drops garbage, and keeps serving', async () => {
    alice.send('INVITE sip:bob@hamburger.edu SIP/2.0\nFrom: <sip:a@crepes.fr>;tag=1\nTo: <sip:bob@hamburger.edu>\nCall-ID: novia\nCSeq: 1 INVITE\n\n', sip);
    const noVia = await alice.next(status(400), '400 without Via');
    expect((noVia as { reason: string }).reason).toBe('Missing Via header');
    expect(header(noVia, 'Call-ID')).toBe('novia');
    alice.socket.send(Buffer.from([0, 1, 2, 3, 255, 254]), sip, '127.0.0.1');
    alice.send(req('OPTIONS', 'sip:crepes.fr', 'alice@crepes.fr', 'alice@crepes.fr', alice).replace(/Call-ID: .*\n/, ''), sip);
    const noCallId = await alice.next(status(400), '400 without Call-ID');
    expect((noCallId as { reason: string }).reason).toBe('Missing Call-ID header');
    alice.send(req('OPTIONS', 'sip:crepes.fr', 'alice@crepes.fr', 'alice@crepes.fr', alice).replace('Content-Length: 0', 'Content-Length: 500'), sip);
    const past = await alice.next(status(400), '400 for Content-Length');
    expect((past as { reason: string }).reason).toMatch(/Content-Length 500 is past the end/);
    alice.send(req('OPTIONS', 'sip:crepes.fr', 'alice@crepes.fr', 'alice@crepes.fr', alice, `X-Big: ${'a'.repeat(60_000)}\n`), sip);
    const big = await alice.next(status(400), '400 for a 60 KB header');
    expect((big as { reason: string }).reason).toMatch(/over the limit/);
    alice.send(req('OPTIONS', 'sip:crepes.fr', 'alice@crepes.fr', 'alice@crepes.fr', alice), sip);
    const ok = await alice.next(status(200), 'OPTIONS answered after all that');
    expect(header(ok, 'Allow')).toContain('INVITE');
    t.lab.store.flush();
    await waitFor(async () => (await captured(t.lab)).some((m) => m.protocol === 'sip' && m.kind === 'event' && m.summary.startsWith('dropped: not SIP')), 'a note for the garbage');
  });
});

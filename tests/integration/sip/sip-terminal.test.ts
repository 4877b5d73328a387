/**
 * SIP by hand: the lab terminal's `sip` command (a call to bob's softphone, answered from the
 * VoIP tab's API, then ACK and BYE), a REGISTER typed line by line over TCP with `telnet`,
 * and a request sent with the system's `nc -u` as docs/sip.md shows.
 */
import { describe, expect, it } from 'vitest';
import { labForFile, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';
import { openTerminal } from '../../helpers/terminal';

const t = labForFile();

describe('SIP typed by hand', () => {
  it('`sip invite` calls bob through the proxy: 100, 180, 200, then ACK and BYE', async () => {
    const lab = t.lab;
    await lab['voip.register']('bob@hamburger.edu', true);
    await waitFor(async () => (await lab['voip.state']()).phones.find((p) => p.aor === 'bob@hamburger.edu')?.state === 'registered', 'bob registered');
    const term = await openTerminal(lab);
    await term.expect('netlab>');
    const from = term.mark();
    await term.type('sip invite bob@hamburger.edu\r');
    await waitFor(async () => (await lab['voip.state']()).phones.find((p) => p.aor === 'bob@hamburger.edu')?.state === 'incoming', 'bob ringing');
    await lab['voip.answer']('bob@hamburger.edu');
    await term.expect(/← SIP\/2\.0 200 OK[\s\S]*→ ACK sip:bob@127\.0\.0\.1:\d+ SIP\/2\.0[\s\S]*→ BYE [\s\S]*← SIP\/2\.0 200 OK/, from);
    const screen = term.screen().slice(from);
    expect(screen).toMatch(/← SIP\/2\.0 100 Trying/);
    expect(screen).toMatch(/← SIP\/2\.0 180 Ringing/);
    expect(screen).toMatch(/Record-Route: <sip:127\.0\.0\.1:\d+;lr>/);
    await term.close();
  });

  it('`sip register` of an unknown user shows 404; a REGISTER typed over TCP with telnet gets 200', async () => {
    const term = await openTerminal(t.lab);
    await term.expect('netlab>');
    let from = term.mark();
    await term.type('sip register zed@crepes.fr\r');
    await term.expect('← SIP/2.0 404 Not Found', from);
    from = term.mark();
    await term.type(`telnet localhost ${t.port('sip')}\r`);
    await term.expect('Connected', from);
    for (const line of ['REGISTER sip:crepes.fr SIP/2.0', 'Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKhand1', 'From: <sip:pierre@crepes.fr>;tag=1', 'To: <sip:pierre@crepes.fr>', 'Call-ID: byhand1', 'CSeq: 1 REGISTER', 'Contact: <sip:pierre@127.0.0.1:5999>', '']) await term.type(line + '\r');
    await term.expect(/SIP\/2\.0 200 OK[\s\S]*Contact: <sip:pierre@127\.0\.0\.1:5999>;expires=\d+/, from);
    await term.close();
  });

  it('nc -u: one datagram from printf gets its answer', async () => {
    const req = 'OPTIONS sip:crepes.fr SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5998;branch=z9hG4bKnc1;rport\r\nFrom: <sip:alice@crepes.fr>;tag=9\r\nTo: <sip:crepes.fr>\r\nCall-ID: nc1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';
    const r = await run('nc', ['-u', '-w1', '127.0.0.1', String(t.port('sip'))], { input: req, timeoutMs: 5000 });
    expect(r.stdout).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(r.stdout).toMatch(/Via: SIP\/2\.0\/UDP 127\.0\.0\.1:5998;branch=z9hG4bKnc1;rport=\d+/);
  });
});

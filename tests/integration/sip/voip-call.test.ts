/**
 * The VoIP tab's two softphones through the lab API: alice@crepes.fr and bob@hamburger.edu
 * register, alice calls, bob answers, RTP flows both ways (µ-law, 20 ms packets), the
 * receivers count what arrives; with loss and jitter on the SIP service's link the
 * receivers see losses and jitter; BYE ends the call. The inspector holds the call's SIP
 * exchange, the first RTP packets decoded, a note a second, and RTCP receiver reports.
 */
import { describe, expect, it } from 'vitest';
import type { VoipState } from '../../../src-main/lab/api';
import { english } from '../../../src-main/lab/lab-text';
import { captured, labForFile, waitFor } from '../../helpers/lab';
import { tsharkFields, writeTemp } from '../../helpers/tshark';

const t = labForFile();
const phone = (s: VoipState, aor: string) => s.phones.find((p) => p.aor === aor)!;

describe('VoIP softphones', () => {
  it('register, call, answer, stream RTP, measure loss and jitter, hang up', async () => {
    const lab = t.lab;
    await lab['voip.register']('alice@crepes.fr', true);
    await lab['voip.register']('bob@hamburger.edu', true);
    await waitFor(async () => (await lab['voip.state']()).phones.every((p) => p.state === 'registered'), 'both registered').catch(async (e) => {
      console.log(JSON.stringify((await lab['voip.state']()).phones.map((p) => p.log)));
      throw e;
    });
    expect((await lab['voip.state']()).bindings.map((b) => b.aor).sort()).toEqual(['alice@crepes.fr', 'bob@hamburger.edu']);
    await lab['voip.call']('alice@crepes.fr', 'bob@hamburger.edu');
    await waitFor(async () => phone(await lab['voip.state'](), 'bob@hamburger.edu').state === 'incoming', 'bob ringing', 10_000);
    await lab['voip.answer']('bob@hamburger.edu');
    await waitFor(async () => phone(await lab['voip.state'](), 'alice@crepes.fr').state === 'in-call', 'alice in the call', 10_000);
    // the service's link now loses a fifth of the datagrams and delays each by up to 30 ms
    await lab['services.configure']('sip', { link: { lossRate: 0.2, jitterMs: 30 } });
    const s = await waitFor(async () => {
      const st = await lab['voip.state']();
      const b = phone(st, 'bob@hamburger.edu').received;
      return b && b.expected >= 100 ? st : null;
    }, 'two seconds of audio at bob', 8000);
    const atBob = phone(s, 'bob@hamburger.edu').received!;
    expect(atBob.lost).toBeGreaterThan(0);
    expect(atBob.received).toBeGreaterThan(0);
    expect(atBob.jitterMs).toBeGreaterThan(1);
    expect(phone(s, 'alice@crepes.fr').received!.received).toBeGreaterThan(0);
    await lab['voip.playout']({ mode: 'adaptive', fixedMs: 80 });
    // an RTCP receiver report comes every 5 s
    await waitFor(async () => {
      lab.store.flush();
      return (await captured(lab)).some((m) => m.protocol === 'rtp' && m.kind === 'message' && m.summary.startsWith('RTCP receiver report'));
    }, 'an RTCP receiver report', 9000);
    await lab['services.configure']('sip', { link: { lossRate: 0, jitterMs: 0 } });
    await lab['voip.hangup']('alice@crepes.fr');
    await waitFor(async () => (await lab['voip.state']()).phones.every((p) => p.state === 'registered'), 'both back to idle', 8000);
    lab.store.flush();
    const rows = await captured(lab);
    const sip = rows.filter((m) => m.protocol === 'sip' && m.kind === 'message').map((m) => m.summary.split(' ')[0]);
    expect(sip).toEqual(expect.arrayContaining(['REGISTER', 'INVITE', '100', '180', '200', 'ACK', 'BYE']));
    const rtp = rows.filter((m) => m.protocol === 'rtp');
    expect(rtp.some((m) => /^RTP PCMU seq \d+ ts \d+ SSRC 0x[0-9a-f]{8} \[marker/.test(m.summary))).toBe(true);
    expect(rtp.some((m) => m.kind === 'event' && m.summary.startsWith('RTP last second:'))).toBe(true);
    // summarised: far fewer rows than packets sent
    expect(rtp.length).toBeLessThan(phone(await lab['voip.state'](), 'alice@crepes.fr').sent);
    // exported as pcapng, tshark dissects the SIP (port 5060 on the wire) and, from the SDP, the RTP and RTCP
    const file = await writeTemp('voip.pcapng', Buffer.from(await lab['capture.exportPcapng']({}), 'base64'));
    expect((await tsharkFields(file, 'sip.Method == "INVITE"', ['sip.Call-ID'])).length).toBeGreaterThan(0);
    expect((await tsharkFields(file, 'rtp.p_type == 0', ['rtp.seq'])).length).toBeGreaterThan(0);
    expect((await tsharkFields(file, 'rtcp.pt == 201', ['rtcp.ssrc.fraction'])).length).toBeGreaterThan(0);
    // a call cancelled while it rings: CANCEL, 487 to the INVITE, both phones idle again
    await lab['voip.call']('bob@hamburger.edu', 'alice@crepes.fr');
    await waitFor(async () => phone(await lab['voip.state'](), 'bob@hamburger.edu').state === 'ringing', 'alice ringing for bob');
    await lab['voip.hangup']('bob@hamburger.edu');
    await waitFor(async () => (await lab['voip.state']()).phones.every((p) => p.state === 'registered'), 'both idle after the CANCEL', 8000);
    expect(phone(await lab['voip.state'](), 'bob@hamburger.edu').log.at(-1)).toBe('call failed: 487 Request Terminated');
    expect(phone(await lab['voip.state'](), 'alice@crepes.fr').log.at(-1)).toBe('the caller cancelled: 487 sent');
    // every log line carries its catalogue key and parameters, whose English is the line (the UI translates it)
    for (const p of (await lab['voip.state']()).phones) {
      expect(p.logText?.length).toBe(p.log.length);
      expect(p.logText!.map(english)).toEqual(p.log);
    }
    expect(phone(await lab['voip.state'](), 'bob@hamburger.edu').logText!.map((m) => m.key)).toEqual(expect.arrayContaining(['voipLab.log.ringing', 'voipLab.log.callFailed', 'voipLab.log.byeReceived']));
  }, 40_000);
});

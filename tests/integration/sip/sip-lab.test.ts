/**
 * The shipped SIP lab (resources/labs/sip.yaml): its checks turn ✓ from real traffic — a
 * REGISTER typed in the lab terminal, a 404 for an unknown user, and a call between the VoIP
 * tab's softphones (INVITE with SDP answered by the proxy's 100 Trying, BYE answered 200).
 */
import { describe, expect, it } from 'vitest';
import type { LabCheckPassed } from '../../../src-main/lab/api';
import { labForFile, waitFor } from '../../helpers/lab';
import { openTerminal } from '../../helpers/terminal';

const t = labForFile();

describe('the SIP lab', () => {
  it('passes its register, unknown-user and call checks from the lab\'s own traffic', async () => {
    const lab = t.lab;
    const passed: LabCheckPassed[] = [];
    lab.on('labs.passed', (p) => passed.push(p));
    await lab['labs.open']('shipped', 'sip.yaml');
    const term = await openTerminal(lab);
    await term.expect('netlab>');
    await term.type('sip register pierre@crepes.fr\r');
    await waitFor(() => passed.find((p) => p.check === 'registered'), 'the register check');
    await term.type('sip register zed@crepes.fr\r');
    await waitFor(() => passed.find((p) => p.check === 'not-found'), 'the 404 check');
    await lab['voip.register']('alice@crepes.fr', true);
    await lab['voip.register']('bob@hamburger.edu', true);
    await waitFor(async () => (await lab['voip.state']()).phones.every((p) => p.state === 'registered'), 'both registered');
    await lab['voip.call']('alice@crepes.fr', 'bob@hamburger.edu');
    await waitFor(async () => (await lab['voip.state']()).phones.find((p) => p.aor === 'bob@hamburger.edu')?.state === 'incoming', 'bob ringing');
    await lab['voip.answer']('bob@hamburger.edu');
    await waitFor(() => passed.find((p) => p.check === 'invite'), 'the invite check');
    await lab['voip.hangup']('bob@hamburger.edu');
    await waitFor(() => passed.find((p) => p.check === 'bye'), 'the bye check');
    expect(passed.find((p) => p.check === 'rtcp')).toBeUndefined();
    await term.close();
  }, 20_000);
});

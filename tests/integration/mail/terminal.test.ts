/**
 * The textbook's exercise typed in the lab terminal: `telnet mail.hamburger.edu 25` reaches
 * hamburger.edu's MX through the lab internet (lab DNS + route), the sample interaction of
 * §2.3.1 line by line, then Bob reads it with POP3 on mail.hamburger.edu port 110.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab, waitFor } from '../../helpers/lab';
import { openTerminal as openLabTerminal } from '../../helpers/terminal';

let lab: Lab;
beforeAll(async () => {
  ({ lab } = await startLab());
});
afterAll(() => lab.shutdown());

const openTerminal = () => openLabTerminal(lab);

describe('mail in the lab terminal', () => {
  it('telnet mail.hamburger.edu 25: the sample SMTP interaction, then POP3 on port 110', async () => {
    const t = await openTerminal();
    await t.type('telnet mail.hamburger.edu 25\r');
    await t.expect('220 hamburger.edu');
    const dialogue: [string, string][] = [
      ['HELO crepes.fr', '250 Hello crepes.fr, pleased to meet you'],
      ['MAIL FROM: <alice@crepes.fr>', '250 alice@crepes.fr ... Sender ok'],
      ['RCPT TO: <bob@hamburger.edu>', '250 bob@hamburger.edu ... Recipient ok'],
      ['DATA', '354 Enter mail, end with "." on a line by itself'],
    ];
    for (const [line, answer] of dialogue) {
      await t.type(`${line}\r`);
      await t.expect(answer);
    }
    await t.type('Do you like ketchup?\r');
    await t.type('How about pickles?\r');
    await t.type('.\r');
    await t.expect('250 Message accepted for delivery');
    await t.type('QUIT\r');
    await t.expect('221 hamburger.edu closing connection');
    await waitFor(async () => (await lab['mail.mailbox']('bob@hamburger.edu')).length === 1, 'delivery');
    // no From: typed: the mailbox list has the envelope sender from Return-Path:
    expect((await lab['mail.mailbox']('bob@hamburger.edu'))[0]).toMatchObject({ from: '', envelopeFrom: 'alice@crepes.fr' });

    await t.type('telnet mail.hamburger.edu 110\r');
    await t.expect('+OK POP3 server ready');
    for (const line of ['user bob', 'pass hungry', 'list', 'retr 1', 'dele 1', 'quit']) await t.type(`${line}\r`);
    await t.expect('+OK POP3 server signing off (0 messages left)');
    expect(t.screen()).toContain('Do you like ketchup?\r\nHow about pickles?');
    await waitFor(async () => (await lab['mail.mailbox']('bob@hamburger.edu')).length === 0, 'deleted at QUIT');
    await t.close();
  });
});

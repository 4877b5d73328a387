/**
 * Bounces (RFC 5321 §4.5.5, RFC 3464): a recipient the next hop refuses for good, and a
 * message the queue gives up on, come back to the sender as a multipart/report from
 * MAILER-DAEMON, sent with MAIL FROM:<>, read by the sender with POP3; a bounce that fails
 * is not bounced again; the queue ends empty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { mailSystemOf } from '../../../src-main/lab/mail/mail-services';
import { DEFAULT_TIMING } from '../../../src-main/lab/mail/relay-queue';
import { captured, startLab, waitFor } from '../../helpers/lab';
import { Wire } from '../../helpers/mail-wire';
import { run } from '../../helpers/proc';

const PY = '/usr/bin/python3';
let lab: Lab;
let port: (id: string) => number;

beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(async () => {
  await lab.shutdown();
});

/** poll alice's mailbox over POP3 (python3 poplib) until a message holding `marker` is there; print it */
function popUntil(user: string, pass: string, marker: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const script = `
import poplib, time, sys
for _ in range(200):
    p = poplib.POP3('127.0.0.1', ${port('pop3')}); p.user('${user}'); p.pass_('${pass}')
    n = p.stat()[0]
    for i in range(1, n + 1):
        text = b'\\r\\n'.join(p.retr(i)[1]).decode('utf-8', 'replace')
        if '${marker}' in text:
            p.dele(i); p.quit(); print(text); sys.exit(0)
    p.quit(); time.sleep(0.05)
sys.exit('no bounce arrived')
`;
  return run(PY, ['-c', script], { timeoutMs: 20_000 });
}

async function queueEmpty(): Promise<void> {
  await waitFor(async () => (await lab['mail.queue']()).length === 0, 'an empty queue', 8000);
}

describe('bounces', () => {
  it('an unknown user at the destination: submission accepts, the MX says 550, the sender gets a report over POP3', async () => {
    const out = await run(
      'swaks',
      ['--server', '127.0.0.1', '--port', String(port('smtp')), '--from', 'alice@crepes.fr', '--helo', 'alice-pc',
        '--to', 'nobody@hamburger.edu,bob@hamburger.edu', '--header', 'Subject: to nobody and bob', '--body', 'Do you like ketchup?'],
      { timeoutMs: 15_000 },
    );
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/<- {2}250 nobody@hamburger\.edu \.\.\. Recipient ok/);
    const got = await popUntil('alice', 'hungry', 'to nobody and bob');
    expect(got.code, got.stderr).toBe(0);
    const report = got.stdout;
    expect(report).toMatch(/^Return-Path: <>\r?$/m);
    expect(report).toMatch(/^From: Mail Delivery System <MAILER-DAEMON@crepes\.fr>/m);
    expect(report).toMatch(/^Content-Type: multipart\/report; report-type=delivery-status;/m);
    expect(report).toContain('Content-Type: message/delivery-status');
    expect(report).toContain('Final-Recipient: rfc822; nobody@hamburger.edu');
    expect(report).toContain('Status: 5.1.1');
    expect(report).toContain('Remote-MTA: dns; mail.hamburger.edu');
    expect(report).toMatch(/Diagnostic-Code: smtp; 550 nobody@hamburger\.edu \.\.\. User unknown/);
    // bob got his copy; only nobody is reported
    expect(report).not.toContain('Final-Recipient: rfc822; bob@hamburger.edu');
    expect((await lab['mail.mailbox']('bob@hamburger.edu')).some((m) => m.subject === 'to nobody and bob')).toBe(true);
    // the original's headers come back as text/rfc822-headers, its body does not
    expect(report).toContain('Content-Type: text/rfc822-headers');
    expect(report).toContain('Subject: to nobody and bob');
    expect(report).not.toContain('Do you like ketchup?');
    await queueEmpty();
    // on the wire: the report went to crepes.fr's MX with the null reverse-path
    const records = await captured(lab);
    expect(records.some((r) => r.service === 'smtp-crepes' && r.dir === 'c2s' && /^MAIL FROM:<>/.test(r.summary))).toBe(true);
    // the queue view's "returned to sender" list
    const [back] = await lab['mail.returned']();
    expect(back).toMatchObject({ domain: 'hamburger.edu', from: 'alice@crepes.fr', dropped: false });
    expect(back.recipients).toEqual([expect.objectContaining({ address: 'nobody@hamburger.edu', status: '5.1.1', remoteMta: 'mail.hamburger.edu' })]);
  });

  it('the mailbox view marks it and reads its delivery-status part', async () => {
    await run(PY, ['-c', `
import smtplib
s = smtplib.SMTP('127.0.0.1', ${port('smtp')}); s.ehlo('alice-pc')
s.sendmail('alice@crepes.fr', ['ghost@networkutopia.com'], 'Subject: to a ghost\\r\\n\\r\\nboo\\r\\n'); s.quit()
`], { timeoutMs: 15_000 });
    const box = await waitFor(async () => {
      const b = await lab['mail.mailbox']('alice@crepes.fr');
      return b.find((m) => m.bounce) ? b : null;
    }, 'a bounce in alice\'s mailbox', 8000);
    const bounce = box.find((m) => m.bounce);
    expect(bounce?.from).toContain('MAILER-DAEMON@crepes.fr');
    const detail = await lab['mail.message']('alice@crepes.fr', bounce?.uid ?? '');
    expect(detail?.mime.contentType).toBe('multipart/report');
    expect(detail?.returnPath).toBe('<>');
    expect(detail?.report?.reportingMta).toBe('mail.crepes.fr');
    expect(detail?.report?.recipients).toEqual([
      expect.objectContaining({ recipient: 'ghost@networkutopia.com', action: 'failed', actionKey: 'mailLab.dsn.action.failed', status: '5.1.1', remoteMta: 'mail.networkutopia.com' }),
    ]);
    await queueEmpty();
  });

  it('the queue gives up after its lifetime: a 4.4.7 report, and the queue is empty', async () => {
    const queue = mailSystemOf(lab.services)?.queue;
    if (!queue) throw new Error('no mail system');
    queue.timing = { ...DEFAULT_TIMING, baseMs: 100, maxMs: 200, maxAgeMs: 800 };
    await lab['services.stop']('smtp-hamburger');
    try {
      const w = await Wire.open(port('smtp'));
      await w.reply();
      await w.cmd('EHLO alice-pc');
      await w.cmd('MAIL FROM:<alice@crepes.fr>');
      expect(await w.cmd('RCPT TO:<carol@hamburger.edu>')).toMatch(/^250 /);
      await w.cmd('DATA');
      expect(await w.cmd('Subject: while hamburger.edu is down\r\n\r\nhello\r\n.')).toMatch(/^250 /);
      await w.cmd('QUIT');
      const got = await popUntil('alice@crepes.fr', 'hungry', 'while hamburger.edu is down');
      expect(got.code, got.stderr).toBe(0);
      expect(got.stdout).toContain('Status: 4.4.7');
      expect(got.stdout).toContain('Action: failed');
      expect(got.stdout).toMatch(/Diagnostic-Code: smtp; still undeliverable after \d+ attempts: connection refused/);
      await queueEmpty();
    } finally {
      queue.timing = DEFAULT_TIMING;
      await lab['services.start']('smtp-hamburger');
    }
  });

  it('a bounce is never bounced: a failing MAIL FROM:<> message is dropped, nothing comes back', async () => {
    const before = await Promise.all(['alice@crepes.fr', 'postmaster@crepes.fr'].map(async (a) => (await lab['mail.mailbox'](a)).length));
    const w = await Wire.open(port('smtp'));
    await w.reply();
    await w.cmd('EHLO mailer-daemon');
    expect(await w.cmd('MAIL FROM:<>')).toMatch(/^250 <> \.\.\. Sender ok/);
    expect(await w.cmd('RCPT TO:<nobody@crepes.fr>')).toMatch(/^250 /);
    await w.cmd('DATA');
    expect(await w.cmd('From: MAILER-DAEMON@hamburger.edu\r\nSubject: a report for nobody\r\n\r\nx\r\n.')).toMatch(/^250 /);
    await w.cmd('QUIT');
    // refused by crepes.fr's MX...
    await waitFor(async () => {
      const records = await captured(lab);
      return records.some((r) => r.dir === 's2c' && /^550 nobody@crepes\.fr/.test(r.summary));
    }, 'the 550 from mail.crepes.fr');
    await queueEmpty();
    await new Promise((r) => setTimeout(r, 300));
    // ...and nothing generated in return
    expect((await lab['mail.queue']()).length).toBe(0);
    const after = await Promise.all(['alice@crepes.fr', 'postmaster@crepes.fr'].map(async (a) => (await lab['mail.mailbox'](a)).length));
    expect(after).toEqual(before);
    const [dropped] = await lab['mail.returned']();
    expect(dropped).toMatchObject({ from: '', dropped: true, recipients: [expect.objectContaining({ address: 'nobody@crepes.fr' })] });
  });
});

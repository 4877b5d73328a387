/**
 * mail-by-hand.yaml done start to finish through `netlab lab run`: the textbook's SMTP session
 * from an outside client (python3 smtplib, HELO and all), POP3 with poplib, a MIME image with
 * swaks. And the negative: a message sent with Compose (mail.send) reaches bob but does not
 * pass the typed-by-hand session.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLab, waitFor } from '../../helpers/lab';
import { allChecks, labRun, passedChecks, ROOT, type LabRun } from '../../helpers/lab-run';
import { PYTHON, run } from '../../helpers/proc';
import type { Lab } from '../../../src-main/lab/lab';

let lab: LabRun | undefined;
let inproc: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  await inproc?.shutdown();
  lab = undefined;
  inproc = undefined;
});

const SMTP_BY_HAND = `
import smtplib, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), local_hostname="crepes.fr")
print(s.helo("crepes.fr")[0])
print(s.mail("<alice@crepes.fr>")[0])
print(s.rcpt("<bob@hamburger.edu>")[0])
print(s.data(b"Do you like ketchup?\\r\\nHow about pickles?")[0])
print(s.quit()[0])
`;

const POP3 = `
import poplib, sys
p = poplib.POP3("127.0.0.1", int(sys.argv[1]))
p.user("bob"); p.pass_("hungry")
n = len(p.list()[1])
print(n, b"ketchup" in b"\\n".join(p.retr(1)[1]))
p.quit()
`;

describe('mail by hand through netlab lab run', () => {
  it('the SMTP session, POP3 and a MIME image each pass', async () => {
    lab = await labRun('mail-by-hand.yaml');
    const smtp = await run(PYTHON, ['-c', SMTP_BY_HAND, String(lab.ports['smtp-hamburger'])]);
    expect(smtp.stdout.split('\n').filter(Boolean)).toEqual(['250', '250', '250', '250', '221']);
    const session = await lab.passed('smtp-by-hand', 'session');
    // 12 messages: six commands (the content counts as one) and six replies
    expect(session.evidence.length).toBe(12);
    // the mailbox check points at the session that carried the message in: the same connection
    const delivered = await lab.passed('smtp-by-hand', 'delivered');
    expect(delivered.evidence).toEqual(expect.arrayContaining(session.evidence));

    const pop = await run(PYTHON, ['-c', POP3, String(lab.ports.pop3)]);
    expect(pop.stdout.trim()).toBe('1 True');
    await lab.passed('pop3', 'pop3-session');

    const png = path.join(ROOT, 'resources', 'sites', 'gaia.cs.umass.edu', 'wireshark-labs', 'pearson.png');
    const swaks = await run('swaks', ['--server', '127.0.0.1', '--port', String(lab.ports['smtp-hamburger']), '--helo', 'crepes.fr', '--from', 'alice@crepes.fr', '--to', 'bob@hamburger.edu', '--header', 'Subject: a picture', '--attach-type', 'image/png', '--attach', `@${png}`], { timeoutMs: 20_000 });
    expect(swaks.code, swaks.stdout + swaks.stderr).toBe(0);
    // ... and the attachment's check at swaks's session, not the one typed by hand
    const image = await lab.passed('mime', 'image-attachment');
    expect(image.evidence.length).toBeGreaterThan(0);
    expect(image.evidence.filter((id: number) => session.evidence.includes(id))).toEqual([]);
    expect(passedChecks(lab)).toEqual(allChecks(lab).sort());
  }, 90_000);

  it('a message sent with Compose reaches bob but does not pass the session typed by hand', async () => {
    const started = await startLab();
    inproc = started.lab;
    await inproc['labs.open']('shipped', 'mail-by-hand.yaml');
    const sent = await inproc['mail.send']({ from: 'alice@crepes.fr', to: ['bob@hamburger.edu'], subject: 'ketchup', text: 'Do you like ketchup?\nHow about pickles?' });
    expect(sent).toBeTruthy();
    // the relay delivered it to mail.hamburger.edu: the state check sees it in bob's mailbox
    await waitFor(async () => (await inproc!['labs.status']())?.tasks[0].checks.find((c) => c.id === 'delivered')?.passed, 'the message in bob mailbox', 15_000);
    // the whole SMTP exchange happened (Compose to the submission port, the relay to the MX)
    const captured = await inproc['capture.list']({ afterId: 0, limit: 10_000 });
    expect(captured.some((m) => m.service === 'smtp-hamburger' && /^QUIT/.test(m.summary))).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    const status = await inproc['labs.status']();
    expect(status?.tasks[0].checks.find((c) => c.id === 'session')?.passed).toBe(false);
  }, 60_000);

  it('the session typed in the lab terminal (telnet mail.hamburger.edu 25) passes too', async () => {
    const started = await startLab();
    inproc = started.lab;
    const l = inproc;
    await l['labs.open']('shipped', 'mail-by-hand.yaml');
    const { session } = await l['terminal.open']({ cols: 100, rows: 30 });
    let out = '';
    l.on('terminal.output', (o) => {
      out += o.data;
      void l['terminal.ack'](session, o.data.length);
    });
    // type a line once the server has said what the previous one waits for
    const type = async (line: string, expect: RegExp) => {
      const from = out.length;
      await l['terminal.input'](session, `${line}\r`);
      await waitFor(() => expect.test(out.slice(from)), `"${expect.source}" after ${line}`, 10_000);
    };
    await type('telnet mail.hamburger.edu 25', /^220 /m);
    await type('HELO crepes.fr', /^250 /m);
    await type('MAIL FROM: <alice@crepes.fr>', /^250 /m);
    await type('RCPT TO: <bob@hamburger.edu>', /^250 /m);
    await type('DATA', /^354 /m);
    await l['terminal.input'](session, 'Do you like ketchup?\rHow about pickles?\r');
    await type('.', /^250 /m);
    await type('QUIT', /^221 /m);
    const status = await waitFor(async () => {
      const s = await l['labs.status']();
      return s?.tasks[0].checks.every((c) => c.passed) ? s : null;
    }, 'the typed-by-hand task to pass', 10_000);
    expect(status.tasks[0].checks[0].evidence.length).toBe(12);
  }, 60_000);
});

/**
 * The submission server against real clients: its one name (mail.crepes.fr, Alice's mail
 * server in Kurose & Ross §2.3) in the greeting, EHLO and Received:, and what it does with
 * MAIL and RCPT parameters (RFC 5321 §4.1.1.11, RFC 6152's BODY=8BITMIME passed on by the
 * relay, SMTPUTF8 not offered), and a non-ASCII address echoed as it was written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/lab/api';
import type { Lab } from '../../../src-main/lab/lab';
import { captured, lastCapturedId, startLab, waitFor } from '../../helpers/lab';
import { Wire } from '../../helpers/mail-wire';
import { PYTHON, run } from '../../helpers/proc';

let lab: Lab;
let port: (id: string) => number;

beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(async () => {
  await lab.shutdown();
});

async function delivered(address: string, subject: string): Promise<string> {
  return waitFor(async () => (await lab['mail.mailbox'](address)).find((m) => m.subject === subject)?.uid, `${subject} in ${address}`, 8000);
}

/** submit one message over a raw socket, MAIL FROM with `params` */
async function submit(subject: string, params: string, body = 'caf\u00e9 au lait'): Promise<void> {
  const w = await Wire.open(port('smtp'));
  await w.reply();
  await w.cmd('EHLO alice-pc');
  expect(await w.cmd(`MAIL FROM:<alice@crepes.fr>${params}`)).toMatch(/^250 /);
  expect(await w.cmd('RCPT TO:<bob@hamburger.edu>')).toMatch(/^250 /);
  expect(await w.cmd('DATA')).toMatch(/^354 /);
  w.send(Buffer.from(`Subject: ${subject}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body}\r\n`, 'utf8'));
  expect(await w.cmd('.')).toMatch(/^250 /);
  await w.cmd('QUIT');
  w.close();
}

describe('one name for the submission server', () => {
  it('greets, answers EHLO and is stamped in Received: and the Path as mail.crepes.fr, for any lab user', async () => {
    const w = await Wire.open(port('smtp'));
    expect(await w.reply()).toBe('220 mail.crepes.fr\r\n');
    expect(await w.cmd('EHLO bob-pc')).toMatch(/^250-mail\.crepes\.fr Hello bob-pc/);
    w.close();
    const out = await run('swaks', ['--server', '127.0.0.1', '--port', String(port('smtp')), '--from', 'bob@hamburger.edu', '--to', 'alice@crepes.fr', '--helo', 'bob-pc', '--header', 'Subject: one name'], { timeoutMs: 15_000 });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('<-  220 mail.crepes.fr');
    const uid = await delivered('alice@crepes.fr', 'one name');
    const detail = await lab['mail.message']('alice@crepes.fr', uid);
    expect(detail?.hops[0]?.by).toBe('mail.crepes.fr');
    expect(detail?.hops[0]?.from).toContain('bob-pc');
    // the inspector names the user agent's server the same
    const sent = await lab['mail.send']({ from: 'alice@crepes.fr', to: ['bob@hamburger.edu'], subject: 'named in the inspector', text: 'hi' });
    expect(sent.ok, sent.error).toBe(true);
    const conns = await lab['capture.connections']();
    expect(conns.find((c) => c.service === 'smtp' && c.client.name?.includes('user agent'))?.server.name).toBe('mail.crepes.fr');
  });
});

describe('compose: what the preview shows is what is sent', () => {
  it('preview, then send: the delivered message has the preview\'s Message-ID and Date, and its bytes', async () => {
    const draft = {
      from: 'alice@crepes.fr',
      to: ['bob@hamburger.edu'],
      subject: 'previewed',
      text: 'Do you like ketchup?\n',
      attachments: [{ filename: 'a.txt', contentType: 'text/plain', base64: Buffer.from('pickles').toString('base64') }],
      messageId: '5f3a9c0e1b2d4f60.netlab@crepes.fr',
      date: '2026-12-05T21:16:59.000Z',
    };
    const preview = await lab['mail.preview'](draft);
    expect(preview).toContain('Message-ID: <5f3a9c0e1b2d4f60.netlab@crepes.fr>\r\n');
    expect(preview).toContain('Date: Sat, 5 Dec 2026 21:16:59 +0000\r\n');
    // a second preview of the same draft is the same message, MIME boundary included
    expect(await lab['mail.preview'](draft)).toBe(preview);
    const sent = await lab['mail.send'](draft);
    expect(sent.ok, sent.error).toBe(true);
    const uid = await delivered('bob@hamburger.edu', 'previewed');
    const detail = await lab['mail.message']('bob@hamburger.edu', uid);
    const header = (name: string) => detail?.headers.find((h) => h.name.toLowerCase() === name)?.value;
    expect(header('message-id')).toBe('<5f3a9c0e1b2d4f60.netlab@crepes.fr>');
    expect(header('date')).toBe('Sat, 5 Dec 2026 21:16:59 +0000');
    // after the lab's trace headers, the message delivered is the preview, byte for byte
    expect(detail?.raw.endsWith(preview)).toBe(true);
  });

  it('a Message-ID or Date that is not one is refused at the API door, before anything is sent', async () => {
    const base = { from: 'alice@crepes.fr', to: ['bob@hamburger.edu'], subject: 'bad', text: 'x' };
    await expect(dispatch(lab, 'mail.send', [{ ...base, messageId: 'two@ats@x' }])).rejects.toThrow(/bad argument 0\.messageId/);
    await expect(dispatch(lab, 'mail.preview', [{ ...base, date: 'yesterday' }])).rejects.toThrow(/bad argument 0\.date/);
    expect(await dispatch(lab, 'mail.preview', [{ ...base, messageId: 'a.b@crepes.fr', date: '2026-12-05T21:16:59Z' }])).toContain('Message-ID: <a.b@crepes.fr>');
  });
});

describe('MAIL and RCPT parameters', () => {
  it('BODY=8BITMIME is kept by the relay when the next hop offers 8BITMIME; a message without it is relayed without', async () => {
    await waitFor(() => lab['mail.queue']().then((q) => q.length === 0), 'an empty queue');
    const after = await lastCapturedId(lab);
    await submit('eight bit', ' BODY=8BITMIME');
    await delivered('bob@hamburger.edu', 'eight bit');
    await submit('no body param', '', 'plain ascii');
    await delivered('bob@hamburger.edu', 'no body param');
    const relayed = (await captured(lab)).filter((m) => m.id > after && m.service === 'smtp-hamburger' && m.dir === 'c2s' && m.summary.startsWith('MAIL FROM'));
    expect(relayed.map((m) => m.summary.replace(/\\r\\n$/, ''))).toEqual(['MAIL FROM:<alice@crepes.fr> BODY=8BITMIME', 'MAIL FROM:<alice@crepes.fr>']);
  });

  it('SMTPUTF8 (not offered) and unknown MAIL or RCPT parameters get 555; the session goes on', async () => {
    const w = await Wire.open(port('smtp'));
    await w.reply();
    const ehlo = await w.cmd('EHLO alice-pc');
    expect(ehlo).not.toContain('SMTPUTF8');
    expect(await w.cmd('MAIL FROM:<alice@crepes.fr> SMTPUTF8')).toMatch(/^555 5\.5\.4 SMTPUTF8: parameter not recognized/);
    expect(await w.cmd('MAIL FROM:<alice@crepes.fr> BODY=BINARYMIME')).toMatch(/^555 /);
    expect(await w.cmd('MAIL FROM:<alice@crepes.fr> SIZE=100 X-FOO=bar')).toMatch(/^555 5\.5\.4 X-FOO=bar/);
    expect(await w.cmd('MAIL FROM:<alice@crepes.fr> SIZE=ten')).toMatch(/^501 /);
    expect(await w.cmd('MAIL FROM:<alice@crepes.fr> size=100 body=8bitmime')).toMatch(/^250 /);
    expect(await w.cmd('RCPT TO:<bob@hamburger.edu> NOTIFY=NEVER')).toMatch(/^555 5\.5\.4 NOTIFY=NEVER/);
    expect(await w.cmd('RCPT TO:<bob@hamburger.edu>')).toMatch(/^250 /);
    expect(await w.cmd('DATA')).toMatch(/^354 /);
    expect(await w.cmd('Subject: after the 555s\r\n\r\nstill served\r\n.')).toMatch(/^250 /);
    await w.cmd('QUIT');
    w.close();
    await delivered('bob@hamburger.edu', 'after the 555s');
  });

  it('python3 smtplib: an unknown MAIL option is answered 555', async () => {
    const script = [
      'import smtplib',
      `s = smtplib.SMTP('127.0.0.1', ${port('smtp')}); s.ehlo('alice-pc')`,
      "print(s.mail('alice@crepes.fr', ['HOLDFOR=60'])[0])",
      "s.rset(); print(s.mail('alice@crepes.fr', ['BODY=8BITMIME'])[0])",
      's.quit()',
    ].join('\n');
    const out = await run(PYTHON, ['-c', script], { timeoutMs: 15_000 });
    expect(out.stdout.split('\n').slice(0, 2), out.stderr).toEqual(['555', '250']);
  });

  it('a 550 for a non-ASCII address echoes it in UTF-8, as swaks wrote it', async () => {
    const out = await run('swaks', ['--server', '127.0.0.1', '--port', String(port('smtp-hamburger')), '--from', 'alice@crepes.fr', '--to', 'b\u00f8b@hamburger.edu', '--helo', 'crepes.fr'], {
      timeoutMs: 15_000,
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    });
    expect(out.stdout).toContain('<** 550 b\u00f8b@hamburger.edu ... User unknown');
    expect(out.stdout).not.toContain('b\u00c3\u00b8b');
  });
});

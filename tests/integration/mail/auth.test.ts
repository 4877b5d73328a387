/**
 * SMTP AUTH on submission (RFC 4954): PLAIN with and without an initial response, LOGIN,
 * with swaks and python3's smtplib against the lab users' POP3 passwords; wrong credentials,
 * bad base64 and a cancelled exchange get their replies and the session goes on;
 * unauthenticated submission still works; an MX does not offer AUTH; the inspector decodes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { mailSystemOf } from '../../../src-main/lab/mail/mail-services';
import { DEFAULT_LOGIN_LIMITS } from '../../../src-main/lab/mail/login-throttle';
import { captured, startLab, waitFor } from '../../helpers/lab';
import { Wire } from '../../helpers/mail-wire';
import { run } from '../../helpers/proc';

const PY = '/usr/bin/python3';
let lab: Lab;
let port: (id: string) => number;

const b64 = (s: string): string => Buffer.from(s).toString('base64');

beforeAll(async () => {
  ({ lab, port } = await startLab());
  // one connection below walks every AUTH reply, four wrong passwords among them; the limits
  // on guessing are auth-throttle.test.ts's subject
  const mail = mailSystemOf(lab.services);
  if (mail) mail.logins.limits = { ...DEFAULT_LOGIN_LIMITS, delayMs: 100, perConnection: 5 };
});
afterAll(async () => {
  await lab.shutdown();
});

async function arrives(address: string, subject: string): Promise<string> {
  const box = await waitFor(async () => {
    const b = await lab['mail.mailbox'](address);
    return b.find((m) => m.subject === subject) ? b : null;
  }, `${subject} in ${address}`, 8000);
  const uid = box.find((m) => m.subject === subject)?.uid ?? '';
  return (await lab['mail.message'](address, uid))?.raw ?? '';
}

describe('AUTH with real clients', () => {
  const swaks = (...args: string[]) =>
    run('swaks', ['--server', '127.0.0.1', '--port', String(port('smtp')), '--helo', 'bob-laptop', ...args], { timeoutMs: 15_000 });

  it('swaks -a PLAIN: 235, the message goes through, Received says ESMTPA', async () => {
    const out = await swaks('-a', 'PLAIN', '-au', 'bob', '-ap', 'hungry', '--from', 'bob@hamburger.edu', '--to', 'alice@crepes.fr', '--header', 'Subject: auth plain');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/<- {2}250-AUTH PLAIN LOGIN/);
    expect(out.stdout).toMatch(/ -> AUTH PLAIN \S+/);
    expect(out.stdout).toContain('<-  235 2.7.0 Authentication successful');
    const raw = await arrives('alice@crepes.fr', 'auth plain');
    expect(raw).toMatch(/with ESMTPA \(authenticated as bob@hamburger\.edu\)/);
  });

  it('swaks -a LOGIN: the Username:/Password: challenges', async () => {
    const out = await swaks('-a', 'LOGIN', '-au', 'carol@hamburger.edu', '-ap', 'pickles', '--from', 'carol@hamburger.edu', '--to', 'bob@hamburger.edu', '--header', 'Subject: auth login');
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('<-  334 VXNlcm5hbWU6');
    expect(out.stdout).toContain('<-  334 UGFzc3dvcmQ6');
    expect(out.stdout).toContain('<-  235 2.7.0 Authentication successful');
    await arrives('bob@hamburger.edu', 'auth login');
  });

  it('swaks with a wrong password: 535 5.7.8', async () => {
    const out = await swaks('-a', 'PLAIN', '-au', 'bob', '-ap', 'ketchup', '--from', 'bob@hamburger.edu', '--to', 'alice@crepes.fr');
    expect(out.code).not.toBe(0);
    expect(out.stdout).toContain('<** 535 5.7.8 Authentication credentials invalid');
  });

  it('python3 smtplib login() (it picks a mechanism it likes), then sends; a wrong login raises', async () => {
    const script = `
import smtplib
s = smtplib.SMTP('127.0.0.1', ${port('smtp')}); s.ehlo('pierre-pc')
print('auth', s.esmtp_features.get('auth').strip())
try:
    s.login('pierre', 'croissant')
except smtplib.SMTPAuthenticationError as e:
    print('refused', e.smtp_code)
code, _ = s.login('pierre', 'baguette'); print('login', code)
s.sendmail('pierre@crepes.fr', ['dave@networkutopia.com'], 'Subject: smtplib auth\\r\\n\\r\\nbonjour\\r\\n'); s.quit()
for mech in ('PLAIN', 'LOGIN'):
    s = smtplib.SMTP('127.0.0.1', ${port('smtp')}); s.ehlo('pierre-pc')
    s.user, s.password = 'pierre', 'baguette'
    code, _ = s.auth(mech, getattr(s, 'auth_' + mech.lower()), initial_response_ok=(mech == 'PLAIN'))
    print(mech, code); s.quit()
`;
    const out = await run(PY, ['-c', script], { timeoutMs: 15_000 });
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('auth PLAIN LOGIN\nrefused 535\nlogin 235\nPLAIN 235\nLOGIN 235\n');
    await arrives('dave@networkutopia.com', 'smtplib auth');
  });
});

describe('AUTH typed by hand', () => {
  it('PLAIN without an initial response, bad base64, cancel, wrong mechanism, sequence errors; the session goes on', async () => {
    const w = await Wire.open(port('smtp'));
    await w.reply();
    expect(await w.cmd(`AUTH PLAIN ${b64('\0bob\0hungry')}`)).toMatch(/^503 /);
    await w.cmd('EHLO alice-pc');
    expect(await w.cmd('HELP')).toContain('AUTH');
    expect(await w.cmd('AUTH CRAM-MD5')).toMatch(/^504 5\.5\.4 /);
    expect(await w.cmd('AUTH')).toMatch(/^501 /);
    expect(await w.cmd('AUTH PLAIN not*base64')).toMatch(/^501 5\.5\.2 /);
    expect(await w.cmd('AUTH PLAIN')).toBe('334 \r\n');
    expect(await w.cmd('*')).toMatch(/^501 5\.7\.0 Authentication cancelled/);
    expect(await w.cmd('AUTH LOGIN')).toBe('334 VXNlcm5hbWU6\r\n');
    expect(await w.cmd('%%%')).toMatch(/^501 5\.5\.2 /);
    expect(await w.cmd('AUTH LOGIN')).toBe('334 VXNlcm5hbWU6\r\n');
    expect(await w.cmd(b64('alice'))).toBe('334 UGFzc3dvcmQ6\r\n');
    expect(await w.cmd(b64('wrong'))).toMatch(/^535 5\.7\.8 /);
    expect(await w.cmd(`AUTH LOGIN ${b64('alice')}`)).toBe('334 UGFzc3dvcmQ6\r\n'); // the user name as initial response
    expect(await w.cmd(b64('still wrong'))).toMatch(/^535 5\.7\.8 /);
    expect(await w.cmd(`AUTH PLAIN ${b64('\0nobody\0hungry')}`)).toMatch(/^535 5\.7\.8 /);
    expect(await w.cmd(`AUTH PLAIN ${b64('\0alice')}`)).toMatch(/^535 5\.7\.8 /); // one NUL: malformed PLAIN
    expect(await w.cmd(`AUTH PLAIN ${b64('bob@hamburger.edu\0alice\0hungry')}`)).toMatch(/^535 /); // acting for bob
    expect(await w.cmd('NOOP')).toBe('250 OK\r\n');
    expect(await w.cmd('MAIL FROM:<alice@crepes.fr>')).toMatch(/^250 /);
    expect(await w.cmd(`AUTH PLAIN ${b64('\0alice\0hungry')}`)).toMatch(/^503 5\.5\.1 .*transaction/);
    expect(await w.cmd('RSET')).toMatch(/^250 /);
    expect(await w.cmd('AUTH PLAIN')).toBe('334 \r\n');
    expect(await w.cmd(b64('\0alice@crepes.fr\0hungry'))).toBe('235 2.7.0 Authentication successful\r\n');
    expect(await w.cmd(`AUTH PLAIN ${b64('\0alice\0hungry')}`)).toMatch(/^503 5\.5\.1 Already/);
    expect(await w.cmd('MAIL FROM:<alice@crepes.fr>')).toMatch(/^250 /);
    expect(await w.cmd('QUIT')).toMatch(/^221 /);
    w.close();
  });

  it('unauthenticated submission still works (the textbook has no AUTH); an MX offers no AUTH', async () => {
    const w = await Wire.open(port('smtp'));
    await w.reply();
    await w.cmd('HELO alice-pc');
    expect(await w.cmd('MAIL FROM:<alice@crepes.fr>')).toMatch(/^250 /);
    expect(await w.cmd('RCPT TO:<bob@hamburger.edu>')).toMatch(/^250 /);
    w.close();
    const mx = await Wire.open(port('smtp-hamburger'));
    await mx.reply();
    expect(await mx.cmd('EHLO crepes.fr')).not.toContain('AUTH');
    expect(await mx.cmd('HELP')).not.toContain('AUTH');
    expect(await mx.cmd(`AUTH PLAIN ${b64('\0bob\0hungry')}`)).toMatch(/^502 /);
    mx.close();
  });

  it('the inspector decodes the AUTH lines (nothing masked: lab passwords)', async () => {
    const w = await Wire.open(port('smtp'));
    await w.reply();
    await w.cmd('EHLO dave-pc');
    await w.cmd('AUTH LOGIN');
    await w.cmd(b64('dave'));
    await w.cmd(b64('startup'));
    await w.cmd(`AUTH PLAIN ${b64('\0dave\0startup')}`);
    w.close();
    const records = await waitFor(async () => {
      const r = (await captured(lab)).filter((x) => x.service === 'smtp' && x.kind === 'message');
      return r.some((x) => x.summary.includes('user dave, password startup')) ? r : null;
    }, 'the AUTH lines captured');
    const summaries = records.map((r) => r.summary);
    expect(summaries.some((x) => /^334 VXNlcm5hbWU6.* \(challenge: "Username:"\)$/.test(x))).toBe(true);
    expect(summaries.some((x) => x.startsWith(b64('dave')) && x.endsWith('(AUTH response: "dave")'))).toBe(true);
    const plain = records.find((r) => r.summary.startsWith('AUTH PLAIN') && r.summary.includes('dave'));
    const fields = JSON.stringify((await lab['capture.detail'](plain?.id ?? -1))?.fields);
    expect(fields).toContain('"authcid (user)","value":"dave"');
    expect(fields).toContain('"password","value":"startup"');
  });
});

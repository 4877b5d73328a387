/** The IMAP tests' shared steps: python3's imaplib scripts, and SMTP deliveries to wait for. */
import { expect } from 'vitest';
import type { Lab } from '../../src-main/lab/lab';
import { waitFor } from './lab';
import { Wire } from './mail-wire';
import { run } from './proc';

export const PY = '/usr/bin/python3';

/** run a python3 script with `imaplib` imported and PORT set; what it prints, or the failure */
export async function imaplib(port: number, body: string, timeoutMs = 15_000): Promise<string> {
  const script = `import imaplib, smtplib, sys, time\nPORT = ${port}\n${body}\n`;
  const out = await run(PY, ['-c', script], { timeoutMs });
  expect(out.code, out.stderr + out.stdout).toBe(0);
  return out.stdout;
}

/** a message through hamburger.edu's (or another domain's) MX, then in the Maildir */
export async function deliver(lab: Lab, port: (id: string) => number, to: string, subject: string, body = 'Do you like ketchup?'): Promise<void> {
  const domain = to.split('@')[1].split('.')[0];
  const before = (await lab['mail.mailbox'](to)).length;
  const w = await Wire.open(port(`smtp-${domain}`));
  await w.reply();
  await w.cmd('HELO crepes.fr');
  await w.cmd('MAIL FROM:<alice@crepes.fr>');
  expect(await w.cmd(`RCPT TO:<${to}>`)).toMatch(/^250 /);
  await w.cmd('DATA');
  expect(await w.cmd(`From: Alice <alice@crepes.fr>\r\nTo: <${to}>\r\nSubject: ${subject}\r\n\r\n${body}\r\n.`)).toMatch(/^250 /);
  await w.cmd('QUIT');
  w.close();
  await waitFor(async () => (await lab['mail.mailbox'](to)).length > before, `${subject} in ${to}`);
}

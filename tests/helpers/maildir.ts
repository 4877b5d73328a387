/** Reading what a lab delivered, straight from its Maildirs on disk, and sending many messages. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { Lab } from '../../src-main/lab/lab';
import { waitFor } from './lab';
import { Wire } from './mail-wire';

/** The Subject of every message in a user's Maildir (new/ and cur/), one entry per file. */
export async function maildirSubjects(dataDir: string, domain: string, user: string): Promise<string[]> {
  const subjects: string[] = [];
  for (const sub of ['new', 'cur']) {
    const dir = path.join(dataDir, 'mail', domain, user, sub);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const text = await fs.readFile(path.join(dir, name), 'latin1').catch(() => '');
      const m = /^Subject: (.*)$/im.exec(text);
      if (m) subjects.push(m[1].trim());
    }
  }
  return subjects;
}

/** how many times each subject appears */
export function tally(subjects: string[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const s of subjects) n.set(s, (n.get(s) ?? 0) + 1);
  return n;
}

/**
 * Send one message per subject over one SMTP connection, as a client that goes on after a
 * refusal would; returns the subjects answered 250 after their data (the acknowledged ones).
 * Stops quietly when the server goes away (a lab killed mid-test).
 */
export async function sendEach(port: number, from: string, to: string, subjects: string[], body = 'hello'): Promise<string[]> {
  const acked: string[] = [];
  let w: Wire | undefined;
  try {
    w = await Wire.open(port);
    await w.reply();
    await w.cmd('EHLO client.example');
    for (const subject of subjects) {
      if (!/^250/.test(await w.cmd(`MAIL FROM:<${from}>`))) {
        await w.cmd('RSET');
        continue;
      }
      if (!/^250/.test(await w.cmd(`RCPT TO:<${to}>`))) {
        await w.cmd('RSET');
        continue;
      }
      if (!/^354/.test(await w.cmd('DATA'))) continue;
      const reply = await w.cmd(`From: <${from}>\r\nTo: <${to}>\r\nSubject: ${subject}\r\n\r\n${body}\r\n.`, 20_000);
      if (/^250 /.test(reply)) acked.push(subject);
    }
    await w.cmd('QUIT').catch(() => undefined);
  } catch {
    // the lab went away: what was acknowledged so far is the answer
  } finally {
    w?.close();
  }
  return acked;
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

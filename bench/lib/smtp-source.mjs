/**
 * postfix's smtp-source as the mail benches drive it (20 sessions, 1 KiB messages,
 * alice@crepes.fr → bob@hamburger.edu), and the wait until bob's Maildir in a lab holds what
 * was acknowledged. Needs Debian's postfix package; no postfix daemon is started.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sleep } from './lab.mjs';

export const SMTP_SOURCE = '/usr/sbin/smtp-source';

/** `count` messages to 127.0.0.1:`port`, one connection each or (`pipelined`) many per connection
 *  with PIPELINING: msg/s; throws if smtp-source fails or takes over 120 s */
export function smtpSource(port, count, pipelined = false) {
  const args = ['-s', '20', '-l', '1024', '-m', String(count), ...(pipelined ? ['-d'] : []), '-f', 'alice@crepes.fr', '-t', 'bob@hamburger.edu', `127.0.0.1:${port}`];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(SMTP_SOURCE, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(count / ((performance.now() - t0) / 1000));
      else reject(new Error(`smtp-source failed (${code}): ${stderr.slice(0, 300)}`));
    });
  });
}

/** how many messages bob's Maildir (new/) in the lab whose data directory is `labDir` holds */
export function bobsMessages(labDir) {
  const dir = path.join(labDir, 'data', 'mail', 'hamburger.edu', 'bob', 'new');
  return fs.existsSync(dir) ? fs.readdirSync(dir).length : 0;
}

/**
 * Seconds until bob's Maildir holds `expected` messages (at most 120 s). Counted in the Maildir
 * itself: asking the lab (mail.users lists every mailbox) would put a listing of 100k+ files on
 * the lab's main thread four times a second, slowing what it waits for.
 */
export async function untilDelivered(labDir, expected) {
  const t0 = performance.now();
  while (bobsMessages(labDir) < expected && performance.now() - t0 < 120_000) await sleep(250);
  return (performance.now() - t0) / 1000;
}

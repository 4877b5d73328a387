/**
 * The spool's promise — a 250 means the message is on disk and will be delivered once — when
 * the disk is damaged or full: one damaged journal byte costs one message and is reported;
 * a full disk answers 451, and what it acknowledged survives a restart while still full.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, startLab, waitFor } from '../../helpers/lab';
import { maildirSubjects, sendEach, tally } from '../../helpers/maildir';

const BOB = ['hamburger.edu', 'bob'] as const;

async function journals(dataDir: string): Promise<string[]> {
  const dir = path.join(dataDir, 'mail', 'spool');
  return (await fs.readdir(dir)).filter((n) => /^journal-\d+\.log$/.test(n)).map((n) => path.join(dir, n));
}

describe('a damaged journal', () => {
  it('one changed byte in the 3rd of 10 queued messages loses that one only, says so, and keeps the file', async () => {
    const first = await startLab();
    await first.lab['services.stop']('smtp-hamburger');
    const subjects = Array.from({ length: 10 }, (_, i) => `queued ${i + 1}`);
    expect(await sendEach(first.port('smtp'), 'alice@crepes.fr', 'bob@hamburger.edu', subjects)).toEqual(subjects);
    await waitFor(async () => (await first.lab['mail.queue']()).length === 10, 'ten queued');
    await first.lab.shutdown();

    // the third message's body, one bit flipped, as a bad disk block would return it
    let flipped = false;
    for (const file of await journals(first.dataDir)) {
      const buf = await fs.readFile(file);
      const at = buf.indexOf('Subject: queued 3\r\n');
      if (at < 0) continue;
      buf[at + 10] ^= 0x01;
      await fs.writeFile(file, buf);
      flipped = true;
    }
    expect(flipped).toBe(true);

    const again = await startLab(first.dataDir);
    try {
      await waitFor(async () => (await maildirSubjects(again.dataDir, ...BOB)).length === 9, 'nine delivered', 15_000);
      const got = tally(await maildirSubjects(again.dataDir, ...BOB));
      expect([...got.keys()].sort()).toEqual(subjects.filter((s) => s !== 'queued 3').sort());
      expect([...got.values()].every((n) => n === 1)).toBe(true);
      const damage = await again.lab['mail.spoolDamage']();
      expect(damage).toHaveLength(1);
      expect(damage[0].bytes).toBeGreaterThan(0);
      // kept aside for a look, not deleted, and not read again at the next start
      const kept = path.join(again.dataDir, 'mail', 'spool', damage[0].keptAs);
      await waitFor(async () => (await fs.stat(kept).catch(() => null))?.isFile(), 'damaged journal kept aside');
      expect(damage[0].keptAs).toMatch(/^damaged\//);
      await waitFor(async () => (await again.lab['mail.queue']()).length === 0, 'queue empty');
    } finally {
      await again.lab.shutdown();
    }
    const third = await startLab(first.dataDir);
    try {
      expect(await third.lab['mail.spoolDamage']()).toEqual([]);
      await new Promise((r) => setTimeout(r, 500));
      expect((await maildirSubjects(third.dataDir, ...BOB)).length).toBe(9);
    } finally {
      await third.lab.shutdown();
    }
  });
});

/** a tmpfs of `size` mounted over a new directory: a disk that fills up (needs root, as CI and this machine run) */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.runIf(canMount())('a full disk', () => {
  const mounts: string[] = [];
  afterAll(() => {
    for (const m of mounts) execFileSync('umount', ['-l', m]);
  });

  it('answers 451 when full, loses nothing it acknowledged across a restart while full, and delivers each once when space frees', async () => {
    const dir = await tempDir('netlab-full-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir]);
    mounts.push(dir);
    const first = await startLab(dir);
    const body = 'x'.repeat(70) + '\r\n';
    const subjects = Array.from({ length: 700 }, (_, i) => `full ${i + 1}`);
    const acked: string[] = [];
    // straight to hamburger.edu's MX: accepted there, delivered to Bob's Maildir on the same disk
    for (let i = 0; i < subjects.length; i += 100) {
      acked.push(...(await sendEach(first.port('smtp-hamburger'), 'alice@crepes.fr', 'bob@hamburger.edu', subjects.slice(i, i + 100), body.repeat(40))));
    }
    expect(acked.length).toBeGreaterThan(50);
    expect(acked.length).toBeLessThan(subjects.length); // the disk did fill up: some got 451
    await first.lab.shutdown();

    // restarted while the disk is still full: the journals cannot be carried over, so they stay
    const second = await startLab(dir);
    await new Promise((r) => setTimeout(r, 1000));
    await second.lab.shutdown();
    expect((await journals(dir)).length).toBeGreaterThan(0);

    execFileSync('mount', ['-o', 'remount,size=64m', dir]);
    const third = await startLab(dir);
    try {
      await waitFor(async () => {
        const got = new Set(await maildirSubjects(dir, ...BOB));
        return acked.every((s) => got.has(s));
      }, 'every acknowledged message delivered', 30_000);
      await new Promise((r) => setTimeout(r, 500));
      const got = tally(await maildirSubjects(dir, ...BOB));
      const twice = [...got].filter(([, n]) => n > 1).map(([s]) => s);
      expect(twice).toEqual([]);
      expect(acked.filter((s) => !got.has(s))).toEqual([]);
    } finally {
      await third.lab.shutdown();
    }
  }, 120_000);
});

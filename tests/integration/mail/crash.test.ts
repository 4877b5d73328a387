/**
 * kill -9 while the queue relays: `netlab serve` killed at once, again and again, in the middle
 * of relaying from submission to hamburger.edu's MX. Every message submission acknowledged
 * reaches Bob exactly once — the relay's second try after a crash is recognised by the MX.
 */
import { describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../../helpers/lab';
import { maildirSubjects, sendEach, tally } from '../../helpers/maildir';
import { serve, type Served } from '../../helpers/serve';

const ROUNDS = 8;
const PER_ROUND = 100;
const CONNECTIONS = 4;

function kill9(s: Served): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    s.child.kill('SIGKILL');
  });
}

describe('kill -9 during relay', () => {
  it('every acknowledged message is delivered exactly once', async () => {
    const dataDir = await tempDir('netlab-crash-');
    const acked: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const lab = await serve({ dataDir });
      const port = lab.ports.smtp;
      if (typeof port !== 'number') throw new Error('no submission port');
      const subjects = Array.from({ length: PER_ROUND }, (_, i) => `round ${round} message ${i}`);
      const per = Math.ceil(PER_ROUND / CONNECTIONS);
      const sending = Array.from({ length: CONNECTIONS }, (_, c) =>
        sendEach(port, 'alice@crepes.fr', 'bob@hamburger.edu', subjects.slice(c * per, (c + 1) * per)),
      );
      // killed while the queue is relaying what was just acknowledged (and some sending is still going on)
      const delivered = (await maildirSubjects(dataDir, 'hamburger.edu', 'bob')).length;
      await waitFor(async () => (await maildirSubjects(dataDir, 'hamburger.edu', 'bob')).length > delivered + 10, 'relay under way', 20_000);
      await kill9(lab);
      for (const a of await Promise.all(sending)) acked.push(...a);
    }
    expect(acked.length).toBeGreaterThan(ROUNDS * 10);

    const last = await serve({ dataDir });
    try {
      await waitFor(async () => {
        const got = new Set(await maildirSubjects(dataDir, 'hamburger.edu', 'bob'));
        return acked.every((s) => got.has(s));
      }, 'every acknowledged message delivered', 30_000);
      // anything replayed late would show up now
      await new Promise((r) => setTimeout(r, 1500));
      const got = tally(await maildirSubjects(dataDir, 'hamburger.edu', 'bob'));
      expect([...got].filter(([, n]) => n > 1).map(([s]) => s)).toEqual([]);
      expect(acked.filter((s) => !got.has(s))).toEqual([]);
    } finally {
      await last.stop();
    }
  }, 180_000);
});

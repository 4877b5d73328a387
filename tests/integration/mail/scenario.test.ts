/**
 * The shipped mail scenario, loaded as a user starts it: hamburger.edu's server is down, a
 * message for Bob waits in the queue with failed attempts, and is delivered once the server
 * is started from the rail (the API the rail calls); the relay hop pays the scenario's delay.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Lab } from '../../../src-main/lab/lab';
import { RESOURCES, captured, tempDir, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.shutdown();
  lab = undefined;
});

describe('mail-queue.yaml', () => {
  it('the next hop is down: queued with failed attempts; started from the rail: delivered once, each relay command a slow round trip', async () => {
    const dataDir = await tempDir();
    const l = new Lab({ dataDir, resourcesDir: RESOURCES, shell: 'browser', ports: new Proxy({}, { get: () => 0 }) });
    lab = l;
    await l.start(await l.scenarios.load(path.join(RESOURCES, 'scenarios', 'mail-queue.yaml')));
    const service = (id: string) => l.services.find((s) => s.id === id)!;
    expect(service('smtp-hamburger').state).toBe('stopped');
    expect(service('smtp-hamburger').link.delayMs).toBe(80);

    const out = await run('swaks', ['--server', '127.0.0.1', '--port', String(service('smtp').port), '--from', 'alice@crepes.fr', '--to', 'bob@hamburger.edu', '--header', 'Subject: queued', '--body', 'Do you like ketchup?'], { timeoutMs: 15_000 });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const [waiting] = await waitFor(async () => {
      const q = await l['mail.queue']();
      // waiting between attempts (on a busy machine a third one may be under way: wait for it to fail too)
      return q.length === 1 && q[0].attempts >= 2 && q[0].state === 'queued' ? q : null;
    }, 'two failed attempts', 15_000);
    expect(waiting).toMatchObject({ domain: 'hamburger.edu', rcpts: ['bob@hamburger.edu'], state: 'queued' });
    expect(waiting.lastError).toBeTruthy();

    await l['services.start']('smtp-hamburger');
    await l['mail.retry']();
    const bobNew = path.join(dataDir, 'mail', 'hamburger.edu', 'bob', 'new');
    await waitFor(async () => (await fs.readdir(bobNew).catch(() => [])).length === 1, "delivery to Bob's Maildir", 10_000);
    // the relay's session ends (QUIT, 221) a round trip later: then the queue is empty
    await waitFor(async () => (await l['mail.queue']()).length === 0, 'an empty queue', 5_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await fs.readdir(bobNew)).toHaveLength(1);

    // the relay hop as the inspector shows it: EHLO → 250 took at least the two link delays
    l.store.flush();
    const hop = (await captured(l)).filter((m) => m.service === 'smtp-hamburger' && m.kind === 'message');
    const ehlo = hop.find((m) => m.dir === 'c2s' && /^EHLO /.test(m.summary));
    const reply = hop.find((m) => m.dir === 's2c' && m.id > (ehlo?.id ?? 0));
    expect(ehlo && reply).toBeTruthy();
    expect(reply!.t - ehlo!.t).toBeGreaterThanOrEqual(80 - 5);
  });
});

describe('mail-imap.yaml', () => {
  it('imap is a scenario key like pop3: its link delay makes each tagged command a round trip', async () => {
    const l = new Lab({ dataDir: await tempDir(), resourcesDir: RESOURCES, shell: 'browser', ports: new Proxy({}, { get: () => 0 }) });
    lab = l;
    await l.start(await l.scenarios.load(path.join(RESOURCES, 'scenarios', 'mail-imap.yaml')));
    const imap = l.services.find((s) => s.id === 'imap')!;
    expect(imap.state).toBe('running');
    expect(imap.link.delayMs).toBe(40);
    const out = await run('curl', ['-sS', '--max-time', '10', '-u', 'bob:hungry', `imap://127.0.0.1:${imap.port}/`]);
    expect(out.stdout, out.stderr).toContain('* LIST (\\HasNoChildren) "." "INBOX"');
    l.store.flush();
    const msgs = (await captured(l)).filter((m) => m.service === 'imap' && m.kind === 'message');
    const list = msgs.find((m) => m.dir === 'c2s' && / LIST /.test(m.summary));
    const done = msgs.find((m) => m.dir === 's2c' && m.id > (list?.id ?? 0));
    expect(done?.summary).toMatch(/^\S+ OK LIST completed/);
    // the command crossed the 40 ms link before the server could answer it
    expect(done!.t - list!.t).toBeGreaterThanOrEqual(40 - 5);
  });
});

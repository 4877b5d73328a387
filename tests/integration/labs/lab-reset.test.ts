/**
 * A lab's resets (dns.yaml: the zones as before networkutopia.com's registration; mail-by-hand:
 * bob's mailbox; http.yaml: the sites as shipped) apply when it starts afresh and on "Restart
 * lab", not when a student reopens a lab in progress.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCES, startLab, waitFor } from '../../helpers/lab';
import { sendEach } from '../../helpers/maildir';
import { run } from '../../helpers/proc';
import type { Lab } from '../../../src-main/lab/lab';
import type { LabStatus } from '../../../src-main/lab/labs/lab-types';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.shutdown();
  lab = undefined;
});

const passed = (s: LabStatus | null, task: string, check: string): boolean | undefined => s?.tasks.find((t) => t.id === task)?.checks.find((c) => c.id === check)?.passed;

/** curl's status code for a request to a lab site, by its Host */
async function curl(port: number, host: string, urlPath: string, args: string[] = []): Promise<string> {
  const r = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', `Host: ${host}`, ...args, `http://127.0.0.1:${port}${urlPath}`], { timeoutMs: 20_000 });
  return r.stdout.trim();
}

const registered = async (l: Lab): Promise<boolean> => /^networkutopia\.com\.\s+IN\s+NS/m.test((await l['dns.readZone']('com')).text);

describe('lab resets', () => {
  it('zones reset on the first open and on restart, kept on reopening', async () => {
    const started = await startLab();
    lab = started.lab;
    expect(await registered(lab)).toBe(true);
    await lab['labs.open']('shipped', 'dns.yaml');
    expect(await registered(lab)).toBe(false);
    const saved = await lab['dns.saveZone']('com', await fs.readFile(path.join(RESOURCES, 'zones', 'com.zone'), 'utf8'));
    expect(saved.ok).toBe(true);
    await waitFor(async () => (await lab!['labs.status']())?.tasks.find((t) => t.id === 'register')?.checks.find((c) => c.id === 'ns')?.passed, 'the NS check to pass');
    await lab['labs.close']();
    const reopened = await lab['labs.open']('shipped', 'dns.yaml');
    expect(await registered(lab)).toBe(true);
    expect(reopened.tasks.find((t) => t.id === 'register')?.checks.find((c) => c.id === 'ns')?.passed).toBe(true);
    const restarted = await lab['labs.restart']();
    expect(await registered(lab)).toBe(false);
    expect(restarted.tasks.find((t) => t.id === 'register')?.checks.find((c) => c.id === 'ns')?.passed).toBe(false);
  }, 30_000);

  it('restart empties bob\'s mailbox (mail-by-hand) and brings the shipped sites back (http)', async () => {
    const started = await startLab();
    lab = started.lab;
    await lab['labs.open']('shipped', 'mail-by-hand.yaml');
    expect(await sendEach(started.port('smtp-hamburger'), 'alice@crepes.fr', 'bob@hamburger.edu', ['Do you like ketchup?'])).toEqual(['Do you like ketchup?']);
    await waitFor(async () => passed(await lab!['labs.status'](), 'smtp-by-hand', 'delivered'), 'the mailbox check to pass');
    expect((await lab['mail.mailbox']('bob@hamburger.edu')).length).toBe(1);
    const restarted = await lab['labs.restart']();
    expect(await lab['mail.mailbox']('bob@hamburger.edu')).toEqual([]);
    expect(passed(restarted, 'smtp-by-hand', 'delivered')).toBe(false);
    // the mail system goes on: a new message is delivered, and passes the check again
    expect(await sendEach(started.port('smtp-hamburger'), 'alice@crepes.fr', 'bob@hamburger.edu', ['again'])).toEqual(['again']);
    await waitFor(async () => passed(await lab!['labs.status'](), 'smtp-by-hand', 'delivered'), 'the mailbox check to pass again');

    // a message waiting in the relay queue (bob's server down) is dropped, not delivered after the restart
    await lab['services.stop']('smtp-hamburger');
    expect(await sendEach(started.port('smtp'), 'alice@crepes.fr', 'bob@hamburger.edu', ['queued'])).toEqual(['queued']);
    await waitFor(async () => (await lab!['mail.queue']()).length === 1, 'the message to wait in the queue');
    await lab['labs.restart']();
    expect(await lab['mail.queue']()).toEqual([]);
    await lab['services.start']('smtp-hamburger').catch(() => undefined);
    await lab['mail.retry']();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await lab['mail.mailbox']('bob@hamburger.edu')).toEqual([]);

    // an upload (PUT with the site's account) and an edit of a shipped page are gone after restart
    await lab['labs.open']('shipped', 'http.yaml');
    const http = started.port('http');
    const gaia = 'gaia.cs.umass.edu';
    expect(await curl(http, gaia, '/uploaded.txt', ['-T', '-', '-u', 'wireshark-students:network'])).toMatch(/^20[14]$/);
    expect(await curl(http, gaia, '/uploaded.txt')).toBe('200');
    await lab['web.saveFile'](gaia, '/wireshark-labs/HTTP-wireshark-file1.html', '<html>edited</html>\n');
    expect((await lab['web.readFile'](gaia, '/wireshark-labs/HTTP-wireshark-file1.html')).modified).toBe(true);
    expect(await curl(http, gaia, '/wireshark-labs/HTTP-wireshark-file1.html')).toBe('200');
    await waitFor(async () => passed(await lab!['labs.status'](), 'basic', 'get-file1'), 'the GET check to pass');
    const again = await lab['labs.restart']();
    expect(await curl(http, gaia, '/uploaded.txt')).toBe('404');
    const page = await lab['web.readFile'](gaia, '/wireshark-labs/HTTP-wireshark-file1.html');
    expect(page.modified).toBe(false);
    expect(page.text).not.toContain('edited');
    expect((await lab['web.sites']()).flatMap((x) => x.files).filter((f) => f.modified)).toEqual([]);
    expect(passed(again, 'basic', 'get-file1')).toBe(false);
  }, 60_000);
});

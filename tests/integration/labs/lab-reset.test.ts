/**
 * A lab's resets (dns.yaml: the zones as before networkutopia.com's registration) apply when
 * it starts afresh and on "Restart lab", not when a student reopens a lab in progress.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCES, startLab, waitFor } from '../../helpers/lab';
import type { Lab } from '../../../src-main/lab/lab';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.shutdown();
  lab = undefined;
});

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
});

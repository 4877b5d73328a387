/**
 * Lab scenarios through the API the Scenarios tab calls: the shipped files listed, a file
 * applied to a running lab (services stopped and started, links set and reset, web switches
 * back to their defaults), a bad file refused at its line with the lab unchanged, a user copy
 * saved into the data directory.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src-main/lab/lab';
import { startLab } from '../helpers/lab';
import { run } from '../helpers/proc';

let lab: Lab;
let dataDir: string;
beforeAll(async () => {
  ({ lab, dataDir } = await startLab());
});
afterAll(async () => {
  await lab.shutdown();
});

const state = async (id: string) => (await lab['services.list']()).find((s) => s.id === id)!;
const text = async (name: string) => (await lab['scenarios.files']()).find((f) => f.name === name)!.text;

describe('lab scenarios', () => {
  it('lists the shipped lab scenarios (not the swarm ones)', async () => {
    const files = await lab['scenarios.files']();
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['echo-lossy-udp.yaml', 'mail-queue.yaml', 'web-caching.yaml']));
    expect(files.every((f) => f.shipped && !f.name.startsWith('swarm-'))).toBe(true);
  });

  it('applies one file after another: each describes the lab, nothing of the one before stays', async () => {
    await lab['scenarios.apply'](await text('mail-queue.yaml'));
    expect(await state('smtp-hamburger')).toMatchObject({ state: 'stopped', link: { delayMs: 80 } });
    // a real client sees it: the MX refuses connections
    const refused = await run('nc', ['-z', '-w', '2', '127.0.0.1', String((await state('smtp-hamburger')).port)]);
    expect(refused.code).not.toBe(0);

    await lab['scenarios.apply'](await text('web-caching.yaml'));
    expect(await state('smtp-hamburger')).toMatchObject({ state: 'running', link: { delayMs: 0 } });
    expect(await lab['web.proxyStatus']()).toMatchObject({ cacheEnabled: true, internetDelayMs: 2000, accessKbps: 15000 });
    expect((await lab['web.settings']()).maxAgeSec).toBe(3600);

    await lab['scenarios.apply']('name: back to the defaults\n');
    expect(await lab['web.proxyStatus']()).toMatchObject({ internetDelayMs: 0, accessKbps: 0 });
    expect((await lab['web.settings']()).maxAgeSec).toBe(10);
    // every service as at start: running, except the DHT ring, which waits to be started
    const services = await lab['services.list']();
    expect(services.filter((s) => s.state !== 'running').map((s) => s.id)).toEqual(['dht']);
    expect(services.every((s) => s.link.delayMs === 0)).toBe(true);
  });

  it('a bad file is refused at its line and the lab stays as it was', async () => {
    const bad = 'name: typo\nservices:\n  smtp-hamburger: { enabled: false }\n  smpt-crepes: { enabled: false }\n';
    expect(await lab['scenarios.validate'](bad)).toMatchObject({ ok: false, line: 4 });
    await expect(lab['scenarios.apply'](bad)).rejects.toThrow(/line 4: .*no service called smpt-crepes/);
    expect(await state('smtp-hamburger')).toMatchObject({ state: 'running' });
    expect(await lab['scenarios.validate']('name: fine\n')).toEqual({ ok: true });
  });

  it('saves a user copy in the data directory, listed after the shipped files', async () => {
    const saved = await lab['scenarios.save']('my-lab.yaml', 'name: mine\nservices:\n  echo-udp: { link: { lossRate: 0.5 } }\n');
    expect(saved.path).toBe(path.join(dataDir, 'scenarios', 'my-lab.yaml'));
    expect(await fs.readFile(saved.path, 'utf8')).toContain('lossRate: 0.5');
    const files = await lab['scenarios.files']();
    expect(files[files.length - 1]).toMatchObject({ name: 'my-lab.yaml', shipped: false });
  });
});

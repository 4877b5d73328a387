/**
 * A lab or scenario file opened from outside, in the lab core: offering it changes nothing and
 * says what applying it would change; applying a scenario makes the lab what it says (as
 * `netlab serve --scenario` does); applying a lab saves the user's copy and opens it; a file
 * with a mistake names its line and is never applied; a stale or dismissed offer is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import type { OpenedFile } from '../../../src-main/lab/api';
import { RESOURCES, startLab } from '../../helpers/lab';
import { english } from '../../../src-main/lab/lab-text';
import { labText } from '../../../src-renderer/src/i18n/lab-text';
import { rememberLocale } from '../../../src-renderer/src/i18n/locale';

let lab: Lab;
let dataDir: string;
const heard: OpenedFile[] = [];
beforeAll(async () => {
  ({ lab, dataDir } = await startLab());
  lab.on('files.offered', (f) => heard.push(f));
});
afterAll(() => lab.shutdown());

const state = async (id: string) => (await lab['services.list']()).find((s) => s.id === id)!;

describe('opened files', () => {
  it('a scenario: offered with its changes, nothing changed until applied, then applied', async () => {
    const text = 'name: lossy echo\nservices:\n  echo-udp: { link: { lossRate: 0.3, delayMs: 50 } }\n  pop3: { enabled: false }\n';
    const offer = await lab['files.offer']('lossy.netlab-scenario.yaml', text);
    expect(heard.at(-1)).toEqual(offer);
    expect(offer).toMatchObject({ kind: 'scenario', title: 'lossy echo' });
    expect(offer.changes).toEqual(expect.arrayContaining([expect.stringContaining('stops pop3'), 'echo-udp: 50 ms delay, 30 % loss']));
    expect(await lab['files.pending']()).toEqual(offer);
    expect((await state('pop3')).state).toBe('running');
    expect(await lab['files.apply'](offer.id)).toEqual({ kind: 'scenario' });
    expect((await state('pop3')).state).toBe('stopped');
    expect((await state('echo-udp')).link).toMatchObject({ lossRate: 0.3, delayMs: 50 });
    expect(await lab['files.pending']()).toBeNull();
    // applied once: the same offer cannot be applied again
    await expect(lab['files.apply'](offer.id)).rejects.toThrow(/no longer waiting/);
  });

  it('a lab (.netlab, told by its tasks): saved as the user copy and opened in the Labs tab', async () => {
    const text = fs.readFileSync(path.join(RESOURCES, 'labs', 'dns.yaml'), 'utf8');
    const offer = await lab['files.offer']('Week 3 DNS.netlab', text);
    expect(offer).toMatchObject({ kind: 'lab', title: "DNS: the Internet's directory service" });
    expect(offer.changes[1]).toContain('week-3-dns.yaml');
    expect(await lab['labs.status']()).toBeNull();
    expect(await lab['files.apply'](offer.id)).toEqual({ kind: 'lab', labFile: 'week-3-dns.yaml' });
    expect(await lab['labs.status']()).toMatchObject({ file: 'week-3-dns.yaml', origin: 'user' });
    expect(fs.readFileSync(path.join(dataDir, 'labs', 'week-3-dns.yaml'), 'utf8')).toBe(text);
  });

  it('a file with a mistake: its line is named, it is never applied; a newer offer replaces an older one', async () => {
    const bad = await lab['files.offer']('broken.netlab-scenario.yaml', 'name: x\nservices:\n  echo-udp: { link: { lossRate: 3 } }\n');
    expect(bad.error).toMatch(/^line 3: /);
    expect(bad.changes).toEqual([]);
    await expect(lab['files.apply'](bad.id)).rejects.toThrow(/has a mistake/);
    const badLab = await lab['files.offer']('x.netlab-lab.yaml', 'title: t\ntasks: 5\n');
    expect(badLab.error).toMatch(/^line \d+: /);
    const first = await lab['files.offer']('a.netlab-scenario.yaml', 'name: a\n');
    const second = await lab['files.offer']('b.netlab-scenario.yaml', 'name: b\n');
    await expect(lab['files.apply'](first.id)).rejects.toThrow(/no longer waiting/);
    await lab['files.dismiss'](second.id);
    expect(await lab['files.pending']()).toBeNull();
    await expect(lab['files.apply'](second.id)).rejects.toThrow(/no longer waiting/);
    // the lab kept serving: the echo is still there
    expect((await state('echo-tcp')).state).toBe('running');
  });

  it('each line carries its catalogue message: its English is the line, the UI shows it in Chinese; so does a mistake', async () => {
    const offer = await lab['files.offer']('lossy.netlab-scenario.yaml', 'name: x\nservices:\n  echo-udp: { link: { lossRate: 0.3, delayMs: 50 } }\n  pop3: { enabled: false }\n');
    expect(offer.changesText?.map((m) => english(m))).toEqual(offer.changes);
    const badLab = await lab['files.offer']('bad.netlab-lab.yaml', 'title: T\nsection: s\ntasks: 3\n');
    expect(badLab.errorText && english(badLab.errorText)).toBe(badLab.error);
    rememberLocale('zh-CN');
    expect(offer.changes.map((c, i) => labText(c, offer.changesText?.[i]))).toEqual(['停止 pop3；其他服务都运行', 'echo-udp：50 ms 时延，30 % 丢包', '文件没有设置的链路恢复为理想链路']);
    expect(labText(badLab.error!, badLab.errorText)).toMatch(/^第 \d+ 行：/);
    rememberLocale('en');
    await lab['files.dismiss'](badLab.id);
  });
});

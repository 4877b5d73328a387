/**
 * The desktop habits' small parts: one instance (a refused lock quits; a second launch's file
 * argument is found), recent files (newest first, no repeats, at most ten, survive a restart,
 * a damaged list is ignored), and notifications of passed checks only while the window is in
 * the background.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileArgument } from '../../../src-main/desktop/file-args';
import { claimSingleInstance } from '../../../src-main/desktop/single-instance';
import { RECENT_FILE, RecentFiles } from '../../../src-main/desktop/recent-files';
import { notifyPassedChecks } from '../../../src-main/desktop/check-notifications';
import { LabEventBus } from '../../../src-main/lab/events';
import { CaptureStore } from '../../../src-main/lab/capture/store';
import type { LabStatus } from '../../../src-main/lab/api';

describe('one instance', () => {
  it('the second launch quits at once; the first hears its command line', () => {
    const heard: unknown[] = [];
    const handlers = new Map<string, (...a: unknown[]) => void>();
    const app = (lock: boolean) => ({
      quits: 0,
      requestSingleInstanceLock: () => lock,
      on(ev: string, fn: (...a: unknown[]) => void) {
        handlers.set(ev, fn);
        return this;
      },
      quit() {
        this.quits++;
      },
    });
    const second = app(false);
    expect(claimSingleInstance(second as never, () => undefined)).toBe(false);
    expect(second.quits).toBe(1);
    const first = app(true);
    expect(claimSingleInstance(first as never, (argv, cwd) => heard.push([argv, cwd]))).toBe(true);
    handlers.get('second-instance')!({}, ['/opt/NetLab/netlab', 'x.netlab'], '/home/s');
    expect(heard).toEqual([[['/opt/NetLab/netlab', 'x.netlab'], '/home/s']]);
    expect(first.quits).toBe(0);
  });

  it('the file argument: the last lab or scenario file, relative to the launching directory', () => {
    expect(fileArgument(['/opt/NetLab/netlab', 'labs/dns.netlab'], '/home/s')).toBe(path.resolve('/home/s/labs/dns.netlab'));
    expect(fileArgument(['electron', '.', '--devtools', '/tmp/a.netlab-scenario.yaml'], '/x')).toBe(path.resolve('/tmp/a.netlab-scenario.yaml'));
    expect(fileArgument(['/opt/NetLab/netlab', '--enable-logging', 'notes.txt'], '/x')).toBeNull();
    expect(fileArgument(['/opt/NetLab/netlab'], '/x')).toBeNull();
  });
});

describe('recent files', () => {
  it('newest first, no repeats, ten at most, kept across a restart and handed to the system', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlab-recent-'));
    const system: string[] = [];
    const sys = { addRecentDocument: (f: string) => void system.push(f), clearRecentDocuments: () => void system.splice(0) };
    const recent = new RecentFiles(dir, sys);
    for (let i = 0; i < 12; i++) recent.add(`/labs/${i}.netlab`);
    recent.add('/labs/5.netlab');
    expect(recent.files()[0]).toBe('/labs/5.netlab');
    expect(recent.files()).toHaveLength(10);
    expect(new Set(recent.files()).size).toBe(10);
    expect(system.at(-1)).toBe('/labs/5.netlab');
    expect(new RecentFiles(dir, sys).files()).toEqual(recent.files());
    recent.clear();
    expect(new RecentFiles(dir, sys).files()).toEqual([]);
    expect(system).toEqual([]);
    fs.writeFileSync(path.join(dir, RECENT_FILE), '{"not":"a list"}');
    expect(new RecentFiles(dir, sys).files()).toEqual([]);
  });
});

describe('notifications of passed checks', () => {
  const status = { file: 'dns.yaml', title: 'DNS lab', tasks: [{ id: 'dig', title: 'A query', checks: [{ id: 'query', label: 'a query answered' }] }] } as unknown as LabStatus;
  const passed = { file: 'dns.yaml', task: 'dig', check: 'query', passedAt: 1, evidence: [] };

  it('only while the window is in the background, naming the check and the lab', () => {
    const bus = new LabEventBus(new CaptureStore(1000));
    let focused = true;
    const shown: Array<[string, string]> = [];
    const off = notifyPassedChecks(bus, () => focused, { notify: (t, b) => void shown.push([t, b]) });
    bus.emit('labs.status', status);
    bus.emit('labs.passed', passed);
    expect(shown).toEqual([]);
    focused = false;
    bus.emit('labs.passed', passed);
    expect(shown).toEqual([['NetLab: check passed — DNS lab', '✓ a query answered (A query)']]);
    off();
    bus.emit('labs.passed', passed);
    expect(shown).toHaveLength(1);
  });
});

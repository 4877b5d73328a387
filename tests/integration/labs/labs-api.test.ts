/** The labs.* API on a real lab: the list, validation at a line, open, a check turned ✓ by real traffic, progress kept. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabCheckPassed, LabStatus } from '../../../src-main/lab/api';
import { startLab, waitFor } from '../../helpers/lab';
import type { Lab } from '../../../src-main/lab/lab';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.shutdown();
  lab = undefined;
});

function tcpSay(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(`${line}\n`));
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
}

describe('labs API', () => {
  it('lists the shipped labs, refuses a mistake at its line, and turns a traffic check ✓ from an outside client', async () => {
    const started = await startLab();
    lab = started.lab;
    const list = await lab['labs.list']();
    expect(list.map((l) => l.file)).toContain('sockets.yaml');
    const bad = await lab['labs.validate']('title: x\nsection: y\ntasks:\n  - id: a\n    titel: oops\n');
    expect(bad.ok).toBe(false);
    expect(bad.error?.line).toBe(5);
    await expect(lab['labs.save']('mine.yaml', 'title: x\nsection: y\ntasks: []\n')).rejects.toThrow(/line 3/);

    const statuses: LabStatus[] = [];
    const passed: LabCheckPassed[] = [];
    lab.on('labs.status', (s) => statuses.push(s));
    lab.on('labs.passed', (p) => passed.push(p));
    const status = await lab['labs.open']('shipped', 'sockets.yaml');
    expect(status.tasks.map((t) => t.id)).toEqual(['tcp-terminal', 'tcp-outside', 'udp', 'tcp-server', 'web-server']);
    expect(await tcpSay(started.port('echo-tcp'), 'hello there')).toBe('HELLO THERE\n');
    const p = await waitFor(() => passed.find((x) => x.check === 'echoed-outside'), 'the outside echo check to pass');
    expect(p.evidence.length).toBe(2);
    // the terminal's check is not satisfied by an outside client
    expect(passed.find((x) => x.check === 'echoed')).toBeUndefined();
    const hinted = await lab['labs.hint']('tcp-terminal');
    expect(hinted.tasks[0].hintsShown.length).toBe(1);
    const prog = await lab['labs.runProgram']('udp', 'udp-count').catch((e: Error) => e.message);
    expect(prog).toMatch(/not a program check/);
    const report = await lab['labs.report']('Ada <Lovelace>');
    expect(report.html).toContain('Ada &lt;Lovelace&gt;');
    expect(report.html).not.toMatch(/<script|https?:\/\//);
    expect(JSON.parse(report.json).tasks[1].checks[0].evidence[0].summary).toMatch(/hello there/);
    expect(statuses.length).toBeGreaterThan(1);
  });
});

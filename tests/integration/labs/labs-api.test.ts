/** The labs.* API on a real lab: the list, validation at a line, open, a check turned ✓ by real traffic, progress kept. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch, type LabCheckPassed, type LabStatus } from '../../../src-main/lab/api';
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
    const data = JSON.parse(report.json);
    expect(data.tasks[1].checks[0].evidence[0].summary).toMatch(/hello there/);
    expect(data.student).toBe('Ada <Lovelace>');
    expect(data.notice).toMatch(/not proof against tampering/);
    // the capture since the lab opened is attached, in the HTML too
    expect(data.capture.split('\n').some((l: string) => JSON.parse(l).summary?.includes('hello there'))).toBe(true);
    expect(report.html).toContain('not proof against tampering');
    expect(statuses.length).toBeGreaterThan(1);
  });

  it('saves a user lab, opens it, and restarts it: progress cleared, its scenario applied again', async () => {
    const started = await startLab();
    lab = started.lab;
    const text = [
      'title: My echo lab',
      'section: K&R §2.7',
      'scenario:',
      '  services:',
      '    echo-tcp: { mode: persistent }',
      'tasks:',
      '  - id: echo',
      '    title: Two sentences on one connection',
      '    instructions: Send two sentences on one connection.',
      '    hints: [The echo keeps the connection in persistent mode., Any TCP client will do.]',
      '    checks:',
      '      - kind: traffic',
      '        id: two',
      '        label: two sentences answered on one connection',
      '        service: echo-tcp',
      '        steps: [{ pattern: one, reply: { pattern: ONE } }, { pattern: two, reply: { pattern: TWO } }]',
    ].join('\n');
    const saved = await lab['labs.save']('my-echo.yaml', text);
    expect(saved).toMatchObject({ origin: 'user', file: 'my-echo.yaml', tasks: 1, totalChecks: 1, passedChecks: 0 });
    expect((await lab['labs.read']('user', 'my-echo.yaml')).text).toBe(text);
    await lab['labs.open']('user', 'my-echo.yaml');
    expect((await lab['services.list']()).find((s) => s.id === 'echo-tcp')?.mode).toBe('persistent');
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(started.port('echo-tcp'), '127.0.0.1', () => s.write('one\n'));
      let got = '';
      s.on('data', (d) => {
        got += d;
        if (got === 'ONE\n') s.write('two\n');
        if (got === 'ONE\nTWO\n') s.end();
      });
      s.on('close', () => resolve());
      s.on('error', reject);
    });
    await waitFor(async () => (await lab!['labs.status']())?.tasks[0].passed, 'the user lab task to pass');
    expect((await lab['labs.list']()).find((l) => l.file === 'my-echo.yaml')?.passedChecks).toBe(1);
    await lab['labs.hint']('echo');
    // the echo put back in the textbook's mode meanwhile: restart brings the lab's scenario back
    await lab['services.configure']('echo-tcp', { mode: 'textbook' });
    const restarted = await lab['labs.restart']();
    expect(restarted.tasks[0]).toMatchObject({ passed: false, hintsShown: [] });
    expect((await lab['services.list']()).find((s) => s.id === 'echo-tcp')?.mode).toBe('persistent');
    await lab.labs.flushed();
    expect((await lab['labs.list']()).find((l) => l.file === 'my-echo.yaml')?.passedChecks).toBe(0);
    expect(await lab['labs.close']()).toBeNull();
    expect(await lab['labs.status']()).toBeNull();
  });

  it('refuses bad requests clearly and keeps the open lab as it was', async () => {
    const started = await startLab();
    lab = started.lab;
    await expect(dispatch(lab, 'labs.read', ['shipped', '../../etc/passwd'])).rejects.toThrow(/bad argument/);
    await expect(dispatch(lab, 'labs.save', ['Mine.YAML', 'title: x'])).rejects.toThrow(/bad argument/);
    await expect(lab['labs.open']('shipped', 'no-such-lab.yaml')).rejects.toThrow(/no shipped lab called no-such-lab\.yaml/);
    await expect(lab['labs.hint']('tcp-terminal')).rejects.toThrow(/no lab is open/);
    await lab['labs.open']('shipped', 'sockets.yaml');
    await expect(lab['labs.answer']('udp', 'nope', '3')).rejects.toThrow(/no check nope in task udp/);
    await expect(lab['labs.answer']('udp', 'udp-echoed', '3')).rejects.toThrow(/not a question/);
    const s = await lab['labs.runProgram']('udp', 'udp-count').catch((e: Error) => e.message);
    expect(s).toMatch(/not a program check/);
    const status = await lab['labs.status']();
    expect(status?.file).toBe('sockets.yaml');
    expect(status?.tasks.flatMap((t) => t.checks).every((c) => !c.passed)).toBe(true);
  });

  it('a program check stays open while no runner is set, and runs through one when set', async () => {
    const started = await startLab();
    lab = started.lab;
    const text = 'title: P\nsection: s\ntasks:\n  - id: t\n    title: T\n    instructions: i\n    checks:\n      - { kind: program, id: pinger, label: the pinger, assignment: udp-pinger, options: { pings: 10 } }\n';
    await lab['labs.save']('prog.yaml', text);
    await lab['labs.open']('user', 'prog.yaml');
    // the Lab installs the real runner (labs/program-check.ts) when it is made: taken away here
    lab.setProgramCheckRunner(null);
    const without = await lab['labs.runProgram']('t', 'pinger');
    expect(without.tasks[0].checks[0]).toMatchObject({ passed: false, detail: expect.stringMatching(/not available/) });
    const specs: unknown[] = [];
    lab.setProgramCheckRunner(async (_lab, spec) => {
      specs.push(spec);
      return { passed: true, detail: 'ten pings, three timed out where the link dropped them', evidence: [] };
    });
    const withRunner = await lab['labs.runProgram']('t', 'pinger');
    expect(withRunner.tasks[0].checks[0]).toMatchObject({ passed: true, detail: expect.stringMatching(/ten pings/) });
    expect(specs).toEqual([expect.objectContaining({ kind: 'program', id: 'pinger', assignment: 'udp-pinger', options: { pings: 10 } })]);
  });
});

/**
 * sockets.yaml done start to finish through `netlab lab run --json --free-ports`: the lab
 * terminal's nc, an outside nc, datagrams from python3; a wrong answer stays open and does
 * not give the value away; progress survives a restart of the command with the same data dir.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/lab';
import { allChecks, labRun, passedChecks, type LabRun } from '../../helpers/lab-run';
import { PYTHON, run } from '../../helpers/proc';
import { programCheck, reference, saveProgram } from '../../helpers/program-lab';

let lab: LabRun | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const UDP_SEND = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
for line in ["first datagram", "second datagram", "third datagram"]:
    s.sendto(line.encode(), ("127.0.0.1", int(sys.argv[1])))
    print(s.recvfrom(2048)[0].decode())
`;

describe('sockets lab through netlab lab run', () => {
  it('every check passes with the lab terminal, nc and python3; a wrong count stays open', async () => {
    lab = await labRun('resources/labs/sockets.yaml');
    const tcp = lab.ports['echo-tcp'];
    // the lab terminal: nc to the echo, then a sentence
    lab.terminal(`nc localhost ${tcp}`);
    // the terminal echoes the command line; nc connects right after it
    await lab.waitLine((l) => typeof l.terminal === 'string' && l.terminal.includes(`nc localhost ${tcp}`), 'the terminal to run nc');
    await new Promise((r) => setTimeout(r, 1000));
    lab.terminal('hello from the lab terminal');
    const echoed = await lab.passed('tcp-terminal', 'echoed');
    expect(echoed.evidence.length).toBe(2);

    // an outside client: OpenBSD nc, which closes when the server does
    const nc = await run('nc', ['-q', '2', '127.0.0.1', String(tcp)], { input: 'hello from outside\n' });
    expect(nc.stdout).toBe('HELLO FROM OUTSIDE\n');
    await lab.passed('tcp-outside', 'echoed-outside');

    const py = await run(PYTHON, ['-c', UDP_SEND, String(lab.ports['echo-udp'])]);
    expect(py.stdout).toContain('THIRD DATAGRAM');
    await lab.passed('udp', 'three-datagrams');
    await lab.passed('udp', 'udp-echoed');

    const wrong = await lab.command('answer udp udp-count 7');
    expect(wrong.correct).toBe(false);
    expect(wrong.message).not.toMatch(/\b3\b/);
    const right = await lab.command('answer udp udp-count 3');
    expect(right).toMatchObject({ correct: true });
    await lab.passed('udp', 'udp-count');

    // a TCP server of one's own: the shipped TCPServer.py; a web server: the reference solution
    expect(await programCheck(lab, 'tcp-server', 'tcp-server-check')).toMatchObject({ passed: true });
    await saveProgram(lab, 'WebServer.py', await reference('WebServer.py'));
    const web = await programCheck(lab, 'web-server', 'web-server-check');
    expect(web.detail).toContain("200 OK with the file's bytes, then 404 Not Found");
    expect(web.passed).toBe(true);
    await lab.passed('web-server', 'web-server-check');
    expect(passedChecks(lab)).toEqual(allChecks(lab).sort());
  }, 120_000);

  it('progress survives a restart with the same data directory', async () => {
    lab = await labRun('sockets.yaml');
    const dataDir = lab.dataDir;
    const nc = await run('nc', ['-q', '2', '127.0.0.1', String(lab.ports['echo-tcp'])], { input: 'kept across restarts\n' });
    expect(nc.stdout).toBe('KEPT ACROSS RESTARTS\n');
    await lab.passed('tcp-outside', 'echoed-outside');
    expect(await lab.stop()).toBe(0);
    lab = await labRun('sockets.yaml', { dataDir });
    expect(passedChecks(lab)).toEqual(['tcp-outside/echoed-outside']);
    const status = await lab.command('status');
    const check = status.status.tasks[1].checks[0];
    expect(check).toMatchObject({ passed: true });
    expect(check.passedAt).toBeGreaterThan(0);
    // the ids of the earlier run's capture would name other messages in this one: not linked
    expect(check.evidence).toEqual([]);
  }, 60_000);

  it('a progress file that does not read as progress is kept aside and the lab starts afresh', async () => {
    const dataDir = await tempDir('netlab-badprogress-');
    const dir = path.join(dataDir, 'labs', 'progress');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'shipped-sockets.json'), '{"checks": [1, 2');
    lab = await labRun('sockets.yaml', { dataDir });
    expect(passedChecks(lab)).toEqual([]);
    const nc = await run('nc', ['-q', '2', '127.0.0.1', String(lab.ports['echo-tcp'])], { input: 'still counted\n' });
    expect(nc.stdout).toBe('STILL COUNTED\n');
    await lab.passed('tcp-outside', 'echoed-outside');
    const files = await fs.readdir(dir);
    const aside = files.find((f) => f.startsWith('shipped-sockets.json.unreadable-'));
    expect(aside).toBeDefined();
    expect(await fs.readFile(path.join(dir, aside!), 'utf8')).toBe('{"checks": [1, 2');
  }, 60_000);
});

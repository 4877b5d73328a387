/**
 * The program labs done start to finish through `netlab lab run --json --free-ports`, as a
 * script does them: real clients (nc, swaks, curl) for the tasks by hand, the reference
 * solutions (tests/fixtures/programs) as the student's saved programs, `program TASK CHECK`
 * on stdin for the program checks. Every check must pass. Needs the build (out/).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'programs');

interface Line {
  [key: string]: unknown;
}

class LabRun {
  lines: Line[] = [];
  private constructor(
    private child: ChildProcessWithoutNullStreams,
    private dir: string,
  ) {
    readline.createInterface({ input: child.stdout }).on('line', (l) => {
      try {
        this.lines.push(JSON.parse(l) as Line);
      } catch {
        this.lines.push({ text: l });
      }
    });
  }

  /** `netlab lab run FILE --json --free-ports` on a data directory holding the given saved programs */
  static async start(lab: string, programs: Record<string, string>): Promise<LabRun> {
    const dataDir = await tempDir('netlab-labrun-');
    await fs.mkdir(path.join(dataDir, 'programs', 'python'), { recursive: true });
    for (const [saved, fixture] of Object.entries(programs)) {
      await fs.copyFile(path.join(FIXTURES, fixture), path.join(dataDir, 'programs', 'python', saved));
    }
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'netlab.mjs'), 'lab', 'run', path.join(ROOT, 'resources', 'labs', lab), '--json', '--free-ports', '--data-dir', dataDir]);
    const r = new LabRun(child, dataDir);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await waitFor(() => r.header(), `the lab's header line (stderr: ${stderr})`, 20_000);
    return r;
  }

  dataDir(): string {
    return this.dir;
  }

  header(): { ports: Record<string, number>; tasks: { id: string; checks: { id: string }[] }[] } | undefined {
    return this.lines.find((l) => 'ports' in l) as never;
  }

  port(id: string): number {
    return this.header()!.ports[id];
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  passed(task: string, check: string): boolean {
    return this.lines.some((l) => l.task === task && l.check === check && l.passed === true && 'lab' in l);
  }

  /** run a program check; its answer line */
  async program(task: string, check: string): Promise<Line> {
    this.send(`program ${task} ${check}`);
    return waitFor(() => this.lines.find((l) => l.command === 'program' && l.task === task && l.check === check), `the program check ${task}/${check}`, 60_000);
  }

  /** every check of the lab has a passed line */
  allPassed(): string[] {
    return this.header()!.tasks.flatMap((t) => t.checks.filter((c) => !this.passed(t.id, c.id)).map((c) => `${t.id}/${c.id}`));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin.end();
    await exited;
  }
}

let lab: LabRun | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

describe('the program labs through netlab lab run', () => {
  it('udp-pinger.yaml: datagrams by hand through the lossy link, then the reference pinger', async () => {
    lab = await LabRun.start('udp-pinger.yaml', { 'UDPPinger.py': 'UDPPinger.py' });
    // 30 % loss each way: keep sending until a sentence comes back
    for (let i = 0; i < 15 && !lab.passed('lossy-echo', 'came-back'); i++) {
      await run('nc', ['-u', '-w1', '127.0.0.1', String(lab.port('echo-udp'))], { input: `hello pinger ${i}\n`, timeoutMs: 5000 });
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(lab.passed('lossy-echo', 'came-back')).toBe(true);
    // a run in which the link drops none of 10 pings (odds under 1 in 1,000) is reported, not passed: try again
    let answer = await lab.program('pinger', 'pinger-check');
    if (!answer.passed && /lost none of them/.test(String(answer.detail))) {
      lab.lines = lab.lines.filter((l) => l.command !== 'program');
      answer = await lab.program('pinger', 'pinger-check');
    }
    expect(answer.detail).toMatch(/your program printed "Request timed out" for exactly those/);
    expect(answer.passed).toBe(true);
    await waitFor(() => lab!.passed('pinger', 'pinger-check'), 'the passed line');
    expect(lab.allPassed()).toEqual([]);
  }, 120_000);

  it('smtp-client.yaml: HELO by hand with swaks, then the reference client delivers to bob', async () => {
    lab = await LabRun.start('smtp-client.yaml', { 'SMTPClient.py': 'SMTPClient.py' });
    const swaks = await run('swaks', ['--server', `127.0.0.1:${lab.port('smtp-hamburger')}`, '--from', 'alice@crepes.fr', '--to', 'bob@hamburger.edu', '--helo', 'alice'], { timeoutMs: 20_000 });
    expect(swaks.stdout).toMatch(/<-\s+250/);
    await waitFor(() => lab!.passed('greeting', 'helo'), 'the HELO check');
    const answer = await lab.program('client', 'delivered');
    expect(answer.detail).toMatch(/DATA → 354, message → 250, QUIT → 221\. bob@hamburger\.edu's mailbox received the message/);
    expect(answer.passed).toBe(true);
    await waitFor(() => lab!.passed('client', 'delivered'), 'the passed line');
    expect(lab.allPassed()).toEqual([]);
  }, 120_000);

  it('web-proxy.yaml: the object by hand with curl, then the reference proxy caches it', async () => {
    lab = await LabRun.start('web-proxy.yaml', { 'ProxyServer.py': 'ProxyServer.py' });
    const curl = await run('curl', ['-s', '-i', '-H', 'Host: gaia.cs.umass.edu', `http://127.0.0.1:${lab.port('http')}/wireshark-labs/HTTP-wireshark-file1.html`]);
    expect(curl.stdout).toMatch(/^HTTP\/1\.1 200/);
    await waitFor(() => lab!.passed('origin', 'fetched'), 'the origin check');
    const answer = await lab.program('proxy', 'cached');
    expect(answer.detail).toContain('the origin saw one request');
    expect(answer.passed).toBe(true);
    await waitFor(() => lab!.passed('proxy', 'cached'), 'the passed line');
    expect(lab.allPassed()).toEqual([]);
  }, 120_000);

  it('sockets.yaml: the shipped TCP server and the reference web server pass their program checks', async () => {
    lab = await LabRun.start('sockets.yaml', { 'WebServer.py': 'WebServer.py' });
    const tcp = await lab.program('tcp-server', 'tcp-server-check');
    expect(tcp.passed).toBe(true);
    const web = await lab.program('web-server', 'web-server-check');
    expect(web.detail).toContain("200 OK with the file's bytes, then 404 Not Found");
    expect(web.passed).toBe(true);
    await waitFor(() => lab!.passed('tcp-server', 'tcp-server-check') && lab!.passed('web-server', 'web-server-check'), 'both passed lines');
  }, 120_000);

  it('web-proxy.yaml: a proxy that forwards every request stays open, and says why', async () => {
    const dir = await tempDir('netlab-fixture-');
    const src = (await fs.readFile(path.join(FIXTURES, 'ProxyServer.py'), 'utf8')).replace('if url in cache:', 'if False:');
    await fs.writeFile(path.join(dir, 'ProxyServer-forwards.py'), src);
    lab = await LabRun.start('web-proxy.yaml', {});
    await fs.copyFile(path.join(dir, 'ProxyServer-forwards.py'), path.join(lab.dataDir(), 'programs', 'python', 'ProxyServer.py'));
    const answer = await lab.program('proxy', 'cached');
    expect(answer.passed).toBe(false);
    expect(answer.detail).toMatch(/saw 2 requests for it/);
    expect(lab.passed('proxy', 'cached')).toBe(false);
  }, 120_000);
});

/** The shipped FTP scenario, loaded as a user starts it: a slow control link, each command a round trip. */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../src-main/lab/lab';
import { RESOURCES, captured, tempDir } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab | undefined;
afterAll(() => lab?.shutdown());

describe('ftp-control-and-data.yaml', () => {
  it('the control connection pays the delay per command; the file still arrives on its data connection', async () => {
    const l = new Lab({ dataDir: await tempDir(), resourcesDir: RESOURCES, shell: 'browser', ports: new Proxy({}, { get: () => 0 }) });
    lab = l;
    await l.start(await l.scenarios.load(path.join(RESOURCES, 'scenarios', 'ftp-control-and-data.yaml')));
    const ftp = l.services.find((s) => s.id === 'ftp')!;
    expect(ftp.state).toBe('running');
    expect(ftp.link.delayMs).toBe(60);
    const r = await run('curl', ['-sS', `ftp://127.0.0.1:${ftp.port}/README.txt`], { timeoutMs: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Welcome to the NetLab FTP server');
    const rows = (await captured(l)).filter((m) => m.protocol === 'ftp' && m.kind === 'message');
    const retr = rows.find((m) => m.dir === 'c2s' && m.summary.startsWith('RETR README.txt'))!;
    const done = rows.find((m) => m.dir === 's2c' && m.summary.startsWith('226 ') && m.summary.endsWith('← RETR README.txt'))!;
    // the command waited 60 ms to arrive and its reply 60 ms to leave
    expect(done.t - retr.t).toBeGreaterThanOrEqual(60);
  }, 30_000);
});

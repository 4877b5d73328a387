/** `netlab lab list` and `netlab lab run` with a lab file that has a mistake: refused at its line, nothing started. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/lab';
import { ROOT } from '../../helpers/lab-run';
import { run } from '../../helpers/proc';

const NETLAB = path.join(ROOT, 'bin', 'netlab.mjs');

describe('netlab lab', () => {
  it('lists the shipped labs and the user’s, with a broken user file listed at its line', async () => {
    const dataDir = await tempDir('netlab-lablist-');
    await fs.mkdir(path.join(dataDir, 'labs'));
    await fs.writeFile(path.join(dataDir, 'labs', 'mine.yaml'), 'title: Mine\nsection: K&R §2.7\ntasks:\n  - id: t\n    title: T\n    instructions: do it\n    checks:\n      - { kind: counts, id: c, label: one, service: echo-udp }\n');
    await fs.writeFile(path.join(dataDir, 'labs', 'broken.yaml'), 'title: Broken\nsection: x\ntasks:\n  - id: t\n    title: T\n    instructions: i\n    checks:\n      - { kind: trafic, id: c, label: l }\n');
    const r = await run(process.execPath, [NETLAB, 'lab', 'list', '--json', '--data-dir', dataDir], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { file: string; origin: string; error?: { line: number } }[];
    expect(list.filter((l) => l.origin === 'shipped').map((l) => l.file)).toEqual(expect.arrayContaining(['dns.yaml', 'http.yaml', 'mail-by-hand.yaml', 'p2p.yaml', 'sockets.yaml', 'web-caching.yaml']));
    expect(list.find((l) => l.file === 'mine.yaml')).toMatchObject({ origin: 'user', tasks: 1, totalChecks: 1 });
    expect(list.find((l) => l.file === 'broken.yaml')?.error?.line).toBe(8);
    const text = await run(process.execPath, [NETLAB, 'lab', 'list', '--data-dir', dataDir], { timeoutMs: 30_000 });
    expect(text.stdout).toMatch(/http\.yaml .*K&R §2\.2/);
  }, 60_000);

  it('refuses a lab file with a mistake at its line and starts nothing', async () => {
    const dir = await tempDir('netlab-labbad-');
    const file = path.join(dir, 'bad.yaml');
    await fs.writeFile(file, 'title: Bad\nsection: x\ntasks:\n  - id: t\n    title: T\n    instructions: i\n    checks:\n      - kind: traffic\n        id: c\n        label: l\n        steps:\n          - pattern: "([unclosed"\n');
    const r = await run(process.execPath, [NETLAB, 'lab', 'run', file, '--json', '--free-ports', '--data-dir', dir], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 12: .*not a valid regular expression/);
    expect(r.stdout).toBe('');
  }, 60_000);
});

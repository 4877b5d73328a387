/**
 * lab.diskUse: what the data directory holds, area by area, after real writes (a curl PUT, a
 * zone saved through the API); a planted link is counted as a link, never followed.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src-main/lab/lab';
import { startLab, tempDir } from '../helpers/lab';
import { run } from '../helpers/proc';

let lab: Lab;
let dataDir: string;
let port: (id: string) => number;
beforeAll(async () => {
  ({ lab, dataDir, port } = await startLab());
});
afterAll(() => lab.shutdown());

describe('the data directory, by area', () => {
  it('counts an upload under sites, a saved zone under zones, and a link to a big file outside as a link only', async () => {
    const before = await lab['lab.diskUse']();
    expect(before.dataDir).toBe(dataDir);
    expect(before.areas.map((a) => a.area)).toEqual(['mail', 'sites', 'zones', 'scenarios', 'programs', 'swarms', 'labs', 'ftp']);
    const area = (u: typeof before, name: string) => u.areas.find((a) => a.area === name)!;
    expect(area(before, 'sites').bytes).toBe(0);

    const put = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-u', 'webmaster:someschool', '-H', 'Host: www.someschool.edu', '-X', 'PUT', '--data-binary', 'x'.repeat(1000), `http://127.0.0.1:${port('http')}/uploads/k.txt`]);
    expect(put.stdout).toBe('201');
    const zone = (await lab['dns.readZone']('edu')).text;
    expect((await lab['dns.saveZone']('edu', `${zone}\n`)).ok).toBe(true);
    const outside = await tempDir('netlab-outside-');
    await fs.writeFile(path.join(outside, 'big.bin'), Buffer.alloc(3_000_000));
    await fs.symlink(path.join(outside, 'big.bin'), path.join(dataDir, 'sites', 'www.someschool.edu', 'big.bin'));

    const after = await lab['lab.diskUse']();
    expect(area(after, 'sites')).toEqual({ area: 'sites', bytes: 1000, files: 1, links: 1 });
    expect(area(after, 'zones').bytes).toBe(Buffer.byteLength(`${zone}\n`));
    expect(after.links).toBe(1);
    expect(after.bytes).toBe(after.areas.reduce((n, a) => n + a.bytes, after.otherBytes));
    expect(after.bytes).toBeLessThan(3_000_000);
  });
});

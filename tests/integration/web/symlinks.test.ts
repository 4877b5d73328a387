/**
 * Symbolic links planted in the data directory's sites/ are not followed out of the site's
 * folder: curl's GET, HEAD, PUT and DELETE through them get 403 and the site editor's API
 * calls an error, while nothing outside is read or written. A link that stays inside the
 * site is still served.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab, tempDir } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab;
let dataDir: string;
let base: string;
let outside: string;
const SECRET = 'outside the data directory';

beforeAll(async () => {
  let port: (id: string) => number;
  ({ lab, dataDir, port } = await startLab());
  base = `http://127.0.0.1:${port('http')}`;
  outside = await tempDir('netlab-outside-');
  await fs.writeFile(path.join(outside, 'secret.txt'), SECRET);
  const school = path.join(dataDir, 'sites', 'www.someschool.edu');
  await fs.mkdir(path.join(school, 'uploads'), { recursive: true });
  await fs.writeFile(path.join(school, 'uploads', 'mine.txt'), 'my own upload');
  await fs.symlink(path.join(outside, 'secret.txt'), path.join(school, 'leak.txt'));
  await fs.symlink(outside, path.join(school, 'out'));
  await fs.symlink(path.join(outside, 'not-yet.txt'), path.join(school, 'dangling.txt'));
  await fs.symlink(path.join(school, 'uploads', 'mine.txt'), path.join(school, 'same-site.txt'));
  // a whole site's folder that is a link elsewhere
  await fs.mkdir(path.join(dataDir, 'sites'), { recursive: true });
  await fs.symlink(outside, path.join(dataDir, 'sites', 'gaia.cs.umass.edu'));
});
afterAll(() => lab.shutdown());

/** curl -i: the status, and the whole response to look for the secret in */
async function curl(host: string, ...args: string[]): Promise<{ status: number; text: string }> {
  const r = await run('curl', ['-s', '-i', '--max-time', '10', '-H', `Host: ${host}`, ...args]);
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(r.stdout)?.[1] ?? 0), text: r.stdout };
}

/** www.someschool.edu's upload account: the links, not the account, are what is refused */
const SCHOOL = ['-u', 'webmaster:someschool'];
const outsideNames = () => fs.readdir(outside).then((n) => n.sort());

describe('symbolic links in the data directory are not followed out of a site', () => {
  it('GET and HEAD of a file link to /…/secret.txt: 403, and the secret is not sent', async () => {
    const get = await curl('www.someschool.edu', `${base}/leak.txt`);
    expect(get.status).toBe(403);
    expect(get.text).not.toContain(SECRET);
    expect((await curl('www.someschool.edu', '-I', `${base}/leak.txt`)).status).toBe(403);
  });

  it('GET through a folder link and through a site folder that is a link: 403', async () => {
    const viaDir = await curl('www.someschool.edu', `${base}/out/secret.txt`);
    expect(viaDir.status).toBe(403);
    expect(viaDir.text).not.toContain(SECRET);
    const viaSite = await curl('gaia.cs.umass.edu', `${base}/secret.txt`);
    expect(viaSite.status).toBe(403);
    expect(viaSite.text).not.toContain(SECRET);
  });

  it('PUT through a folder link, onto a file link and onto a dangling link: 403, nothing written outside', async () => {
    const put = (p: string) => curl('www.someschool.edu', ...SCHOOL, '-X', 'PUT', '--data-binary', 'planted', `${base}${p}`);
    expect((await put('/out/new.txt')).status).toBe(403);
    expect((await put('/out/deep/er/new.txt')).status).toBe(403);
    expect((await put('/leak.txt')).status).toBe(403);
    expect((await put('/dangling.txt')).status).toBe(403);
    expect((await curl('gaia.cs.umass.edu', '-u', 'wireshark-students:network', '-X', 'PUT', '--data-binary', 'planted', `${base}/new.txt`)).status).toBe(403);
    expect(await outsideNames()).toEqual(['secret.txt']);
    expect(await fs.readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe(SECRET);
  });

  it('DELETE through a folder link: 403, the file outside stays', async () => {
    expect((await curl('www.someschool.edu', ...SCHOOL, '-X', 'DELETE', `${base}/out/secret.txt`)).status).toBe(403);
    expect(await outsideNames()).toEqual(['secret.txt']);
  });

  it('the site editor (API) refuses to read or save through a link, and does not list what is outside', async () => {
    await expect(lab['web.readFile']('www.someschool.edu', '/leak.txt')).rejects.toThrow(/symbolic link/);
    await expect(lab['web.saveFile']('www.someschool.edu', '/out/edited.html', '<p>x</p>')).rejects.toThrow(/symbolic link/);
    await expect(lab['web.saveFile']('gaia.cs.umass.edu', '/edited.html', '<p>x</p>')).rejects.toThrow(/symbolic link/);
    expect(await outsideNames()).toEqual(['secret.txt']);
    const sites = await lab['web.sites']();
    const listed = sites.flatMap((s) => s.files.map((f) => `${s.host}${f.path}`));
    expect(listed).toContain('www.someschool.edu/uploads/mine.txt');
    expect(listed.filter((p) => p.includes('secret') || p.includes('leak'))).toEqual([]);
  });

  it('a link that stays inside the site is served as before', async () => {
    const r = await curl('www.someschool.edu', `${base}/same-site.txt`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('my own upload');
  });
});

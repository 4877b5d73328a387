/**
 * Who may change a lab site over HTTP: a PUT or DELETE needs the site's upload account (401
 * with a Basic challenge otherwise), a Host that is a lab host (421 Misdirected Request for
 * any other, 400 without one) and room in the site's quota (413 Content Too Large). Against
 * curl and hand-typed requests over nc; the data directory is looked at after each refusal.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab;
let dataDir: string;
let port: (id: string) => number;
let base: string;
beforeAll(async () => {
  ({ lab, dataDir, port } = await startLab());
  base = `http://127.0.0.1:${port('http')}`;
});
afterAll(() => lab.shutdown());

async function curl(...args: string[]): Promise<{ status: number; text: string }> {
  const r = await run('curl', ['-s', '-i', '--max-time', '20', ...args]);
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/m.exec(r.stdout.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, ''))?.[1] ?? 0), text: r.stdout };
}
const host = (h: string) => ['-H', `Host: ${h}`];
const SCHOOL = [...host('www.someschool.edu'), '-u', 'webmaster:someschool'];
const nc = (input: string) => run('nc', ['-N', '127.0.0.1', String(port('http'))], { input });
/** every file in the data directory's sites/, relative to it */
async function siteFiles(): Promise<string[]> {
  const root = path.join(dataDir, 'sites');
  const names = await fs.readdir(root, { recursive: true }).catch(() => [] as string[]);
  const out: string[] = [];
  for (const n of names) if ((await fs.stat(path.join(root, n))).isFile()) out.push(n);
  return out.sort();
}

describe('PUT and DELETE need the site upload account', () => {
  it('without credentials or with wrong ones: 401 with a Basic challenge, nothing stored', async () => {
    const none = await curl(...host('www.someschool.edu'), '-X', 'PUT', '--data-binary', 'x', `${base}/uploads/anon.txt`);
    expect(none.status).toBe(401);
    expect(none.text).toMatch(/WWW-Authenticate: Basic realm="www\.someschool\.edu uploads"/);
    const wrong = await curl(...host('www.someschool.edu'), '-u', 'webmaster:guess', '-X', 'PUT', '--data-binary', 'x', `${base}/uploads/anon.txt`);
    expect(wrong.status).toBe(401);
    // another site's account does not open this one
    const gaiaUser = await curl(...host('www.someschool.edu'), '-u', 'wireshark-students:network', '-X', 'PUT', '--data-binary', 'x', `${base}/uploads/anon.txt`);
    expect(gaiaUser.status).toBe(401);
    expect(await siteFiles()).toEqual([]);
  });

  it("with the account: 201; gaia's is the protected pages' wireshark-students:network", async () => {
    expect((await curl(...SCHOOL, '-X', 'PUT', '--data-binary', 'mine', `${base}/uploads/mine.txt`)).status).toBe(201);
    const gaia = await curl(...host('gaia.cs.umass.edu'), '-u', 'wireshark-students:network', '-X', 'PUT', '--data-binary', 'notes', `${base}/wireshark-labs/notes.txt`);
    expect(gaia.status).toBe(201);
    expect(await siteFiles()).toEqual([path.join('gaia.cs.umass.edu', 'wireshark-labs', 'notes.txt'), path.join('www.someschool.edu', 'uploads', 'mine.txt')]);
  });

  it('DELETE without the account: 401, the file stays', async () => {
    const del = await curl(...host('www.someschool.edu'), '-X', 'DELETE', `${base}/uploads/mine.txt`);
    expect(del.status).toBe(401);
    expect(await fs.readFile(path.join(dataDir, 'sites', 'www.someschool.edu', 'uploads', 'mine.txt'), 'utf8')).toBe('mine');
  });
});

describe('a write names a lab host', () => {
  it('Host: evil.example gets 421 Misdirected Request and nothing is stored; a GET still gets the default site', async () => {
    const before = await siteFiles();
    const put = await curl(...host('evil.example'), '-u', 'webmaster:someschool', '-X', 'PUT', '--data-binary', 'x', `${base}/evil.txt`);
    expect(put.status).toBe(421);
    expect(put.text).toMatch(/www\.someschool\.edu/);
    expect((await curl(...host('evil.example'), '-X', 'DELETE', `${base}/uploads/mine.txt`)).status).toBe(421);
    expect(await siteFiles()).toEqual(before);
    expect((await curl(...host('evil.example'), `${base}/`)).status).toBe(200);
  });

  it('an absolute URI for another host gets 421; HTTP/1.1 without Host gets 400', async () => {
    const auth = Buffer.from('webmaster:someschool').toString('base64');
    const absolute = await nc(`PUT http://evil.example/x.txt HTTP/1.1\r\nHost: www.someschool.edu\r\nAuthorization: Basic ${auth}\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx`);
    expect(absolute.stdout).toMatch(/^HTTP\/1\.1 421 Misdirected Request/);
    const noHost = await nc(`PUT /x.txt HTTP/1.1\r\nAuthorization: Basic ${auth}\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx`);
    expect(noHost.stdout).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect((await siteFiles()).filter((f) => f.endsWith('x.txt'))).toEqual([]);
  });
});

describe("a site's quota", () => {
  it('an upload that would take the site past 16 MiB gets 413 Content Too Large; nothing is stored', async () => {
    const big = path.join(dataDir, 'big.bin');
    await fs.writeFile(big, Buffer.alloc(9_000_000, 1));
    const first = await curl(...SCHOOL, '-T', big, `${base}/uploads/one.bin`);
    expect(first.status).toBe(201);
    const second = await curl(...SCHOOL, '-T', big, `${base}/uploads/two.bin`);
    expect(second.status).toBe(413);
    expect(second.text).toMatch(/quota/);
    expect((await siteFiles()).filter((f) => f.endsWith('.bin'))).toEqual([path.join('www.someschool.edu', 'uploads', 'one.bin')]);
    // replacing a file counts its new size only
    expect((await curl(...SCHOOL, '-T', big, `${base}/uploads/one.bin`)).status).toBe(204);
    const site = (await lab['web.sites']()).find((s) => s.host === 'www.someschool.edu');
    expect(site?.quota).toEqual({ bytes: 16 * 1024 * 1024, used: 9_000_000 + 'mine'.length });
    expect(site?.upload).toEqual({ realm: 'www.someschool.edu uploads', user: 'webmaster' });
  });

  it("the site editor's save is held to the same quota", async () => {
    await expect(lab['web.saveFile']('www.someschool.edu', '/uploads/notes.html', 'x'.repeat(8_000_000))).rejects.toThrow(/quota/);
    expect((await siteFiles()).filter((f) => f.endsWith('notes.html'))).toEqual([]);
  });
});

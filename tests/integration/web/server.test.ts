/** The web server against real clients: curl, python3 http.client, nc with hand-typed requests. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { captured, startLab, waitFor } from '../../helpers/lab';
import { PYTHON, run } from '../../helpers/proc';

let lab: Lab;
let dataDir: string;
let port: (id: string) => number;
let base: string;
beforeAll(async () => {
  ({ lab, dataDir, port } = await startLab());
  base = `http://127.0.0.1:${port('http')}`;
});
afterAll(() => lab.shutdown());

const curl = (...args: string[]) => run('curl', ['-s', '--max-time', '10', ...args]);
/** curl -i: status line and headers, then the body */
async function curlI(...args: string[]): Promise<{ status: number; headers: string; body: string }> {
  const r = await curl('-i', ...args);
  const sep = r.stdout.indexOf('\r\n\r\n');
  const head = r.stdout.slice(0, sep);
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body: r.stdout.slice(sep + 4) };
}
const site = (host: string) => ['-H', `Host: ${host}`];
/** www.someschool.edu's upload account (resources/sites/sites.json) */
const upload = [...site('www.someschool.edu'), '-u', 'webmaster:someschool'];
const nc = (input: string) => run('nc', ['-N', '127.0.0.1', String(port('http'))], { input });

describe('virtual hosting and methods', () => {
  it('serves the textbook page with 10 images by Host', async () => {
    const r = await curlI(...site('www.someschool.edu'), `${base}/someDepartment/home.index`);
    expect(r.status).toBe(200);
    expect(r.headers).toMatch(/Content-Type: text\/html/);
    expect(r.headers).toMatch(/Last-Modified: /);
    expect(r.headers).toMatch(/ETag: "/);
    expect(r.body.match(/<img /g)).toHaveLength(10);
    const img = await curlI(...site('www.someschool.edu'), `${base}/someDepartment/images/pic3.png`);
    expect(img.headers).toMatch(/Content-Type: image\/png/);
  });

  it('picks the site by Host: gaia and networkutopia differ; / serves index.html', async () => {
    const gaia = await curlI(...site('gaia.cs.umass.edu'), `${base}/`);
    expect(gaia.body).toContain('gaia.cs.umass.edu');
    const utopia = await curlI(...site('www.networkutopia.com'), `${base}/`);
    expect(utopia.body).toContain('Network Utopia');
  });

  it('answers HTTP/1.0 without Host from the default site and closes', async () => {
    const r = await curlI('--http1.0', '-H', 'Host:', `${base}/`);
    expect(r.status).toBe(200);
    expect(r.headers).toMatch(/^HTTP\/1\.0 200 OK/);
    expect(r.headers).toMatch(/Connection: close/i);
    expect(r.body).toContain('someschool');
  });

  it('answers HTTP/1.1 without Host with 400 that names the header to add, and keeps serving (RFC 9112 §3.2)', async () => {
    const r = await nc('GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nHost: www.someschool.edu\r\nConnection: close\r\n\r\n');
    expect(r.stdout).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(r.stdout).toContain('HTTP/1.1 requires a Host header: add `Host: www.someschool.edu`');
    expect(r.stdout).toMatch(/<\/html>\nHTTP\/1\.1 200 OK[^]*someschool/);
    const bare = await curlI('-H', 'Host:', `${base}/`);
    expect(bare.status).toBe(400);
    // the README's hand-typed request still works
    const typed = await nc('GET index.html HTTP/1.1\nHost: gaia.cs.umass.edu\n\n');
    expect(typed.stdout).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('HEAD gives the headers of GET without a body', async () => {
    const r = await curl('-I', ...site('www.someschool.edu'), `${base}/long.html`);
    const size = (await fs.stat(path.join(__dirname, '../../../resources/sites/www.someschool.edu/long.html'))).size;
    expect(r.stdout).toMatch(new RegExp(`Content-Length: ${size}`));
  });

  it('POST form input comes back; GET takes it from the URL', async () => {
    const post = await curlI(...site('www.someschool.edu'), '-d', 'animal=monkeys&food=bananas', `${base}/echo`);
    expect(post.status).toBe(200);
    expect(post.body).toContain('<td>animal</td><td>monkeys</td>');
    expect(post.body).toContain('in the body of the POST');
    const get = await curlI(...site('www.someschool.edu'), `${base}/echo?animal=monkeys&food=bananas`);
    expect(get.body).toContain('<td>food</td><td>bananas</td>');
    expect(get.body).toContain('in the URL');
  });

  it('PUT with the upload account uploads to the path (201, then 204), DELETE removes it; shipped files refuse DELETE with 405', async () => {
    const put = await curlI(...upload, '-X', 'PUT', '--data-binary', 'hello upload', `${base}/uploads/a.txt`);
    expect(put.status).toBe(201);
    expect(await fs.readFile(path.join(dataDir, 'sites/www.someschool.edu/uploads/a.txt'), 'utf8')).toBe('hello upload');
    const again = await curlI(...upload, '-X', 'PUT', '--data-binary', 'second', `${base}/uploads/a.txt`);
    expect(again.status).toBe(204);
    expect((await curlI(...site('www.someschool.edu'), `${base}/uploads/a.txt`)).body).toBe('second');
    expect((await curlI(...upload, '-X', 'DELETE', `${base}/uploads/a.txt`)).status).toBe(204);
    expect((await curlI(...site('www.someschool.edu'), `${base}/uploads/a.txt`)).status).toBe(404);
    const shipped = await curlI(...upload, '-X', 'DELETE', `${base}/index.html`);
    expect(shipped.status).toBe(405);
    expect(shipped.headers).toMatch(/Allow: GET, HEAD, PUT/);
  });

  it('says 100 Continue to a client that expects it before an upload (curl -T)', async () => {
    const file = path.join(dataDir, 'upload.bin');
    await fs.writeFile(file, Buffer.alloc(200_000, 7));
    const t0 = Date.now();
    const r = await run('curl', ['-sv', '-T', file, ...upload, `${base}/uploads/big.bin`]);
    expect(r.stderr).toMatch(/HTTP\/1\.1 100 Continue/);
    expect(r.stderr).toMatch(/HTTP\/1\.1 201 Created/);
    expect(Date.now() - t0).toBeLessThan(900); // curl waits 1 s when no 100 comes
    expect((await fs.stat(path.join(dataDir, 'sites/www.someschool.edu/uploads/big.bin'))).size).toBe(200_000);
  });

  it('reaches every status the textbook lists, and the others a server needs', async () => {
    const s = async (...args: string[]) => (await curlI(...args)).status;
    expect(await s(...site('www.someschool.edu'), `${base}/home.html`)).toBe(301);
    const moved = await curlI(...site('www.someschool.edu'), `${base}/someDepartment`);
    expect(moved.status).toBe(301);
    expect(moved.headers).toMatch(/Location: http:\/\/www\.someschool\.edu\/someDepartment\//);
    expect(await s(...site('www.someschool.edu'), `${base}/no-such-page.html`)).toBe(404);
    expect(await s(...site('gaia.cs.umass.edu'), `${base}/wireshark-labs/protected_pages/HTTP-wireshark-file5.html`)).toBe(401);
    expect(await s(...site('www.someschool.edu'), '-X', 'POST', '-d', 'x=1', `${base}/index.html`)).toBe(405);
    expect(await s(...site('www.someschool.edu'), '-X', 'PATCH', `${base}/index.html`)).toBe(501);
    expect(await s(...site('www.someschool.edu'), `${base}/_netlab/error`)).toBe(500);
    expect(await s(...site('www.someschool.edu'), `${base}/${'a'.repeat(9000)}`)).toBe(414);
    expect(await s(...site('www.someschool.edu'), '-H', `X-Big: ${'b'.repeat(9000)}`, `${base}/`)).toBe(431);
    expect(await s(...site('www.someschool.edu'), '-H', 'Content-Length: 999999999', '-X', 'POST', `${base}/echo`)).toBe(413);
    // 400, 411 and 505 need requests curl will not write: hand-typed ones
    expect((await nc('GET / HTTP/2.0\r\nHost: www.someschool.edu\r\n\r\n')).stdout).toMatch(/^HTTP\/1\.1 505 HTTP Version Not Supported/);
    expect((await nc('GET / HTTP/3.0\r\n\r\n')).stdout).toMatch(/^HTTP\/1\.1 505/);
    expect((await nc('POST /echo HTTP/1.1\r\nHost: www.someschool.edu\r\n\r\n')).stdout).toMatch(/^HTTP\/1\.1 411 Length Required/);
    expect((await nc('HELLO THERE\r\n\r\n')).stdout).toMatch(/^HTTP\/1\.1 400 Bad Request/);
  });
});

describe('telnet-friendly requests typed by hand', () => {
  it("answers the slide's `GET index.html HTTP/1.1` with bare LF lines", async () => {
    const r = await nc('GET index.html HTTP/1.1\nHost: gaia.cs.umass.edu\n\n');
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(r.stdout).toContain('gaia.cs.umass.edu');
    const notes = (await captured(lab)).filter((m) => m.kind === 'event').map((m) => m.summary);
    expect(notes.some((n) => n.includes('no leading slash'))).toBe(true);
  });

  it('the terminal reaches it as telnet gaia.cs.umass.edu 80', async () => {
    const { session } = await lab['terminal.open']({ cols: 80, rows: 24 });
    let out = '';
    const off = lab.on('terminal.output', (o) => {
      if (o.session === session) out += o.data;
    });
    try {
      await lab['terminal.input'](session, 'telnet gaia.cs.umass.edu 80\r');
      await waitFor(() => out.includes('Connected'), 'connected');
      for (const line of ['GET /kurose_ross/interactive/index.php HTTP/1.1', 'Host: gaia.cs.umass.edu', '']) {
        await lab['terminal.input'](session, `${line}\r`);
      }
      await waitFor(() => out.includes('</html>'), 'the page');
      expect(out).toContain('HTTP/1.1 200 OK');
      const conns = await lab['capture.connections']();
      expect(conns.some((c) => c.service === 'http' && c.server.name === 'gaia.cs.umass.edu' && c.server.virtualAddress === '128.119.40.205')).toBe(true);
      // HTTP/1.1 typed without Host: 400 naming the header to add for the host dialled (RFC 9112 §3.2)
      out = '';
      await lab['terminal.input'](session, '\x1d');
      await lab['terminal.input'](session, 'quit\r');
      await lab['terminal.input'](session, 'telnet www.networkutopia.com 80\r');
      await waitFor(() => out.includes('Connected'), 'connected again');
      await lab['terminal.input'](session, 'GET / HTTP/1.1\r');
      await lab['terminal.input'](session, '\r');
      await waitFor(() => out.includes('</html>'), 'the 400 page');
      expect(out).toContain('HTTP/1.1 400 Bad Request');
      expect(out).toContain('HTTP/1.1 requires a Host header: add `Host: www.networkutopia.com`');
      expect(out).not.toContain('Network Utopia');
      // HTTP/1.0 predates Host: served by the site of the host that was dialled, on the same connection
      out = '';
      await lab['terminal.input'](session, 'GET / HTTP/1.0\r');
      await lab['terminal.input'](session, '\r');
      await waitFor(() => out.includes('</html>'), 'the store page');
      expect(out).toContain('HTTP/1.0 200 OK');
      expect(out).toContain('Network Utopia');
    } finally {
      off();
      await lab['terminal.close'](session);
    }
  });
});

describe('persistent, non-persistent and pipelined connections', () => {
  it('keeps an HTTP/1.1 connection for several requests (curl reuses it)', async () => {
    const r = await run('curl', ['-sv', ...site('www.someschool.edu'), `${base}/`, `${base}/form.html`]);
    expect(r.stderr).toMatch(/Re-using existing connection|Reusing existing/i);
  });

  it('answers pipelined requests in order on one connection', async () => {
    const req = (p: string) => `GET ${p} HTTP/1.1\r\nHost: www.someschool.edu\r\n\r\n`;
    const r = await nc(req('/') + req('/form.html') + req('/news.html') + 'GET /index.html HTTP/1.1\r\nHost: www.someschool.edu\r\nConnection: close\r\n\r\n');
    const statuses = [...r.stdout.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '200', '200', '200']);
    expect(r.stdout.indexOf('<title>someschool</title>')).toBeLessThan(r.stdout.indexOf('<title>A form</title>'));
    expect(r.stdout.indexOf('<title>A form</title>')).toBeLessThan(r.stdout.indexOf('<title>News</title>'));
  });

  it('answers a burst of 2,000 pipelined requests in one write, in order, and keeps serving', async () => {
    const paths = ['/', '/form.html', '/news.html', '/nope.html'];
    const burst = Array.from({ length: 2000 }, (_, i) => `GET ${paths[i % 4]} HTTP/1.1\r\nHost: www.someschool.edu\r\n\r\n`).join('');
    const r = await nc(burst + 'GET /form.html HTTP/1.1\r\nHost: www.someschool.edu\r\nConnection: close\r\n\r\n');
    const statuses = [...r.stdout.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    expect(statuses.length).toBe(2001);
    expect(statuses.slice(0, 8)).toEqual(['200', '200', '200', '404', '200', '200', '200', '404']);
    expect(statuses.filter((x) => x === '404').length).toBe(500);
    expect((await curlI(...site('www.someschool.edu'), `${base}/`)).status).toBe(200);
  });

  it('the switch forces non-persistent connections', async () => {
    await lab['web.configure']({ forceNonPersistent: true });
    try {
      const r = await run('curl', ['-sv', ...site('www.someschool.edu'), `${base}/`, `${base}/form.html`]);
      expect(r.stderr).not.toMatch(/Re-using existing connection|Reusing existing/i);
      expect(r.stderr).toMatch(/Connection: close/i);
    } finally {
      await lab['web.configure']({ forceNonPersistent: false });
    }
  });

  it('python3 http.client keeps one connection for two requests', async () => {
    const code = `
import http.client
c = http.client.HTTPConnection('127.0.0.1', ${port('http')})
for p in ['/', '/someDepartment/images/pic1.png']:
    c.request('GET', p, headers={'Host': 'www.someschool.edu'})
    r = c.getresponse()
    body = r.read()
    print(r.status, r.getheader('Content-Type'), len(body), c.sock is not None)
`;
    const r = await run(PYTHON, ['-c', code]);
    expect(r.stdout.trim().split('\n')).toEqual(['200 text/html; charset=utf-8 ' + (await size('www.someschool.edu/index.html')) + ' True', '200 image/png 4708 True']);
  });
});

async function size(rel: string): Promise<number> {
  return (await fs.stat(path.join(__dirname, '../../../resources/sites', rel))).size;
}

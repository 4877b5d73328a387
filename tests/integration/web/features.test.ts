/** Cookies, conditional GET, Basic authentication, site edits, and bad input against the web server. */
import net from 'node:net';
import path from 'node:path';
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { captured, startLab, tempDir, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab;
let port: (id: string) => number;
let base: string;
beforeAll(async () => {
  ({ lab, port } = await startLab());
  base = `http://127.0.0.1:${port('http')}`;
});
afterAll(() => lab.shutdown());

async function curlI(...args: string[]): Promise<{ status: number; headers: string; body: string }> {
  const r = await run('curl', ['-s', '-i', '--max-time', '10', ...args]);
  const sep = r.stdout.indexOf('\r\n\r\n');
  const head = r.stdout.slice(0, sep);
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body: r.stdout.slice(sep + 4) };
}
const site = (host: string) => ['-H', `Host: ${host}`];

/** Raw bytes to the server; resolves with everything it sent once it closes (or after `ms`). */
function raw(data: (Buffer | string)[], opts: { gapMs?: number; ms?: number } = {}): Promise<{ reply: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    let reply = '';
    let closedByServer = false;
    const s = net.connect(port('http'), '127.0.0.1', async () => {
      for (const d of data) {
        if (s.destroyed) break;
        s.write(d);
        if (opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
      }
    });
    s.on('data', (d) => (reply += d.toString('latin1')));
    s.on('end', () => (closedByServer = true));
    s.on('error', () => undefined);
    s.on('close', () => resolve({ reply, closedByServer }));
    setTimeout(() => s.destroy(), opts.ms ?? 3000);
  });
}

describe('cookies: the shopping site of §2.2.4', () => {
  it('issues an id on the first visit, recognises it with a cookie jar, keeps a back-end table', async () => {
    const jar = path.join(await tempDir(), 'jar.txt');
    const first = await curlI('-c', jar, ...site('www.networkutopia.com'), `${base}/`);
    const id = /Set-Cookie: id=(\d+)/.exec(first.headers)?.[1];
    expect(id).toBeDefined();
    await curlI('-b', jar, '-c', jar, ...site('www.networkutopia.com'), `${base}/cart/add?item=router`);
    const cart = await curlI('-b', jar, ...site('www.networkutopia.com'), `${base}/cart`);
    expect(cart.headers).not.toMatch(/Set-Cookie/);
    expect(cart.body).toContain(`shopper ${id}`);
    expect(cart.body).toContain('<li>router</li>');
    const rows = await lab['web.cookies']();
    const row = rows.find((r) => r.id === id)!;
    expect(row.visits).toBe(3);
    expect(row.cart).toEqual(['router']);
    expect(row.host).toBe('www.networkutopia.com');
  });
});

describe('cookies: only a request that brings the cookie back is recognised', () => {
  const shop = ['-H', 'Host: www.networkutopia.com'];
  it('a first visit to /cart/add and /cart without a Cookie header is told its new id, not welcomed back', async () => {
    for (const p of ['/cart/add?item=router', '/cart']) {
      const r = await curlI(...shop, `${base}${p}`);
      const id = /Set-Cookie: id=(\d+)/.exec(r.headers)?.[1];
      expect(id).toBeDefined();
      expect(r.body).toContain(`first visit, here is your id ${id}`);
      expect(r.body).toContain('sent no Cookie header');
      expect(r.body).not.toMatch(/Welcome back|your browser sent <code>Cookie/i);
    }
  });

  it("the README's curl -c jar -b jar reads right on its first and its second run", async () => {
    const jar = path.join(await tempDir(), 'jar');
    const once = () => curlI('-c', jar, '-b', jar, ...shop, `${base}/cart/add?item=router`);
    const first = await once();
    const id = /Set-Cookie: id=(\d+)/.exec(first.headers)![1];
    expect(first.body).toContain(`first visit, here is your id ${id}`);
    expect(first.body).toContain('<li>router</li>');
    const second = await once();
    // no new id (only the cart's own cookie, last=router, is set again)
    expect(second.headers).not.toMatch(/Set-Cookie: id=/);
    expect(second.body).toContain(`Welcome back, shopper ${id}`);
    expect(second.body).toContain(`Cookie: id=${id}</code>: this is visit 2`);
    expect(second.body.match(/<li>router<\/li>/g)).toHaveLength(2);
  });

  it('an id the site does not know is not welcomed back either', async () => {
    const r = await curlI('-b', 'id=1', ...shop, `${base}/cart`);
    expect(r.headers).toMatch(/Set-Cookie: id=\d+/);
    expect(r.body).toContain('<code>Cookie: id=1</code>, an id the site');
    expect(r.body).toContain('first visit, here is your id');
  });
});

describe('conditional GET', () => {
  it('answers If-Modified-Since and If-None-Match with 304, and 200 after the file is edited', async () => {
    const first = await curlI(...site('gaia.cs.umass.edu'), `${base}/wireshark-labs/HTTP-wireshark-file2.html`);
    const lastModified = /Last-Modified: (.+)/.exec(first.headers)![1].trim();
    const etag = /ETag: (.+)/.exec(first.headers)![1].trim();
    expect((await curlI(...site('gaia.cs.umass.edu'), '-H', `If-Modified-Since: ${lastModified}`, `${base}/wireshark-labs/HTTP-wireshark-file2.html`)).status).toBe(304);
    const byTag = await curlI(...site('gaia.cs.umass.edu'), '-H', `If-None-Match: ${etag}`, `${base}/wireshark-labs/HTTP-wireshark-file2.html`);
    expect(byTag.status).toBe(304);
    expect(byTag.body).toBe('');
    // the UI's editor saves a user copy: a new Last-Modified and ETag
    await new Promise((r) => setTimeout(r, 1100));
    const saved = await lab['web.saveFile']('gaia.cs.umass.edu', '/wireshark-labs/HTTP-wireshark-file2.html', '<html>edited</html>\n');
    expect(saved.modified).toBe(true);
    expect(saved.lastModified).not.toBe(lastModified);
    const after = await curlI(...site('gaia.cs.umass.edu'), '-H', `If-Modified-Since: ${lastModified}`, `${base}/wireshark-labs/HTTP-wireshark-file2.html`);
    expect(after.status).toBe(200);
    expect(after.body).toBe('<html>edited</html>\n');
    expect((await curlI(...site('gaia.cs.umass.edu'), '-H', `If-None-Match: ${etag}`, `${base}/wireshark-labs/HTTP-wireshark-file2.html`)).status).toBe(200);
    await lab['web.resetFile']('gaia.cs.umass.edu', '/wireshark-labs/HTTP-wireshark-file2.html');
    expect((await curlI(...site('gaia.cs.umass.edu'), `${base}/wireshark-labs/HTTP-wireshark-file2.html`)).body).toContain('Congratulations again');
  });
});

describe('Basic authentication', () => {
  const page = `/wireshark-labs/protected_pages/HTTP-wireshark-file5.html`;
  it('answers 401 with WWW-Authenticate until the right credentials come (curl -u)', async () => {
    const none = await curlI(...site('gaia.cs.umass.edu'), `${base}${page}`);
    expect(none.status).toBe(401);
    expect(none.headers).toMatch(/WWW-Authenticate: Basic realm="wireshark-students only"/);
    expect((await curlI(...site('gaia.cs.umass.edu'), '-u', 'wireshark-students:wrong', `${base}${page}`)).status).toBe(401);
    const ok = await curlI(...site('gaia.cs.umass.edu'), '-u', 'wireshark-students:network', `${base}${page}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('password protected');
  });
});

describe('bad input', () => {
  it('refuses path traversal in plain and encoded forms', async () => {
    for (const p of ['/../sites.json', '/%2e%2e/sites.json', '/someDepartment/%2e%2e/%2e%2e/sites.json', '/..%2fsites.json', '/..%5csites.json', '/%00']) {
      const r = await raw([`GET ${p} HTTP/1.1\r\nHost: www.someschool.edu\r\nConnection: close\r\n\r\n`]);
      expect(r.reply, p).toMatch(/^HTTP\/1\.1 40[034] /);
      expect(r.reply, p).not.toContain('"sites"');
    }
    const curlTraversal = await curlI('--path-as-is', ...site('www.someschool.edu'), `${base}/../../etc/passwd`);
    expect(curlTraversal.status).toBe(403);
  });

  it('answers too many headers and oversized headers with 431, garbage with 400, and keeps serving', async () => {
    const many = Array.from({ length: 150 }, (_, i) => `X-H${i}: ${i}\r\n`).join('');
    expect((await raw([`GET / HTTP/1.1\r\nHost: a\r\n${many}\r\n`])).reply).toMatch(/^HTTP\/1\.1 431 /);
    const huge = `GET / HTTP/1.1\r\n${'X-A: ' + 'a'.repeat(8000) + '\r\n'}`.repeat(1) + `${Array.from({ length: 6 }, () => 'X-B: ' + 'b'.repeat(7000) + '\r\n').join('')}\r\n`;
    expect((await raw([huge])).reply).toMatch(/^HTTP\/1\.1 431 /);
    const garbage = await raw([Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x0a, 0x0d, 0x0a])]);
    expect(garbage.reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage.closedByServer).toBe(true);
    expect((await curlI(...site('www.someschool.edu'), `${base}/`)).status).toBe(200);
  });

  it('answers pipelined requests before a bad one, then 400 and close', async () => {
    const r = await raw(['GET / HTTP/1.1\r\nHost: www.someschool.edu\r\n\r\nGET /form.html HTTP/1.1\r\nHost: www.someschool.edu\r\n\r\nBLAH\r\n\r\n']);
    expect([...r.reply.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1])).toEqual(['200', '200', '400']);
    expect(r.closedByServer).toBe(true);
  });

  it('closes a slowloris client that never finishes its head (408 after the timeout)', async () => {
    await lab['web.configure']({ headerTimeoutMs: 400 });
    try {
      const t0 = Date.now();
      const r = await raw(['GET / HTTP/1.1\r\n', 'Host: www.some', 'school.edu\r\n', 'X-a: 1\r\n', 'X-b: 2\r\n', 'X-c: 3\r\n', 'X-d: 4\r\n'], { gapMs: 150, ms: 5000 });
      expect(r.reply).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
      expect(r.closedByServer).toBe(true);
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      await lab['web.configure']({ headerTimeoutMs: 60_000 });
    }
    expect((await curlI(...site('www.someschool.edu'), `${base}/`)).status).toBe(200);
  });

  it('keeps an idle persistent connection for idleTimeoutMs after its last response, then closes it; a slow head after answered requests still gets 408', async () => {
    await lab['web.configure']({ idleTimeoutMs: 600, headerTimeoutMs: 400 });
    try {
      const get = 'GET / HTTP/1.1\r\nHost: www.someschool.edu\r\n\r\n';
      // three requests 300 ms apart: each answer restarts the idle clock, so the connection lives on
      const t0 = Date.now();
      const kept = await raw([get, get, get], { gapMs: 300, ms: 5000 });
      expect(kept.reply.match(/HTTP\/1\.1 200 OK/g)?.length).toBe(3);
      expect(kept.closedByServer).toBe(true);
      const lived = Date.now() - t0;
      expect(lived).toBeGreaterThanOrEqual(1150); // the last request at 600 ms, then 600 ms idle
      expect(lived).toBeLessThan(3000);
      // answered requests, then a head that never ends: 408 once the head is 400 ms old
      const slow = await raw([get, 'GET / HTTP/1.1\r\n', 'Host: www.some'], { gapMs: 250, ms: 5000 });
      expect(slow.reply.match(/HTTP\/1\.1 200 OK/g)?.length).toBe(1);
      expect(slow.reply).toMatch(/HTTP\/1\.1 408 Request Timeout/);
      expect(slow.closedByServer).toBe(true);
    } finally {
      await lab['web.configure']({ idleTimeoutMs: 120_000, headerTimeoutMs: 60_000 });
    }
    expect((await curlI(...site('www.someschool.edu'), `${base}/`)).status).toBe(200);
  });

  it('frames requests and responses whole in the capture and decodes them', async () => {
    await lab['capture.clear']();
    await curlI(...site('www.someschool.edu'), `${base}/long.html`);
    const msgs = await waitFor(async () => {
      const m = (await captured(lab)).filter((x) => x.service === 'http' && x.kind === 'message');
      return m.length >= 2 ? m : null;
    }, 'framed messages');
    const size = (await fs.stat(path.join(__dirname, '../../../resources/sites/www.someschool.edu/long.html'))).size;
    const res = msgs.find((m) => m.dir === 's2c')!;
    expect(res.size).toBeGreaterThan(size);
    expect(res.summary).toMatch(/^HTTP\/1\.1 200 OK · text\/html/);
    const req = msgs.find((m) => m.dir === 'c2s')!;
    expect(req.summary).toBe('GET /long.html HTTP/1.1 · Host: www.someschool.edu');
    const detail = (await lab['capture.detail'](res.id))!;
    expect(detail.fields.map((f) => f.name)).toEqual(['Status line', 'Header fields', 'Body']);
    // long.html says the capture shows the chunks: the server writes it in pieces, one message framed from them
    const chunks = (await captured(lab)).filter((x) => x.conn === res.conn && x.dir === 's2c' && x.kind === 'chunk');
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.reduce((n, c) => n + c.size, 0)).toBe(res.size);
  });

  it('exports the exchanges as HAR 1.2', async () => {
    const har = JSON.parse(await lab['web.exportHar']({}));
    expect(har.log.version).toBe('1.2');
    const e = har.log.entries.find((x: { request: { url: string } }) => x.request.url === 'http://www.someschool.edu/long.html');
    expect(e.response.status).toBe(200);
    expect(e.response.content.mimeType).toMatch(/text\/html/);
    expect(e.response.content.text).toContain('A long document');
  });
});

/** The proxy cache against curl -x and headless Chromium; cache correctness checked in the capture. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { launch } from '../../helpers/browser';
import { captured, startLab, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab;
let port: (id: string) => number;
let proxy: string;
beforeAll(async () => {
  ({ lab, port } = await startLab());
  proxy = `http://127.0.0.1:${port('proxy')}`;
});
afterAll(() => lab.shutdown());

async function viaProxy(url: string, ...args: string[]): Promise<{ status: number; headers: string; body: string }> {
  const r = await run('curl', ['-s', '-i', '--max-time', '10', '-x', proxy, ...args, url]);
  const sep = r.stdout.indexOf('\r\n\r\n');
  const head = r.stdout.slice(0, sep);
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body: r.stdout.slice(sep + 4) };
}
const xcache = (h: string) => /X-Cache: (\w+)/.exec(h)?.[1];

/** The requests the web server (the origin) received, as framed in the capture. */
async function originRequests(): Promise<string[]> {
  const lab_ = lab;
  lab_.store.flush();
  const msgs = (await captured(lab_)).filter((m) => m.service === 'http' && m.kind === 'message' && m.dir === 'c2s');
  return Promise.all(msgs.map(async (m) => Buffer.from((await lab_['capture.detail'](m.id))!.bytes, 'base64').toString('latin1')));
}

describe('forward proxy', () => {
  it('fetches lab hosts for curl -x: MISS then HIT, with Via; a HIT sends nothing to the origin', async () => {
    await lab['web.proxyFlush']();
    const before = (await originRequests()).length;
    const miss = await viaProxy('http://www.someschool.edu/');
    expect(miss.status).toBe(200);
    expect(xcache(miss.headers)).toBe('MISS');
    expect(miss.headers).toMatch(/Via: 1\.1 netlab-proxy/);
    expect(miss.body).toContain('Welcome to someschool');
    await waitFor(async () => (await originRequests()).length === before + 1, 'one origin request');
    const hit = await viaProxy('http://www.someschool.edu/');
    expect(xcache(hit.headers)).toBe('HIT');
    expect(hit.body).toBe(miss.body);
    expect(hit.headers).toMatch(/Age: \d+/);
    await new Promise((r) => setTimeout(r, 200));
    expect((await originRequests()).length).toBe(before + 1);
    const st = await lab['web.proxyStatus']();
    expect(st.hits).toBe(1);
    expect(st.misses).toBe(1);
    expect(st.hitRate).toBe(0.5);
    expect(st.objects.map((o) => o.url)).toContain('http://www.someschool.edu/');
  });

  it('removes hop-by-hop headers before the origin and says Via', async () => {
    await viaProxy('http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html', '-H', 'Connection: X-Secret', '-H', 'X-Secret: 42', '-H', 'Proxy-Connection: keep-alive', '-H', 'X-Kept: yes');
    const req = await waitFor(async () => (await originRequests()).find((r) => r.includes('HTTP-wireshark-file1')), 'the origin request');
    expect(req).toMatch(/^GET \/wireshark-labs\/HTTP-wireshark-file1\.html HTTP\/1\.1\r\n/);
    expect(req).toMatch(/Host: gaia\.cs\.umass\.edu/);
    expect(req).toMatch(/Via: 1\.1 netlab-proxy/);
    expect(req).toMatch(/X-Kept: yes/);
    expect(req).not.toMatch(/X-Secret|Proxy-Connection/);
    const conns = await lab['capture.connections']();
    expect(conns.some((c) => c.service === 'http' && c.client.name === 'proxy cache' && c.server.name === 'gaia.cs.umass.edu')).toBe(true);
  });

  it('forwards POST bodies and HEAD, uncached', async () => {
    const post = await viaProxy('http://www.someschool.edu/echo', '-d', 'animal=monkeys');
    expect(post.status).toBe(200);
    expect(post.body).toContain('<td>animal</td><td>monkeys</td>');
    expect(xcache(post.headers)).toBe('MISS');
    const head = await viaProxy('http://www.someschool.edu/long.html', '-I');
    expect(head.status).toBe(200);
    expect(head.headers).toMatch(/Content-Length: \d{5,}/);
  });

  it('refuses hosts outside the lab with a clear 403 page', async () => {
    const r = await viaProxy('http://example.com/');
    expect(r.status).toBe(403);
    expect(r.body).toContain('example.com is outside the lab');
    expect(r.body).toContain('<address>NetLab proxy cache</address>');
  });

  it("a lab host's well-known port where no lab server answers is a 502 that says so, never this machine's own port", async () => {
    const r = await viaProxy('http://hamburger.edu:110/');
    expect(r.status).toBe(502);
    expect(r.body).toContain('Connection refused: no lab server answers at hamburger.edu (192.0.2.30) port 110');
    // signed by the proxy that answers it, not by the web server behind it
    expect(r.body).toContain('<address>NetLab proxy cache</address>');
    // the proxy keeps serving
    expect((await viaProxy('http://www.someschool.edu/')).status).toBe(200);
  });

  it('revalidates a stale entry with a conditional GET: 304 becomes REVALIDATED, a change is served new', async () => {
    await lab['web.configure']({ maxAgeSec: 1 });
    try {
      await lab['web.proxyFlush']();
      const url = 'http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file2.html';
      expect(xcache((await viaProxy(url)).headers)).toBe('MISS');
      expect(xcache((await viaProxy(url)).headers)).toBe('HIT');
      await new Promise((r) => setTimeout(r, 1200));
      const reval = await viaProxy(url);
      expect(xcache(reval.headers)).toBe('REVALIDATED');
      expect(reval.body).toContain('Congratulations again');
      const conditional = (await originRequests()).filter((r) => r.includes('HTTP-wireshark-file2') && /If-None-Match|If-Modified-Since/.test(r));
      expect(conditional.length).toBe(1);
      // the origin's file changes; once freshness runs out the new content comes through
      await lab['web.saveFile']('gaia.cs.umass.edu', '/wireshark-labs/HTTP-wireshark-file2.html', '<html>a new version</html>\n');
      await new Promise((r) => setTimeout(r, 1200));
      const fresh = await viaProxy(url);
      expect(xcache(fresh.headers)).toBe('MISS');
      expect(fresh.body).toBe('<html>a new version</html>\n');
      expect(xcache((await viaProxy(url)).headers)).toBe('HIT');
    } finally {
      await lab['web.configure']({ maxAgeSec: 10 });
      await lab['web.resetFile']('gaia.cs.umass.edu', '/wireshark-labs/HTTP-wireshark-file2.html');
    }
  });

  it("asks the cache's rules again when the client says Cache-Control or Pragma, however many hits came before", async () => {
    await lab['web.proxyFlush']();
    const url = 'http://www.someschool.edu/form.html';
    expect(xcache((await viaProxy(url)).headers)).toBe('MISS');
    for (let i = 0; i < 3; i++) expect(xcache((await viaProxy(url)).headers)).toBe('HIT');
    // a reload (no-cache) and a client that wants nothing older than 0 s go to the origin
    expect(xcache((await viaProxy(url, '-H', 'Cache-Control: no-cache')).headers)).toBe('REVALIDATED');
    expect(xcache((await viaProxy(url, '-H', 'Pragma: no-cache')).headers)).toBe('REVALIDATED');
    const hit = await viaProxy(url);
    expect(xcache(hit.headers)).toBe('HIT');
    expect(hit.headers).toMatch(/\r\nAge: \d+/);
    expect(xcache((await viaProxy(url, '-H', 'Cache-Control: max-age=0')).headers)).not.toBe('HIT');
  });

  it('revalidates a no-cache object on every request', async () => {
    const url = 'http://gaia.cs.umass.edu/kurose_ross/interactive/index.php';
    expect(xcache((await viaProxy(url)).headers)).toBe('MISS');
    expect(xcache((await viaProxy(url)).headers)).toBe('REVALIDATED');
    expect(xcache((await viaProxy(url)).headers)).toBe('REVALIDATED');
  });

  it('honours Cache-Control: no-store, and a disabled cache', async () => {
    await viaProxy('http://www.someschool.edu/news.html');
    expect(xcache((await viaProxy('http://www.someschool.edu/news.html')).headers)).toBe('MISS');
    await lab['web.proxyConfigure']({ cacheEnabled: false });
    try {
      await viaProxy('http://www.someschool.edu/form.html');
      expect(xcache((await viaProxy('http://www.someschool.edu/form.html')).headers)).toBe('MISS');
    } finally {
      await lab['web.proxyConfigure']({ cacheEnabled: true });
    }
  });

  it('serves headless Chromium browsing the lab site through it', async () => {
    await lab['web.proxyFlush']();
    const browser = await launch();
    try {
      const context = await browser.newContext({ proxy: { server: proxy } });
      const page = await context.newPage();
      const res = await page.goto('http://www.someschool.edu/someDepartment/home.index');
      expect(res?.status()).toBe(200);
      expect(res?.headers()['x-cache']).toBe('MISS');
      const loaded = await page.evaluate('[...document.images].filter((i) => i.complete && i.naturalWidth > 0).length');
      expect(loaded).toBe(10);
      const st = await lab['web.proxyStatus']();
      expect(st.objects.length).toBeGreaterThanOrEqual(11);
    } finally {
      await browser.close();
    }
  });
});

describe('experiments, headless', () => {
  it('measures non-persistent, m parallel non-persistent, persistent and pipelined fetches next to the formulas', async () => {
    const progress: { phase: string; done: number; total: number }[] = [];
    const off = lab.on('web.progress', (p) => p.experiment === 'persistence' && progress.push(p));
    const r = await lab['web.runPersistence']({ rttMs: 40, parallel: 4 }).finally(off);
    expect(r.referenced).toBe(10);
    expect(r.parallel).toBe(4);
    // progress: each way of fetching by name, object n of 11
    expect(r.runs.map((x) => x.mode)).toEqual(['non-persistent', 'parallel', 'persistent', 'pipelined']);
    for (const mode of ['non-persistent', 'parallel, m = 4', 'persistent', 'pipelined']) {
      const mine = progress.filter((p) => p.phase.startsWith(mode));
      expect(mine.map((p) => p.done).filter((d) => d > 0)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
      expect(mine.at(-1)!.total).toBe(11);
    }
    const [np, par, p, pl] = r.runs;
    expect(np.connections).toBe(11);
    expect(par.connections).toBe(11);
    expect(p.connections).toBe(1);
    // 2·RTT for the base page, then ⌈10/4⌉ = 3 rounds of 2·RTT
    expect(par.formulaMs).toBe(2 * (1 + 3) * 40);
    expect(par.formula).toContain('2⌈n/m⌉·RTT');
    for (const run_ of r.runs) {
      expect(run_.objects).toBe(11);
      expect(run_.transmissionMs).toBe(0);
      expect(run_.measuredMs).toBeGreaterThanOrEqual(run_.formulaMs * 0.9);
      expect(run_.measuredMs).toBeLessThan(run_.formulaMs * 1.6 + 150);
    }
    expect(np.measuredMs).toBeGreaterThan(par.measuredMs);
    expect(np.measuredMs).toBeGreaterThan(p.measuredMs);
    expect(p.measuredMs).toBeGreaterThan(pl.measuredMs);
    // the web server's link is back to what it was
    expect((await lab['services.list']()).find((s) => s.id === 'http')!.link.delayMs).toBe(0);
  });

  it('with large objects over a rate-limited link, adds the transmission time: parallel connections share the link', async () => {
    // 10 objects of 20 kB at 4 Mbit/s: 40 ms each, 400 ms in all, in every way of fetching
    const r = await lab['web.runPersistence']({ rttMs: 20, parallel: 5, objectBytes: 20_000, rateKbps: 4000 });
    expect(r.objectBytes).toBe(20_000);
    for (const run_ of r.runs) {
      expect(run_.bytes).toBeGreaterThan(10 * 20_000);
      expect(run_.transmissionMs).toBe(Math.round((run_.bytes * 8) / 4000));
      expect(run_.formula).toContain('transmission');
      expect(run_.measuredMs).toBeGreaterThanOrEqual(run_.formulaMs * 0.9);
      expect(run_.measuredMs).toBeLessThan(run_.formulaMs * 1.6 + 150);
    }
    // transmission dominates: 5 parallel connections gain little over one persistent one
    const [np, par, p] = r.runs;
    expect(par.measuredMs).toBeGreaterThan(np.transmissionMs);
    expect(par.measuredMs).toBeLessThan(np.measuredMs);
    expect(p.measuredMs).toBeGreaterThan(p.transmissionMs);
    const http = (await lab['services.list']()).find((s) => s.id === 'http')!;
    expect(http.link.rateKbps).toBe(0);
  });

  it('runs the caching example as §2.2.5 poses it: La/R ≈ 1 on 15 Mbps, ≈ 2 s on 100 Mbps, ≈ 1.21 s with the cache; progress as it goes', async () => {
    const progress: { phase: string; done: number; total: number }[] = [];
    const off = lab.on('web.progress', (p) => p.experiment === 'caching' && progress.push(p));
    // 8 textbook seconds of load, 4× faster: about 2.5 s of wall time per option
    const r = await lab['web.runCaching']({ durationS: 8, timeFactor: 4 }).finally(off);
    expect(r.options.map((o) => o.id)).toEqual(['access-15', 'access-100', 'cache']);
    const [slow, fast, cache] = r.options;
    for (const o of r.options) expect(o.requests).toBe(r.timesS.length);
    expect(r.timesS.length).toBeGreaterThan(80);
    expect(r.scale.objectBytes).toBe(7813);
    // traffic intensity from the bytes that crossed the access link (the headers add a little)
    expect(slow.intensity).toBeGreaterThan(0.9);
    expect(slow.intensity).toBeLessThan(1.3);
    expect(fast.intensity).toBeGreaterThan(0.1);
    expect(fast.intensity).toBeLessThan(0.25);
    expect(cache.intensity).toBeLessThan(slow.intensity * 0.8);
    expect(slow.textbookS).toBeNull();
    expect(slow.textbook).toMatch(/grows without bound/);
    // 100 Mbps: the Internet delay and msecs; each request pays the 2 s
    expect(Math.min(...fast.delaysS)).toBeGreaterThanOrEqual(1.99);
    expect(fast.textbookS).toBe(2.01);
    expect(slow.avgS).toBeGreaterThan(fast.avgS);
    // the cache: hits answered on the LAN, the rest pay the Internet delay
    expect(cache.hitRate).toBeGreaterThan(0.25);
    expect(cache.hitRate).toBeLessThan(0.55);
    expect(cache.textbookS).toBe(1.21);
    expect(cache.avgS).toBeGreaterThanOrEqual((1 - cache.hitRate) * 2);
    expect(cache.avgS).toBeLessThan(fast.avgS * 0.8);
    expect(cache.delaysS.filter((d) => d < 1).length).toBeGreaterThan(r.timesS.length * 0.2);
    // progress: each option by name, n of N up to the end
    for (const o of r.options) {
      const mine = progress.filter((p) => p.phase.startsWith(o.label));
      expect(mine.length).toBeGreaterThan(1);
      expect(mine.at(-1)).toMatchObject({ done: r.timesS.length, total: r.timesS.length });
    }
    expect(await lab['web.proxyStatus']()).toMatchObject({ internetDelayMs: 0, accessKbps: 0, objects: [] });
  });

  it('the access link queues: past La/R = 1 the delay grows through the run', async () => {
    // 10 requests/s of 2 Mbit objects: La/R = 1.33 on 15 Mbps, 0.2 on 100 Mbps
    const r = await lab['web.runCaching']({ durationS: 8, timeFactor: 2, requestsPerSec: 10, objectKbit: 2000 });
    const slow = r.options[0];
    expect(slow.intensity).toBeGreaterThan(1.2);
    expect(slow.lastS).toBeGreaterThan(slow.firstS + 1);
    expect(r.options[1].lastS).toBeLessThan(r.options[1].firstS + 0.5);
  });
});

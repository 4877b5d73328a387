/**
 * Cookies as Kurose & Ross §2.2.4 lists them, against curl's cookie engine: the shop's
 * cookies carry Expires, Domain, Path, Secure and HttpOnly (RFC 6265 §4.1.2), and a second
 * site, the French shop, shows that a browser sends each site only its own cookies.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab, tempDir } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab;
let base: string;
beforeAll(async () => {
  let port: (id: string) => number;
  ({ lab, port } = await startLab());
  base = `http://127.0.0.1:${port('http')}`;
});
afterAll(() => lab.shutdown());

/** curl with a jar, as a browser: what it sent (Cookie lines of -v) and what it got (Set-Cookie lines) */
async function browse(jar: string, host: string, p: string): Promise<{ sent: string[]; set: string[]; body: string }> {
  const r = await run('curl', ['-s', '-v', '--max-time', '10', '-b', jar, '-c', jar, '-H', `Host: ${host}`, `${base}${p}`]);
  const sent = [...r.stderr.matchAll(/^> Cookie: (.*?)\r?$/gm)].flatMap((m) => m[1].split('; ')).sort();
  const set = [...r.stderr.matchAll(/^< Set-Cookie: (.*?)\r?$/gim)].map((m) => m[1]);
  return { sent, set, body: r.stdout };
}

describe('the shop sets its cookies with the attributes the textbook lists', () => {
  it('id: Expires a year on, Max-Age, Domain=networkutopia.com, Path=/, HttpOnly; last: Path=/cart, a day, this host only', async () => {
    const jar = path.join(await tempDir(), 'jar');
    const before = Date.now();
    const r = await browse(jar, 'www.networkutopia.com', '/cart/add?item=router');
    expect(r.sent).toEqual([]);
    const id = r.set.find((c) => c.startsWith('id='))!;
    expect(id).toMatch(/^id=\d+; Expires=[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT; Max-Age=31536000; Domain=networkutopia\.com; Path=\/; HttpOnly$/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(id)![1]);
    expect(Math.round((expires - before) / 86_400_000)).toBe(365);
    const last = r.set.find((c) => c.startsWith('last='))!;
    expect(last).toMatch(/^last=router; Expires=[^;]+ GMT; Max-Age=86400; Path=\/cart$/);
    // curl's jar, as a browser keeps it: the id for the whole domain, marked HttpOnly; last for this host and /cart
    const kept = await fs.readFile(jar, 'utf8');
    expect(kept).toMatch(/^#HttpOnly_\.networkutopia\.com\tTRUE\t\/\tFALSE\t\d+\tid\t\d+$/m);
    expect(kept).toMatch(/^www\.networkutopia\.com\tFALSE\t\/cart\tFALSE\t\d+\tlast\trouter$/m);
  });

  it('Path: last goes back to /cart and not to /; Domain: the id goes to networkutopia.com too', async () => {
    const jar = path.join(await tempDir(), 'jar');
    const first = await browse(jar, 'www.networkutopia.com', '/cart/add?item=cable');
    const id = first.set.find((c) => c.startsWith('id='))!.split(';')[0];
    const cart = await browse(jar, 'www.networkutopia.com', '/cart');
    expect(cart.sent).toEqual([id, 'last=cable'].sort());
    expect(cart.body).toContain('Your browser sent <code>last=cable</code> too');
    expect((await browse(jar, 'www.networkutopia.com', '/')).sent).toEqual([id]);
    // the bare domain is an alias of the same site: the Domain attribute covers it
    expect((await browse(jar, 'networkutopia.com', '/cart')).sent).toEqual([id]);
  });

  it('Secure: the session cookie of /account is not kept from plain HTTP, so it never comes back', async () => {
    const jar = path.join(await tempDir(), 'jar');
    const first = await browse(jar, 'www.networkutopia.com', '/account');
    const session = first.set.find((c) => c.startsWith('session='))!;
    // a session cookie: no Expires, gone when the browser closes
    expect(session).toMatch(/^session=[0-9a-f]{16}; Path=\/account; Secure; HttpOnly$/);
    expect(first.body).toContain('Secure means HTTPS only');
    const again = await browse(jar, 'www.networkutopia.com', '/account');
    expect(again.sent).toHaveLength(1);
    expect(again.sent[0]).toMatch(/^id=\d+$/);
    expect(again.body).toContain('Your browser sent no session cookie');
    expect(await fs.readFile(jar, 'utf8')).not.toContain('session');
    // the site's table shows each cookie it set for the shopper, attributes and all
    const row = (await lab['web.cookies']()).find((r) => r.id === again.sent[0].slice(3))!;
    expect(row.issued.map((c) => c.name).sort()).toEqual(['id', 'session']);
    expect(row.issued.find((c) => c.name === 'session')).toMatchObject({ secure: true, httpOnly: true, path: '/account' });
    expect(row.issued.find((c) => c.name === 'session')!.expires).toBeUndefined();
    expect(row.issued.find((c) => c.name === 'id')).toMatchObject({ domain: 'networkutopia.com', path: '/', httpOnly: true, secure: false, maxAgeSec: 31_536_000 });
  });

  it('a cookie typed by hand with the request (what a browser would not send) is said so, and the shop keeps serving', async () => {
    const r = await run('curl', ['-s', '--max-time', '10', '-H', 'Host: www.networkutopia.com', '-H', 'Cookie: session=<script>; last="; id=', `${base}/account`]);
    expect(r.stdout).toContain('sent <code>session=&lt;script&gt;</code> over plain HTTP: a browser would not have');
    expect(r.stdout).toContain('first visit, here is your id');
    const ok = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Host: www.networkutopia.com', `${base}/cart`]);
    expect(ok.stdout).toBe('200');
  });
});

describe('cookies are per site: one jar, two shops', () => {
  it('the browser sends www.networkutopia.com only its cookies and www.networkutopia.fr only its own', async () => {
    const jar = path.join(await tempDir(), 'jar');
    const com = await browse(jar, 'www.networkutopia.com', '/cart/add?item=router');
    const fr = await browse(jar, 'www.networkutopia.fr', '/cart/add?item=croissant');
    // the French shop got no cookie from the jar: it is another site, so it issues its own id
    expect(fr.sent).toEqual([]);
    const comId = com.set.find((c) => c.startsWith('id='))!.split(';')[0];
    const frCookie = fr.set.find((c) => c.startsWith('id='))!;
    expect(frCookie).toContain('Domain=networkutopia.fr');
    const frId = frCookie.split(';')[0];
    expect((await browse(jar, 'www.networkutopia.com', '/cart')).sent).toEqual([comId, 'last=router'].sort());
    const frCart = await browse(jar, 'www.networkutopia.fr', '/cart');
    expect(frCart.sent).toEqual([frId, 'last=croissant'].sort());
    expect(frCart.body).toContain('<li>croissant</li>');
    expect(frCart.body).not.toContain('router');
    // each site's back-end table has its own row for the same browser
    const rows = await lab['web.cookies']();
    expect(rows.find((r) => `id=${r.id}` === comId)).toMatchObject({ host: 'www.networkutopia.com', cart: ['router'] });
    expect(rows.find((r) => `id=${r.id}` === frId)).toMatchObject({ host: 'www.networkutopia.fr', cart: ['croissant'] });
    // a .com id sent to the French shop by hand is not recognised there
    const stray = await run('curl', ['-s', '--max-time', '10', '-H', 'Host: www.networkutopia.fr', '-b', comId, `${base}/cart`]);
    expect(stray.stdout).toContain('an id the site');
  });

  it('a page of a site with no cookies sets none and gets none from the jar', async () => {
    const jar = path.join(await tempDir(), 'jar');
    await browse(jar, 'www.networkutopia.com', '/');
    const school = await browse(jar, 'www.someschool.edu', '/');
    expect(school.sent).toEqual([]);
    expect(school.set).toEqual([]);
  });
});

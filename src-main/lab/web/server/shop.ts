/**
 * The cookie sites' pages and cookies (Kurose & Ross §2.2.4): a shop keeps a row per shopper
 * in its back-end database, keyed by the `id` cookie, and sets its cookies with the
 * attributes the textbook lists (RFC 6265 §4.1.2):
 *  - id: Expires a year on (the browser keeps it in its cookie file), Domain the site's
 *    domain (sent to www.networkutopia.com and networkutopia.com alike), Path=/, HttpOnly
 *    (the page's scripts need not read it);
 *  - last, the last item put in the cart: a day, no Domain (this host only), Path=/cart
 *    (sent to the cart's pages only);
 *  - session, on /account: no Expires (a session cookie), Path=/account, Secure (only over
 *    HTTPS: a browser does not keep it from a plain HTTP response) and HttpOnly.
 * Each site has its own cookies: a browser sends www.networkutopia.fr none of .com's.
 */
import { randomBytes } from 'node:crypto';
import type { HttpRequest } from '../request';
import type { HttpResponse } from '../response';
import { escapeHtml, htmlPage } from '../pages';
import type { CookieRow, IssuedCookie } from '../types';
import { COOKIE_NAME, parseCookies, siteDomain } from './cookies';

const YEAR_S = 365 * 24 * 3600;
const DAY_S = 24 * 3600;

/** A shopper the site did not recognise: no Cookie header, or an id its table does not hold. */
export interface Stranger {
  sentId: string | undefined;
}

const expiring = (now: number, seconds: number) => ({ expires: new Date(now + seconds * 1000).toUTCString(), maxAgeSec: seconds });

/** The shopper's identification number, the key of the back-end row. */
export function idCookie(host: string, id: string, now = Date.now()): IssuedCookie {
  return {
    name: COOKIE_NAME,
    value: id,
    ...expiring(now, YEAR_S),
    domain: siteDomain(host),
    path: '/',
    secure: false,
    httpOnly: true,
    purpose: "identifies the shopper: the key of the row in the site's back-end database",
    setAt: now,
  };
}

function lastCookie(item: string, now: number): IssuedCookie {
  return { name: 'last', value: encodeURIComponent(item), ...expiring(now, DAY_S), path: '/cart', secure: false, httpOnly: false, purpose: 'the last item put in the cart, shown on the cart page', setAt: now };
}

function sessionCookie(now: number): IssuedCookie {
  return { name: 'session', value: randomBytes(8).toString('hex'), path: '/account', secure: true, httpOnly: true, purpose: 'a signed-in session for the account page: HTTPS only, gone when the browser closes', setAt: now };
}

function html(title: string, body: string): HttpResponse {
  return { status: 200, headers: [['Content-Type', 'text/html; charset=utf-8'], ['Cache-Control', 'no-store']], body: htmlPage(title, body) };
}

/**
 * The shop's dynamic pages: the cart kept against the cookie's row, and the cookies each page
 * sets. Only a request that brings the id cookie back is greeted as a returning shopper; a
 * first visit is told its new id and how the browser will send it.
 */
export function shopPage(req: HttpRequest, path: string, row: CookieRow, stranger: Stranger | null, cookieHeader: string | undefined): { res: HttpResponse; set: IssuedCookie[] } | null {
  const now = Date.now();
  const set: IssuedCookie[] = [];
  const sent = parseCookies(cookieHeader);
  const notes: string[] = [];
  if (path === '/cart/add' && (req.method === 'GET' || req.method === 'POST')) {
    const item = new URLSearchParams(req.method === 'POST' ? req.body.toString('utf8') : req.query).get('item')?.slice(0, 80);
    if (item && row.cart.length < 100) {
      row.cart.push(item);
      set.push(lastCookie(item, now));
      notes.push(`The response sets <code>last=${escapeHtml(encodeURIComponent(item))}; Path=/cart</code>: your browser sends it back to the cart's pages only.`);
    }
  } else if (path === '/account') {
    const back = sent.session ? `Your browser sent <code>session=${escapeHtml(sent.session.slice(0, 40))}</code> over plain HTTP: a browser would not have.` : 'Your browser sent no session cookie.';
    set.push(sessionCookie(now));
    notes.push(`${back} The response sets <code>session=…; Path=/account; Secure; HttpOnly</code>: Secure means HTTPS only, so from this plain HTTP response a browser does not keep it, and asking again brings none back.`);
  } else if (path !== '/cart') return null;
  if (path === '/cart' && sent.last) notes.push(`Your browser sent <code>last=${escapeHtml(sent.last.slice(0, 100))}</code> too: a cookie with <code>Path=/cart</code>, sent to this page and not to the shop's others.`);
  const items = row.cart.map((i) => `<li>${escapeHtml(i)}</li>`).join('') || '<li>(empty)</li>';
  const cart = `${notes.map((n) => `<p>${n}</p>`).join('')}<h2>Your cart</h2><ul>${items}</ul><p><a href="/">Continue shopping</a></p>`;
  if (stranger) {
    const said = stranger.sentId
      ? `Your browser sent <code>Cookie: ${COOKIE_NAME}=${escapeHtml(stranger.sentId.slice(0, 40))}</code>, an id the site's database does not know`
      : 'Your browser sent no Cookie header';
    const res = html(
      `Hello, new shopper: first visit, here is your id ${row.id}`,
      `<p>${said}, so the site made you a new row in its back-end database and answered with <code>Set-Cookie: ${COOKIE_NAME}=${row.id}</code>. ` +
        `A browser keeps it and sends <code>Cookie: ${COOKIE_NAME}=${row.id}</code> with every later request to this site: that is how the site will know you next time ` +
        `(with curl: <code>-c jar -b jar</code>).</p>${cart}`,
    );
    return { res, set };
  }
  const res = html(`Welcome back, shopper ${row.id}`, `<p>Your browser sent <code>Cookie: ${COOKIE_NAME}=${row.id}</code>: this is visit ${row.visits} the site's database remembers.</p>${cart}`);
  return { res, set };
}

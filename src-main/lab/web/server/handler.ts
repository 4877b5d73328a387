/**
 * What the web server answers: virtual hosting by Host, GET/HEAD/POST on a site's files
 * (PUT and DELETE with the site's upload account: writes.ts), conditional GET (RFC 9110 §13), Basic authentication (RFC 7617), the cookie site's
 * back-end table (Kurose & Ross §2.2.4), a form's input echoed back, redirects. Socket-free:
 * a request in, a response out.
 */
import { header, type Header } from '../head';
import type { HttpRequest } from '../request';
import type { HttpResponse } from '../response';
import { errorPage, escapeHtml, htmlPage } from '../pages';
import type { CookieRow, IssuedCookie, WebSettings } from '../types';
import { COOKIE_NAME, type CookieTable, noteIssued, parseCookies, setCookieText } from './cookies';
import { idCookie, shopPage, type Stranger } from './shop';
import { webMail, type WebMailBackend } from './webmail';
import { contentType } from './mime';
import { etagOf, type FoundFile, PathError, type SiteConfig, Sites } from './sites';
import type { FileCache } from './file-cache';
import { authorised } from './basic-auth';
import { experimentObject, OBJECT_PREFIX } from './objects';
import { changeFile, isWrite, refused, writeDenied, writeSite } from './writes';
import type { OrderBook } from '../orders/order-book';
import { ordersAnswer } from '../orders/orders';
import { ranged } from './range';

export { authorised };

export interface HandlerContext {
  sites: Sites;
  cookies: CookieTable;
  files: FileCache;
  settings: () => WebSettings;
  /** the lab host name the client dialled, when the lab knows it (telnet gaia.cs.umass.edu 80) */
  dialled?: string;
  note: (text: string) => void;
  changed: (what: 'cookies' | 'sites') => void;
  /** the lab mail domains' web mail (mail.<domain>), when the mail services are there */
  webmail?: WebMailBackend;
  /** the client's real address (web mail's failed-login throttle counts by it) */
  client?: string;
  /** www.networkutopia.com's order service (REST and SOAP), when the server has one */
  orders?: OrderBook;
  /** paths a lab area answers itself (the video area's /_netlab/dash.js) */
  extraRoutes?: (req: HttpRequest) => HttpResponse | null;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'];
const FILE_METHODS = 'GET, HEAD, PUT, DELETE';

/**
 * Answer a request. A GET of a file whose bytes are in memory is answered at once (no
 * promise, no turn of the event loop); uploads, deletions and first reads of a file settle later.
 */
export function handle(req: HttpRequest, ctx: HandlerContext): HttpResponse | Promise<HttpResponse> {
  if (!METHODS.includes(req.method)) {
    const hint = METHODS.includes(req.method.toUpperCase()) ? ` Methods are case-sensitive: write ${req.method.toUpperCase()}.` : '';
    return errorPage(501, `The method ${req.method} is not implemented by this server (it knows ${METHODS.join(', ')}).${hint}`, [['Allow', METHODS.join(', ')]]);
  }
  let host: string | undefined;
  let hosts = 0;
  for (const [n, v] of req.headers) {
    if (n.length === 4 && n.toLowerCase() === 'host' && hosts++ === 0) host = v;
  }
  if (hosts > 1) return errorPage(400, 'More than one Host header.');
  if (hosts === 0 && req.version === '1.1') return hostMissing(ctx);
  const mail = ctx.webmail && host !== undefined ? webMail(req, host, ctx.webmail, ctx.client ?? '') : null;
  if (mail) return mail;
  const service = ctx.orders ? ordersAnswer(req, host ?? ctx.dialled, ctx.orders) : null;
  if (service) return service;
  const writing = isWrite(req.method);
  const picked = writing ? writeSite(req, host, ctx) : pickSite(req, host, ctx);
  if ('status' in picked) return picked;
  const site = picked;
  if (req.path === '*') return errorPage(400, 'The target * is only for OPTIONS.');
  if (req.path === '/_netlab/error') throw new Error('a deliberate failure, to show 500 Internal Server Error');
  if (req.path.startsWith(OBJECT_PREFIX) && !writing) return experimentObject(req);
  const answered = ctx.extraRoutes && req.path.startsWith('/_netlab/') ? ctx.extraRoutes(req) : null;
  if (answered) return answered;

  let route: Route;
  try {
    route = routeOf(req.path);
  } catch (err) {
    if (err instanceof PathError) {
      ctx.note(`refused ${req.path.slice(0, 80)}: ${err.message}`);
      return errorPage(err.status, err.message);
    }
    throw err;
  }
  const { segs, path } = route;

  const redirect = Object.hasOwn(site.redirects, path) ? site.redirects[path] : undefined;
  if (redirect) return moved(site, redirect);

  const guard = site.protected.find((p) => path.startsWith(p.path) || `${path}/` === p.path);
  if (guard && !authorised(header(req.headers, 'authorization'), guard.user, guard.password)) {
    return errorPage(401, `${guard.realm}: this page needs a user name and password (Basic authentication).`, [
      ['WWW-Authenticate', `Basic realm="${guard.realm}", charset="UTF-8"`],
    ]);
  }

  if (writing) {
    const denied = writeDenied(req, site);
    if (denied) return denied;
  }

  const extra: Header[] = [];
  if (site.cookies) {
    const sent = header(req.headers, 'cookie');
    let row = ctx.cookies.recognise(site.host, sent);
    let stranger: Stranger | null = null;
    const issue = (r: CookieRow, c: IssuedCookie): void => {
      noteIssued(r, c);
      extra.push(['Set-Cookie', setCookieText(c)]);
    };
    if (!row) {
      row = ctx.cookies.issue(site.host);
      stranger = { sentId: parseCookies(sent)[COOKIE_NAME] };
      issue(row, idCookie(site.host, row.id));
      ctx.note(`new visitor: the site issues cookie ${COOKIE_NAME}=${row.id} and adds a row to its back-end table`);
    }
    ctx.cookies.visit(row, path);
    const shop = shopPage(req, path, row, stranger, sent);
    for (const c of shop?.set ?? []) issue(row, c);
    ctx.changed('cookies');
    if (shop) return withHeaders(shop.res, extra);
  }

  if (path === '/echo') return withHeaders(echoPage(req, site), extra);

  const res = writing ? changeFile(req, ctx, site, segs, path).catch((err: unknown) => refused(err, ctx)) : files(req, ctx, site, route);
  if (!extra.length) return res;
  return res instanceof Promise ? res.then((r) => withHeaders(r, extra)) : withHeaders(res, extra);
}

interface Route {
  /** the decoded, checked path segments */
  segs: string[];
  /** the path they make, with the request's trailing slash */
  path: string;
  /** the segments joined, the key of the site's stat cache */
  key: string;
  /** the folder's index.html, when the path turned out to be a folder */
  index?: { segs: string[]; key: string };
}

/** Request paths already decoded and checked (the same few are asked again and again). */
const routes = new Map<string, Route>();

function routeOf(urlPath: string): Route {
  let route = routes.get(urlPath);
  if (!route) {
    const segs = Sites.segments(urlPath);
    const key = segs.join('/');
    route = { segs, key, path: `/${key}${urlPath.endsWith('/') && segs.length ? '/' : ''}` };
    if (routes.size >= 2000) routes.clear();
    routes.set(urlPath, route);
  }
  return route;
}

/**
 * RFC 9112 §3.2: a server MUST answer an HTTP/1.1 request without a Host header with 400 — the
 * header is what lets one address serve many sites. The page names the site the client dialled.
 * (HTTP/1.0 predates Host: served from the dialled or the default site, pickSite.)
 */
function hostMissing(ctx: HandlerContext): HttpResponse {
  const name = (ctx.sites.byHost(ctx.dialled) ?? ctx.sites.defaultSite).host;
  ctx.note(`HTTP/1.1 request without Host: 400 (RFC 9112 §3.2); HTTP/1.0 may leave it out`);
  return errorPage(400, `HTTP/1.1 requires a Host header: add \`Host: ${name}\` on the line after the request line (RFC 9112 §3.2). One server answers for many sites; the Host header says which one you mean.`);
}

function pickSite(req: HttpRequest, hostHeader: string | undefined, ctx: HandlerContext): SiteConfig {
  const host = req.absolute?.host ?? hostHeader;
  const byHost = ctx.sites.byHost(host);
  if (byHost) return byHost;
  const dialled = ctx.sites.byHost(ctx.dialled);
  if (!host) {
    const s = dialled ?? ctx.sites.defaultSite;
    ctx.note(`no Host header (HTTP/1.0 may leave it out): serving ${s.host}`);
    return s;
  }
  const s = dialled ?? ctx.sites.defaultSite;
  ctx.note(`no site for Host ${host.slice(0, 80)}: serving ${s.host}, the default`);
  return s;
}

/** GET, HEAD and POST on a site's path. */
function files(req: HttpRequest, ctx: HandlerContext, site: SiteConfig, route: Route): HttpResponse | Promise<HttpResponse> {
  const { segs, path } = route;
  const found = ctx.sites.lookup(site.host, segs, route.key);
  if (!found) return errorPage(404, `The requested URL ${path} was not found on ${site.host}.`);
  if (found.kind === 'refused') return refused(new PathError(403, found.reason), ctx);
  if (found.kind === 'dir') {
    if (!req.path.endsWith('/')) return moved(site, `${path}/${req.query ? `?${req.query}` : ''}`);
    route.index ??= { segs: [...segs, 'index.html'], key: [...segs, 'index.html'].join('/') };
    const index = ctx.sites.lookup(site.host, route.index.segs, route.index.key);
    if (index?.kind === 'refused') return refused(new PathError(403, index.reason), ctx);
    if (!index || index.kind !== 'file') return errorPage(404, `${path} has no index.html.`);
    return serveFile(req, ctx, site, index.found, path);
  }
  if (req.method === 'POST') return errorPage(405, `${path} is a file: it takes ${FILE_METHODS}, not POST (forms post to /echo).`, [['Allow', FILE_METHODS]]);
  return serveFile(req, ctx, site, found.found, path);
}

const EMPTY = Buffer.alloc(0);

function serveFile(req: HttpRequest, ctx: HandlerContext, site: SiteConfig, f: FoundFile, path: string): HttpResponse | Promise<HttpResponse> {
  const etag = (f.etag ??= etagOf(f));
  const cacheControl = cacheControlOf(site, path, ctx.settings().maxAgeSec);
  if (notModified(req, etag, f.mtimeMs)) return { status: 304, headers: fileHeaders(f, etag, cacheControl), body: EMPTY };
  // the 200 for this version of the file, built once: the same object for every request
  const key = cacheControl ?? '';
  const kept = ctx.files.response(f, key);
  if (kept) return ranged(req, kept, etag);
  const headers = fileHeaders(f, etag, cacheControl);
  if (req.method === 'HEAD') return { status: 200, headers, body: Buffer.alloc(f.size) };
  return ctx.files.read(f).then(
    (body) => ranged(req, ctx.files.keepResponse(f, key, { status: 200, headers, body, shared: true }), etag),
    (err: unknown) => {
      // ELOOP: the file was swapped for a symbolic link since it was looked up
      if ((err as NodeJS.ErrnoException).code !== 'ELOOP') throw err;
      return refused(new PathError(403, `${path} is a symbolic link: it is not followed`), ctx);
    },
  );
}

function fileHeaders(f: FoundFile, etag: string, cacheControl: string | undefined): Header[] {
  const headers: Header[] = [['Content-Type', contentType(f.file)], ['Last-Modified', lastModifiedOf(f.mtimeMs)], ['ETag', etag], ['Accept-Ranges', 'bytes']];
  if (cacheControl !== undefined) headers.push(['Cache-Control', cacheControl]);
  return headers;
}

const rules = new WeakMap<SiteConfig, [string, string][]>();
/** The site's Cache-Control for the path (first matching prefix), else max-age from the settings. */
function cacheControlOf(site: SiteConfig, path: string, maxAge: number): string | undefined {
  let list = rules.get(site);
  if (!list) rules.set(site, (list = Object.entries(site.cacheControl)));
  for (const [prefix, value] of list) if (path.startsWith(prefix)) return value;
  return maxAge > 0 ? `max-age=${maxAge}` : undefined;
}

/** RFC 9110 §13.2.2: If-None-Match first; If-Modified-Since only without it. */
export function notModified(req: HttpRequest, etag: string, mtimeMs: number): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const inm = header(req.headers, 'if-none-match');
  if (inm !== undefined) {
    if (inm.trim() === '*') return true;
    const weak = (t: string): string => t.trim().replace(/^W\//, '');
    return inm.split(',').some((t) => weak(t) === weak(etag));
  }
  const ims = header(req.headers, 'if-modified-since');
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  if (Number.isNaN(since)) return false;
  return Math.floor(mtimeMs / 1000) * 1000 <= since;
}

function moved(site: SiteConfig, to: string): HttpResponse {
  const location = /^https?:\/\//.test(to) ? to : `http://${site.host}${to}`;
  return {
    status: 301,
    headers: [['Location', location], ['Content-Type', 'text/html; charset=utf-8']],
    body: htmlPage('301 Moved Permanently', `<p>The document has moved <a href="${escapeHtml(location)}">here</a>.</p>`),
  };
}

/** The response with more headers: a new object answering this request only (not shared). */
function withHeaders(res: HttpResponse, extra: Header[]): HttpResponse {
  return extra.length ? { ...res, headers: [...res.headers, ...extra], shared: false } : res;
}

function html(title: string, body: string): HttpResponse {
  return { status: 200, headers: [['Content-Type', 'text/html; charset=utf-8'], ['Cache-Control', 'no-store']], body: htmlPage(title, body) };
}

/** Form input from the URL (GET) or an urlencoded body (POST), shown back to the user. */
function echoPage(req: HttpRequest, site: SiteConfig): HttpResponse {
  const type = header(req.headers, 'content-type') ?? '';
  const fromBody = req.method === 'POST' && (type.startsWith('application/x-www-form-urlencoded') || type === '');
  const params = new URLSearchParams(fromBody ? req.body.toString('utf8') : req.query);
  const rows = [...params].slice(0, 100).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`);
  const where = req.method === 'GET' ? 'in the URL (GET: after the ?)' : 'in the body of the POST';
  const raw = req.method === 'POST' && !fromBody ? `<pre>${escapeHtml(req.body.toString('utf8').slice(0, 4000))}</pre>` : '';
  return html(`Form input on ${site.host}`, `<p>${req.method} ${escapeHtml(req.target.slice(0, 200))} — the input came ${where}.</p><table border="1">${rows.join('')}</table>${raw}`);
}

const dates = new Map<number, string>();
/** Last-Modified text by modification time: formatted once per file version. */
function lastModifiedOf(mtimeMs: number): string {
  const second = Math.floor(mtimeMs / 1000) * 1000;
  let text = dates.get(second);
  if (!text) {
    if (dates.size > 10_000) dates.clear();
    text = new Date(second).toUTCString();
    dates.set(second, text);
  }
  return text;
}

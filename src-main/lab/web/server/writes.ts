/**
 * What may change a site over HTTP, and how PUT and DELETE change it. The rule a student meets:
 *
 * - the request names a lab site: its Host (or absolute URI) is one of the lab's hosts, or the
 *   lab terminal dialled one. Reads of an unknown host fall back to the default site, as a
 *   server's default virtual host does; a write never does — an unknown host gets
 *   421 Misdirected Request (RFC 9110 §15.5.20: this server cannot answer for that authority),
 *   a missing Host 400 (RFC 9112 §3.2). 404 would say the file is missing, which is not why.
 * - it carries the site's upload credentials (Basic, RFC 7617; sites.json `upload`), else
 *   401 with WWW-Authenticate; a site without them is read-only (405).
 * - the site's copy stays within its quota, else 413 Content Too Large (RFC 9110 §15.5.14:
 *   content larger than the server is willing to take). 507 Insufficient Storage is WebDAV's
 *   (RFC 4918 §11.5), a server out of space; this server is no WebDAV server and has room.
 */
import { header, type Header } from '../head';
import type { HttpRequest } from '../request';
import type { HttpResponse } from '../response';
import { errorPage, escapeHtml, htmlPage } from '../pages';
import { authorised } from './basic-auth';
import type { HandlerContext } from './handler';
import { PathError, type SiteConfig } from './sites';

export function isWrite(method: string): boolean {
  return method === 'PUT' || method === 'DELETE';
}

/** The site a PUT or DELETE changes, or the refusal when the request names none of the lab's. */
export function writeSite(req: HttpRequest, hostHeader: string | undefined, ctx: HandlerContext): SiteConfig | HttpResponse {
  const named = req.absolute?.host ?? hostHeader?.trim();
  if (!named) {
    const dialled = ctx.sites.byHost(ctx.dialled);
    if (dialled) return dialled;
    return errorPage(400, `${req.method} needs a Host header naming the lab site it changes (RFC 9112 §3.2).`);
  }
  const site = ctx.sites.byHost(named);
  if (site) return site;
  ctx.note(`${req.method} for ${named.slice(0, 80)}, which is not a lab host: 421 Misdirected Request`);
  const hosts = ctx.sites.all.map((s) => s.host).join(', ');
  return errorPage(421, `This server does not answer for ${named}: it changes files only on the lab's sites (${hosts}).`);
}

/** 401 or 405 when the request may not change the site; null when it may. */
export function writeDenied(req: HttpRequest, site: SiteConfig): HttpResponse | null {
  const rule = site.upload;
  if (!rule) return errorPage(405, `${site.host} is read-only over HTTP (it has no upload account).`, [['Allow', 'GET, HEAD']]);
  if (authorised(header(req.headers, 'authorization'), rule.user, rule.password)) return null;
  return errorPage(401, `${rule.realm}: ${req.method} on ${site.host} needs the site's upload account (Basic authentication).`, [
    ['WWW-Authenticate', `Basic realm="${rule.realm}", charset="UTF-8"`],
  ]);
}

/** A path the site refuses (a link out of its folder, over quota) as its error page; anything else stays a failure (500). */
export function refused(err: unknown, ctx: HandlerContext): HttpResponse {
  if (!(err instanceof PathError)) throw err;
  ctx.note(`refused: ${err.message}`);
  return errorPage(err.status, err.message);
}

/** PUT uploads to the path, DELETE removes the user's copy. */
export async function changeFile(req: HttpRequest, ctx: HandlerContext, site: SiteConfig, segs: string[], path: string): Promise<HttpResponse> {
  if (req.method === 'PUT') {
    const existed = ctx.sites.lookup(site.host, segs);
    if (existed?.kind === 'refused') throw new PathError(403, existed.reason);
    if (existed?.kind === 'dir' || segs.length === 0) return errorPage(405, 'A folder cannot be replaced by a file.', [['Allow', 'GET, HEAD']]);
    await ctx.sites.write(site.host, segs, req.body);
    ctx.files.forget();
    ctx.changed('sites');
    const location: Header[] = [['Content-Location', path]];
    if (existed) return { status: 204, headers: location, body: Buffer.alloc(0) };
    return {
      status: 201,
      headers: [...location, ['Location', `http://${site.host}${path}`], ['Content-Type', 'text/html; charset=utf-8']],
      body: htmlPage('201 Created', `<p>${escapeHtml(path)} was stored (${req.body.length} bytes).</p>`),
    };
  }
  const found = ctx.sites.lookup(site.host, segs);
  if (found?.kind === 'refused') throw new PathError(403, found.reason);
  if (!found || found.kind === 'dir') return errorPage(404, `${path} does not exist.`);
  if (!(await ctx.sites.remove(site.host, segs))) {
    return errorPage(405, 'Shipped files are read-only: DELETE removes only files you uploaded or edited.', [['Allow', 'GET, HEAD, PUT']]);
  }
  ctx.files.forget();
  ctx.changed('sites');
  return { status: 204, headers: [], body: Buffer.alloc(0) };
}

/**
 * The back-end database of a cookie site (Kurose & Ross §2.2.4, Figure 2.10): the first
 * response carries `Set-Cookie: id=<n>`, the site keeps a row per id, and later requests
 * that bring `Cookie: id=<n>` are recognised — visits counted, pages and a cart remembered.
 * In memory: a lab session's shoppers, cleared from the UI.
 */
import type { CookieRow, IssuedCookie } from '../types';

export const COOKIE_NAME = 'id';
const MAX_ROWS = 10_000;
const MAX_PAGES = 20;

export class CookieTable {
  private rows = new Map<string, CookieRow>();

  /** The row for a Cookie header's id on `host`, or undefined when the id is unknown. */
  recognise(host: string, cookieHeader: string | undefined): CookieRow | undefined {
    const id = parseCookies(cookieHeader)[COOKIE_NAME];
    if (!id) return undefined;
    const row = this.rows.get(id);
    return row && row.host === host ? row : undefined;
  }

  issue(host: string): CookieRow {
    let id: string;
    do id = String(1000 + Math.floor(Math.random() * 9000));
    while (this.rows.has(id) && this.rows.size < 9000);
    if (this.rows.size >= MAX_ROWS) this.rows.delete(this.rows.keys().next().value as string);
    const now = Date.now();
    const row: CookieRow = { id, host, firstVisit: now, lastVisit: now, visits: 0, pages: [], cart: [], issued: [] };
    this.rows.set(id, row);
    return row;
  }

  visit(row: CookieRow, page: string): void {
    row.visits++;
    row.lastVisit = Date.now();
    row.pages.push(page);
    if (row.pages.length > MAX_PAGES) row.pages.splice(0, row.pages.length - MAX_PAGES);
  }

  list(): CookieRow[] {
    return [...this.rows.values()].map((r) => ({ ...r, pages: [...r.pages], cart: [...r.cart], issued: r.issued.map((c) => ({ ...c })) }));
  }

  clear(): void {
    this.rows.clear();
  }
}

/** Note a cookie set for a shopper: the latest of each name is kept. */
export function noteIssued(row: CookieRow, cookie: IssuedCookie): void {
  row.issued = [...row.issued.filter((c) => c.name !== cookie.name), cookie];
}

/** The Set-Cookie header's value (RFC 6265 §4.1.1): name=value, then the attributes. */
export function setCookieText(c: IssuedCookie): string {
  const parts = [`${c.name}=${c.value}`];
  if (c.expires) parts.push(`Expires=${c.expires}`);
  if (c.maxAgeSec !== undefined) parts.push(`Max-Age=${c.maxAgeSec}`);
  if (c.domain) parts.push(`Domain=${c.domain}`);
  parts.push(`Path=${c.path}`);
  if (c.secure) parts.push('Secure');
  if (c.httpOnly) parts.push('HttpOnly');
  return parts.join('; ');
}

/** The site's domain for a Domain attribute: its host without a leading www. */
export function siteDomain(host: string): string {
  return host.replace(/^www\./, '');
}

/** `a=1; b=2` into { a: '1', b: '2' } (RFC 6265 §5.4); the first of a repeated name wins. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';').slice(0, 100)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!(name in out)) out[name] = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return out;
}

/** Small HTML pages the lab's HTTP servers answer with: errors, and the proxy's refusals. */
import type { Header } from './head';
import { STATUS_TEXT, type HttpResponse } from './response';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** who signs a page (its last line, as Apache's and Squid's pages do) */
export const WEB_SERVER_SIGNATURE = 'NetLab web server';
export const PROXY_SIGNATURE = 'NetLab proxy cache';

export function htmlPage(title: string, bodyHtml: string, signature = WEB_SERVER_SIGNATURE): Buffer {
  return Buffer.from(
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n` +
      `<body style="font-family: sans-serif; margin: 2em">\n<h1>${escapeHtml(title)}</h1>\n${bodyHtml}\n` +
      `<hr><address>${escapeHtml(signature)}</address>\n</body></html>\n`,
  );
}

export function errorPage(status: number, explanation: string, extra: Header[] = [], signature = WEB_SERVER_SIGNATURE): HttpResponse {
  const title = `${status} ${STATUS_TEXT[status] ?? ''}`.trim();
  return {
    status,
    headers: [['Content-Type', 'text/html; charset=utf-8'], ...extra],
    body: htmlPage(title, `<p>${escapeHtml(explanation)}</p>`, signature),
  };
}

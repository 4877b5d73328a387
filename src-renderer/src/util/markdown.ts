import { Marked, type Tokens } from 'marked';

/**
 * Markdown of lab files (instructions, hints, the intro) to HTML, safely: a lab file may come
 * from anyone, so raw HTML in it is shown as text, never parsed; links keep only http(s) and
 * mailto targets and open outside the app; images are shown as their alt text (the lab works
 * offline and loads nothing from the network).
 */
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]);
}

const SAFE_HREF = /^(https?:|mailto:)/i;

const md = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, { href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      if (!SAFE_HREF.test(href.trim())) return inner;
      const t = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href.trim())}"${t} target="_blank" rel="noopener noreferrer">${inner}</a>`;
    },
    image({ text }: Tokens.Image): string {
      return `<span class="md-image">[${escapeHtml(text)}]</span>`;
    },
  },
});

export function renderMarkdown(src: string): string {
  return md.parse(src ?? '', { async: false }) as string;
}

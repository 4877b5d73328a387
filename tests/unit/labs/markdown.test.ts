import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src-renderer/src/util/markdown';

// A lab file can come from anyone (an instructor's download, a classmate): its Markdown must
// render without ever turning into live HTML in the app.
describe('lab Markdown', () => {
  it('renders paragraphs, emphasis, code, code blocks, lists and links', () => {
    const html = renderMarkdown('Send a **conditional** GET with `If-Modified-Since`.\n\n```\nnc 127.0.0.1 8080\n```\n\n- one\n- two\n\n1. first\n\n[RFC 9110](https://www.rfc-editor.org/rfc/rfc9110)');
    expect(html).toContain('<strong>conditional</strong>');
    expect(html).toContain('<code>If-Modified-Since</code>');
    expect(html).toContain('<pre><code>nc 127.0.0.1 8080\n</code></pre>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<ol>');
    expect(html).toContain('<a href="https://www.rfc-editor.org/rfc/rfc9110" target="_blank" rel="noopener noreferrer">RFC 9110</a>');
  });

  it('shows raw HTML as text, never as elements', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> and <b>bold</b>');
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('keeps only http(s) and mailto links; a javascript: link is its text alone', () => {
    const html = renderMarkdown('[click](javascript:alert(1)) [data](data:text/html,x) [mail](mailto:bob@hamburger.edu)');
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('href="data:');
    expect(html).toContain('click');
    expect(html).toContain('href="mailto:bob@hamburger.edu"');
  });

  it('escapes what code shows and never loads an image', () => {
    const html = renderMarkdown('`<b>x</b>`\n\n![diagram](http://gaia.cs.umass.edu/x.png "t")');
    expect(html).toContain('<code>&lt;b&gt;x&lt;/b&gt;</code>');
    expect(html).not.toContain('<img');
    expect(html).toContain('[diagram]');
  });
});

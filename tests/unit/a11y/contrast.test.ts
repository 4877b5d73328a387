/**
 * The themes' colours meet WCAG 2.2 AA where text is drawn on them (1.4.3: 4.5:1) and where a
 * control's edge is (1.4.11: 3:1), read from theme.css and protocolColors.ts as they ship — the
 * numbers issue 18 measured (event rows 3.1:1 light / 3.4:1 dark, row numbers 2.9:1, the
 * header's subtitle 2.8:1) came from --fg-faint on these backgrounds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { protocolColor } from '../../../src-renderer/src/protocolColors';

const css = fs.readFileSync(path.resolve(__dirname, '../../../src-renderer/src/styles/theme.css'), 'utf8');

/** the custom properties of one theme's block */
function themeVars(theme: 'light' | 'dark'): Record<string, string> {
  const start = css.indexOf(theme === 'light' ? ":root[data-theme='light']" : ":root[data-theme='dark']");
  const block = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\b/gi)].map((m) => [m[1], m[2]]));
}

/** WCAG 2.x relative luminance and contrast ratio */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const TEXT = ['fg', 'fg-muted', 'fg-faint', 'accent', 'danger', 'ok', 'warn'];
const BACKGROUNDS = ['bg', 'bg-panel', 'bg-rail', 'bg-selected', 'bg-input', 'bg-code'];
const PROTOCOLS = ['echo', 'dns', 'http', 'smtp', 'pop3', 'ftp', 'imap', 'bittorrent', 'dht', 'some-new-protocol'];

describe.each(['light', 'dark'] as const)('the %s theme', (theme) => {
  const v = themeVars(theme);

  it('has the colours this test reads', () => {
    for (const name of [...TEXT, ...BACKGROUNDS, 'accent-fg', 'border-input', 'danger-bg', 'bg-active']) expect(v[name], name).toMatch(/^#/);
  });

  it('draws text at 4.5:1 at least on every background', () => {
    const low = TEXT.flatMap((t) => BACKGROUNDS.map((b) => ({ pair: `${t} on ${b}`, ratio: contrast(v[t], v[b]) }))).filter((p) => p.ratio < 4.5);
    expect(low).toEqual([]);
    // a count in a tab, an error on its tinted bar, a primary button's label
    expect(contrast(v['fg-muted'], v['bg-active'])).toBeGreaterThanOrEqual(4.5);
    expect(contrast(v.danger, v['danger-bg'])).toBeGreaterThanOrEqual(4.5);
    expect(contrast(v['accent-fg'], v.accent)).toBeGreaterThanOrEqual(4.5);
  });

  it('draws the edge of a text box at 3:1 at least', () => {
    expect(contrast(v['border-input'], v['bg-input'])).toBeGreaterThanOrEqual(3);
    expect(contrast(v['border-input'], v.bg)).toBeGreaterThanOrEqual(3);
    expect(contrast(v['border-input'], v['bg-panel'])).toBeGreaterThanOrEqual(3);
  });

  it('gives every protocol a colour readable as text on the rows, selected or not, and under a badge', () => {
    const low = PROTOCOLS.flatMap((p) => ['bg', 'bg-panel', 'bg-selected'].map((b) => ({ pair: `${p} on ${b}`, ratio: contrast(protocolColor(p, theme), v[b]) }))).filter((p) => p.ratio < 4.5);
    expect(low).toEqual([]);
  });
});

it('the ratio is WCAG’s: black on white 21:1, a colour on itself 1:1', () => {
  expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
  expect(contrast('#2563c9', '#2563c9')).toBe(1);
});

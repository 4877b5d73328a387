/**
 * axe-core (Deque's accessibility rules, WCAG 2.2 A/AA tags) run inside the page under test.
 * The script is evaluated over the DevTools protocol, so the page's CSP does not block it.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** the WCAG 2.0/2.1/2.2 A and AA rules, and axe's own best practices */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Parts of the page that are not ours to fix, left out of every check, each with its reason:
 * - monaco's editor: its hidden textarea and its glyph margin are monaco's own widgets (it has
 *   its own screen-reader mode, Alt+F1); our toolbar around it is checked.
 * - xterm's helper textarea and its measure element: xterm's own; its accessibility tree
 *   (`.xterm-accessibility`, the screen reader's copy of the rows) is checked.
 */
export const EXCLUDED = ['.monaco-editor', '.xterm-helper-textarea', '.xterm-char-measure-element'];

/**
 * Findings judged and let pass, each with its reason (rule, the elements it applies to):
 * - label-content-name-mismatch on the flow graph's rows: a row is a drawing (time, lanes, an
 *   arrow with its message) named in words, "client → server: HELLO (echo, 0.001 s)"; every
 *   word drawn is in the name, in the order a sentence reads rather than the order of the
 *   columns, which axe cannot match (its other tests, e.g. flow-graph.test.ts, read that name).
 */
const JUDGED: { rule: string; target: RegExp }[] = [{ rule: 'label-content-name-mismatch', target: /^#flow-row-\d+$/ }];

export interface AxeProblem {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string; summary: string }[];
}

/**
 * The rules whose outcome a theme can change: a theme is CSS variables over the same elements,
 * so a second theme needs only these (the structure was checked in the first).
 */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * The serious and critical violations axe finds in the page as it is now (or in the part
 * `within` selects), with every WCAG A/AA rule, or only `rules`.
 */
export async function axeProblems(page: Page, within?: string, rules?: string[]): Promise<AxeProblem[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const problems = await page.evaluate(
    async ({ tags, exclude, within, rules }) => {
      const axe = (globalThis as unknown as { axe: typeof import('axe-core') }).axe;
      const r = await axe.run({ ...(within ? { include: [[within]] } : {}), exclude: exclude.map((s) => [s]) }, { runOnly: rules ? { type: 'rule', values: rules } : { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({
          id: v.id,
          impact: v.impact ?? '',
          help: v.help,
          nodes: v.nodes.slice(0, 20).map((n) => ({ target: n.target.join(' '), summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300) })),
        }));
    },
    { tags: TAGS, exclude: EXCLUDED, within, rules },
  );
  return problems
    .map((p) => ({ ...p, nodes: p.nodes.filter((n) => !JUDGED.some((j) => j.rule === p.id && j.target.test(n.target))) }))
    .filter((p) => p.nodes.length > 0);
}

/** The problems as lines a failing test prints: where, which rule, what to fix. */
export function describeProblems(where: string, problems: AxeProblem[]): string[] {
  return problems.flatMap((p) => p.nodes.map((n) => `${where}: ${p.id} (${p.impact}) ${n.target} — ${n.summary}`));
}

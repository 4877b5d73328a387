/**
 * The size and nesting limits every YAML text passes before the `yaml` library composes it:
 * deep input of every shape YAML has (flow brackets, compact block sequences, indentation,
 * pairs inside flow sequences) is refused at the line where the limit is passed, without
 * recursion and in milliseconds; what the brackets inside quotes, comments and block scalars
 * say is not nesting; real files pass; and the measure never reads shallower than the
 * document really is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { yamlLimitBreach, YAML_LIMITS } from '../../src-main/lab/scenarios/yaml-limits';
import { RESOURCES } from '../helpers/lab';

const MAX = YAML_LIMITS.maxDepth;

/** the real nesting of a composed document (iterative: the values may be deep) */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v && typeof v === 'object') {
      max = Math.max(max, d + 1);
      for (const child of Object.values(v)) stack.push([child, d + 1]);
    }
  }
  return max;
}

const staircase = (n: number): string => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' x\n';

describe('YAML limits', () => {
  it.each([
    ['flow sequences', (n: number) => `name: ${'['.repeat(n)}${']'.repeat(n)}\n`],
    ['flow mappings', (n: number) => `name: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`],
    ['compact block sequences', (n: number) => `name: x\npeers:\n${'- '.repeat(n)}x\n`],
    ['explicit keys', (n: number) => `name: x\n${'? '.repeat(n)}x\n`],
    ['pairs in flow sequences', (n: number) => `name: ${'[a: '.repeat(n)}1${']'.repeat(n)}\n`],
  ])('refuses %s nested 10^4 to 10^6 deep at their line, in milliseconds', (_shape, make) => {
    for (const n of [1e4, 1e5, 1e6]) {
      const text = make(n);
      const t0 = performance.now();
      const breach = yamlLimitBreach(text, { maxChars: 10_000_000, maxDepth: MAX });
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(breach?.message).toMatch(/nested more than 64 levels deep/);
      expect(breach?.line).toBe(text.startsWith('name: x\npeers') ? 3 : text.startsWith('name: x') ? 2 : 1);
    }
  });

  it('refuses nesting by indentation at the line that passes the limit', () => {
    const breach = yamlLimitBreach(staircase(500));
    expect(breach?.message).toMatch(/nested more than 64 levels deep/);
    expect(breach?.line).toBeGreaterThan(40);
    expect(breach?.line).toBeLessThanOrEqual(MAX + 1);
  });

  it('refuses a text over the size cap at the line where the cap is passed', () => {
    const line = 'description: a line of twenty-nine chars\n';
    const text = line.repeat(Math.ceil(2_000_000 / line.length));
    const breach = yamlLimitBreach(text);
    expect(breach?.message).toMatch(/longer than 200000 characters/);
    expect(breach?.line).toBe(Math.floor(YAML_LIMITS.maxChars / line.length) + 1);
  });

  it('does not count brackets inside quotes, comments and block scalars, nor flat lists', () => {
    const deepText = '['.repeat(200);
    const text = [
      `name: "${deepText}"`,
      `description: '${deepText}'`,
      `# ${deepText}`,
      'notes: |',
      `  ${deepText}`,
      `  ${'- '.repeat(200)}`,
      `list: [${Array.from({ length: 1000 }, () => '[1]').join(', ')}]`,
      `pairs: [${Array.from({ length: 500 }, (_, i) => `k${i}: v`).join(', ')}]`,
      `plain: a [ b { c`,
    ].join('\n');
    expect(yamlLimitBreach(text)).toBeNull();
    expect(parseDocument(text).errors).toEqual([]);
  });

  it('passes every shipped scenario and the mail users', () => {
    const files = fs.readdirSync(path.join(RESOURCES, 'scenarios')).map((f) => path.join(RESOURCES, 'scenarios', f));
    for (const file of [...files, path.join(RESOURCES, 'mail', 'users.yaml')]) {
      expect(yamlLimitBreach(fs.readFileSync(file, 'utf8'), { maxChars: 1_000_000, maxDepth: MAX }), file).toBeNull();
    }
  });

  it('never measures a document shallower than it is', () => {
    const shapes = [
      'a:\n- b:\n  - c:\n    - d:\n      - e: [f, {g: [h: i]}]\n',
      '- - - - [a, [b, {c: [d]}]]\n',
      '? a\n: - - b\n  - ? c\n    : - d\n',
      'a:\n  b: |\n    text\n  c:\n    d:\n      e: 1\n',
      'a: [\n  [b,\n [c,\n[d]]]]\n',
      '--- # a comment\na:\n  b:\n    - - - c: 1\n...\n',
      'a: &x {b: {c: {d: 1}}}\nb: *x\n',
      staircase(40),
    ];
    for (const text of shapes) {
      const real = depthOf(parseDocument(text).toJS());
      expect(real, text).toBeGreaterThan(1);
      for (let limit = 1; limit < real; limit++) {
        expect(yamlLimitBreach(text, { maxChars: 1e6, maxDepth: limit }), `${text} at ${limit}`).not.toBeNull();
      }
    }
  });
});

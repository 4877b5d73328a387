/**
 * A YAML file checked against a zod schema, with the line a reader must look at when it is
 * wrong: the YAML syntax error's line, or the line of the key or value the first schema
 * issue points at (a misspelt key: the key itself). Scenario and swarm files and the mail
 * users share it, and with it the size and nesting limits checked before parsing.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import type { ScenarioCheck } from '../p2p/swarm-types';
import { yamlLimitBreach, YAML_LIMITS, type YamlLimits } from './yaml-limits';

export type YamlChecked<T> =
  | { ok: true; data: T }
  /** `issue`: the first schema issue (absent for a YAML syntax error) */
  | { ok: false; message: string; line?: number; issue?: z.core.$ZodIssue };

/** `limits`: checked before the text is parsed (see yaml-limits.ts for why). */
export function checkYaml<S extends z.ZodType>(text: string, schema: S, limits: YamlLimits = YAML_LIMITS): YamlChecked<z.output<S>> {
  const breach = yamlLimitBreach(text, limits);
  if (breach) return { ok: false, message: breach.message, line: breach.line };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    return { ok: false, message: e.message.split('\n')[0], line: lineCounter.linePos(e.pos[0]).line };
  }
  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  // a misspelt key also leaves its right spelling missing: the misspelling is the mistake to show
  const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0];
  // an unknown (misspelt) key: point at the key itself, not at the map that holds it
  const at = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const node = nodeAt(doc.contents as Node | null, at as (string | number)[]);
  return { ok: false, message: issue.message, line: node?.range ? lineCounter.linePos(node.range[0]).line : undefined, issue };
}

/** The deepest YAML node along `path` (for the line number of an error). */
function nodeAt(node: Node | null, path: (string | number)[]): Node | null {
  let current: Node | null = node;
  for (const [i, key] of path.entries()) {
    if (isMap(current)) {
      const pair = current.items.find((p) => String((p.key as { value?: unknown })?.value) === String(key));
      if (!pair) return current;
      // the last step points at the key: its line is where the reader looks
      current = i === path.length - 1 ? (pair.key as Node) : ((pair.value as Node) ?? (pair.key as Node));
    } else if (isSeq(current) && typeof key === 'number') {
      current = (current.items[key] as Node) ?? current;
    } else return current;
  }
  return current;
}

/** A scenario parse as the editors show it: valid, or the first error with its line (the
 *  parse throws an error carrying `line`, as ScenarioError and SwarmScenarioError do). */
export function checkParse(parse: () => unknown): ScenarioCheck {
  try {
    parse();
    return { ok: true };
  } catch (err) {
    const line = (err as { line?: unknown }).line;
    return { ok: false, error: (err as Error).message, ...(typeof line === 'number' && line > 0 ? { line } : {}) };
  }
}

/** An error in a YAML file, at its line when one is known ("line 12: bits: …"). */
export class YamlLineError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line ? `line ${line}: ${message}` : message);
  }
}

/**
 * A YAML file parsed against a schema, or `fail(message, line)` thrown: a misspelt key named
 * with its path ("peers.0.strategy: unknown key 'stratgy'"), any other issue with its path.
 */
export function parseYamlOrThrow<S extends z.ZodType>(text: string, schema: S, fail: (message: string, line?: number) => Error): z.output<S> {
  const checked = checkYaml(text, schema);
  if (checked.ok) return checked.data;
  const issue = checked.issue;
  if (!issue) throw fail(checked.message, checked.line);
  const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const where = unknown === undefined ? issue.path : [...issue.path, unknown];
  const message = unknown === undefined ? issue.message : `unknown key '${unknown}'`;
  throw fail(`${where.length ? where.join('.') + ': ' : ''}${message}`, checked.line);
}

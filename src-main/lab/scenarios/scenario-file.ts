/**
 * A lab scenario file (YAML): which services run with what settings. Validated once, at
 * the edge, with an error that names the line that is wrong.
 */
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { z } from 'zod';
import { serviceConfigSchema } from '../api';
import { proxySettingsPatchSchema, webSettingsPatchSchema } from '../web/web-schemas';

const serviceSettings = serviceConfigSchema.extend({ enabled: z.boolean().optional() }).strict();
const serviceKey = z.string().regex(/^[a-z0-9-]{1,40}$/);

export const scenarioSchema = z
  .object({
    name: z.string().max(200).optional(),
    description: z.string().max(5000).optional(),
    capture: z
      .object({ limit: z.number().int().min(100).max(1_000_000), enabled: z.boolean() })
      .partial()
      .strict()
      .optional(),
    services: z.record(serviceKey, serviceSettings).optional(),
    /** the web area's switches, the same as the Web tab's (web.configure, web.proxyConfigure) */
    web: z.object({ server: webSettingsPatchSchema, proxy: proxySettingsPatchSchema }).partial().strict().optional(),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;

export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line ? `line ${line}: ${message}` : message);
  }
}

/** `knownServices`: the lab's service ids, so a misspelt one is an error at its line. */
export function parseScenario(text: string, knownServices?: readonly string[]): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new ScenarioError(e.message.split('\n')[0], lineCounter.linePos(e.pos[0]).line);
  }
  const schema = knownServices
    ? scenarioSchema.extend({
        services: z
          .record(serviceKey, serviceSettings)
          .superRefine((services, ctx) => {
            for (const id of Object.keys(services)) {
              if (!knownServices.includes(id)) {
                ctx.addIssue({ code: 'custom', path: [id], message: `no service called ${id} (the lab has ${knownServices.join(', ')})` });
              }
            }
          })
          .optional(),
      })
    : scenarioSchema;
  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  // an unknown (misspelt) key: point at the key itself, not at the map that holds it
  const at = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const node = nodeAt(doc.contents as Node | null, at as (string | number)[]);
  const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new ScenarioError(`${where}${issue.message}`, line);
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

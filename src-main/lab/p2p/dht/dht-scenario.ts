/**
 * A DHT scenario file (YAML): the ring's size in bits, its peers (ids, or a count placed by
 * hashing), shortcuts on or off, replication, keys to store, a churn schedule and the lookups
 * to run. Validated once with zod; an error names the line that is wrong.
 */
import { z } from 'zod';
import { parseYamlOrThrow, YamlLineError } from '../../scenarios/yaml-schema';
import { MAX_BITS, MIN_BITS } from './ring-math';

const keyText = z.union([z.number().int().min(0), z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a key is a number or a name of letters, digits, . _ -')]);
const ms = z.number().min(0).max(600_000);

const churnEvent = z
  .object({
    /** milliseconds after the keys are stored */
    at: ms,
    leave: z.number().int().min(0).optional(),
    join: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((e) => (e.leave === undefined) !== (e.join === undefined), 'a churn event is either leave: ID or join: ID');

export const dhtScenarioSchema = z
  .object({
    name: z.string().max(200).default('dht'),
    description: z.string().max(5000).optional(),
    bits: z.number().int().min(MIN_BITS).max(MAX_BITS),
    /** the peers' ids, or how many (placed by hashing their names, the same for the same seed) */
    peers: z.union([z.array(z.number().int().min(0)).min(1).max(2000), z.object({ count: z.number().int().min(1).max(2000), seed: z.number().int().default(1) }).strict()]),
    shortcuts: z.boolean().default(false),
    /** copies of each key on the first 0, 1 or 2 successors */
    replication: z.number().int().min(0).max(2).default(2),
    /** each peer pings its two successors this often (ms); a successor missing `misses` pings has left */
    pingInterval: z.number().int().min(10).max(60_000).default(500),
    misses: z.number().int().min(1).max(10).default(2),
    /** stored (from the first peer) before the churn and the lookups: a key, or key and value */
    keys: z.array(z.union([keyText, z.object({ key: keyText, value: z.string().regex(/^[\x21-\x7e]{1,200}$/, 'a value is one word of printable ASCII') }).strict()])).max(10_000).default([]),
    churn: z.array(churnEvent).max(500).default([]),
    /** looked up after the churn has settled: a key, or { key, from: a peer id } */
    lookups: z.array(z.union([keyText, z.object({ key: keyText, from: z.number().int().min(0).optional() }).strict()])).max(10_000).default([]),
    /** this many more lookups of random keys from random peers */
    randomLookups: z.number().int().min(0).max(100_000).default(0),
    /** lookups in flight at once (1: one after another, each timed alone) */
    lookupWindow: z.number().int().min(1).max(1000).default(64),
    seed: z.number().int().default(1),
  })
  .strict()
  .superRefine((s, ctx) => {
    const size = 2 ** s.bits;
    if (Array.isArray(s.peers)) {
      s.peers.forEach((id, i) => id >= size && ctx.addIssue({ code: 'custom', path: ['peers', i], message: `peer ${id} is off a ${s.bits}-bit ring (0 to ${size - 1})` }));
      if (new Set(s.peers).size !== s.peers.length) ctx.addIssue({ code: 'custom', path: ['peers'], message: 'two peers have the same id' });
    } else if (s.peers.count > size) ctx.addIssue({ code: 'custom', path: ['peers', 'count'], message: `${s.peers.count} peers do not fit on a ${s.bits}-bit ring (${size} ids)` });
    s.churn.forEach((e, i) => {
      const id = e.leave ?? e.join ?? 0;
      if (id >= size) ctx.addIssue({ code: 'custom', path: ['churn', i], message: `peer ${id} is off a ${s.bits}-bit ring` });
    });
    s.lookups.forEach((l, i) => {
      const k = typeof l === 'object' ? l.key : l;
      if (typeof k === 'number' && k >= size) ctx.addIssue({ code: 'custom', path: ['lookups', i], message: `key ${k} is off a ${s.bits}-bit ring (0 to ${size - 1})` });
    });
  });

export type DhtScenario = z.output<typeof dhtScenarioSchema>;

export class DhtScenarioError extends YamlLineError {}

export function parseDhtScenario(text: string): DhtScenario {
  return parseYamlOrThrow(text, dhtScenarioSchema, (message, line) => new DhtScenarioError(message, line));
}

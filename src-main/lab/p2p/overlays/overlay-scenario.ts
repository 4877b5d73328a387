/**
 * A search-overlays scenario (YAML): the peers, the files each shares, the overlay's shape,
 * the TTL, which peers are KaZaA super-nodes and the queries to run — the same content and
 * topology for Napster, Gnutella and KaZaA. Validated once with zod; an error names its line.
 */
import { z } from 'zod';
import { parseYamlOrThrow, YamlLineError } from '../../scenarios/yaml-schema';
import { MAX_TTL } from './gnutella-codec';
import { OVERLAY_KINDS } from './overlay-types';

const fileName = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'a file name is letters, digits, . _ - (no spaces)');
const topology = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('random'), degree: z.number().int().min(1).max(32).default(3) }).strict(),
  z.object({ kind: z.literal('ring') }).strict(),
  z.object({ kind: z.literal('line') }).strict(),
  z.object({ kind: z.literal('complete') }).strict(),
  z.object({ kind: z.literal('tree'), degree: z.number().int().min(1).max(32).default(2) }).strict(),
  z.object({ kind: z.literal('edges'), edges: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])).max(20_000) }).strict(),
]);

export const overlayScenarioSchema = z
  .object({
    name: z.string().max(200).default('overlays'),
    description: z.string().max(5000).optional(),
    /** how many peers (p0, p1, …), each on its own 127.0.0.x */
    peers: z.number().int().min(2).max(2000),
    /** the TTL a Query starts with (Gnutella's default was 7) */
    ttl: z.number().int().min(1).max(MAX_TTL).default(7),
    topology: topology.default({ kind: 'random', degree: 3 }),
    /** each peer shares `perPeer` files picked from a catalog of `catalog` songs (song-01.mp3 …) */
    files: z.object({ perPeer: z.number().int().min(0).max(50).default(3), catalog: z.number().int().min(1).max(10_000).default(30), size: z.number().int().min(1).max(4_000_000).default(20_000) }).strict().default({ perPeer: 3, catalog: 30, size: 20_000 }),
    /** more files, placed by hand: { peer: 11, file: rare-song.mp3 } */
    place: z.array(z.object({ peer: z.number().int().min(0), file: fileName }).strict()).max(1000).default([]),
    /** KaZaA's super-nodes (peer numbers), or how many (spread evenly) */
    superNodes: z.union([z.array(z.number().int().min(0)).min(1).max(500), z.object({ count: z.number().int().min(1).max(500) }).strict()]).default({ count: 3 }),
    /** the super-nodes' own overlay */
    superTopology: topology.default({ kind: 'complete' }),
    overlays: z.array(z.enum(OVERLAY_KINDS as [string, ...string[]])).min(1).default([...OVERLAY_KINDS]),
    /** a query: a file name's words, from a peer (p0 unless given) */
    queries: z.array(z.union([z.string().min(1).max(200), z.object({ file: z.string().min(1).max(200), from: z.number().int().min(0).default(0) }).strict()])).max(5000).default([]),
    /** fetch the first hit of each found query over HTTP, as the asking peer would */
    download: z.boolean().default(true),
    seed: z.number().int().default(1),
  })
  .strict()
  .superRefine((s, ctx) => {
    const off = (path: (string | number)[], n: number): void => ctx.addIssue({ code: 'custom', path, message: `peer ${n} does not exist (peers 0 to ${s.peers - 1})` });
    s.place.forEach((p, i) => p.peer >= s.peers && off(['place', i, 'peer'], p.peer));
    if (Array.isArray(s.superNodes)) s.superNodes.forEach((n, i) => n >= s.peers && off(['superNodes', i], n));
    else if (s.superNodes.count > s.peers) ctx.addIssue({ code: 'custom', path: ['superNodes', 'count'], message: `${s.superNodes.count} super-nodes among ${s.peers} peers` });
    s.queries.forEach((q, i) => typeof q === 'object' && q.from >= s.peers && off(['queries', i, 'from'], q.from));
    for (const [key, t] of [['topology', s.topology], ['superTopology', s.superTopology]] as const) {
      if (t.kind === 'edges') t.edges.forEach(([a, b], i) => (a >= s.peers || b >= s.peers) && ctx.addIssue({ code: 'custom', path: [key, 'edges', i], message: `edge ${a}–${b}: no such peer` }));
    }
  });

export type OverlayScenario = z.output<typeof overlayScenarioSchema>;

export class OverlayScenarioError extends YamlLineError {}

export function parseOverlayScenario(text: string): OverlayScenario {
  return parseYamlOrThrow(text, overlayScenarioSchema, (message, line) => new OverlayScenarioError(message, line));
}

/**
 * A swarm scenario file (YAML): the file, the server (the first seed), groups of peers with
 * their rates and behaviour, churn, the time factor. Validated once with zod; an error
 * names the line that is wrong. Rates read "200 KiB/s", "1.6 Mbit/s" or bytes per second;
 * sizes "4 MiB"; times "2 s" (scenario seconds, before the time factor).
 */
import { parseYamlOrThrow, YamlLineError } from '../scenarios/yaml-schema';
import { z } from 'zod';

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1000, kib: 1024, mb: 1e6, mib: 1024 * 1024, gb: 1e9, gib: 1024 ** 3 };

function parseQuantity(s: string, what: 'size' | 'rate' | 'time'): number | null {
  const t = s.trim().toLowerCase();
  if (what === 'time') {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|min)?$/.exec(t);
    if (!m) return null;
    return Number(m[1]) * (m[2] === 'ms' ? 0.001 : m[2] === 'min' ? 60 : 1);
  }
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?i?b?|[kmg]?bit)(\/s|ps)?$/.exec(t);
  if (!m) return null;
  const unit = m[2];
  if (unit.endsWith('bit')) {
    const mult = unit[0] === 'k' ? 1000 : unit[0] === 'm' ? 1e6 : unit[0] === 'g' ? 1e9 : 1;
    return (Number(m[1]) * mult) / 8;
  }
  const mult = UNITS[unit] ?? UNITS[unit + 'b'];
  return mult === undefined ? null : Number(m[1]) * mult;
}

/** what each kind of quantity accepts, as the error at the line says it */
const ACCEPTED = {
  rate: 'a rate such as 400 KiB/s or 3.2 Mbit/s (units B/s, KB/s, KiB/s, MB/s, MiB/s, kbit/s, Mbit/s; a bare number is bytes/s)',
  size: 'a size such as 4 MiB or 256 KiB',
  time: 'a time such as 2 s, 500 ms or 1 min',
};

function toQuantity(v: number | string, what: 'size' | 'rate' | 'time', max: number, ctx: z.RefinementCtx): number {
  const n = typeof v === 'number' ? v : parseQuantity(v, what);
  if (n === null || !Number.isFinite(n)) ctx.addIssue({ code: 'custom', message: `'${v}' is not ${ACCEPTED[what]}` });
  else if (n < 0 || n > max) ctx.addIssue({ code: 'custom', message: `'${v}' is out of range: at most ${what === 'rate' ? `${max / 1e9} GB/s` : what === 'size' ? `${max / 1024 ** 2} MiB` : `${max} s`}` });
  else return n;
  return z.NEVER;
}

/** a number or a string with its unit, in one schema, so a mistake reaches the user in words
 *  (inside a union zod says only "Invalid input") */
const raw = z.union([z.number(), z.string().max(40)], { error: (i) => (i.input === undefined ? undefined : `'${String(i.input)}' is not a number or a text like "400 KiB/s"`) });
const quantity = (what: 'size' | 'rate' | 'time', max: number) => raw.transform((v, ctx) => toQuantity(v, what, max, ctx));

const rate = quantity('rate', 10e9);
const uniform = z.object({ uniform: z.tuple([rate, rate]) }).strict();
/** a rate, or a distribution the peers of the group draw theirs from: told apart by shape first,
 *  so "400 KB/sec" is reported as a rate that does not read, not as "Invalid input" */
const rateSpec = z
  .union([z.number(), z.string().max(40), z.object({}).passthrough()], { error: (i) => (i.input === undefined ? `required: ${ACCEPTED.rate}` : `not ${ACCEPTED.rate}, nor { uniform: [low, high] }`) })
  .transform((v, ctx) => {
    if (typeof v !== 'object') return toQuantity(v, 'rate', 10e9, ctx);
    const r = uniform.safeParse(v);
    if (r.success) return r.data;
    // a misspelt key first: it explains the missing one
    const issues = [...r.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
    for (const issue of issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });
const time = quantity('time', 3600);

const group = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,20}$/, 'a short lowercase name').optional(),
    count: z.number().int().min(1).max(500).default(1),
    upload: rateSpec,
    download: rateSpec.optional(),
    strategy: z.enum(['rarest-first', 'random', 'in-order']).default('rarest-first'),
    freeRider: z.boolean().default(false),
    /** after completing: stay and seed (altruistic) or leave (selfish) */
    afterComplete: z.enum(['stay', 'leave']).default('stay'),
    joinAt: time.default(0),
    /** churn: leave abruptly at this time, finished or not */
    leaveAt: time.optional(),
    /** sends corrupted pieces (SHA-1 catches them) */
    corrupt: z.boolean().default(false),
  })
  .strict();

export const swarmScenarioSchema = z
  .object({
    name: z.string().max(200).default('swarm'),
    description: z.string().max(5000).optional(),
    file: z
      .object({
        /** a file of this size is generated (the same for the same seed)… */
        size: quantity('size', 1024 ** 3).optional(),
        /** …or an existing file is shared */
        path: z.string().min(1).max(4096).optional(),
        chunkSize: quantity('size', 16 * 1024 * 1024).default(256 * 1024),
        seed: z.number().int().default(1),
      })
      .strict(),
    server: z
      .object({ upload: rate, afterAll: z.enum(['stay', 'leave']).default('stay'), leaveAt: time.optional() })
      .strict(),
    peers: z.array(group).min(1).max(50),
    /** how the peers announce: HTTP GET /announce (BEP 3) or the UDP tracker protocol (BEP 15) */
    tracker: z.enum(['http', 'udp']).default('http'),
    timeFactor: z.number().min(0.1).max(1000).default(1),
    slots: z.number().int().min(1).max(20).default(4),
    seed: z.number().int().default(1),
    timeout: time.default(120),
    capture: z.boolean().default(false),
    baseline: z.boolean().default(false),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.file.chunkSize < 16 * 1024 || s.file.chunkSize % (16 * 1024) !== 0) {
      ctx.addIssue({ code: 'custom', path: ['file', 'chunkSize'], message: 'chunk size must be a multiple of 16 KiB' });
    }
    if (s.file.size === undefined && s.file.path === undefined) ctx.addIssue({ code: 'custom', path: ['file'], message: 'give the file a size (generated) or a path (an existing file)' });
    if (s.file.size !== undefined && s.file.size < 1) ctx.addIssue({ code: 'custom', path: ['file', 'size'], message: 'the file must not be empty' });
    if (s.server.upload <= 0) ctx.addIssue({ code: 'custom', path: ['server', 'upload'], message: 'the server must upload at some rate' });
    const total = s.peers.reduce((n, g) => n + g.count, 0);
    if (total > 1000) ctx.addIssue({ code: 'custom', path: ['peers'], message: `${total} peers: at most 1000` });
    // every lab peer holds the file in memory
    if (s.file.size !== undefined && s.file.size * (total + 1) > 4 * 1024 ** 3) {
      ctx.addIssue({ code: 'custom', path: ['file', 'size'], message: `${total + 1} peers × this file is more than 4 GiB of memory: use a smaller file or fewer peers` });
    }
  });

export type SwarmScenario = z.output<typeof swarmScenarioSchema>;
export type PeerGroup = SwarmScenario['peers'][number];
export type RateSpec = z.output<typeof rateSpec>;

export class SwarmScenarioError extends YamlLineError {}

export function parseSwarmScenario(text: string): SwarmScenario {
  return parseYamlOrThrow(text, swarmScenarioSchema, (message, line) => new SwarmScenarioError(message, line));
}

/** A peer's rate from its group's spec (a fixed rate, or drawn from a distribution). */
export function drawRate(spec: RateSpec | undefined, random: () => number): number {
  if (spec === undefined) return 0;
  if (typeof spec === 'number') return spec;
  const [lo, hi] = spec.uniform;
  return lo + random() * (hi - lo);
}

/**
 * A lab file (issue 12): YAML with Markdown texts. A title, a textbook section, the scenario
 * the lab applies at start (the scenario file's own keys), and an ordered list of tasks, each
 * with hints and checks. Checked with zod after the YAML size and nesting limits, so the
 * first mistake is reported at its line, as scenario files report theirs.
 */
import { z } from 'zod';
import { scenarioSchema } from '../scenarios/scenario-file';
import { checkYaml } from '../scenarios/yaml-schema';
import type { LabFileError } from './lab-types';
import { checkTranslations, translationsSchema } from './lab-translations';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'an id is lower-case letters, digits and dashes');
const markdown = z.string().max(20_000);
/** a regular expression, checked here so a bad one is refused at its line */
const pattern = z
  .string()
  .max(500)
  .refine((s) => {
    try {
      new RegExp(s, 'i');
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression');

export const CLIENT_KINDS = ['terminal', 'program', 'outside', 'compose', 'relay', 'resolver', 'proxy', 'lab'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

const headers = z.object({ present: z.array(z.string().max(100)).max(20), absent: z.array(z.string().max(100)).max(20) }).partial().strict();
const dnsFlags = z
  .object({ rd: z.boolean(), qr: z.boolean(), aa: z.boolean(), name: z.string().max(254), type: z.string().max(10) })
  .partial()
  .strict();

/** one message of a traffic check: its summary (or first line) matches `pattern` */
const messageMatch = z
  .object({
    pattern: pattern.optional(),
    /** patterns ignore case unless this says otherwise (SMTP's helo is HELO) */
    caseSensitive: z.boolean().optional(),
    headers: headers.optional(),
    dns: dnsFlags.optional(),
  })
  .strict();

/** which messages a check looks at: the channel and who the client is */
const scope = {
  /** service ids ("http", "proxy", "smtp-hamburger-edu", "dns-root"); a trailing * is a prefix */
  service: z.union([z.string().max(60), z.array(z.string().max(60)).max(20)]).optional(),
  client: z.array(z.enum(CLIENT_KINDS)).min(1).max(CLIENT_KINDS.length).optional(),
  /** the lab host name the client dialled (conn.server.name), a pattern */
  server: pattern.optional(),
  /** only messages over this transport: a SIP call over TCP (`sipp -t t1`) and not over UDP, DNS over TCP */
  transport: z.enum(['udp', 'tcp']).optional(),
};

const step = messageMatch.extend({ reply: messageMatch.optional() }).strict();

const label = z.string().min(1).max(300);

const trafficCheck = z
  .object({ kind: z.literal('traffic'), id, label, ...scope, steps: z.array(step).min(1).max(30) })
  .strict();

const countsCheck = z
  .object({
    kind: z.literal('counts'),
    id,
    label,
    ...scope,
    dir: z.enum(['c2s', 's2c']).optional(),
    match: messageMatch.optional(),
    atLeast: z.number().int().min(0).max(100_000).optional(),
    atMost: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();

const stateCheck = z
  .object({
    kind: z.literal('state'),
    id,
    label,
    mailbox: z.object({ user: z.string().max(254), subject: pattern.optional(), from: pattern.optional(), attachment: pattern.optional() }).strict().optional(),
    zone: z.object({ zone: z.string().max(254), name: z.string().max(254), type: z.string().max(10), value: pattern.optional() }).strict().optional(),
    proxyCache: z.object({ url: pattern, hits: z.number().int().min(0).optional() }).strict().optional(),
    swarm: z
      .object({
        withinP2P: z.number().min(1).max(100).optional(),
        minPeers: z.number().int().min(1).optional(),
        /** the run had a free-rider, and tit-for-tat gave it fewer regular slots than any peer that uploads */
        freeRider: z.literal(true).optional(),
      })
      .strict()
      .refine((w) => w.withinP2P !== undefined || w.freeRider, 'a swarm check names withinP2P or freeRider')
      .optional(),
  })
  .strict()
  .refine((c) => [c.mailbox, c.zone, c.proxyCache, c.swarm].filter(Boolean).length === 1, 'a state check names one of: mailbox, zone, proxyCache, swarm');

/** where the right answer comes from: the student's own capture, or a value of the lab file */
const answerSource = z
  .object({
    from: z.enum(['http-header', 'http-status', 'dns-answer', 'dns-ttl', 'connections', 'messages', 'value', 'swarm']),
    ...scope,
    /** the request (or query) whose response holds the answer */
    request: pattern.optional(),
    header: z.string().max(100).optional(),
    /** 1-based: the nth matching request; absent: any of them */
    nth: z.number().int().min(1).max(1000).optional(),
    /** dns-answer: the record type (A) */
    type: z.string().max(10).optional(),
    value: z.union([z.string().max(500), z.number()]).optional(),
    /** swarm: what of the last finished run (seconds; the free-rider's from joining to completing) */
    swarm: z.enum(['free-rider-time', 'distribution-time']).optional(),
  })
  .strict();

const answerCheck = z
  .object({
    kind: z.literal('answer'),
    id,
    label,
    question: markdown,
    answer: answerSource,
    /** numbers: absolute tolerance */
    tolerance: z.number().min(0).optional(),
    numeric: z.boolean().optional(),
  })
  .strict();

const programCheck = z
  .object({
    kind: z.literal('program'),
    id,
    label,
    assignment: z.enum(['udp-pinger', 'tcp-server', 'web-server', 'smtp-client', 'web-proxy']),
    language: z.enum(['python', 'javascript']).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const labCheckSchema = z.discriminatedUnion('kind', [trafficCheck, countsCheck, stateCheck, answerCheck, programCheck]);

const task = z
  .object({
    id,
    title: z.string().min(1).max(200),
    instructions: markdown,
    hints: z.array(markdown).max(20).optional(),
    checks: z.array(labCheckSchema).min(1).max(30),
  })
  .strict();

/**
 * what a lab brings back at start besides the scenario: zones, caches, mailboxes (true: every
 * lab user's, or the addresses named; the relay queue with them), sites (the user's edits and
 * uploads gone, the shipped files back)
 */
const reset = z
  .object({
    zones: z.array(z.string().max(254)).max(40),
    dnsCache: z.boolean(),
    proxyCache: z.boolean(),
    dnsGuide: z.boolean(),
    mailboxes: z.union([z.boolean(), z.array(z.string().max(254)).min(1).max(40)]),
    sites: z.boolean(),
  })
  .partial()
  .strict();

export const labFileSchema = z
  .object({
    title: z.string().min(1).max(200),
    section: z.string().max(100),
    intro: markdown.optional(),
    scenario: scenarioSchema.optional(),
    reset: reset.optional(),
    tasks: z.array(task).min(1).max(50),
    /** the texts in other languages (lab-translations.ts) */
    translations: translationsSchema.optional(),
  })
  .strict()
  .superRefine((lab, ctx) => {
    checkTranslations(lab, ctx);
    const tasks = new Set<string>();
    lab.tasks.forEach((t, i) => {
      if (tasks.has(t.id)) ctx.addIssue({ code: 'custom', path: ['tasks', i, 'id'], message: `a second task called ${t.id}` });
      tasks.add(t.id);
      const checks = new Set<string>();
      t.checks.forEach((c, j) => {
        if (checks.has(c.id)) ctx.addIssue({ code: 'custom', path: ['tasks', i, 'checks', j, 'id'], message: `a second check called ${c.id} in task ${t.id}` });
        checks.add(c.id);
      });
    });
  });

export type LabFile = z.infer<typeof labFileSchema>;
export type LabTask = LabFile['tasks'][number];
export type LabCheck = z.infer<typeof labCheckSchema>;
export type TrafficCheck = z.infer<typeof trafficCheck>;
export type CountsCheck = z.infer<typeof countsCheck>;
export type StateCheck = z.infer<typeof stateCheck>;
export type AnswerCheck = z.infer<typeof answerCheck>;
export type ProgramCheck = z.infer<typeof programCheck>;
export type MessageMatch = z.infer<typeof messageMatch>;
export type TrafficStep = z.infer<typeof step>;
export type CheckScope = Pick<TrafficCheck, 'service' | 'client' | 'server' | 'transport'>;

export class LabFileMistake extends Error {
  constructor(readonly mistake: LabFileError) {
    super(`line ${mistake.line}: ${mistake.message}`);
  }
}

export function checkLabFile(text: string): { ok: true; lab: LabFile } | { ok: false; error: LabFileError } {
  const checked = checkYaml(text, labFileSchema);
  if (checked.ok) return { ok: true, lab: checked.data };
  const path = checked.issue?.path ?? [];
  const where = path.length ? `${path.join('.')}: ` : '';
  return { ok: false, error: { line: checked.line ?? 1, message: `${where}${checked.message}` } };
}

/** The lab in the file, or a LabFileMistake naming the line. */
export function parseLabFile(text: string): LabFile {
  const r = checkLabFile(text);
  if (!r.ok) throw new LabFileMistake(r.error);
  return r.lab;
}

/**
 * The one contract between the lab core and its two shells.
 *
 * `methods` lists every request/response call with a schema for its arguments (checked
 * once, at the edge, by `dispatch`); `LabEvents` lists every event stream. The Electron
 * IPC channels, the preload's `window.netlab` object and the WebSocket bridge are all
 * derived from these two lists, never written out by hand.
 */
import { z } from 'zod';
// dns (issue 3): the DNS area's types live beside its code
import type { DnsCacheRow, DnsGuide, DnsResolution, DnsServerInfo, DnsZoneInfo, DnsZoneSave, DnsZoneText } from './dns/types';
export type * from './dns/types';
// web (issue 4): the web area's types and argument schemas live beside its code
import type { ExperimentProgress, WebChanged } from './web/types';
export type * from './web/types';
export type { LabParam, LabText, LabTextKey } from './lab-text';
import type { LabCaInfo } from './tls/lab-ca';
export type { LabCaInfo };
export type { CachingOptions, PersistenceOptions } from './web/web-schemas';
// mail (issue 5): the mail area's types and draft schema live beside its code
import { mailAddressSchema, mailDraftSchema } from './mail/mail-types';
import type { MailChanged, MailMessageDetail, MailMessageSummary, MailQueueEntry, MailReturned, MailSendResult, MailSpoolDamage, MailUserInfo } from './mail/mail-types';
export type * from './mail/mail-types';
// p2p (issue 6): the swarm's types live beside its code
import { LAB_SCENARIO_FILE, SWARM_SCENARIO_FILE } from './scenarios/scenario-names';
import { method, scenarioText } from './api-method';
import { captureQuerySchema } from './capture/capture-query';
export { captureQuerySchema, type CaptureQuery } from './capture/capture-query';
import { webMethodSchemas } from './web/web-api';
import { searchMethods } from './p2p/search-api';
import type { ScenarioCheck, ScenarioFile, SwarmFile, SwarmResult, SwarmSnapshot, SwarmState, SwarmValidation } from './p2p/swarm-types';
export type * from './p2p/swarm-types';
// p2p (issue 16): the DHT's types live beside its code
import type { DhtState } from './p2p/dht/dht-types';
export type * from './p2p/dht/dht-types';
// SIP and RTP (issue 17): the VoIP tab's types and schemas live beside its code
import type { VoipState } from './sip/voip-types';
import { voipMethodSchemas } from './sip/voip-api';
export type * from './sip/voip-types';
// p2p (issue 16): the search overlays' types live beside their code
import type { OverlayState } from './p2p/overlays/overlay-types';
export type * from './p2p/overlays/overlay-types';
// lab sessions (issue 12): the data contract lives beside the engine
import type { LabAnswerResult, LabCheckPassed, LabFileText, LabReport, LabStatus, LabSummary, LabValidation } from './labs/lab-types';
export type * from './labs/lab-types';
import { LAB_FILE_NAME } from './labs/lab-names';
// the inspector's Statistics (issue 14)
import type { CaptureStatistics } from './capture/statistics-types';
export type * from './capture/statistics-types';
// edit and resend (issue 14)
import { resendRequestSchema, type ResendDraft, type ResendResult } from './resend/resend-types';
export type { ComparedExchange, CompareRequest, CompareResult, Order, OrderStatus } from './web/orders/orders-types';
export type { ResendDraft, ResendRequest, ResendResult, ResendTarget } from './resend/resend-types';
// trace files opened in the inspector (issue 14)
import type { TraceInfo } from './trace/trace-types';
export type * from './trace/trace-types';
// files opened from outside (issue 18)
import type { OpenedFile, OpenedFileApplied } from './files/file-types';
export type * from './files/file-types';
// video streaming and CDNs (issue 17)
import type { VideoState } from './video/video-types';
import { videoMethodSchemas } from './video/video-api';
export type * from './video/video-types';

import type {
  ServiceInfo,
  ConnectionInfo,
  CaptureSummary,
  CaptureDetail,
  CaptureBatch,
  CaptureSettings,
  CaptureFirst,
  LabInfo,
  DataDirUse,
  ProgramInfo,
  ProgramSource,
  ProgramOutput,
  ProgramState,
  TerminalOutput,
} from './api-types';
export type * from './api-types';

/** Every event stream the lab emits, by name. */
export interface LabEvents {
  'services.changed': ServiceInfo[];
  'capture.batch': CaptureBatch;
  'capture.cleared': CaptureSettings;
  'terminal.output': TerminalOutput;
  'terminal.exit': { session: number };
  'program.output': ProgramOutput;
  'program.state': ProgramState;
  // dns (issue 3)
  /** zones were saved or reset, or the cache was flushed */
  'dns.changed': { what: 'zones' | 'cache' };
  // web (issue 4)
  'web.changed': WebChanged;
  /** a running experiment's phase and n/N */
  'web.progress': ExperimentProgress;
  // mail (issue 5)
  'mail.changed': MailChanged;
  // p2p (issue 6)
  /** a running swarm, a few times a second */
  'swarm.snapshot': SwarmSnapshot;
  'swarm.result': SwarmResult;
  // p2p (issue 16)
  /** the DHT ring changed: a lookup, a join or a leave, the run's progress */
  'dht.changed': DhtState;
  /** the softphones or their media changed (issue 17) */
  'voip.changed': VoipState;
  /** the search overlays changed: a run's progress, a query asked */
  'overlay.changed': OverlayState;
  // lab sessions (issue 12)
  /** the open lab's tasks and checks, on every change (null is never sent: 'labs.close' answers it) */
  'labs.status': LabStatus;
  /** the moment a check turns ✓ */
  'labs.passed': LabCheckPassed;
  // files opened from outside (issue 18)
  /** a lab or scenario file waits for the user's confirmation */
  'files.offered': OpenedFile;
  'video.changed': VideoState;
}
export type LabEventName = keyof LabEvents;
export const eventNames = Object.keys({
  'services.changed': true,
  'capture.batch': true,
  'capture.cleared': true,
  'terminal.output': true,
  'terminal.exit': true,
  'program.output': true,
  'program.state': true,
  // dns (issue 3)
  'dns.changed': true,
  // web (issue 4)
  'web.changed': true,
  'web.progress': true,
  // mail (issue 5)
  'mail.changed': true,
  // p2p (issue 6)
  'swarm.snapshot': true,
  'swarm.result': true,
  // p2p (issue 16)
  'dht.changed': true,
  'voip.changed': true,
  'overlay.changed': true,
  // lab sessions (issue 12)
  'labs.status': true,
  'labs.passed': true,
  // files opened from outside (issue 18)
  'files.offered': true,
  'video.changed': true,
} satisfies Record<LabEventName, true>) as LabEventName[];

// ---------- argument schemas ----------

const serviceId = z.string().regex(/^[a-z0-9-]{1,40}$/);
const port = z.number().int().min(1).max(65535);
const linkPatch = z
  .object({
    delayMs: z.number().min(0).max(60_000),
    jitterMs: z.number().min(0).max(60_000),
    lossRate: z.number().min(0).max(1),
    reorderRate: z.number().min(0).max(1),
    rateKbps: z.number().min(0).max(10_000_000),
  })
  .partial()
  .strict();
export const serviceConfigSchema = z
  .object({ port, mode: z.enum(['textbook', 'persistent']), link: linkPatch })
  .partial()
  .strict();
export type ServiceConfig = z.infer<typeof serviceConfigSchema>;

const programId = z.enum(['udp-client', 'udp-server', 'tcp-client', 'tcp-server', 'udp-pinger', 'web-server', 'smtp-client', 'web-proxy']);
const language = z.enum(['javascript', 'python']);
const session = z.number().int().min(1);
const size = z.number().int().min(1).max(1000);

const dnsName = z.string().min(1).max(254).regex(/^\.$|^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/);
const dnsType = z.enum(['A', 'AAAA', 'NS', 'CNAME', 'MX', 'SOA', 'PTR', 'TXT', 'SRV']);


const labOrigin = z.enum(['shipped', 'user']);
const labFile = z.string().regex(LAB_FILE_NAME, 'a lab file name is lower-case letters, digits and dashes, .yaml');
const labPart = z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/);

const captureListArgs = z.tuple([
  z.union([
    z.object({ afterId: z.number().int().min(0), limit: z.number().int().min(1).max(100_000) }).strict(),
    z.object({ beforeId: z.number().int().min(0), limit: z.number().int().min(1).max(100_000) }).strict(),
  ]),
]);
const uploadId = z.number().int().min(1);


export const methods = {
  'lab.info': method<LabInfo>()(z.tuple([])),
  /** what the data directory holds, area by area (mail, sites, zones, scenarios, programs, swarms) */
  'lab.diskUse': method<DataDirUse>()(z.tuple([])),
  'services.list': method<ServiceInfo[]>()(z.tuple([])),
  'services.start': method<ServiceInfo>()(z.tuple([serviceId])),
  'services.stop': method<ServiceInfo>()(z.tuple([serviceId])),
  'services.restart': method<ServiceInfo>()(z.tuple([serviceId])),
  'services.configure': method<ServiceInfo>()(z.tuple([serviceId, serviceConfigSchema])),
  /** `afterId`: the oldest `limit` messages after it (catching up); `beforeId`: the newest
   *  `limit` messages before it (history, paged backwards from the newest). */
  'capture.list': method<CaptureSummary[]>()(captureListArgs),
  'capture.connections': method<ConnectionInfo[]>()(z.tuple([])),
  /** the inspector's opening: settings, connections and the newest `limit` messages in one
   *  answer (`netlab serve` pushes it on a socket opened at /api?first=limit, bridge/attach.ts) */
  'capture.first': method<CaptureFirst>()(z.tuple([z.object({ limit: z.number().int().min(1).max(100_000) }).strict()])),
  'capture.detail': method<CaptureDetail | null>()(z.tuple([z.number().int().min(0)])),
  'capture.settings': method<CaptureSettings>()(z.tuple([])),
  'capture.configure': method<CaptureSettings>()(
    z.tuple([z.object({ enabled: z.boolean(), limit: z.number().int().min(100).max(1_000_000) }).partial().strict()]),
  ),
  'capture.clear': method<CaptureSettings>()(z.tuple([])),
  /** ids of the messages after `afterId` that the query selects (the inspector's display filter) */
  'capture.match': method<number[]>()(z.tuple([captureQuerySchema, z.number().int().min(0)])),
  'capture.exportJsonl': method<string>()(z.tuple([captureQuerySchema])),
  /** the connections the query selects as a pcapng file (base64): synthesized frames Wireshark decodes */
  'capture.exportPcapng': method<string>()(z.tuple([captureQuerySchema])),
  /** conversations, protocol hierarchy, HTTP/DNS/SMTP figures over what the query selects */
  'capture.statistics': method<CaptureStatistics>()(z.tuple([captureQuerySchema])),
  /** a trace file (pcap or pcapng) for the inspector: announced, sent in base64 pieces of at
   *  most 1 MiB in order, then opened; the trace.* reads below mirror capture.*'s over it */
  'trace.begin': method<{ upload: number }>()(z.tuple([z.string().min(1).max(255), z.number().int().min(0)])),
  'trace.piece': method<{ received: number }>()(z.tuple([uploadId, z.number().int().min(0), z.string().max(1_500_000)])),
  'trace.open': method<TraceInfo>()(z.tuple([uploadId])),
  'trace.info': method<TraceInfo | null>()(z.tuple([])),
  'trace.close': method<void>()(z.tuple([])),
  'trace.list': method<CaptureSummary[]>()(captureListArgs),
  'trace.connections': method<ConnectionInfo[]>()(z.tuple([])),
  'trace.detail': method<CaptureDetail | null>()(z.tuple([z.number().int().min(0)])),
  'trace.match': method<number[]>()(z.tuple([captureQuerySchema, z.number().int().min(0)])),
  'trace.exportJsonl': method<string>()(z.tuple([captureQuerySchema])),
  'trace.exportPcapng': method<string>()(z.tuple([captureQuerySchema])),
  'trace.statistics': method<CaptureStatistics>()(z.tuple([captureQuerySchema])),
  'terminal.open': method<{ session: number }>()(z.tuple([z.object({ cols: size, rows: size }).strict()])),
  'terminal.input': method<void>()(z.tuple([session, z.string().max(65_536)])),
  'terminal.resize': method<void>()(z.tuple([session, size, size])),
  'terminal.close': method<void>()(z.tuple([session])),
  /** the UI has written this many characters of output to the screen (flow control) */
  'terminal.ack': method<void>()(z.tuple([session, z.number().int().min(0).max(100_000_000)])),
  'programs.list': method<ProgramInfo[]>()(z.tuple([])),
  'programs.read': method<ProgramSource>()(z.tuple([programId, language])),
  'programs.save': method<ProgramSource>()(z.tuple([programId, language, z.string().max(1_000_000)])),
  'programs.reset': method<ProgramSource>()(z.tuple([programId, language])),
  'programs.run': method<ProgramState>()(z.tuple([programId, language])),
  'programs.stop': method<ProgramState>()(z.tuple([programId, language])),
  'programs.stdin': method<void>()(z.tuple([programId, language, z.string().max(65_536)])),
  // ---------- dns (issue 3) ----------
  /** resolve a name twice from the same cache, iteratively and recursively, with every step */
  'dns.resolve': method<DnsResolution>()(z.tuple([dnsName, dnsType])),
  'dns.cache': method<DnsCacheRow[]>()(z.tuple([])),
  'dns.flush': method<DnsCacheRow[]>()(z.tuple([])),
  'dns.servers': method<DnsServerInfo[]>()(z.tuple([])),
  'dns.zones': method<DnsZoneInfo[]>()(z.tuple([])),
  'dns.readZone': method<DnsZoneText>()(z.tuple([dnsName])),
  /** validates first: a zone with an error is not saved, and the error names its line */
  'dns.saveZone': method<DnsZoneSave>()(z.tuple([dnsName, z.string().max(1_000_000)])),
  'dns.resetZone': method<DnsZoneText>()(z.tuple([dnsName])),
  /** the guided exercise of K&R §2.4.3: its steps and which are done; start from before the registration; restore */
  'dns.guide': method<DnsGuide>()(z.tuple([z.enum(['check', 'start', 'restore'])])),
  // ---------- web (issue 4): web/web-api.ts ----------
  ...webMethodSchemas,
  // ---------- mail (issue 5) ----------
  'mail.users': method<MailUserInfo[]>()(z.tuple([])),
  'mail.mailbox': method<MailMessageSummary[]>()(z.tuple([mailAddressSchema])),
  'mail.message': method<MailMessageDetail | null>()(z.tuple([mailAddressSchema, z.string().regex(/^[A-Za-z0-9._,=-]{1,200}$/)])),
  'mail.queue': method<MailQueueEntry[]>()(z.tuple([])),
  'mail.retry': method<MailQueueEntry[]>()(z.tuple([])),
  /** what the queue returned to senders this run (bounces), newest first */
  'mail.returned': method<MailReturned[]>()(z.tuple([])),
  /** what the spool could not read back at the last start (damaged journal records) */
  'mail.spoolDamage': method<MailSpoolDamage[]>()(z.tuple([])),
  /** the MIME source the compose form would send */
  'mail.preview': method<string>()(z.tuple([mailDraftSchema])),
  /** send a draft over SMTP to the submission port, as any mail client would */
  'mail.send': method<MailSendResult>()(z.tuple([mailDraftSchema])),
  /** a lab's restart: these mailboxes (all when none are named) and the relay queue emptied; how many messages went */
  'mail.empty': method<number>()(z.tuple([z.array(mailAddressSchema).max(100)])),
  // ---------- p2p (issue 6) ----------
  /** swarm scenario files: shipped (resources) and the user's (data directory) */
  /** lab scenarios (services, links, web switches, capture): shipped and the user's */
  'scenarios.files': method<ScenarioFile[]>()(z.tuple([])),
  'scenarios.save': method<ScenarioFile>()(z.tuple([z.string().regex(LAB_SCENARIO_FILE), scenarioText])),
  'scenarios.validate': method<ScenarioCheck>()(z.tuple([scenarioText])),
  /** make the lab what the text says: links it does not set are perfect again, services it does not disable run */
  'scenarios.apply': method<ServiceInfo[]>()(z.tuple([scenarioText])),
  'swarm.files': method<SwarmFile[]>()(z.tuple([])),
  'swarm.save': method<SwarmFile>()(z.tuple([z.string().regex(SWARM_SCENARIO_FILE), scenarioText])),
  /** a scenario's first error, with its line */
  'swarm.validate': method<SwarmValidation>()(z.tuple([scenarioText])),
  /** run a swarm scenario against the lab tracker; snapshots and the result come as events */
  'swarm.start': method<SwarmState>()(z.tuple([scenarioText])),
  'swarm.stop': method<SwarmState>()(z.tuple([])),
  'swarm.state': method<SwarmState>()(z.tuple([])),
  ...voipMethodSchemas,
  // ---------- the DHT and the search overlays (issue 16): p2p/search-api.ts ----------
  ...searchMethods,
  // ---------- lab sessions (issue 12) ----------
  /** the shipped labs (resources/labs) and the user's (<data dir>/labs), with the progress kept */
  'labs.list': method<LabSummary[]>()(z.tuple([])),
  'labs.read': method<LabFileText>()(z.tuple([labOrigin, labFile])),
  /** the first mistake of a lab file, at its line */
  'labs.validate': method<LabValidation>()(z.tuple([scenarioText])),
  /** save the user's copy; a text with a mistake is refused with its line */
  'labs.save': method<LabSummary>()(z.tuple([labFile, scenarioText])),
  /** apply the lab's scenario, start its checks, restore its progress */
  'labs.open': method<LabStatus>()(z.tuple([labOrigin, labFile])),
  'labs.status': method<LabStatus | null>()(z.tuple([])),
  /** reveal the task's next hint */
  'labs.hint': method<LabStatus>()(z.tuple([labPart])),
  /** answer a question (task, check, text); a wrong answer never shows the right one */
  'labs.answer': method<LabAnswerResult>()(z.tuple([labPart, labPart, z.string().max(500)])),
  /** run a program check against the lab (task, check) */
  'labs.runProgram': method<LabStatus>()(z.tuple([labPart, labPart])),
  /** the lab's start state back: its scenario again, its progress cleared */
  'labs.restart': method<LabStatus>()(z.tuple([])),
  'labs.close': method<null>()(z.tuple([])),
  /** the hand-in: self-contained HTML and the same data as JSON, for the student's name */
  'labs.report': method<LabReport>()(z.tuple([z.string().max(200)])),
  // ---------- edit and resend (issue 14) ----------
  /** a captured request made editable (HTTP text, DNS question, a mail session's lines) and the lab service it came to */
  'resend.draft': method<ResendDraft>()(z.tuple([z.number().int().min(1)])),
  /** the edited copy sent again from a lab client to that same lab service; the exchange lands in the capture */
  'resend.send': method<ResendResult>()(z.tuple([resendRequestSchema])),
  // ---------- files opened from outside (issue 18) ----------
  /** summarise a lab or scenario file and keep it waiting for the user's confirmation */
  'files.offer': method<OpenedFile>()(z.tuple([z.string().min(1).max(200), z.string().max(2_000_000)])),
  'files.pending': method<OpenedFile | null>()(z.tuple([])),
  /** the user confirmed: apply the waiting file through the scenario and lab methods */
  'files.apply': method<OpenedFileApplied>()(z.tuple([z.number().int().min(1)])),
  'files.dismiss': method<null>()(z.tuple([z.number().int().min(1)])),
  // ---------- video streaming and CDNs (issue 17): video/video-api.ts ----------
  ...videoMethodSchemas,
} as const;

export type MethodName = keyof typeof methods;
export const methodNames = Object.keys(methods) as MethodName[];
export type MethodArgs<K extends MethodName> = z.infer<(typeof methods)[K]['args']>;
export type MethodResult<K extends MethodName> = (typeof methods)[K]['result'];

/** What either shell hands to the renderer, and what the lab core implements. */
export type LabApi = { [K in MethodName]: (...args: MethodArgs<K>) => Promise<MethodResult<K>> };
/** one area's methods ('mail' → 'mail.users', 'mail.send' …), written beside that area */
export type AreaMethods<Area extends string> = Pick<LabApi, Extract<MethodName, `${Area}.${string}`>>;

export type Unsubscribe = () => void;
export interface LabEventSource {
  on<E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void): Unsubscribe;
}

/** The renderer's view of the lab: calls plus event streams, the same over IPC or WebSocket. */
export interface LabClient extends LabEventSource {
  call<K extends MethodName>(name: K, ...args: MethodArgs<K>): Promise<MethodResult<K>>;
}

export class ApiError extends Error {}

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}

/** Validate raw arguments from a transport and call the lab. The one door both shells use. */
export async function dispatch(api: LabApi, name: unknown, rawArgs: unknown): Promise<unknown> {
  if (!isMethodName(name)) throw new ApiError(`unknown method ${String(name).slice(0, 60)}`);
  const parsed = methods[name].args.safeParse(rawArgs);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(`${name}: bad argument ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const fn = api[name] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(api, parsed.data as unknown[]);
}

/** IPC channel names, derived from the method list. */
export const ipcChannel = (name: MethodName): string => `netlab:${name}`;
export const IPC_EVENT_CHANNEL = 'netlab:event';

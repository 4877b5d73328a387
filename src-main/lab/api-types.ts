/**
 * The foundation's data types carried by the API (services, capture, terminal, programs).
 * Each protocol area keeps its own types beside its code; api.ts re-exports them all.
 */

export type Transport = 'tcp' | 'udp';
export type ServiceState = 'stopped' | 'starting' | 'running' | 'error';
export type EchoMode = 'textbook' | 'persistent';

/** Link emulation applied at the capture tap (see DESIGN.md, "Link emulation"). */
export interface LinkProfile {
  /** one-way delay added to every message, in ms */
  delayMs: number;
  /** uniform random extra delay 0..jitterMs, in ms (datagrams only: TCP keeps order) */
  jitterMs: number;
  /** probability 0..1 that a datagram is lost */
  lossRate: number;
  /** probability 0..1 that a datagram is held back so a later one overtakes it */
  reorderRate: number;
  /** rate limit in kbit/s, 0 for none (token bucket) */
  rateKbps: number;
}

export interface ServiceInfo {
  id: string;
  name: string;
  protocol: string;
  transport: Transport;
  /** a UDP service that also answers over TCP on the same port (the DNS servers, RFC 7766) */
  alsoTcp?: true;
  host: string;
  /** every address it listens on while running: 127.0.0.1 and ::1 on loopback (a machine
   *  without IPv6 has 127.0.0.1 alone) */
  addresses: string[];
  port: number;
  state: ServiceState;
  /** a human sentence when state is 'error' (a taken port names the port and what to do) */
  error?: string;
  description: string;
  link: LinkProfile;
  /** only for the TCP echo service */
  mode?: EchoMode;
  connections: number;
}

export interface Endpoint {
  address: string;
  port: number;
  /** the lab host name, when the endpoint is known under one (gaia.cs.umass.edu, terminal 1) */
  name?: string;
  /** the lab's virtual address for that name (128.119.40.205) */
  virtualAddress?: string;
  /** the port the client dialled on the virtual address, when the lab routed it elsewhere */
  virtualPort?: number;
}

export interface ConnectionInfo {
  id: number;
  transport: Transport;
  service: string;
  protocol: string;
  client: Endpoint;
  server: Endpoint;
  opened: number;
  closed?: number;
}

export type Direction = 'c2s' | 's2c' | 'none';
/** chunk: bytes as one read delivered them; message: a protocol unit framed from the stream
 *  (for UDP every datagram is both); event: open/close/drop notes of the capture itself. */
export type CaptureKind = 'chunk' | 'message' | 'event';

export interface CaptureSummary {
  id: number;
  /** ms since the lab started (monotonic clock) */
  t: number;
  service: string;
  protocol: string;
  conn: number;
  transport: Transport;
  dir: Direction;
  kind: CaptureKind;
  size: number;
  summary: string;
  /** a TCP message that one read delivered exactly: it is also that read's chunk (recorded
   *  once, shown in both the Chunks and the Messages views) */
  whole?: boolean;
}

export interface DecodedField {
  name: string;
  value: string;
  children?: DecodedField[];
}

export interface CaptureDetail extends CaptureSummary {
  /** the raw bytes, base64 (capped; see `truncated`) */
  bytes: string;
  truncated: boolean;
  /** the capture's byte store has since reused this message's bytes (the summary stays) */
  bytesDropped?: boolean;
  fields: DecodedField[];
  connection?: ConnectionInfo;
}

export interface CaptureBatch {
  messages: CaptureSummary[];
  /** connections opened or closed since the previous batch */
  connections: ConnectionInfo[];
}

export interface CaptureSettings {
  enabled: boolean;
  /** ring buffer size: older messages are dropped past it */
  limit: number;
  stored: number;
  evicted: number;
}

/** What the inspector opens with, in one answer: the settings, every connection, the newest messages. */
export interface CaptureFirst {
  settings: CaptureSettings;
  connections: ConnectionInfo[];
  /** the newest `limit` messages, oldest first */
  messages: CaptureSummary[];
}

export interface LabHost {
  name: string;
  virtualAddress: string;
  description: string;
}

/** The areas of the data directory, each a folder of its own (README, "Where data is stored"). */
export type DataDirArea = 'mail' | 'sites' | 'zones' | 'scenarios' | 'programs' | 'swarms' | 'labs' | 'ftp';

/** How much the data directory holds, by area (file sizes; links are counted, not followed). */
export interface DataDirUse {
  dataDir: string;
  bytes: number;
  files: number;
  /** symbolic links found in it: the lab does not follow one that leads out of its area */
  links: number;
  areas: { area: DataDirArea; bytes: number; files: number; links: number }[];
  /** files outside the areas (the lab writes none; another program may have) */
  otherBytes: number;
}

export interface LabInfo {
  version: string;
  dataDir: string;
  shell: 'electron' | 'browser';
  python: string | null;
  hosts: LabHost[];
}

export type ProgramLanguage = 'javascript' | 'python';
/** the four echo programs of §2.7, then the chapter's socket programming assignments */
export type ProgramId = 'udp-client' | 'udp-server' | 'tcp-client' | 'tcp-server' | 'udp-pinger' | 'web-server' | 'smtp-client' | 'web-proxy';

export interface ProgramInfo {
  id: ProgramId;
  language: ProgramLanguage;
  title: string;
  /** the title's catalogue message (scenarios/lab-text.ts): the UI shows it in its language */
  titleText?: { key: string };
  fileName: string;
  role: 'client' | 'server';
  transport: Transport;
  /** a user copy exists in the data directory */
  modified: boolean;
  running: boolean;
}

export interface ProgramSource {
  id: ProgramId;
  language: ProgramLanguage;
  source: string;
  modified: boolean;
  path: string;
}

export interface ProgramOutput {
  id: ProgramId;
  language: ProgramLanguage;
  stream: 'stdout' | 'stderr' | 'stdin' | 'system';
  text: string;
}

export interface ProgramState {
  id: ProgramId;
  language: ProgramLanguage;
  running: boolean;
  exitCode?: number | null;
}

export interface TerminalOutput {
  session: number;
  data: string;
}

/** What the DNS area carries over the lab API (re-exported by api.ts). */
import type { TextParams } from '../lab-text';

export type { LabText, TextParams } from '../lab-text';

export interface DnsStep {
  /** the textbook's step number (messages only; cache hits are not numbered) */
  n?: number;
  kind: 'query' | 'reply' | 'cache';
  from: string;
  to: string;
  fromAddress?: string;
  toAddress?: string;
  question: string;
  /** the English sentence (tests and the CLI read it) */
  text: string;
  /** the same sentence's catalogue key and parameters (lab-text.ts): the UI shows it in its language */
  textKey?: string;
  textParams?: TextParams;
  /** the capture message id of this step, for the inspector */
  message?: number;
  transport?: 'udp' | 'tcp';
  /** not sent: the cache held what this step would have brought (a query and its reply
   *  keep their numbers, greyed, as in the textbook's figure) */
  skipped?: boolean;
  /** inside a sub-resolution (the address of a server a referral named without glue): 1, 2 … */
  depth?: number;
  /** ms since the resolution started */
  t: number;
}

export interface DnsResolutionRun {
  mode: 'iterative' | 'recursive';
  steps: DnsStep[];
  rcode: string;
  /** answer records in master-file form */
  answers: string[];
  ms: number;
  error?: string;
  /** `error`'s catalogue key and parameters (src-main/lab/dns/lab-text-error.ts), when the lab wrote it */
  errorKey?: string;
  errorParams?: TextParams;
}

export interface DnsResolution {
  name: string;
  type: string;
  iterative: DnsResolutionRun;
  recursive: DnsResolutionRun;
}

export interface DnsCacheRow {
  name: string;
  type: string;
  ttl: number;
  source: 'answer' | 'referral' | 'glue' | 'negative';
  records: string[];
}

export interface DnsZoneError {
  line: number;
  /** in English (tests and the CLI read it) */
  message: string;
  /** the same message's catalogue key and parameters (lab-text-zone.ts) */
  textKey?: string;
  textParams?: TextParams;
}

export interface DnsZoneInfo {
  zone: string;
  /** the zone as dig writes it: "umass.edu." or "." */
  name: string;
  file: string;
  server: string;
  serverHost: string;
  modified: boolean;
  records: number;
  /** a user copy that no longer parses (edited outside the lab): the default is served */
  error?: DnsZoneError;
  /** lines of the user's copy the lab mended when it started (an old fact of the lab's, e.g.
   *  dns.umass.edu's address), one sentence each */
  migrated?: string[];
  /** the same sentences with their catalogue keys and parameters (lab-text-migrate.ts) */
  migratedText?: { text: string; textKey: string; textParams?: TextParams }[];
}

export interface DnsZoneText {
  zone: string;
  text: string;
  modified: boolean;
  path: string;
  /** lines that load but likely mean something else (a name missing its trailing dot) */
  warnings: DnsZoneError[];
}

/** saved: `zone.warnings` says what in it is likely a slip */
export type DnsZoneSave = { ok: true; zone: DnsZoneText } | { ok: false; errors: DnsZoneError[] };

export interface DnsServerInfo {
  id: string;
  role: 'local' | 'root' | 'tld' | 'authoritative';
  host: string;
  addresses: string[];
  zones: string[];
  port: number;
  state: string;
  description: string;
}

export interface DnsGuideStep {
  id: string;
  title: string;
  /** in English (tests and the CLI read it) */
  detail: string;
  /** the same detail's catalogue key and parameters (lab-text-guide.ts): the UI shows it in its language */
  detailKey?: string;
  detailParams?: TextParams;
  zone: string;
  done: boolean;
}

/** The registration exercise: no step is done before Start took the zones back to the day before. */
export interface DnsGuide {
  started: boolean;
  steps: DnsGuideStep[];
}

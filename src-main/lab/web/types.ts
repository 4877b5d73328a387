/** What the web area carries over the lab API (re-exported by api.ts). */
import type { LabText } from '../lab-text';

export interface WebSettings {
  /** answer every request with Connection: close, as HTTP/1.0 does without keep-alive */
  forceNonPersistent: boolean;
  /** Cache-Control: max-age the web server sends with files (0: none, caches use heuristics) */
  maxAgeSec: number;
  /** a request head must arrive within this after its first byte (408 after it: slowloris guard) */
  headerTimeoutMs: number;
  /** an idle persistent connection is closed after this */
  idleTimeoutMs: number;
}

export interface SiteFile {
  path: string;
  size: number;
  /** HTTP date of the file's modification time (what Last-Modified says) */
  lastModified: string;
  /** a user copy in the data directory (an edit or an upload) */
  modified: boolean;
  /** the file ships with NetLab (reset brings it back) */
  shipped: boolean;
}

export interface ProtectedPath {
  path: string;
  realm: string;
  user: string;
}

export interface SiteInfo {
  host: string;
  aliases: string[];
  isDefault: boolean;
  cookies: boolean;
  protectedPaths: ProtectedPath[];
  /** who may PUT and DELETE (Basic authentication); absent: the site is read-only over HTTP */
  upload?: { realm: string; user: string };
  /** the user's copy of the site (uploads and edits): its limit and what it holds, in bytes */
  quota: { bytes: number; used: number };
  files: SiteFile[];
}

export interface SiteFileContent {
  host: string;
  path: string;
  /** the text (utf-8); empty for a binary file */
  text: string;
  binary: boolean;
  size: number;
  lastModified: string;
  etag: string;
  modified: boolean;
  shipped: boolean;
}

/** One row of a cookie site's back-end database (Kurose & Ross §2.2.4). */
export interface CookieRow {
  id: string;
  host: string;
  /** ms since the epoch */
  firstVisit: number;
  lastVisit: number;
  visits: number;
  /** pages visited, most recent last (capped) */
  pages: string[];
  cart: string[];
  /** the cookies the site set for this shopper, the latest of each name, with their attributes */
  issued: IssuedCookie[];
}

/** A cookie as a Set-Cookie header gives it (RFC 6265 §4.1), the attributes Kurose & Ross list. */
export interface IssuedCookie {
  name: string;
  value: string;
  /** Expires, an HTTP date; absent: a session cookie, gone when the browser closes */
  expires?: string;
  maxAgeSec?: number;
  /** the site's domain: sent to it and to every host below it */
  domain?: string;
  path: string;
  /** only over HTTPS: a browser does not keep it from a plain HTTP response */
  secure: boolean;
  /** not readable by the page's scripts (document.cookie) */
  httpOnly: boolean;
  /** why the site sets it */
  purpose: string;
  /** ms since the epoch */
  setAt: number;
}

export interface ProxyObject {
  url: string;
  status: number;
  size: number;
  /** ms since the epoch when stored or last revalidated */
  storedAt: number;
  /** seconds the entry stays fresh from now (negative: stale) */
  freshForSec: number;
  hits: number;
  lastModified?: string;
  etag?: string;
}

export interface ProxySettings {
  cacheEnabled: boolean;
  /** the textbook's Internet delay: from the institution's router to the origin and back, in ms */
  internetDelayMs: number;
  /** the access link's rate in kbit/s (0: unlimited) */
  accessKbps: number;
}

export interface ProxyStatus extends ProxySettings {
  requests: number;
  hits: number;
  misses: number;
  revalidated: number;
  /** bytes that came in from origin servers over the access link */
  accessBytes: number;
  /** (hits + revalidated) / requests, 0 when none */
  hitRate: number;
  objects: ProxyObject[];
}

export type FetchMode = 'non-persistent' | 'parallel' | 'persistent' | 'pipelined';

export interface PersistenceRun {
  mode: FetchMode;
  measuredMs: number;
  formulaMs: number;
  formula: string;
  /** the formula line's catalogue key and parameters (the UI's language) */
  formulaText?: LabText;
  connections: number;
  objects: number;
  /** m, the connections open at once ('parallel'; 1 otherwise) */
  parallel: number;
  /** the formula's transmission time, ms: the bytes received ·8 / R (0 without a rate limit) */
  transmissionMs: number;
  /** body bytes received, the base page and its objects */
  bytes: number;
}

export interface PersistenceResult {
  url: string;
  rttMs: number;
  /** referenced objects (images) besides the base page */
  referenced: number;
  /** m of the parallel run */
  parallel: number;
  /** each referenced object's size when the run used large objects, else 0 */
  objectBytes: number;
  /** the web server's link rate during the run, kbit/s (0: none) */
  rateKbps: number;
  runs: PersistenceRun[];
}

/** One of the three options of the caching example (Kurose & Ross §2.2.5), measured. */
export interface CachingOption {
  id: 'access-15' | 'access-100' | 'cache';
  /** "15 Mbps access link", "100 Mbps access link", "15 Mbps + cache" (textbook rates) */
  label: string;
  /** the label's catalogue key and parameters */
  labelText?: LabText;
  /** the access link's rate as the textbook has it, Mbps */
  accessMbps: number;
  cache: boolean;
  /** traffic intensity on the access link, La/R, from the bytes that crossed it (headers too) */
  intensity: number;
  requests: number;
  /** measured: X-Cache HIT among the responses */
  hitRate: number;
  /** average delay in textbook seconds */
  avgS: number;
  /** average delay of the run's first and last fifth: growing when the queue grows */
  firstS: number;
  lastS: number;
  /** what the textbook predicts, in seconds; null when it predicts no limit */
  textbookS: number | null;
  textbook: string;
  /** the textbook line's catalogue key and parameters */
  textbookText?: LabText;
  /** delay in textbook seconds of each request, in the order they were made */
  delaysS: number[];
}

export interface CachingResult {
  /** the textbook's figures the run stands for */
  model: { requestsPerSec: number; objectKbit: number; internetDelayMs: number; hitRate: number; durationS: number };
  /** how the lab ran it: times divided by timeFactor; sizes and rates by sizeDivisor·…; the wall time */
  scale: { timeFactor: number; sizeDivisor: number; objectBytes: number; wallSeconds: number };
  /** when each request was made, textbook seconds from the start (the same for every option) */
  timesS: number[];
  options: CachingOption[];
}

/** A running experiment's progress, a few times a second (event web.progress). */
export interface ExperimentProgress {
  experiment: 'persistence' | 'caching';
  /** what it is doing: "15 Mbps access link", "pipelined" … */
  phase: string;
  /** the phase's catalogue key and parameters */
  phaseText?: LabText;
  done: number;
  total: number;
}

export interface WebChanged {
  what: 'cookies' | 'cache' | 'sites' | 'settings';
}

/** What the web area carries over the lab API (re-exported by api.ts). */

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
  /** (hits + revalidated) / requests, 0 when none */
  hitRate: number;
  objects: ProxyObject[];
}

export type FetchMode = 'non-persistent' | 'persistent' | 'pipelined';

export interface PersistenceRun {
  mode: FetchMode;
  measuredMs: number;
  formulaMs: number;
  formula: string;
  connections: number;
  objects: number;
}

export interface PersistenceResult {
  url: string;
  rttMs: number;
  /** referenced objects (images) besides the base page */
  referenced: number;
  runs: PersistenceRun[];
}

export interface CachingRun {
  cache: boolean;
  requests: number;
  hitRate: number;
  avgMs: number;
  formulaMs: number;
  formula: string;
  samplesMs: number[];
}

export interface CachingResult {
  internetDelayMs: number;
  accessKbps: number;
  runs: CachingRun[];
}

export interface WebChanged {
  what: 'cookies' | 'cache' | 'sites' | 'settings';
}

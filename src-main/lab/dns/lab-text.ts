/**
 * The sentences the DNS lab writes for the UI (a resolution's steps, for now), each with a
 * catalogue key and its parameters beside the English text: the renderer shows
 * `dnsLab.<key>` in the UI's language (src-renderer/src/i18n/locales/<language>/dnsLab.ts)
 * and falls back to `text`; tests and the CLI read `text`. Every key the lab can send is in
 * DNS_LAB_TEXT, with an example of its parameters: a unit test formats the English catalogue
 * with each example and compares it with `en` here, so the two cannot drift apart.
 */

import { GUIDE_LAB_TEXT } from './lab-text-guide';
import { ZONE_LAB_TEXT } from './lab-text-zone';
import { ERROR_LAB_TEXT } from './lab-text-error';
import { MIGRATE_LAB_TEXT } from './lab-text-migrate';
import { MAIL_LAB_TEXT } from '../mail/lab-text-mail';
import { P2P_LAB_TEXT } from '../p2p/lab-text';

/** a parameter is a plain value or a message of its own (translated first, then put in) */
export type TextParam = string | number | LabText;
export type TextParams = Record<string, TextParam>;

export interface LabText {
  /** the catalogue key, e.g. 'dnsLab.step.cached' */
  key: string;
  params?: TextParams;
}

/** What a message carries to the UI: the English text as before, and its key and parameters. */
export interface Said {
  text: string;
  textKey: string;
  textParams?: TextParams;
}

type P = Record<string, string | number>;
interface Entry {
  en: (p: P) => string;
  /** parameters for the drift test (a nested message is given by its key) */
  example: TextParams;
}

export const DNS_LAB_TEXT = {
  'dnsLab.step.cached': { en: (p) => `in the cache (TTL ${p.ttl} s left): ${p.what}`, example: { ttl: 30, what: 'A 128.119.245.12' } },
  'dnsLab.step.cachedHit': { en: (p) => `in the cache (TTL ${p.ttl} s left)`, example: { ttl: 30 } },
  'dnsLab.step.chainStopped': {
    en: (p) => `the chain stopped with a referral to ${p.zone}: the local server goes on iteratively from there`,
    example: { zone: 'crepes.fr.' },
  },
  'dnsLab.step.cachedAlias': {
    en: (p) => `in the cache (TTL ${p.ttl} s left): ${p.name} is an alias of ${p.target}`,
    example: { ttl: 30, name: 'www.umass.edu', target: 'umass.edu' },
  },
  'dnsLab.step.notSent': { en: (p) => `${p.question}? — not sent: the referral is in the cache`, example: { question: 'gaia.cs.umass.edu A' } },
  'dnsLab.step.cachedReferral': {
    en: (p) => `from the cache (TTL ${p.ttl} s left): referral to ${p.zone}: NS ${p.ns}`,
    example: { ttl: 172800, zone: 'edu.', ns: 'a.edu-servers.net.' },
  },
  'dnsLab.step.cachedReferralGlue': {
    en: (p) => `from the cache (TTL ${p.ttl} s left): referral to ${p.zone}: NS ${p.ns}; glue ${p.glue}`,
    example: { ttl: 172800, zone: 'edu.', ns: 'a.edu-servers.net.', glue: 'a.edu-servers.net 192.5.6.30' },
  },
  'dnsLab.step.query': { en: (p) => `${p.question}? (no recursion)`, example: { question: 'gaia.cs.umass.edu A' } },
  'dnsLab.step.queryRecursive': { en: (p) => `${p.question}? (recursion desired)`, example: { question: 'gaia.cs.umass.edu A' } },
  'dnsLab.step.noReply': { en: (p) => `no reply: ${p.error}`, example: { error: 'timed out' } },
  'dnsLab.step.noGlue': {
    en: (p) => `the servers of ${p.zone} are known by name only (${p.host}, no glue): resolving ${p.host} first`,
    example: { zone: 'crepes.fr.', host: 'ns1.umass.edu' },
  },
  'dnsLab.step.glueFound': {
    en: (p) => `${p.host} is at ${p.addresses}: back to ${p.question}, asking the servers of ${p.zone}`,
    example: { host: 'ns1.umass.edu', addresses: '128.119.40.1', question: 'www.crepes.fr A', zone: 'crepes.fr.' },
  },
  'dnsLab.reply.nxdomain': { en: () => 'NXDOMAIN: no such name', example: {} },
  'dnsLab.reply.nodata': { en: () => 'NODATA: the name has no record of that type', example: {} },
  'dnsLab.reply.rcode': { en: (p) => `${p.rcode}`, example: { rcode: 'SERVFAIL' } },
  'dnsLab.reply.answer': { en: (p) => `answer: ${p.records}`, example: { records: 'A 128.119.245.12' } },
  'dnsLab.reply.answerAuthoritative': { en: (p) => `answer (authoritative): ${p.records}`, example: { records: 'A 128.119.245.12, …' } },
  'dnsLab.reply.referral': { en: (p) => `referral to ${p.zone}: NS ${p.ns}`, example: { zone: 'edu.', ns: 'a.edu-servers.net.' } },
  'dnsLab.reply.referralGlue': {
    en: (p) => `referral to ${p.zone}: NS ${p.ns}; glue ${p.glue}`,
    example: { zone: 'edu.', ns: 'a.edu-servers.net.', glue: 'a.edu-servers.net 192.5.6.30' },
  },
  'dnsLab.reply.truncated': {
    en: (p) => `${p.reply} (the UDP reply was truncated: asked again over TCP)`,
    example: { reply: { key: 'dnsLab.reply.answer', params: { records: 'TXT "v=spf1 -all"' } } },
  },
} satisfies Record<string, Entry>;

export type DnsLabKey =
  | keyof typeof DNS_LAB_TEXT
  | keyof typeof ZONE_LAB_TEXT
  | keyof typeof GUIDE_LAB_TEXT
  | keyof typeof ERROR_LAB_TEXT
  | keyof typeof MIGRATE_LAB_TEXT
  | keyof typeof P2P_LAB_TEXT;

/** Every catalogue of texts the lab core sends, by key (the drift test walks them all). */
export const LAB_TEXTS: Record<string, Entry> = {
  ...DNS_LAB_TEXT,
  ...ZONE_LAB_TEXT,
  ...GUIDE_LAB_TEXT,
  ...ERROR_LAB_TEXT,
  ...MIGRATE_LAB_TEXT,
  ...MAIL_LAB_TEXT,
  ...P2P_LAB_TEXT,
};

/** The English text of a message (nested messages first). */
export function english(m: LabText): string {
  const entry = LAB_TEXTS[m.key];
  if (!entry) throw new Error(`no lab text ${m.key}`);
  const p: P = {};
  for (const [k, v] of Object.entries(m.params ?? {})) p[k] = typeof v === 'object' ? english(v) : v;
  return entry.en(p);
}

export function msg(key: DnsLabKey, params?: TextParams): LabText {
  return params ? { key, params } : { key };
}

/** A failure's English sentence (`error`, as the CLI and the tests read it) and its message. */
export function failure(m: LabText): { error: string; errorText: LabText } {
  return { error: english(m), errorText: m };
}

/** A failure's message to put in another one: the keyed one, else the English as it came (a socket's own words). */
export function why(f: { error: string; errorText?: LabText }): TextParam {
  return f.errorText ?? f.error;
}

/** `text`, `textKey`, `textParams` of a message, to spread into a step. */
export function say(m: LabText): Said {
  return { text: english(m), textKey: m.key, ...(m.params ? { textParams: m.params } : {}) };
}

/** A zone checker's message at a line: `message` in English, with its key and parameters. */
export function zoneMessage(line: number, m: LabText): { line: number; message: string; textKey: string; textParams?: TextParams } {
  return { line, message: english(m), textKey: m.key, ...(m.params ? { textParams: m.params } : {}) };
}

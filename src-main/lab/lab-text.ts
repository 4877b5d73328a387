/**
 * The sentences the lab core writes for the UI, each with a catalogue key and its parameters
 * beside the English text, so the UI can show it in its own language
 * (src-renderer/src/i18n/locales/<language>/<area>.ts, the key's first part naming the area;
 * docs/languages.md). The English text fields stay as they were: the CLI, the report and the
 * tests read them.
 *
 * One list of every key the lab can send, gathered here from the areas' files (each key with its
 * English and an example of its parameters): tests/unit/i18n/lab-text.test.ts formats the English
 * catalogue with each example and compares it with the English here, so the two cannot drift.
 * An area's file imports only types from this one (this one imports the lists).
 */
import { WEB_LAB_TEXT } from './web/lab-text';
import { VOIP_LAB_TEXT } from './sip/lab-text';
import { DNS_LAB_TEXT } from './dns/lab-text';
import { ZONE_LAB_TEXT } from './dns/lab-text-zone';
import { GUIDE_LAB_TEXT } from './dns/lab-text-guide';
import { ERROR_LAB_TEXT } from './dns/lab-text-error';
import { MIGRATE_LAB_TEXT } from './dns/lab-text-migrate';
import { P2P_LAB_TEXT } from './p2p/lab-text';
import { MAIL_LAB_TEXT } from './mail/lab-text-mail';
import { CHECK_LAB_TEXT } from './labs/lab-text';
import { PROGRAM_LAB_TEXT } from './labs/programs/lab-text';
import { FILE_LAB_TEXT } from './files/lab-text';
import { PROGRAM_TITLE_TEXT } from './scenarios/lab-text';

/** a parameter: a plain value, or a message of its own (translated first, then put in) */
export type TextParam = string | number | LabText;
export type TextParams = Record<string, TextParam>;
/** the same, by the name the Web and VoIP types used */
export type LabParam = TextParam;

/** a message: its catalogue key and its parameters */
export interface LabText {
  /** e.g. 'dnsLab.step.cached'; always one of LAB_TEXTS's keys when the lab made it (msg()) */
  key: string;
  params?: TextParams;
}

/** What a message carries to the UI when spread into it: the English text as before, and its key and parameters. */
export interface Said {
  text: string;
  textKey: string;
  textParams?: TextParams;
}

/** one key of an area's list */
export interface LabTextEntry {
  /** the English, from the parameters (a nested message already in English) */
  en: (p: Record<string, string | number>) => string;
  /** parameters for the drift test (a nested message is given by its key) */
  example: TextParams;
}

/** Every key the lab core can send, by key (the drift test walks them all). */
export const LAB_TEXTS = {
  ...WEB_LAB_TEXT,
  ...VOIP_LAB_TEXT,
  ...DNS_LAB_TEXT,
  ...ZONE_LAB_TEXT,
  ...GUIDE_LAB_TEXT,
  ...ERROR_LAB_TEXT,
  ...MIGRATE_LAB_TEXT,
  ...P2P_LAB_TEXT,
  ...MAIL_LAB_TEXT,
  ...CHECK_LAB_TEXT,
  ...PROGRAM_LAB_TEXT,
  ...FILE_LAB_TEXT,
  ...PROGRAM_TITLE_TEXT,
} satisfies Record<string, LabTextEntry>;

export type LabTextKey = keyof typeof LAB_TEXTS;

/** a message by its key (the one builder: a key the list lacks does not type-check) */
export function msg(key: LabTextKey, params?: TextParams): LabText {
  return params ? { key, params } : { key };
}

/**
 * A list as one message: `key` joins two items (`{a}; {b}` in English, `{a}；{b}` in Chinese), so
 * a list of any length is pairs nested inside each other, each language with its own separator.
 */
export function joined(key: LabTextKey, items: readonly TextParam[]): TextParam {
  return items.length ? items.reduce((a, b) => msg(key, { a, b })) : '';
}

/** The English text of a message: nested messages first. */
export function english(m: LabText): string {
  const entry = (LAB_TEXTS as Record<string, LabTextEntry>)[m.key];
  if (!entry) throw new Error(`no lab text ${m.key}`);
  const values: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(m.params ?? {})) values[k] = typeof v === 'object' ? english(v) : v;
  // a parameter the message lacks is the lab's mistake: refused, not written as "undefined"
  const p = new Proxy(values, {
    get(target, name) {
      if (typeof name === 'string' && !(name in target)) throw new Error(`lab text ${m.key}: no parameter ${name}`);
      return target[name as string];
    },
  });
  return entry.en(p);
}

/** A failure's English sentence (`error`, as the CLI and the tests read it) and its message. */
export function failure(m: LabText): { error: string; errorText: LabText } {
  return { error: english(m), errorText: m };
}

/** A failure's message to put in another one: the keyed one, else the English as it came (a socket's own words). */
export function why(f: { error: string; errorText?: LabText }): TextParam {
  return f.errorText ?? f.error;
}

/** `text`, `textKey`, `textParams` of a message, to spread into what the UI gets. */
export function say(m: LabText): Said {
  return { text: english(m), textKey: m.key, ...(m.params ? { textParams: m.params } : {}) };
}

/** A zone checker's message at a line: `message` in English, with its key and parameters. */
export function zoneMessage(line: number, m: LabText): { line: number; message: string; textKey: string; textParams?: TextParams } {
  return { line, message: english(m), textKey: m.key, ...(m.params ? { textParams: m.params } : {}) };
}

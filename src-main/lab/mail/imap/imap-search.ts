/**
 * SEARCH keys (RFC 3501 §6.4.4), pure: parsed into a predicate over one message. The common
 * keys: ALL, the flag keys (SEEN, UNSEEN, DELETED …), FROM/TO/CC/BCC/SUBJECT/HEADER, BODY and
 * TEXT (case-insensitive substring), SINCE/BEFORE/ON and SENT*, LARGER/SMALLER, UID and
 * sequence sets, NOT, OR and parenthesised groups.
 */
import type { ImapMessage } from './imap-folders';
import { asString, parseSet, type Token } from './imap-parser';

export interface SearchSubject {
  seq: number;
  m: ImapMessage;
  /** the message on the wire, read only when a key needs it */
  bytes(): Promise<Buffer>;
}

type Test = (s: SearchSubject) => Promise<boolean>;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "1-Feb-1994" → that day's start, UTC ms */
function day(text: string | undefined): number | undefined {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text ?? '');
  const month = m ? MONTHS.indexOf(m[2].toLowerCase()) : -1;
  return m && month >= 0 ? Date.UTC(Number(m[3]), month, Number(m[1])) : undefined;
}

const DAY = 86_400_000;

function headerOf(raw: Buffer, name: string): string {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = (end >= 0 ? text.slice(0, end) : text).replace(/\r\n[ \t]+/g, ' ');
  const re = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(.*)$`, 'gim');
  return [...head.matchAll(re)].map((m) => m[1]).join('\n');
}

function flag(name: string, on: boolean): Test {
  return async (s) => s.m.flags.includes(name) === on;
}

const FLAG_KEYS: Record<string, Test> = {
  ALL: async () => true,
  ANSWERED: flag('\\Answered', true),
  UNANSWERED: flag('\\Answered', false),
  DELETED: flag('\\Deleted', true),
  UNDELETED: flag('\\Deleted', false),
  DRAFT: flag('\\Draft', true),
  UNDRAFT: flag('\\Draft', false),
  FLAGGED: flag('\\Flagged', true),
  UNFLAGGED: flag('\\Flagged', false),
  SEEN: flag('\\Seen', true),
  UNSEEN: flag('\\Seen', false),
  // \Recent is not kept (RFC 9051 drops it): nothing is recent, NEW is nothing, OLD everything
  RECENT: async () => false,
  NEW: async () => false,
  OLD: async () => true,
};

/**
 * The predicate of a SEARCH's keys (all must hold). `maxSeq`, `maxUid` resolve "*".
 * Throws an Error with the text for a BAD reply.
 */
export function parseSearch(tokens: Token[], maxSeq: number, maxUid: number): Test {
  let i = 0;
  if (asString(tokens[0])?.toUpperCase() === 'CHARSET') {
    const cs = asString(tokens[1])?.toUpperCase();
    if (cs !== 'US-ASCII' && cs !== 'UTF-8') throw new Error(`[BADCHARSET (US-ASCII UTF-8)] charset ${cs ?? ''} not supported`);
    i = 2;
  }
  const arg = (key: string): string => {
    const v = asString(tokens[i++]);
    if (v === undefined) throw new Error(`${key} needs an argument`);
    return v;
  };
  const one = (): Test => {
    const t = tokens[i++];
    if (!t) throw new Error('a search key is missing');
    if (t.kind === 'list') {
      const inner = parseSearch(t.items, maxSeq, maxUid);
      return inner;
    }
    const key = (asString(t) ?? '').toUpperCase();
    if (FLAG_KEYS[key]) return FLAG_KEYS[key];
    switch (key) {
      case 'NOT': {
        const k = one();
        return async (s) => !(await k(s));
      }
      case 'OR': {
        const a = one();
        const b = one();
        return async (s) => (await a(s)) || (await b(s));
      }
      case 'FROM':
      case 'TO':
      case 'CC':
      case 'BCC':
      case 'SUBJECT': {
        const needle = arg(key).toLowerCase();
        return async (s) => headerOf(await s.bytes(), key).toLowerCase().includes(needle);
      }
      case 'HEADER': {
        const name = arg(key);
        const needle = arg(key).toLowerCase();
        return async (s) => headerOf(await s.bytes(), name).toLowerCase().includes(needle);
      }
      case 'BODY':
      case 'TEXT': {
        const needle = arg(key).toLowerCase();
        return async (s) => {
          const text = (await s.bytes()).toString('latin1');
          const from = key === 'BODY' ? Math.max(0, text.indexOf('\r\n\r\n')) : 0;
          return text.slice(from).toLowerCase().includes(needle);
        };
      }
      case 'SINCE':
      case 'BEFORE':
      case 'ON':
      case 'SENTSINCE':
      case 'SENTBEFORE':
      case 'SENTON': {
        const d = day(arg(key));
        if (d === undefined) throw new Error(`${key} needs a date like 1-Feb-1994`);
        const sent = key.startsWith('SENT');
        const cmp = key.replace('SENT', '');
        return async (s) => {
          let t = s.m.time;
          if (sent) {
            const parsed = Date.parse(headerOf(await s.bytes(), 'date').trim());
            if (Number.isNaN(parsed)) return false;
            t = parsed;
          }
          const start = Math.floor(t / DAY) * DAY;
          return cmp === 'SINCE' ? start >= d : cmp === 'BEFORE' ? start < d : start === d;
        };
      }
      case 'LARGER':
      case 'SMALLER': {
        const n = Number(arg(key));
        if (!Number.isInteger(n)) throw new Error(`${key} needs a number`);
        return async (s) => (key === 'LARGER' ? s.m.size > n : s.m.size < n);
      }
      case 'UID': {
        const set = parseSet(arg(key), maxUid);
        if (!set) throw new Error('UID needs a UID set');
        return async (s) => set(s.m.uid);
      }
    }
    const set = parseSet(key, maxSeq);
    if (set) return async (s) => set(s.seq);
    throw new Error(`unknown search key ${key.slice(0, 30)}`);
  };
  const tests: Test[] = [];
  while (i < tokens.length) tests.push(one());
  if (tests.length === 0) throw new Error('SEARCH needs a key');
  return async (s) => {
    for (const t of tests) if (!(await t(s))) return false;
    return true;
  };
}

/**
 * FETCH's data items (RFC 3501 §6.4.5, §7.4.2), pure: the items a client asked for, parsed
 * once, and one message's `* n FETCH (...)` built from them. Sections: BODY[], BODY[HEADER],
 * BODY[TEXT], BODY[HEADER.FIELDS (..)], BODY[HEADER.FIELDS.NOT (..)], BODY[1.2], BODY[1.MIME],
 * each with BODY.PEEK and a partial `<origin.count>`.
 */
import type { ImapMessage } from './imap-folders';
import { bodyStructure, envelope, headerFields, parseMessage, partAt } from './imap-message';
import type { Token } from './imap-parser';

export interface FetchItem {
  kind: 'flags' | 'uid' | 'internaldate' | 'size' | 'envelope' | 'body' | 'bodystructure' | 'section';
  /** the section in brackets, upper-cased (`HEADER.FIELDS (FROM TO)`) */
  section?: string;
  /** the label the response carries (RFC822 answers as RFC822, BODY.PEEK[x] as BODY[x]) */
  label?: string;
  peek?: boolean;
  partial?: [number, number];
}

const SECTION = /^(BODY(\.PEEK)?)\[([^\]]*)\](?:<(\d{1,10})\.(\d{1,10})>)?$/i;
const MACROS: Record<string, string[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

/** the items named by one word; RFC822, RFC822.HEADER and RFC822.TEXT answer under their own names */
const WORDS: Record<string, FetchItem> = {
  FLAGS: { kind: 'flags' },
  UID: { kind: 'uid' },
  INTERNALDATE: { kind: 'internaldate' },
  'RFC822.SIZE': { kind: 'size' },
  ENVELOPE: { kind: 'envelope' },
  BODY: { kind: 'body' },
  BODYSTRUCTURE: { kind: 'bodystructure' },
  RFC822: { kind: 'section', section: '', label: 'RFC822' },
  'RFC822.HEADER': { kind: 'section', section: 'HEADER', label: 'RFC822.HEADER', peek: true },
  'RFC822.TEXT': { kind: 'section', section: 'TEXT', label: 'RFC822.TEXT' },
};

function item(word: string): FetchItem | string {
  const named = WORDS[word.toUpperCase()];
  if (named) return named;
  const m = SECTION.exec(word);
  if (!m) return `unknown FETCH item ${word.slice(0, 40)}`;
  const section = m[3].toUpperCase().replace(/\s+/g, ' ');
  if (!/^((\d{1,4}\.){0,8}\d{1,4}(\.(MIME|HEADER|TEXT))?|((\d{1,4}\.){0,8})?(HEADER|TEXT)|((\d{1,4}\.){0,8})?HEADER\.FIELDS(\.NOT)? \([^()]*\))?$/.test(section)) {
    return `bad section [${m[3].slice(0, 40)}]`;
  }
  return {
    kind: 'section',
    section,
    peek: !!m[2],
    partial: m[4] !== undefined ? [Number(m[4]), Number(m[5])] : undefined,
    label: `BODY[${section}]`,
  };
}

/** the items of a FETCH (an atom, a macro or a list); a string is the error to answer with BAD */
export function parseFetchItems(tokens: Token[]): FetchItem[] | string {
  if (tokens.length !== 1) return 'FETCH needs a sequence set and one item or a parenthesised list';
  const t = tokens[0];
  const words = t.kind === 'list' ? t.items.map((x) => (x.kind === 'atom' ? x.v : '')) : t.kind === 'atom' ? MACROS[t.v.toUpperCase()] ?? [t.v] : [];
  if (words.length === 0 || words.includes('')) return 'bad FETCH item list';
  const items: FetchItem[] = [];
  for (const w of words) {
    const i = item(w);
    if (typeof i === 'string') return i;
    items.push(i);
  }
  return items;
}

/** does answering need the message's bytes? */
export function needsBytes(items: FetchItem[]): boolean {
  return items.some((i) => i.kind === 'envelope' || i.kind === 'body' || i.kind === 'bodystructure' || i.kind === 'section');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "06-Dec-2026 01:48:00 +0000" (RFC 3501 date-time), in UTC */
export function internalDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** the bytes of a section (before any partial) */
function sectionText(raw: string, section: string): string {
  const root = parseMessage(Buffer.from(raw, 'latin1'));
  const m = /^((?:\d+\.)*\d+)?\.?(MIME|HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT)?(?: \((.*)\))?$/.exec(section);
  if (!m) return '';
  const nums = m[1] ? m[1].split('.').map(Number) : [];
  let part = nums.length ? partAt(root, nums) : root;
  if (!part) return '';
  const what = m[2];
  if (!what) return nums.length ? raw.slice(part.body, part.end) : raw;
  if (what === 'MIME') return raw.slice(part.head, part.body);
  // HEADER and TEXT of a numbered part are those of the message/rfc822 it holds
  if (nums.length && part.inner) part = part.inner;
  if (what === 'TEXT') return raw.slice(part.body, part.end);
  const header = raw.slice(part.head, part.body);
  if (what === 'HEADER') return header;
  return headerFields(header, (m[3] ?? '').split(' ').filter(Boolean).map((n) => n.replace(/^"(.*)"$/, '$1')), what === 'HEADER.FIELDS.NOT');
}

/**
 * One message's FETCH response line (with its literals). `raw` is the message on the wire,
 * when an item needs it. `flags` are the message's flags after any \Seen this FETCH set.
 */
export function fetchResponse(seq: number, m: ImapMessage, items: FetchItem[], raw: Buffer | null, withUid: boolean): Buffer {
  const out: string[] = [];
  const text = raw ? raw.toString('latin1') : '';
  const root = raw && items.some((i) => i.kind === 'envelope' || i.kind === 'body' || i.kind === 'bodystructure') ? parseMessage(raw) : null;
  if (withUid && !items.some((i) => i.kind === 'uid')) out.push(`UID ${m.uid}`);
  for (const i of items) {
    switch (i.kind) {
      case 'flags':
        out.push(`FLAGS (${m.flags.join(' ')})`);
        break;
      case 'uid':
        out.push(`UID ${m.uid}`);
        break;
      case 'internaldate':
        out.push(`INTERNALDATE "${internalDate(m.time)}"`);
        break;
      case 'size':
        out.push(`RFC822.SIZE ${m.size}`);
        break;
      case 'envelope':
        if (root) out.push(`ENVELOPE ${envelope(root.headers)}`);
        break;
      case 'body':
      case 'bodystructure':
        if (root) out.push(`${i.kind === 'body' ? 'BODY' : 'BODYSTRUCTURE'} ${bodyStructure(text, root, i.kind === 'bodystructure')}`);
        break;
      case 'section': {
        let data = sectionText(text, i.section ?? '');
        let label = i.label ?? `BODY[${i.section}]`;
        if (i.partial) {
          data = data.slice(i.partial[0], i.partial[0] + i.partial[1]);
          label += `<${i.partial[0]}>`;
        }
        out.push(`${label} {${data.length}}\r\n${data}`);
        break;
      }
    }
  }
  return Buffer.from(`* ${seq} FETCH (${out.join(' ')})\r\n`, 'latin1');
}

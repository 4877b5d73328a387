/**
 * Tab completion at the `netlab>` prompt, the way bash does it: the word before the cursor
 * is completed against the commands (first word) or the lab's host names (an argument of
 * telnet, nc, dig, nslookup; `@server` for dig). One match completes the word (and a space);
 * several extend it to their common prefix, and when that adds nothing, they are listed.
 * Pure, so it is tested without a screen.
 */

/** The commands the shell knows (commands.ts), in the order `help` lists them. */
export const COMMAND_NAMES = ['telnet', 'nc', 'ftp', 'dig', 'nslookup', 'dht', 'overlay', 'sip', 'video', 'snmpget', 'snmpwalk', 'snmpbulkwalk', 'snmpset', 'hosts', 'services', 'history', 'clear', 'help', 'exit'] as const;
const TAKES_HOSTS = new Set(['telnet', 'nc', 'ftp', 'netcat', 'dig', 'nslookup', 'snmpget', 'snmpwalk', 'snmpbulkwalk', 'snmpset']);

export interface Completion {
  /** the text to insert at the cursor ('' when nothing can be added) */
  insert: string;
  /** the candidates to list (more than one match and nothing to add), else empty */
  list: string[];
}

const NONE: Completion = { insert: '', list: [] };

export function complete(before: string, hostNames: readonly string[]): Completion {
  const m = /(\S*)$/.exec(before)!;
  const word = m[1];
  const earlier = before.slice(0, before.length - word.length).trim();
  const words = earlier ? earlier.split(/\s+/) : [];
  let prefix = word;
  let lead = '';
  let candidates: readonly string[];
  if (words.length === 0) candidates = COMMAND_NAMES;
  else if (TAKES_HOSTS.has(words[0])) {
    if (word.startsWith('-')) return NONE; // an option: nothing to guess
    if (words[0] === 'dig' && word.startsWith('@')) {
      lead = '@';
      prefix = word.slice(1);
    }
    candidates = ['localhost', ...hostNames];
  } else return NONE;
  const matches = [...new Set(candidates.filter((c) => c.startsWith(prefix)))].sort((a, b) => a.localeCompare(b));
  if (matches.length === 0) return NONE;
  if (matches.length === 1) return { insert: `${matches[0].slice(prefix.length)} `, list: [] };
  const common = commonPrefix(matches);
  if (common.length > prefix.length) return { insert: common.slice(prefix.length), list: [] };
  return { insert: '', list: matches.map((x) => lead + x) };
}

function commonPrefix(list: string[]): string {
  let p = list[0];
  for (const s of list) while (!s.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** The candidates in columns for a terminal `cols` wide, bash style, lines ending in CRLF. */
export function columns(list: string[], cols: number): string {
  const width = Math.max(...list.map((s) => s.length)) + 2;
  const per = Math.max(1, Math.floor(cols / width));
  const rows = Math.ceil(list.length / per);
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < per; c++) {
      const s = list[c * rows + r];
      if (s !== undefined) line += s.padEnd(width);
    }
    out.push(line.trimEnd());
  }
  return out.join('\r\n') + '\r\n';
}

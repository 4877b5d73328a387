/**
 * IMAP's commands on whole folders in the authenticated state (RFC 3501 §6.3): LIST and LSUB
 * with their wildcards, STATUS without selecting, APPEND of a message with its flags and date.
 */
import { type Folders, systemFlag } from './imap-folders';
import { asString, listPattern, type Token } from './imap-parser';
import { bad, no, ok, type Outcome } from './imap-selected';

type Send = (data: string) => void;

function quote(name: string): string {
  return `"${name.replace(/["\\]/g, '\\$&')}"`;
}

export async function listCommand(verb: string, args: Token[], folders: Folders, send: Send): Promise<Outcome> {
  const ref = asString(args[0]);
  const pattern = asString(args[1]);
  if (ref === undefined || pattern === undefined) return bad(`${verb} needs a reference and a pattern`);
  if (pattern === '') {
    // the hierarchy delimiter and the root (RFC 3501 §6.3.8)
    send('* LIST (\\Noselect) "." ""\r\n');
    return ok(`${verb} completed`);
  }
  const re = listPattern(ref + pattern);
  const all = await folders.list();
  const names = verb === 'LSUB' ? (await folders.subscriptions()).filter((n) => all.includes(n)) : all;
  const lines = names
    .filter((n) => re.test(n))
    .map((n) => `* ${verb} (${all.some((o) => o.startsWith(`${n}.`)) ? '\\HasChildren' : '\\HasNoChildren'}) "." ${quote(n)}`);
  if (lines.length) send(`${lines.join('\r\n')}\r\n`);
  return ok(`${verb} completed`);
}

export async function statusCommand(args: Token[], folders: Folders, name: string | null, send: Send): Promise<Outcome> {
  const items = args[1]?.kind === 'list' ? args[1].items.map((t) => (asString(t) ?? '').toUpperCase()) : null;
  if (!name || !items || items.length === 0) return bad('STATUS needs a folder and a list of items');
  if (!(await folders.exists(name))) return no(`[NONEXISTENT] no folder ${name}`);
  const s = await folders.scan(name);
  const values: Record<string, number> = {
    MESSAGES: s.messages.length,
    RECENT: 0,
    UIDNEXT: s.next,
    UIDVALIDITY: s.validity,
    UNSEEN: s.messages.filter((m) => !m.flags.includes('\\Seen')).length,
  };
  if (items.some((i) => values[i] === undefined)) return bad('STATUS items: MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN');
  send(`* STATUS ${quote(name)} (${items.map((i) => `${i} ${values[i]}`).join(' ')})\r\n`);
  return ok('STATUS completed');
}

/** APPEND folder [(flags)] ["date-time"] literal; answers with UIDPLUS's APPENDUID */
export async function appendCommand(args: Token[], folders: Folders, name: string | null): Promise<Outcome> {
  const rest = args.slice(1);
  const message = rest.at(-1);
  if (!name || !message || message.kind !== 'string') return bad('APPEND needs a folder and a message literal');
  const flagList = rest.find((t) => t.kind === 'list');
  const flags = flagList?.kind === 'list' ? flagList.items.map((t) => systemFlag(asString(t) ?? '')).filter((f): f is string => !!f) : [];
  const dateArg = rest.find((t) => t.kind === 'string' && t !== message);
  const date = dateArg ? Date.parse((asString(dateArg) ?? '').replace(/^(\d{1,2})-(\w{3})-(\d{4})/, '$1 $2 $3')) : Date.now();
  if (Number.isNaN(date)) return bad('APPEND: a date-time like "06-Dec-2026 01:48:00 +0000"');
  if (!(await folders.exists(name))) return no(`[TRYCREATE] no folder ${name}`);
  const base = await folders.add(name, message.v, flags, date);
  const s = await folders.scan(name);
  const uid = s.messages.find((m) => m.base === base)?.uid ?? 0;
  return ok(`[APPENDUID ${s.validity} ${uid}] APPEND completed`);
}

/**
 * Inspector decoder for IMAP (pure): a tagged command (with the sizes of its literals), or
 * the server's response to one — its untagged data and the tagged completion, shown with the
 * tag that pairs it with its command (RFC 3501 §2.2.1) — or a continuation request.
 */
import type { DecodedField } from '../../api';
import type { Decoder } from '../../capture/decoders';
import { oneLine } from '../../capture/text';

const COMMANDS: Record<string, string> = {
  CAPABILITY: 'list what the server supports',
  NOOP: 'do nothing; the server tells what changed',
  LOGOUT: 'end the session',
  LOGIN: 'user name and password, in clear',
  AUTHENTICATE: 'SASL authentication (PLAIN: base64 of user and password)',
  SELECT: 'open a folder read-write',
  EXAMINE: 'open a folder read-only',
  CREATE: 'create a folder',
  DELETE: 'delete a folder',
  RENAME: 'rename a folder',
  SUBSCRIBE: 'add a folder to the subscribed list',
  UNSUBSCRIBE: 'remove a folder from the subscribed list',
  LIST: 'list folders matching a pattern',
  LSUB: 'list subscribed folders',
  STATUS: "a folder's counts without selecting it",
  APPEND: 'add a message to a folder',
  CHECK: 'checkpoint the selected folder',
  CLOSE: 'expunge \\Deleted messages and leave the folder',
  UNSELECT: 'leave the folder, expunging nothing',
  EXPUNGE: 'remove the messages flagged \\Deleted',
  SEARCH: 'the numbers of the messages matching the keys',
  FETCH: 'data of messages: flags, envelope, structure, body sections',
  STORE: "change messages' flags",
  COPY: 'copy messages to another folder',
  MOVE: 'move messages to another folder (RFC 6851)',
  UID: 'the same command, numbering messages by UID',
  IDLE: 'wait for the server to announce changes (RFC 2177)',
  NAMESPACE: "the folder hierarchy's prefix and delimiter (RFC 2342)",
  ID: 'client and server name themselves (RFC 2971)',
};

function literalSizes(text: string): number[] {
  return [...text.matchAll(/\{(\d{1,12})\+?\}\r?\n/g)].map((m) => Number(m[1]));
}

function command(text: string): DecodedField[] {
  const first = text.split(/\r?\n/)[0];
  if (/^DONE$/i.test(first.trim())) return [{ name: 'IMAP command', value: 'DONE', children: [{ name: 'Command', value: 'DONE — end IDLE' }] }];
  const [tag = '', verb = '', ...rest] = first.split(' ');
  const v = verb.toUpperCase();
  const sub = v === 'UID' ? (rest[0] ?? '').toUpperCase() : '';
  // LOGIN's password is shown, as POP3's PASS is: IMAP without TLS sends it in clear
  const shown = rest.join(' ');
  const lits = literalSizes(text);
  return [
    {
      name: 'IMAP command',
      value: sub ? `UID ${sub}` : v,
      children: [
        { name: 'Tag', value: tag },
        { name: 'Command', value: `${v}${COMMANDS[v] ? ` — ${COMMANDS[v]}` : ' (not an IMAP command, or a client response)'}` },
        ...(shown ? [{ name: 'Arguments', value: shown.slice(0, 300) }] : []),
        ...(lits.length ? [{ name: 'Literals', value: lits.map((n) => `{${n}} ${n} bytes`).join(', ') }] : []),
      ],
    },
  ];
}

/** the response's lines, a literal's bytes kept inside the line that announced it */
function responseLines(text: string): string[] {
  const lines: string[] = [];
  let i = 0;
  while (i < text.length && lines.length < 10_000) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = text.length - 1;
    let line = text.slice(i, end + 1);
    i = end + 1;
    for (let lit = /\{(\d{1,12})\}\r?\n$/.exec(line); lit; lit = /\{(\d{1,12})\}\r?\n$/.exec(line)) {
      const n = Number(lit[1]);
      line = line.slice(0, -lit[0].length) + `{${n}} [${n} bytes]`;
      i += n;
      const next = text.indexOf('\n', i);
      const stop = next < 0 ? text.length : next + 1;
      line += text.slice(i, stop);
      i = stop;
    }
    lines.push(line.replace(/\r?\n$/, ''));
  }
  return lines;
}

function response(text: string): DecodedField[] {
  const lines = responseLines(text);
  const last = lines[lines.length - 1] ?? '';
  const untagged = lines.filter((l) => l.startsWith('* '));
  const tagged = !last.startsWith('* ') && !last.startsWith('+');
  const [tag = '', status = ''] = last.split(' ');
  const children: DecodedField[] = [];
  if (last.startsWith('+')) children.push({ name: 'Continuation', value: last.slice(1).trim() || '(ready for more)' });
  if (tagged) {
    children.push({ name: 'Tag', value: tag });
    children.push({ name: 'Status', value: status.toUpperCase() });
    const code = /^\S+ \S+ \[([^\]]*)\]/.exec(last)?.[1];
    if (code) children.push({ name: 'Response code', value: code.slice(0, 200) });
    children.push({ name: 'Text', value: last.split(' ').slice(2).join(' ').slice(0, 300) });
  }
  if (untagged.length) {
    children.push({
      name: 'Untagged responses',
      value: String(untagged.length),
      children: untagged.slice(0, 200).map((l, i) => ({ name: `${i + 1}`, value: l.slice(2, 302) })),
    });
  }
  const value = tagged ? `${tag} ${status.toUpperCase()}` : last.startsWith('+') ? '+' : `* ${last.split(' ')[1] ?? ''}`;
  return [{ name: 'IMAP response', value, children }];
}

export const imapDecoder: Decoder = {
  summarize(kind, dir, bytes) {
    if (kind !== 'message' || dir !== 's2c') return oneLine(bytes, 160);
    const lines = responseLines(bytes.toString('latin1'));
    if (lines.length <= 1) return oneLine(bytes, 160);
    return `${oneLine(Buffer.from(lines[lines.length - 1], 'latin1'), 100)} (+ ${lines.length - 1} untagged: ${lines[0].slice(0, 40)}${lines.length > 2 ? ' …' : ''})`;
  },
  decode(kind, dir, bytes) {
    if (kind === 'event') return [{ name: 'Note', value: bytes.toString('utf8') }];
    const text = bytes.toString('latin1');
    return dir === 's2c' ? response(text) : command(text);
  },
};

/** Inspector decoder for POP3 (pure): a command, a status line, or a multi-line response. */
import type { DecodedField } from '../../api';
import type { Decoder } from '../../capture/decoders';
import { oneLine } from '../../capture/text';

const COMMANDS: Record<string, string> = {
  USER: 'name the maildrop (authorization)',
  PASS: 'the password, in clear (authorization)',
  APOP: 'name and MD5 digest of the greeting stamp + password (authorization)',
  STAT: 'number of messages and their total size',
  LIST: 'message numbers and sizes',
  RETR: 'retrieve a message',
  DELE: 'mark a message deleted (removed at QUIT)',
  NOOP: 'do nothing',
  RSET: 'unmark every deleted message',
  TOP: 'the headers and the first lines of a message',
  UIDL: 'unique ids, stable across sessions',
  CAPA: 'list the capabilities',
  QUIT: 'enter the UPDATE state: deletions take effect, the server closes',
};

function responseFields(text: string, bytes: Buffer): DecodedField[] {
  const lines = text.split(/\r?\n/);
  const status = lines[0] ?? '';
  const ok = status.startsWith('+OK');
  const fields: DecodedField[] = [
    { name: 'Status', value: ok ? '+OK (positive)' : status.startsWith('-ERR') ? '-ERR (negative)' : status.slice(0, 40) },
    { name: 'Text', value: status.replace(/^[+-]\w+\s?/, '').slice(0, 500) },
  ];
  if (lines.length > 2) {
    const body = lines.slice(1, -1);
    const ended = body[body.length - 1] === '.';
    fields.push({ name: 'Multi-line body', value: `${bytes.length - status.length - 2} bytes, ${body.length} lines${ended ? ', ended by "."' : ''}` });
    const split = body.indexOf('');
    const headers = (split >= 0 ? body.slice(0, split) : []).filter((l) => /^[!-9;-~]+:/.test(l)).slice(0, 30);
    if (headers.length) {
      fields.push({
        name: 'Headers',
        value: `${headers.length}`,
        children: headers.map((h) => ({ name: h.slice(0, h.indexOf(':')), value: h.slice(h.indexOf(':') + 1).trim().slice(0, 300) })),
      });
    }
  }
  return fields;
}

export const pop3Decoder: Decoder = {
  summarize(kind, dir, bytes) {
    if (kind !== 'message' || dir !== 's2c') {
      if (kind === 'message' && dir === 'c2s' && /^PASS /i.test(bytes.toString('latin1'))) return oneLine(bytes, 160);
      return oneLine(bytes, 160);
    }
    const text = bytes.toString('latin1');
    const nl = text.indexOf('\n');
    if (nl >= 0 && nl < text.length - 1) {
      const subject = /^Subject:[ \t]*(.*)$/im.exec(text.slice(0, 16 * 1024))?.[1];
      return `${oneLine(Buffer.from(text.slice(0, nl).replace(/\r$/, '')), 100)} + ${text.length - nl - 1} bytes${subject ? ` — Subject: ${subject.slice(0, 60)}` : ''}`;
    }
    return oneLine(bytes, 160);
  },
  decode(kind, dir, bytes) {
    if (kind === 'event') return [{ name: 'Note', value: bytes.toString('utf8') }];
    const text = bytes.toString('latin1');
    if (dir === 's2c') return [{ name: 'POP3 response', value: text.split(/\r?\n/)[0].slice(0, 100), children: responseFields(text, bytes) }];
    const line = text.replace(/\r?\n$/, '');
    const [verb = '', ...args] = line.split(' ');
    const v = verb.toUpperCase();
    return [
      {
        name: 'POP3 command',
        value: v,
        children: [
          { name: 'Command', value: `${v}${COMMANDS[v] ? ` — ${COMMANDS[v]}` : ' (not a POP3 command)'}` },
          ...(args.length ? [{ name: 'Arguments', value: args.join(' ').slice(0, 300) }] : []),
        ],
      },
    ];
  },
};

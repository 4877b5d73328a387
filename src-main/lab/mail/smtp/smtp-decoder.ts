/**
 * Inspector decoder for SMTP (pure): a command line, a reply (code, class, text), or the
 * message content sent after DATA, summarised by its headers.
 */
import type { DecodedField } from '../../api';
import type { Decoder } from '../../capture/decoders';
import { isMostlyText, oneLine } from '../../capture/text';
import { decodeBase64, describeSaslLine } from './smtp-auth';

const COMMANDS: Record<string, string> = {
  HELO: 'identify the client (RFC 5321 §4.1.1.1)',
  EHLO: 'identify the client and ask for extensions',
  MAIL: 'start a transaction: the envelope sender (reverse-path)',
  RCPT: 'one envelope recipient (forward-path)',
  DATA: 'the message follows, ended by a line holding only "."',
  RSET: 'abort the current transaction',
  NOOP: 'do nothing; the server answers 250',
  VRFY: 'ask whether a user exists',
  QUIT: 'end the session; the server answers 221 and closes',
  HELP: 'list the commands',
  AUTH: 'authenticate with a SASL mechanism (RFC 4954)',
};

const REPLY_CLASS: Record<string, string> = {
  '2': 'positive completion',
  '3': 'positive intermediate: send more',
  '4': 'transient negative: try again later',
  '5': 'permanent negative: do not repeat as is',
};

const CODES: Record<string, string> = {
  '220': 'service ready',
  '221': 'closing the connection',
  '235': 'authentication succeeded',
  '250': 'requested action completed',
  '252': 'cannot verify, will attempt delivery',
  '334': 'authentication challenge: send the next base64 line',
  '354': 'start mail input',
  '421': 'service not available, closing',
  '451': 'local error in processing',
  '452': 'insufficient storage / too many recipients',
  '500': 'syntax error, command unrecognized (or line too long)',
  '501': 'syntax error in parameters',
  '502': 'command not implemented',
  '503': 'bad sequence of commands',
  '504': 'parameter not implemented (unknown AUTH mechanism)',
  '535': 'authentication credentials invalid',
  '550': 'mailbox unavailable / relaying denied',
  '552': 'exceeded storage allocation (message too big)',
  '554': 'transaction failed',
};

function isCommand(text: string): boolean {
  return /^[A-Za-z]{3,12}( |\r?\n|$)/.test(text) && text.indexOf('\n') >= text.length - 1;
}

function contentFields(bytes: Buffer): DecodedField[] {
  const text = bytes.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const head = split >= 0 ? text.slice(0, split) : text;
  const headers = head
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .filter((l) => /^[!-9;-~]+:/.test(l))
    .slice(0, 40);
  const ended = /(^|\n)\.\r?\n$/.test(text);
  return [
    { name: 'Size', value: `${bytes.length} bytes, ${text.split('\n').length - 1} lines` },
    { name: 'End of data', value: ended ? 'CRLF.CRLF seen' : 'not yet (the message continues in the next piece)' },
    {
      name: 'Headers',
      value: `${headers.length}`,
      children: headers.map((h) => {
        const c = h.indexOf(':');
        return { name: h.slice(0, c), value: h.slice(c + 1).trim().slice(0, 300) };
      }),
    },
  ];
}

/** a client line inside an AUTH exchange: one base64 token, or `*` (cancel) */
function isSaslLine(text: string): boolean {
  return /^(?:[A-Za-z0-9+/]+={0,2}|=|\*)\r?\n?$/.test(text) && text.length <= 1000;
}

/** the decoded content of a SASL line, as fields (the lab masks nothing: passwords are lab passwords) */
function saslFields(b64: string): DecodedField[] {
  if (b64 === '*') return [{ name: 'Meaning', value: 'cancel the AUTH exchange (the server answers 501)' }];
  const d = describeSaslLine(b64);
  if (!d) return [{ name: 'Decoded', value: 'not valid base64 (the server answers 501)' }];
  if (d.plain) {
    return [
      { name: 'Decoded (PLAIN, RFC 4616)', value: JSON.stringify(d.decoded).slice(0, 300), children: [
        { name: 'authzid', value: d.plain.authzid || '(empty: act as the authcid)' },
        { name: 'authcid (user)', value: d.plain.authcid },
        { name: 'password', value: d.plain.password },
      ] },
    ];
  }
  return [{ name: 'Decoded', value: JSON.stringify(d.decoded).slice(0, 300) }];
}

function saslSummary(b64: string): string {
  if (b64 === '*') return 'cancel';
  const d = describeSaslLine(b64);
  if (!d) return 'not base64';
  return d.plain ? `user ${d.plain.authcid}, password ${d.plain.password}` : JSON.stringify(d.decoded).slice(0, 60);
}

function subjectOf(bytes: Buffer): string {
  const m = /^Subject:[ \t]*(.*)$/im.exec(bytes.subarray(0, 16 * 1024).toString('latin1'));
  return m ? ` — Subject: ${m[1].slice(0, 80)}` : '';
}

function authFields(args: string[]): DecodedField[] {
  const [mech = '', initial] = args.filter(Boolean);
  return [
    { name: 'Mechanism', value: mech.toUpperCase() },
    ...(initial !== undefined
      ? [{ name: 'Initial response', value: initial.slice(0, 300), children: saslFields(initial) }]
      : [{ name: 'Initial response', value: 'none: the server sends a 334 challenge first' }]),
  ];
}

export const smtpDecoder: Decoder = {
  summarize(kind, dir, bytes) {
    if (kind === 'event' || kind === 'chunk') return oneLine(bytes, 120);
    const text = bytes.toString('latin1');
    const line = text.replace(/\r?\n$/, '');
    if (dir === 'c2s' && isCommand(text)) {
      const auth = /^AUTH\s+(\S+)\s+(\S+)$/i.exec(line);
      return auth ? `${oneLine(bytes, 120)} (${saslSummary(auth[2])})` : oneLine(bytes, 160);
    }
    if (dir === 'c2s' && isSaslLine(text)) return `${oneLine(bytes, 120)} (AUTH response: ${saslSummary(line)})`;
    if (dir === 'c2s') return `message content (DATA), ${bytes.length} bytes${subjectOf(bytes)}`;
    const challenge = /^334 (\S*)/.exec(line);
    if (challenge) return `${oneLine(bytes, 120)} (challenge: ${JSON.stringify(decodeBase64(challenge[1] || '=') ?? challenge[1])})`;
    return oneLine(bytes, 160);
  },
  decode(kind, dir, bytes) {
    if (kind === 'event') return [{ name: 'Note', value: bytes.toString('utf8') }];
    const text = bytes.toString('latin1');
    if (dir === 's2c') {
      const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
      const code = /^(\d{3})/.exec(lines[0] ?? '')?.[1];
      if (!code) return [{ name: 'SMTP reply', value: oneLine(bytes) }];
      return [
        {
          name: 'SMTP reply',
          value: `${code} ${CODES[code] ?? ''}`.trim(),
          children: [
            { name: 'Code', value: code },
            { name: 'Class', value: `${code[0]}xx ${REPLY_CLASS[code[0]] ?? ''}` },
            { name: 'Multi-line', value: lines.length > 1 || /^\d{3}-/.test(lines[0] ?? '') ? 'yes (code-text continues)' : 'no' },
            ...lines.map((l, i) => ({ name: `Text ${i + 1}`, value: l.slice(4, 500) })),
            ...(code === '334' ? [{ name: 'Challenge (base64 decoded)', value: JSON.stringify(decodeBase64(lines[0].slice(4) || '=') ?? '') }] : []),
          ],
        },
      ];
    }
    if (dir === 'c2s' && isCommand(text)) {
      const line = text.replace(/\r?\n$/, '');
      const [verb, ...rest] = line.split(' ');
      const arg = rest.join(' ');
      const v = verb.toUpperCase();
      const address = /<([^>]*)>/.exec(arg)?.[1];
      return [
        {
          name: 'SMTP command',
          value: v,
          children: [
            { name: 'Verb', value: `${v}${COMMANDS[v] ? ` — ${COMMANDS[v]}` : ' (not an SMTP command)'}` },
            ...(arg ? [{ name: 'Argument', value: arg.slice(0, 500) }] : []),
            ...(address !== undefined ? [{ name: 'Address', value: address || '<> (null sender)' }] : []),
            ...(v === 'AUTH' ? authFields(rest) : []),
            { name: 'Line ending', value: text.endsWith('\r\n') ? 'CRLF' : text.endsWith('\n') ? 'LF only' : 'none' },
          ],
        },
      ];
    }
    if (dir === 'c2s' && isSaslLine(text)) {
      const line = text.replace(/\r?\n$/, '');
      return [{ name: 'AUTH response', value: line.slice(0, 300), children: saslFields(line) }];
    }
    if (!isMostlyText(bytes)) return [{ name: 'Bytes', value: `${bytes.length} bytes of binary data` }];
    return [{ name: 'Message content (DATA)', value: `${bytes.length} bytes${subjectOf(bytes)}`, children: contentFields(bytes) }];
  },
};

/**
 * Inspector decoders for FTP (pure): the control connection's commands and replies (RFC 959
 * §4.1, §4.2, with the textbook's reply meanings), and the data connections, whose first
 * bytes alone are kept (a listing's lines, a file's start).
 */
import type { DecodedField } from '../api';
import type { Decoder } from '../capture/decoders';
import { isMostlyText, oneLine } from '../capture/text';
import { parseCommand } from './ftp-codec';

export const FTP_PROTOCOL = 'ftp';
export const FTP_DATA_PROTOCOL = 'ftp-data';

const COMMANDS: Record<string, string> = {
  USER: 'user name (access control)',
  PASS: 'password, sent in clear (access control)',
  QUIT: 'log out; the server closes the control connection',
  PWD: 'print the working directory',
  CWD: 'change the working directory',
  CDUP: 'change to the parent directory',
  TYPE: 'representation type: A (ASCII) or I (image, binary)',
  PORT: 'active mode: the server connects to this address and port for the next transfer',
  EPRT: 'active mode, IPv4 or IPv6 (RFC 2428)',
  PASV: 'passive mode: the server listens, the client connects for the next transfer',
  EPSV: 'passive mode, IPv4 or IPv6 (RFC 2428): only the port is given',
  LIST: 'directory listing, on a data connection',
  NLST: 'names only, on a data connection',
  MLSD: 'machine-readable listing (RFC 3659), on a data connection',
  RETR: 'retrieve a file, on a data connection',
  STOR: 'store a file, on a data connection',
  DELE: 'delete a file',
  MKD: 'make a directory',
  RMD: 'remove a directory',
  RNFR: 'rename from (RNTO follows)',
  RNTO: 'rename to',
  SIZE: 'size of a file (RFC 3659)',
  MDTM: 'modification time of a file (RFC 3659)',
  SYST: 'the server\'s system type',
  FEAT: 'the extensions the server supports (RFC 2389)',
  NOOP: 'do nothing (keeps the control connection alive)',
  ABOR: 'abort the transfer in progress',
  HELP: 'the commands the server knows',
  OPTS: 'options for a command (UTF8 ON)',
  MODE: 'transfer mode (S: stream)',
  STRU: 'file structure (F: file)',
};

/** the first digit of a reply code (RFC 959 §4.2) */
const KINDS: Record<string, string> = {
  '1': 'positive preliminary: expect another reply',
  '2': 'positive completion',
  '3': 'positive intermediate: send the next command',
  '4': 'transient negative: try again',
  '5': 'permanent negative',
};

const REPLIES: Record<string, string> = {
  '125': 'data connection already open; transfer starting',
  '150': 'file status okay; about to open data connection',
  '200': 'command okay',
  '211': 'system status, or features',
  '213': 'file status',
  '215': 'system type',
  '220': 'service ready for new user',
  '221': 'service closing control connection',
  '226': 'closing data connection; requested file action successful',
  '227': 'entering passive mode (h1,h2,h3,h4,p1,p2)',
  '229': 'entering extended passive mode (|||port|)',
  '230': 'user logged in, proceed',
  '250': 'requested file action okay, completed',
  '257': 'pathname created / current directory',
  '331': 'user name okay, need password',
  '350': 'requested file action pending further information',
  '421': 'service not available, closing control connection',
  '425': "can't open data connection",
  '426': 'connection closed; transfer aborted',
  '451': 'requested action aborted: local error in processing',
  '452': 'insufficient storage space: error writing file',
  '500': 'syntax error, command unrecognized',
  '501': 'syntax error in parameters or arguments',
  '502': 'command not implemented',
  '503': 'bad sequence of commands',
  '504': 'command not implemented for that parameter',
  '522': 'network protocol not supported',
  '530': 'not logged in',
  '550': 'requested action not taken: file unavailable',
  '553': 'requested action not taken: file name not allowed',
};

function replyFields(text: string): DecodedField[] {
  const lines = text.split(/\r?\n/).filter((l, i, all) => l !== '' || i < all.length - 1);
  const code = text.slice(0, 3);
  const fields: DecodedField[] = [
    { name: 'Reply code', value: `${code}${REPLIES[code] ? ` — ${REPLIES[code]}` : ''}` },
    { name: 'Kind', value: KINDS[code[0]] ?? 'not an FTP reply code' },
    { name: 'Text', value: (lines[0] ?? '').slice(4, 504) },
  ];
  if (lines.length > 1) fields.push({ name: 'Multi-line reply', value: `${lines.length} lines`, children: lines.slice(1, 40).map((l, i) => ({ name: `line ${i + 2}`, value: l.slice(0, 300) })) });
  const pasv = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(text);
  if (code === '227' && pasv) fields.push({ name: 'Data port', value: `${pasv.slice(1, 5).join('.')}:${Number(pasv[5]) * 256 + Number(pasv[6])} (p1·256 + p2)` });
  const epsv = /\(\|\|\|(\d+)\|\)/.exec(text);
  if (code === '229' && epsv) fields.push({ name: 'Data port', value: `${epsv[1]} on the control connection's address` });
  return fields;
}

export const ftpDecoder: Decoder = {
  summarize(kind, _dir, bytes) {
    if (kind === 'event') return oneLine(bytes, 160);
    if (/^PASS /i.test(bytes.toString('latin1', 0, 5))) return 'PASS ****';
    return oneLine(bytes, 160);
  },
  decode(kind, dir, bytes) {
    if (kind === 'event') return [{ name: 'Note', value: bytes.toString('utf8') }];
    const text = bytes.toString('latin1');
    if (dir === 's2c') return [{ name: 'FTP reply', value: text.split(/\r?\n/)[0].slice(0, 100), children: replyFields(text) }];
    const { verb, arg } = parseCommand(text.replace(/\r?\n$/, ''));
    return [
      {
        name: 'FTP command',
        value: verb,
        children: [
          { name: 'Command', value: `${verb}${COMMANDS[verb] ? ` — ${COMMANDS[verb]}` : ' (not an FTP command)'}` },
          ...(arg ? [{ name: 'Argument', value: verb === 'PASS' ? `${arg.length} characters (in clear on the wire)` : arg.slice(0, 300) }] : []),
        ],
      },
    ];
  },
};

export const ftpDataDecoder: Decoder = {
  summarize(kind, dir, bytes) {
    if (kind === 'event') return oneLine(bytes, 160);
    const what = isMostlyText(bytes) ? oneLine(bytes, 100) : `${bytes.length} bytes of binary data`;
    return `${dir === 's2c' ? 'server → client' : 'client → server'} data: ${what}`;
  },
  decode(kind, dir, bytes) {
    if (kind === 'event') return [{ name: 'Note', value: bytes.toString('utf8') }];
    const text = isMostlyText(bytes);
    return [
      {
        name: 'FTP data',
        value: `${dir === 's2c' ? 'server → client' : 'client → server'}`,
        children: [
          { name: 'Stored bytes', value: `${bytes.length} (the capture keeps only the first bytes of a data connection; its notes give the total)` },
          { name: 'Content', value: text ? oneLine(bytes, 2000) : bytes.subarray(0, 64).toString('hex') },
        ],
      },
    ];
  },
};

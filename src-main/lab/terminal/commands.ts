/** Parsing what is typed at the `netlab>` prompt: pure, so every message can be tested. */
import { DNS_HELP, parseDig, parseNslookup, type DnsCommand } from '../dns/dig-command';
import { DHT_HELP, parseDhtCommand, type DhtCommand } from '../p2p/dht/dht-command';
import { parseSnmpCommand, SNMP_HELP, type SnmpCommand, type SnmpTool } from '../snmp/snmp-command';
import { parseSipCommand, SIP_HELP, type SipCommand } from '../sip/sip-command';
import { OVERLAY_HELP, parseOverlayCommand, type OverlayCommand } from '../p2p/overlays/overlay-command';
import { parseVideoCommand, VIDEO_HELP, type VideoCommand } from '../video/video-command';

export type Command =
  | { kind: 'help' }
  | { kind: 'clear' }
  | { kind: 'history' }
  | { kind: 'hosts' }
  | { kind: 'services' }
  | DnsCommand
  | DhtCommand
  | SnmpCommand
  | SipCommand
  | OverlayCommand
  | VideoCommand
  | { kind: 'exit' }
  | { kind: 'empty' }
  | { kind: 'connect'; tool: 'telnet' | 'nc' | 'ftp'; host: string; port: number; udp: boolean; crlf: boolean }
  | { kind: 'error'; message: string };

export const HELP = [
  'NetLab terminal: talk to the lab\'s servers the way the textbook does.',
  '',
  '  telnet HOST [PORT]     open a TCP connection; type lines, Enter sends them with CRLF',
  '                         Ctrl-] then `close` or `quit` to leave',
  '  nc [-C] HOST PORT      TCP, lines end in LF (-C: CRLF); Ctrl-C to leave',
  '  ftp HOST [PORT]        FTP by hand (port 21): type USER, PASS, PASV, LIST, RETR ...;',
  '                         after PASV/EPSV the terminal opens the data connection and shows it',
  '  nc -u HOST PORT        UDP: every line you type is one datagram',
  ...DNS_HELP,
  ...DHT_HELP,
  ...SNMP_HELP,
  ...SIP_HELP,
  ...OVERLAY_HELP,
  ...VIDEO_HELP,
  '  hosts                  the lab\'s host names and their virtual addresses',
  '  services               the lab\'s services and their ports',
  '  history                what you typed; arrow keys recall it',
  '  clear                  clear the screen (also Ctrl-L)',
  '  exit                   close this terminal',
  '',
  'HOST is an IP address, localhost, or a lab name such as gaia.cs.umass.edu.',
  'Try:  telnet localhost 12000    then type  hello',
];

export function splitArgs(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

export function parsePort(tool: string, text: string | undefined): number | string {
  if (text === undefined) return `${tool}: a port is needed`;
  if (!/^\d+$/.test(text)) return `${tool}: bad port '${text}': a port is a number from 1 to 65535`;
  const port = Number(text);
  if (port < 1 || port > 65535) return `${tool}: bad port '${text}': a port is a number from 1 to 65535`;
  return port;
}

export function parseCommand(line: string): Command {
  const [name, ...args] = splitArgs(line);
  if (!name) return { kind: 'empty' };
  switch (name) {
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'clear':
    case 'cls':
      return { kind: 'clear' };
    case 'history':
      return { kind: 'history' };
    case 'hosts':
      return { kind: 'hosts' };
    case 'services':
      return { kind: 'services' };
    case 'dig':
      return parseDig(args);
    case 'nslookup':
      return parseNslookup(args);
    case 'dht':
      return parseDhtCommand(args);
    case 'snmpget':
    case 'snmpwalk':
    case 'snmpbulkwalk':
    case 'snmpset':
      return parseSnmpCommand(name as SnmpTool, args);
    case 'sip':
      return parseSipCommand(args);
    case 'overlay':
      return parseOverlayCommand(args);
    case 'video':
      return parseVideoCommand(args);
    case 'exit':
    case 'quit':
    case 'logout':
      return { kind: 'exit' };
    case 'telnet': {
      if (args.length === 0 || args.length > 2) return { kind: 'error', message: 'usage: telnet HOST [PORT]' };
      const port = args[1] === undefined ? 23 : parsePort('telnet', args[1]);
      if (typeof port === 'string') return { kind: 'error', message: port };
      return { kind: 'connect', tool: 'telnet', host: args[0], port, udp: false, crlf: true };
    }
    case 'ftp': {
      if (args.length === 0 || args.length > 2) return { kind: 'error', message: 'usage: ftp HOST [PORT]' };
      const port = args[1] === undefined ? 21 : parsePort('ftp', args[1]);
      if (typeof port === 'string') return { kind: 'error', message: port };
      return { kind: 'connect', tool: 'ftp', host: args[0], port, udp: false, crlf: true };
    }
    case 'nc':
    case 'netcat': {
      let udp = false;
      let crlf = false;
      const rest: string[] = [];
      for (const a of args) {
        if (/^-[uvCn]+$/.test(a)) {
          if (a.includes('u')) udp = true;
          if (a.includes('C')) crlf = true;
        } else if (a.startsWith('-')) return { kind: 'error', message: `nc: unknown option ${a} (NetLab's nc knows -u and -C)` };
        else rest.push(a);
      }
      if (rest.length !== 2) return { kind: 'error', message: 'usage: nc [-u] [-C] HOST PORT' };
      const port = parsePort('nc', rest[1]);
      if (typeof port === 'string') return { kind: 'error', message: port };
      return { kind: 'connect', tool: 'nc', host: rest[0], port, udp, crlf };
    }
    default:
      return { kind: 'error', message: `${name}: command not found (type \`help\`)` };
  }
}

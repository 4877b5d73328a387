/**
 * Which protocol a trace's connection speaks, by its server port, as Wireshark picks a
 * dissector: the textbook's well-known ports (RFC 6335's registry) and the lab's own
 * defaults. A connection named by a NetLab comment keeps the service the comment names.
 * Each protocol brings the framer its live service uses, so a stream from a file is cut
 * into the same messages as a stream from a lab socket.
 */
import type { Transport } from '../api';
import { LineFramer, type Framer } from '../capture/framer';
import { HttpFramer } from '../web/framer';
import { SmtpFramer } from '../mail/smtp/smtp-framer';
import { Pop3Framer } from '../mail/pop3/pop3-framer';
import { ImapFramer } from '../mail/imap/imap-framer';
import { FtpFramer } from '../ftp/ftp-framer';
import { DnsTcpFramer } from '../dns/tcp-framer';
import { TrackerHttpFramer } from '../p2p/tracker/http';
import { PeerWireFramer } from '../p2p/outside-capture';
import { HIERARCHY, LOCAL_DNS_PORT } from '../dns/hierarchy';

export interface TraceService {
  service: string;
  protocol: string;
}

/** port → service, protocol and the transports it is served over */
const PORTS = new Map<number, [service: string, protocol: string, over: 'tcp' | 'udp' | 'both']>([
  [53, ['dns-local', 'dns', 'both']],
  [1053, ['dns-local', 'dns', 'both']],
  [80, ['http', 'http', 'tcp']],
  [8080, ['http', 'http', 'tcp']],
  [3128, ['proxy', 'http', 'tcp']],
  [25, ['smtp', 'smtp', 'tcp']],
  [587, ['smtp', 'smtp', 'tcp']],
  [2525, ['smtp', 'smtp', 'tcp']],
  [110, ['pop3', 'pop3', 'tcp']],
  [1110, ['pop3', 'pop3', 'tcp']],
  [143, ['imap', 'imap', 'tcp']],
  [1143, ['imap', 'imap', 'tcp']],
  [21, ['ftp', 'ftp', 'tcp']],
  [2121, ['ftp', 'ftp', 'tcp']],
  [6969, ['tracker', 'bittorrent-tracker', 'both']],
  [12000, ['echo', 'echo', 'both']],
]);

/** the service on `port`, or undefined for a port no lab protocol is known by */
export function serviceOnPort(transport: Transport, port: number): TraceService | undefined {
  if (transport === 'tcp' && port >= 6881 && port <= 6889) return { service: 'swarm', protocol: 'bittorrent' };
  // the lab's DNS hierarchy listens just after the local server, in HIERARCHY's order
  const server = HIERARCHY[port - LOCAL_DNS_PORT - 1];
  if (server) return { service: server.id, protocol: 'dns' };
  const known = PORTS.get(port);
  if (!known || (known[2] !== 'both' && known[2] !== transport)) return undefined;
  const [service, protocol] = known;
  // the lab's tracker and echo are two services, one per transport
  if (service === 'tracker' && transport === 'udp') return { service: 'tracker-udp', protocol };
  if (service === 'echo') return { service: `echo-${transport}`, protocol };
  return { service, protocol };
}

export function unknownService(transport: Transport): TraceService {
  return { service: transport, protocol: 'text' };
}

export function framerFor(service: TraceService): Framer {
  switch (service.protocol) {
    case 'http':
      return new HttpFramer();
    case 'smtp':
      return new SmtpFramer();
    case 'pop3':
      return new Pop3Framer();
    case 'imap':
      return new ImapFramer();
    case 'ftp':
      return new FtpFramer();
    case 'dns':
      return new DnsTcpFramer();
    case 'bittorrent-tracker':
      return new TrackerHttpFramer();
    case 'bittorrent':
      return new PeerWireFramer();
    default:
      return new LineFramer();
  }
}

const HTTP_REQUEST = /^(GET|HEAD|POST|PUT|DELETE|OPTIONS|CONNECT|TRACE|PATCH) \S+ HTTP\/1\.[01]\r?\n/;

/** A protocol told by its first bytes, for a server on a port nobody told us of (a lab
 *  started with other ports, as the tests do): a request line, a greeting, a handshake. */
export function sniffService(transport: Transport, dir: 'c2s' | 's2c', first: Buffer): TraceService | undefined {
  if (transport === 'udp') return looksLikeDns(first) ? { service: 'dns', protocol: 'dns' } : undefined;
  const head = first.toString('latin1', 0, 256);
  if (head.startsWith('\x13BitTorrent protocol')) return { service: 'swarm', protocol: 'bittorrent' };
  if (dir === 'c2s') {
    const request = HTTP_REQUEST.exec(head);
    if (!request) return undefined;
    if (/^GET \/announce\?/.test(head)) return { service: 'tracker', protocol: 'bittorrent-tracker' };
    return / (https?:\/\/|\S+:\d+ )/.test(request[0]) ? { service: 'proxy', protocol: 'http' } : { service: 'http', protocol: 'http' };
  }
  if (head.startsWith('HTTP/1.')) return { service: 'http', protocol: 'http' };
  if (/^220[ -]/.test(head)) return { service: 'smtp', protocol: 'smtp' };
  if (head.startsWith('+OK')) return { service: 'pop3', protocol: 'pop3' };
  return undefined;
}

/** A DNS message (RFC 1035 §4.1): a 12-byte header with one question whose name is labels. */
function looksLikeDns(b: Buffer): boolean {
  if (b.length < 17 || b.readUInt16BE(4) !== 1 || ((b[2] >> 3) & 0x0f) > 5) return false;
  let at = 12;
  while (at < b.length && b[at] !== 0) {
    if (b[at] > 63) return false;
    at += b[at] + 1;
  }
  return at + 5 <= b.length;
}

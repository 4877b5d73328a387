/**
 * Which addresses and ports a connection shows in a pcapng file: the lab's virtual ones
 * where the lab knows them (gaia.cs.umass.edu is 128.119.40.205), else the real ones; and
 * the well-known server port of the protocol (RFC 6335's registry: 53, 80, 25, 110, 6881 …),
 * so Wireshark picks its dissector by port, as on a real network, whatever loopback port
 * the lab service listens on. The real endpoints go into the file's comments.
 */
import type { ConnectionInfo, Endpoint } from '../api';
import { parseAddress, type Address } from './pcapng-frames';

export interface WireEnds {
  client: Address;
  server: Address;
  clientPort: number;
  serverPort: number;
}

/** The textbook's port of each protocol the lab speaks (by service first, then protocol). */
const SERVICE_PORTS: Record<string, number> = { proxy: 3128 };
const PROTOCOL_PORTS: Record<string, number> = {
  http: 80,
  dns: 53,
  smtp: 25,
  pop3: 110,
  imap: 143,
  tls: 443,
  bittorrent: 6881,
  'bittorrent-tracker': 6969,
  snmp: 161,
  sip: 5060,
  // Wireshark dissects Gnutella on its port
  gnutella: 6346,
};

const LOOPBACK_V4 = parseAddress('127.0.0.1')!;

function address(e: Endpoint): Address {
  return (e.virtualAddress && parseAddress(e.virtualAddress)) || parseAddress(e.address) || LOOPBACK_V4;
}

/** An IPv6 address in an IPv4 frame (a loopback client of a virtual IPv4 host): 127.0.0.1. */
function asV4(a: Address): Address {
  return a.v6 ? LOOPBACK_V4 : a;
}

export function wireEnds(conn: ConnectionInfo): WireEnds {
  let client = address(conn.client);
  let server = address(conn.server);
  if (client.v6 !== server.v6) {
    client = asV4(client);
    server = asV4(server);
  }
  const serverPort = conn.server.virtualPort ?? SERVICE_PORTS[conn.service] ?? PROTOCOL_PORTS[conn.protocol] ?? conn.server.port;
  // never 0: a port the socket did not report is still a port in a header
  return { client, server, clientPort: conn.client.port || 49152 + (conn.id % 16384), serverPort: serverPort || 9 };
}

function describe(e: Endpoint): string {
  const real = `${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port}`;
  const name = e.name ? `${e.name} ` : '';
  const virtual = e.virtualAddress ? ` as ${e.virtualAddress}${e.virtualPort ? `:${e.virtualPort}` : ''}` : '';
  return `${name}(real ${real}${virtual})`;
}

/** The first frame's comment: which lab service, which client, the real endpoints. */
export function connectionComment(conn: ConnectionInfo): string {
  return `NetLab connection #${conn.id}, service ${conn.service} (${conn.protocol}/${conn.transport}): client ${describe(conn.client)} → server ${describe(conn.server)}`;
}

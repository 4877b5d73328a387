/**
 * The lab internet's hosts, as the textbook names them (Kurose & Ross ch. 2). Every virtual
 * address maps to loopback; the port picks the service. Until lab DNS exists this static
 * table is the resolver; addresses the book does not give come from the documentation
 * ranges of RFC 5737 so they can never be mistaken for real hosts.
 */
import type { LabHost } from '../api';

export const LAB_HOSTS: readonly LabHost[] = [
  { name: 'gaia.cs.umass.edu', virtualAddress: '128.119.40.205', description: 'UMass web server (Kurose & Ross §2.2)' },
  { name: 'cs.umass.edu', virtualAddress: '128.119.40.186', description: 'UMass CS department' },
  { name: 'www.someschool.edu', virtualAddress: '192.0.2.10', description: "someschool's web server (§2.2.1)" },
  { name: 'someschool.edu', virtualAddress: '192.0.2.10', description: 'someschool' },
  { name: 'ftp.someschool.edu', virtualAddress: '192.0.2.11', description: "someschool's FTP server (§2.3's control and data connections)" },
  { name: 'crepes.fr', virtualAddress: '192.0.2.20', description: "Alice's mail domain (§2.3)" },
  { name: 'mail.crepes.fr', virtualAddress: '192.0.2.21', description: "Alice's mail server" },
  { name: 'hamburger.edu', virtualAddress: '192.0.2.30', description: "Bob's mail domain (§2.3)" },
  { name: 'mail.hamburger.edu', virtualAddress: '192.0.2.31', description: "Bob's mail server" },
  { name: 'www.hamburger.edu', virtualAddress: '192.0.2.35', description: 'a replicated web server: an alias, three addresses (§2.4.1)' },
  { name: 'networkutopia.com', virtualAddress: '212.212.212.4', description: 'a start-up registering its domain (§2.4.3)' },
  { name: 'www.networkutopia.com', virtualAddress: '212.212.212.4', description: "Network Utopia's web server" },
  { name: 'dns1.networkutopia.com', virtualAddress: '212.212.212.1', description: "Network Utopia's primary DNS server" },
  { name: 'dns2.networkutopia.com', virtualAddress: '212.212.212.2', description: "Network Utopia's secondary DNS server" },
  { name: 'mail.networkutopia.com', virtualAddress: '212.212.212.5', description: "Network Utopia's mail server" },
  { name: 'a.root-servers.net', virtualAddress: '198.41.0.4', description: 'a DNS root server' },
  { name: 'dns.umass.edu', virtualAddress: '128.119.40.111', description: 'UMass authoritative DNS server' },
  { name: 'www.netcinema.com', virtualAddress: '198.51.100.80', description: 'Netcinema, a video company (Kurose & Ross §2.6.3)' },
  { name: 'a.kingcdn.com', virtualAddress: '203.0.113.10', description: "KingCDN's cluster in Europe (§2.6.3)" },
  { name: 'b.kingcdn.com', virtualAddress: '198.51.100.10', description: "KingCDN's cluster in North America (§2.6.3)" },
  { name: 'echo.netlab', virtualAddress: '192.0.2.12', description: 'the socket chapter\'s uppercase echo server' },
  { name: 'napster.netlab', virtualAddress: '192.0.2.40', description: 'Napster\'s central index server (§2.5): port 8888, the search overlays' },
];

export const LOOPBACK = '127.0.0.1';

export type Resolution =
  | { ok: true; address: string; name?: string; virtualAddress?: string }
  | { ok: false; error: string };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIpv4(s: string): boolean {
  const m = IPV4.exec(s);
  return !!m && m.slice(1).every((o) => Number(o) <= 255);
}

/** Where a name or address typed by a user leads in the lab. */
export function resolveLabHost(input: string, hosts: readonly LabHost[] = LAB_HOSTS): Resolution {
  const host = input.trim().toLowerCase().replace(/\.$/, '');
  if (!host) return { ok: false, error: 'no host given' };
  if (host === 'localhost' || host === '::1') return { ok: true, address: LOOPBACK, name: 'localhost' };
  if (isIpv4(host)) {
    if (host.startsWith('127.')) return { ok: true, address: host };
    const known = hosts.find((h) => h.virtualAddress === host);
    if (known) return { ok: true, address: LOOPBACK, name: known.name, virtualAddress: host };
    return { ok: false, error: `${host} is outside the lab: NetLab reaches only its own hosts (type \`hosts\`)` };
  }
  const known = hosts.find((h) => h.name === host);
  if (known) return { ok: true, address: LOOPBACK, name: known.name, virtualAddress: known.virtualAddress };
  return { ok: false, error: `could not resolve ${host}: Name or service not known` };
}

/**
 * The lab's DNS hierarchy as Kurose & Ross draw it (§2.4.2, Figure 2.17): a root server,
 * top-level-domain servers, and the authoritative servers of the textbook's domains, each
 * a listener of its own with the virtual address the book (or the real Internet) gives it.
 * The local DNS server listens on 1053; the hierarchy takes the ports after it, in order.
 */

export type ServerRole = 'local' | 'root' | 'tld' | 'authoritative';

export interface HierarchyServer {
  /** service id, also the key for its port in settings and scenarios */
  id: string;
  role: ServerRole;
  /** its host name, as NS records name it */
  host: string;
  /** virtual addresses it answers on (port 53 on each is routed to its real port) */
  addresses: string[];
  /** the zones it is authoritative for ('' is the root zone) */
  zones: string[];
  description: string;
}

export const LOCAL_DNS_PORT = 1053;

export const LOCAL_SERVER: HierarchyServer = {
  id: 'dns-local',
  role: 'local',
  host: 'local DNS server',
  addresses: [],
  zones: [],
  description: 'Local DNS server: resolves by walking root → TLD → authoritative, caches answers',
};

export const HIERARCHY: readonly HierarchyServer[] = [
  { id: 'dns-root', role: 'root', host: 'a.root-servers.net', addresses: ['198.41.0.4'], zones: ['', 'arpa'], description: 'Root DNS server (a.root-servers.net): refers to the TLD servers' },
  { id: 'dns-gtld', role: 'tld', host: 'a.gtld-servers.net', addresses: ['192.5.6.30'], zones: ['com', 'net', 'netlab'], description: 'TLD server for com, net and netlab (a.gtld-servers.net)' },
  { id: 'dns-edu', role: 'tld', host: 'a.edu-servers.net', addresses: ['192.12.94.30'], zones: ['edu'], description: 'TLD server for edu (a.edu-servers.net)' },
  { id: 'dns-org', role: 'tld', host: 'a.org-servers.net', addresses: ['199.19.56.1'], zones: ['org'], description: 'TLD server for org (a.org-servers.net)' },
  { id: 'dns-fr', role: 'tld', host: 'd.nic.fr', addresses: ['194.0.9.1'], zones: ['fr'], description: 'TLD server for fr (d.nic.fr)' },
  { id: 'dns-umass', role: 'authoritative', host: 'dns.umass.edu', addresses: ['128.119.40.111'], zones: ['umass.edu', '40.119.128.in-addr.arpa'], description: 'Authoritative server for umass.edu (dns.umass.edu)' },
  { id: 'dns-someschool', role: 'authoritative', host: 'dns.someschool.edu', addresses: ['192.0.2.14'], zones: ['someschool.edu'], description: 'Authoritative server for someschool.edu' },
  { id: 'dns-hamburger', role: 'authoritative', host: 'dns.hamburger.edu', addresses: ['192.0.2.34'], zones: ['hamburger.edu'], description: 'Authoritative server for hamburger.edu' },
  { id: 'dns-crepes', role: 'authoritative', host: 'dns.crepes.fr', addresses: ['192.0.2.24'], zones: ['crepes.fr'], description: 'Authoritative server for crepes.fr' },
  {
    id: 'dns-networkutopia',
    role: 'authoritative',
    host: 'dns1.networkutopia.com',
    addresses: ['212.212.212.1', '212.212.212.2'],
    // networkutopia.fr too: a domain whose servers are named in another TLD (no glue in fr)
    zones: ['networkutopia.com', 'networkutopia.fr', '212.212.212.in-addr.arpa'],
    description: 'Authoritative server for networkutopia.com and networkutopia.fr (dns1 and dns2)',
  },
  { id: 'dns-netcinema', role: 'authoritative', host: 'dns.netcinema.com', addresses: ['198.51.100.53'], zones: ['netcinema.com'], description: 'Authoritative server for netcinema.com: video.netcinema.com is a CNAME into the CDN (§2.6.3)' },
  { id: 'dns-kingcdn', role: 'authoritative', host: 'dns.kingcdn.com', addresses: ['203.0.113.53'], zones: ['kingcdn.com'], description: "The CDN's authoritative server: answers with the cluster closest to the asking local DNS server (§2.6.3)" },
];

/** The root hints every resolver starts from (RFC 1034 §5.3.2 "SBELT"). */
export const ROOT_HINTS = [{ host: 'a.root-servers.net', address: '198.41.0.4' }];

/** Zone file name: the zone's name plus .zone; the root zone is root.zone. */
export function zoneFileName(zone: string): string {
  return zone === '' ? 'root.zone' : `${zone}.zone`;
}

export function allZones(): string[] {
  return HIERARCHY.flatMap((s) => s.zones);
}

export function serverForZone(zone: string): HierarchyServer | undefined {
  return HIERARCHY.find((s) => s.zones.includes(zone));
}

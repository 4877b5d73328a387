import type { ServiceInfo } from '../../api/types';

/** The rail groups services by the textbook topic they belong to. */
export interface ServiceGroup {
  id: string;
  label: string;
  services: ServiceInfo[];
}

/** The socket chapter's echo servers come first: they are the first exercise (README). */
const GROUPS: { id: string; label: string; protocols: string[]; ids?: RegExp }[] = [
  { id: 'sockets', label: 'Socket programming (§2.7)', protocols: ['echo'] },
  { id: 'web', label: 'Web (§2.2)', protocols: ['http', 'tls', 'proxy'] },
  { id: 'mail', label: 'Mail (§2.3)', protocols: ['smtp', 'pop3', 'imap'] },
  { id: 'ftp', label: 'File transfer (FTP)', protocols: ['ftp'] },
  { id: 'dns', label: 'DNS (§2.4)', protocols: ['dns'] },
  { id: 'p2p', label: 'P2P (§2.5)', protocols: ['bittorrent-tracker', 'bittorrent', 'dht', 'gnutella'] },
  { id: 'management', label: 'Network management (P&D §9.3)', protocols: ['snmp'] },
  { id: 'voip', label: 'Voice over IP (P&D ch. 9)', protocols: ['sip', 'rtp'] },
  // the CDN's clusters are web servers, grouped by what they are for
  { id: 'video', label: 'Video and CDNs (§2.6)', protocols: [], ids: /^cdn-/ },
];

export function groupServices(list: readonly ServiceInfo[]): ServiceGroup[] {
  const out: ServiceGroup[] = GROUPS.map((g) => ({ id: g.id, label: g.label, services: [] }));
  const other: ServiceGroup = { id: 'other', label: 'Other', services: [] };
  for (const s of list) {
    const byId = GROUPS.findIndex((g) => g.ids?.test(s.id));
    const i = byId >= 0 ? byId : GROUPS.findIndex((g) => g.protocols.includes(s.protocol));
    (i >= 0 ? out[i] : other).services.push(s);
  }
  return [...out, other].filter((g) => g.services.length > 0);
}

import type { ServiceInfo } from '../../api/types';

/** The rail groups services by the textbook topic they belong to. */
export interface ServiceGroup {
  id: string;
  /** the group's name: a catalogue key (rail.group.<id>) */
  label: string;
  services: ServiceInfo[];
}

/** The socket chapter's echo servers come first: they are the first exercise (README). */
const GROUPS: { id: string; protocols: string[]; ids?: RegExp }[] = [
  { id: 'sockets', protocols: ['echo'] },
  { id: 'web', protocols: ['http', 'tls', 'proxy'] },
  { id: 'mail', protocols: ['smtp', 'pop3', 'imap'] },
  { id: 'ftp', protocols: ['ftp'] },
  { id: 'dns', protocols: ['dns'] },
  { id: 'p2p', protocols: ['bittorrent-tracker', 'bittorrent', 'dht', 'gnutella'] },
  { id: 'management', protocols: ['snmp'] },
  { id: 'voip', protocols: ['sip', 'rtp'] },
  // the CDN's clusters are web servers, grouped by what they are for
  { id: 'video', protocols: [], ids: /^cdn-/ },
];

export function groupServices(list: readonly ServiceInfo[]): ServiceGroup[] {
  const out: ServiceGroup[] = GROUPS.map((g) => ({ id: g.id, label: `rail.group.${g.id}`, services: [] }));
  const other: ServiceGroup = { id: 'other', label: 'rail.group.other', services: [] };
  for (const s of list) {
    const byId = GROUPS.findIndex((g) => g.ids?.test(s.id));
    const i = byId >= 0 ? byId : GROUPS.findIndex((g) => g.protocols.includes(s.protocol));
    (i >= 0 ? out[i] : other).services.push(s);
  }
  return [...out, other].filter((g) => g.services.length > 0);
}

/** Where each party of a resolution stands in the textbook's figures (Kurose & Ross 2.19/2.20). */
import type { DnsServerInfo } from '../../api/types';

export type Party = 'host' | 'local' | 'root' | 'tld' | 'auth';

export const PARTY_LABEL: Record<Party, string> = {
  host: 'requesting host',
  local: 'local DNS server',
  root: 'root DNS server',
  tld: 'TLD DNS server',
  auth: 'authoritative DNS server',
};

export function partyOf(name: string, servers: readonly DnsServerInfo[]): Party {
  if (name === 'requesting host') return 'host';
  if (name === 'local DNS server') return 'local';
  const s = servers.find((x) => x.host === name);
  if (s?.role === 'root') return 'root';
  if (s?.role === 'tld') return 'tld';
  return 'auth';
}

/** Where each party of a resolution stands in the textbook's figures (Kurose & Ross 2.19/2.20). */
import type { DnsServerInfo } from '../../api/types';
import { t } from '../../i18n';

export type Party = 'host' | 'local' | 'root' | 'tld' | 'auth';

/** a party's name in the UI's language (call it while rendering: the language can change) */
export function partyLabel(p: Party): string {
  return t(`dns.party.${p}`);
}

/** the name a step gives a party, in the UI's language: the lab names the requesting host and
 *  the local server in English (src-main/lab/dns), any other party by its host name */
export function partyName(name: string): string {
  if (name === 'requesting host') return partyLabel('host');
  if (name === 'local DNS server') return partyLabel('local');
  return name;
}

export function partyOf(name: string, servers: readonly DnsServerInfo[]): Party {
  if (name === 'requesting host') return 'host';
  if (name === 'local DNS server') return 'local';
  const s = servers.find((x) => x.host === name);
  if (s?.role === 'root') return 'root';
  if (s?.role === 'tld') return 'tld';
  return 'auth';
}

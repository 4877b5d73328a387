/**
 * Why a DNS exchange or a resolution failed (upstream.ts, client.ts, resolver.ts), as catalogue
 * messages: key, English text, an example of the parameters (lab-text.ts explains). Host names,
 * zones and a socket's own error text are parameters: they stay as written in every language.
 */
import type { LabTextEntry, TextParams } from '../lab-text';


export const ERROR_LAB_TEXT = {
  // one exchange (the local server's sockets, the requesting host's)
  'dnsLab.error.noServerAt': { en: (p) => `no lab DNS server answers at ${p.address}`, example: { address: '198.41.0.4' } },
  'dnsLab.error.timedOut': { en: () => 'timed out', example: {} },
  'dnsLab.error.noReplyTimeout': { en: () => 'timed out: no reply', example: {} },
  'dnsLab.error.refused': { en: () => 'connection refused (no DNS server on that port)', example: {} },
  'dnsLab.error.malformed': { en: (p) => `malformed reply: ${p.detail}`, example: { detail: 'Header must be 12 bytes' } },
  'dnsLab.error.otherId': { en: () => 'a reply with another id', example: {} },
  'dnsLab.error.tooLong': { en: () => 'reply too long', example: {} },
  'dnsLab.error.closedEarly': { en: () => 'connection closed before the reply', example: {} },
  'dnsLab.error.serverClosed': { en: () => 'the server closed the connection', example: {} },
  'dnsLab.error.truncatedTcp': {
    en: (p) => `truncated over UDP, and over TCP: ${p.error}`,
    example: { error: { key: 'dnsLab.error.closedEarly' } },
  },
  // a resolution (RFC 1034 §5.3.3) and the bounds the lab puts on it
  'dnsLab.error.server': { en: (p) => `${p.host}: ${p.error}`, example: { host: 'a.edu-servers.net', error: { key: 'dnsLab.error.timedOut' } } },
  'dnsLab.error.list': {
    en: (p) => `${p.first}; ${p.rest}`,
    example: { first: { key: 'dnsLab.error.server', params: { host: 'a.edu-servers.net', error: 'SERVFAIL' } }, rest: { key: 'dnsLab.error.server', params: { host: 'b.edu-servers.net', error: { key: 'dnsLab.error.timedOut' } } } },
  },
  'dnsLab.error.noServer': { en: () => 'no server to ask', example: {} },
  'dnsLab.error.gaveUp': { en: (p) => `gave up after ${p.n} queries`, example: { n: 48 } },
  'dnsLab.error.cnames': { en: (p) => `more than ${p.n} CNAMEs in a row`, example: { n: 8 } },
  'dnsLab.error.referrals': { en: (p) => `more than ${p.n} referrals`, example: { n: 16 } },
  'dnsLab.error.noProgress': {
    en: (p) => `${p.host} gave neither an answer nor a referral closer to ${p.name}`,
    example: { host: 'dns.umass.edu', name: 'gaia.cs.umass.edu' },
  },
  'dnsLab.error.loop': { en: (p) => `${p.host}: a loop (finding its address needs its address)`, example: { host: 'ns1.crepes.fr' } },
  'dnsLab.error.nested': { en: (p) => `${p.host}: more than ${p.n} nested lookups of server names`, example: { host: 'ns1.crepes.fr', n: 3 } },
  'dnsLab.error.noAddress': {
    en: (p) => `no address for the servers of ${p.zone}: ${p.why}`,
    example: { zone: 'crepes.fr.', why: { key: 'dnsLab.error.loop', params: { host: 'ns1.crepes.fr' } } },
  },
  'dnsLab.error.noAddressMoreOne': {
    en: (p) => `no address for the servers of ${p.zone}: ${p.why} (and 1 more server not found)`,
    example: { zone: 'crepes.fr.', why: { key: 'dnsLab.error.server', params: { host: 'ns1.crepes.fr', error: 'NXDOMAIN' } } },
  },
  'dnsLab.error.noAddressMore': {
    en: (p) => `no address for the servers of ${p.zone}: ${p.why} (and ${p.n} more servers not found)`,
    example: { zone: 'crepes.fr.', why: { key: 'dnsLab.error.server', params: { host: 'ns1.crepes.fr', error: 'NXDOMAIN' } }, n: 2 },
  },
  'dnsLab.error.andGaveUp': {
    en: (p) => `${p.error}; gave up after ${p.n} queries`,
    example: { error: { key: 'dnsLab.error.noAddress', params: { zone: 'crepes.fr.', why: { key: 'dnsLab.error.loop', params: { host: 'ns1.crepes.fr' } } } }, n: 48 },
  },
} satisfies Record<string, LabTextEntry>;

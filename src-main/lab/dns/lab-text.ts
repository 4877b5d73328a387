/**
 * The sentences the DNS lab writes for the UI (a resolution's steps and replies), as catalogue
 * messages: key, English, an example of the parameters (src-main/lab/lab-text.ts explains and
 * gathers every area's list; the zone checker's are lab-text-zone.ts, the guide's lab-text-guide.ts).
 */
import type { LabTextEntry } from '../lab-text';

export const DNS_LAB_TEXT = {
  'dnsLab.step.cached': { en: (p) => `in the cache (TTL ${p.ttl} s left): ${p.what}`, example: { ttl: 30, what: 'A 128.119.245.12' } },
  'dnsLab.step.cachedHit': { en: (p) => `in the cache (TTL ${p.ttl} s left)`, example: { ttl: 30 } },
  'dnsLab.step.chainStopped': {
    en: (p) => `the chain stopped with a referral to ${p.zone}: the local server goes on iteratively from there`,
    example: { zone: 'crepes.fr.' },
  },
  'dnsLab.step.cachedAlias': {
    en: (p) => `in the cache (TTL ${p.ttl} s left): ${p.name} is an alias of ${p.target}`,
    example: { ttl: 30, name: 'www.umass.edu', target: 'umass.edu' },
  },
  'dnsLab.step.notSent': { en: (p) => `${p.question}? — not sent: the referral is in the cache`, example: { question: 'gaia.cs.umass.edu A' } },
  'dnsLab.step.cachedReferral': {
    en: (p) => `from the cache (TTL ${p.ttl} s left): referral to ${p.zone}: NS ${p.ns}`,
    example: { ttl: 172800, zone: 'edu.', ns: 'a.edu-servers.net.' },
  },
  'dnsLab.step.cachedReferralGlue': {
    en: (p) => `from the cache (TTL ${p.ttl} s left): referral to ${p.zone}: NS ${p.ns}; glue ${p.glue}`,
    example: { ttl: 172800, zone: 'edu.', ns: 'a.edu-servers.net.', glue: 'a.edu-servers.net 192.5.6.30' },
  },
  'dnsLab.step.query': { en: (p) => `${p.question}? (no recursion)`, example: { question: 'gaia.cs.umass.edu A' } },
  'dnsLab.step.queryRecursive': { en: (p) => `${p.question}? (recursion desired)`, example: { question: 'gaia.cs.umass.edu A' } },
  'dnsLab.step.noReply': { en: (p) => `no reply: ${p.error}`, example: { error: 'timed out' } },
  'dnsLab.step.noGlue': {
    en: (p) => `the servers of ${p.zone} are known by name only (${p.host}, no glue): resolving ${p.host} first`,
    example: { zone: 'crepes.fr.', host: 'ns1.umass.edu' },
  },
  'dnsLab.step.glueFound': {
    en: (p) => `${p.host} is at ${p.addresses}: back to ${p.question}, asking the servers of ${p.zone}`,
    example: { host: 'ns1.umass.edu', addresses: '128.119.40.1', question: 'www.crepes.fr A', zone: 'crepes.fr.' },
  },
  'dnsLab.reply.nxdomain': { en: () => 'NXDOMAIN: no such name', example: {} },
  'dnsLab.reply.nodata': { en: () => 'NODATA: the name has no record of that type', example: {} },
  'dnsLab.reply.rcode': { en: (p) => `${p.rcode}`, example: { rcode: 'SERVFAIL' } },
  'dnsLab.reply.answer': { en: (p) => `answer: ${p.records}`, example: { records: 'A 128.119.245.12' } },
  'dnsLab.reply.answerAuthoritative': { en: (p) => `answer (authoritative): ${p.records}`, example: { records: 'A 128.119.245.12, …' } },
  'dnsLab.reply.referral': { en: (p) => `referral to ${p.zone}: NS ${p.ns}`, example: { zone: 'edu.', ns: 'a.edu-servers.net.' } },
  'dnsLab.reply.referralGlue': {
    en: (p) => `referral to ${p.zone}: NS ${p.ns}; glue ${p.glue}`,
    example: { zone: 'edu.', ns: 'a.edu-servers.net.', glue: 'a.edu-servers.net 192.5.6.30' },
  },
  'dnsLab.reply.truncated': {
    en: (p) => `${p.reply} (the UDP reply was truncated: asked again over TCP)`,
    example: { reply: { key: 'dnsLab.reply.answer', params: { records: 'TXT "v=spf1 -all"' } } },
  },
} satisfies Record<string, LabTextEntry>;

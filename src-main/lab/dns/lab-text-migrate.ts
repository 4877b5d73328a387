/**
 * What the lab mended or added in a user's saved zone copies when it started
 * (zone-migrations.ts), as catalogue messages: key, English text, an example of the parameters
 * (lab-text.ts explains). Line numbers and host names are parameters.
 */
import type { LabTextEntry, TextParams } from '../lab-text';


export const MIGRATE_LAB_TEXT = {
  'dnsLab.migrated.fixed': {
    en: (p) => `line ${p.line}: ${p.what}: ${p.old} → ${p.new} (the textbook's address, Kurose & Ross §2.4.2)`,
    example: { line: 8, what: { key: 'dnsLab.migrated.glue' }, old: '128.119.40.5', new: '128.119.40.111' },
  },
  'dnsLab.migrated.glue': { en: () => 'the glue for dns.umass.edu', example: {} },
  'dnsLab.migrated.address': { en: () => 'the address of dns.umass.edu', example: {} },
  'dnsLab.migrated.reverse': { en: () => 'the reverse record of dns.umass.edu', example: {} },
  'dnsLab.migrated.added': { en: (p) => `added at the end: ${p.what}`, example: { what: { key: 'dnsLab.migrated.hamburger' } } },
  'dnsLab.migrated.notAdded': {
    en: (p) => `not added: ${p.what} — your copy already has ${p.had}; Reset the zone to get the lab's records`,
    example: { what: { key: 'dnsLab.migrated.cdn' }, had: 'netcinema.com' },
  },
  'dnsLab.migrated.hamburger': {
    en: () =>
      'www.hamburger.edu, an alias of the replicated web server relay1.west-coast.hamburger.edu (three addresses, rotated), and smtp and pop, aliases of mail.hamburger.edu',
    example: {},
  },
  'dnsLab.migrated.cdn': { en: () => 'the delegations of netcinema.com and kingcdn.com (video streaming and its CDN)', example: {} },
} satisfies Record<string, LabTextEntry>;

/**
 * Facts the lab once had wrong, mended in a user's saved zone copies when the lab starts
 * (pure). Only the exact line the lab shipped is changed (its spacing, TTL and comment may
 * differ); every other edit the user made stays as it is.
 *
 * dns.umass.edu was 128.119.40.5; the textbook's type A record for it (Kurose & Ross §2.4.2,
 * the edu TLD's glue) is 128.119.40.111.
 *
 * Records the lab added later (ZONE_ADDITIONS) are appended to a user's copy that has none of
 * their names; a copy that already uses one of those names keeps its own, and the lab says
 * what it left out.
 */
import { parseZone } from './zone-parser';
export interface ZoneMigration {
  zone: string;
  /** the old line: a prefix kept, the old value, a suffix kept */
  line: RegExp;
  /** the prefix and suffix captured by `line`, put back around the new value */
  replace: (m: RegExpExecArray) => string;
  what: string;
}

const TTL_CLASS = String.raw`(?:\d+\s+)?(?:IN\s+)?`;
const REST = String.raw`(\s*(?:;.*)?)$`;

export const ZONE_MIGRATIONS: readonly ZoneMigration[] = [
  {
    zone: 'edu',
    line: new RegExp(String.raw`^(dns\.umass\.edu\.\s+${TTL_CLASS}A\s+)128\.119\.40\.5${REST}`, 'i'),
    replace: (m) => `${m[1]}128.119.40.111${m[2]}`,
    what: 'the glue for dns.umass.edu',
  },
  {
    zone: 'umass.edu',
    line: new RegExp(String.raw`^((?:dns|dns\.umass\.edu\.)\s+${TTL_CLASS}A\s+)128\.119\.40\.5${REST}`, 'i'),
    replace: (m) => `${m[1]}128.119.40.111${m[2]}`,
    what: 'the address of dns.umass.edu',
  },
  {
    zone: '40.119.128.in-addr.arpa',
    line: new RegExp(String.raw`^(?:5|5\.40\.119\.128\.in-addr\.arpa\.)(\s+${TTL_CLASS}PTR\s+dns\.umass\.edu\.)${REST}`, 'i'),
    // the record's other fields stay in their columns: two more digits, two spaces fewer
    replace: (m) => (m[0].startsWith('5.') ? `111.40.119.128.in-addr.arpa.${m[1]}${m[2]}` : `111${m[1].replace(/^ {3,}/, (w) => w.slice(2))}${m[2]}`),
    what: 'the reverse record of dns.umass.edu',
  },
];

export interface ZoneAddition {
  zone: string;
  /** the owner names the block adds (absolute, lower case) */
  names: string[];
  /** the lines appended, as in the shipped zone */
  block: string;
  what: string;
}

export const ZONE_ADDITIONS: readonly ZoneAddition[] = [
  {
    zone: 'hamburger.edu',
    names: ['www.hamburger.edu', 'relay1.west-coast.hamburger.edu', 'smtp.hamburger.edu', 'pop.hamburger.edu'],
    block: [
      '; added by NetLab: host aliasing and load distribution (Kurose & Ross §2.4.1)',
      'www                IN CNAME relay1.west-coast.hamburger.edu.',
      'relay1.west-coast  IN A     192.0.2.35',
      'relay1.west-coast  IN A     192.0.2.36',
      'relay1.west-coast  IN A     192.0.2.37',
      'smtp               IN CNAME mail.hamburger.edu.',
      'pop                IN CNAME mail.hamburger.edu.',
    ].join('\n'),
    what: 'www.hamburger.edu, an alias of the replicated web server relay1.west-coast.hamburger.edu (three addresses, rotated), and smtp and pop, aliases of mail.hamburger.edu',
  },
  {
    zone: 'com',
    names: ['netcinema.com', 'dns.netcinema.com', 'kingcdn.com', 'dns.kingcdn.com'],
    block: [
      '; added by NetLab: Netcinema and the CDN it hires, KingCDN (Kurose & Ross §2.6.3)',
      'netcinema.com.           IN NS  dns.netcinema.com.',
      'dns.netcinema.com.       IN A   198.51.100.53',
      'kingcdn.com.             IN NS  dns.kingcdn.com.',
      'dns.kingcdn.com.         IN A   203.0.113.53',
    ].join('\n'),
    what: 'the delegations of netcinema.com and kingcdn.com (video streaming and its CDN)',
  },
];

export interface MigratedZone {
  text: string;
  /** one line per change: "line 8: the glue for dns.umass.edu: 128.119.40.5 → 128.119.40.111" */
  changes: string[];
  /** what the lab left as the user had it, and why (the text is not changed for these) */
  warnings: string[];
}

/** The lab's later records, appended when the copy has none of their names. */
function addRecords(zone: string, text: string): { text: string; changes: string[]; warnings: string[] } {
  const out = { text, changes: [] as string[], warnings: [] as string[] };
  for (const a of ZONE_ADDITIONS.filter((x) => x.zone === zone)) {
    const parsed = parseZone(out.text, zone);
    if (!parsed.ok) continue; // the zone shows its own error; nothing is added to a broken copy
    const owners = new Set(parsed.zone.records.map((r) => r.name));
    const had = a.names.filter((n) => owners.has(n));
    if (had.length === a.names.length) continue; // already there (added before, or by hand)
    if (had.length) {
      out.warnings.push(`not added: ${a.what} — your copy already has ${had.join(', ')}; Reset the zone to get the lab's records`);
      continue;
    }
    const eol = out.text.includes('\r\n') ? '\r\n' : '\n';
    const sep = out.text.length === 0 || out.text.endsWith('\n') ? '' : eol;
    out.text = `${out.text}${sep}${eol}${a.block.split('\n').join(eol)}${eol}`;
    out.changes.push(`added at the end: ${a.what}`);
  }
  return out;
}

/** The zone's text with the lab's old facts mended and its new records added; `changes` is
 *  empty when nothing was changed. */
export function migrateZoneText(zone: string, text: string): MigratedZone {
  const fixed = fixLines(zone, text);
  const added = addRecords(zone, fixed.text);
  return { text: added.text, changes: [...fixed.changes, ...added.changes], warnings: added.warnings };
}

/** The old facts' lines mended in place. */
function fixLines(zone: string, text: string): { text: string; changes: string[] } {
  const migrations = ZONE_MIGRATIONS.filter((m) => m.zone === zone);
  if (migrations.length === 0) return { text, changes: [] };
  const changes: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const cr = lines[i].endsWith('\r') ? '\r' : '';
    const body = cr ? lines[i].slice(0, -1) : lines[i];
    for (const m of migrations) {
      const found = m.line.exec(body);
      if (!found) continue;
      lines[i] = m.replace(found) + cr;
      changes.push(`line ${i + 1}: ${m.what}: 128.119.40.5 → 128.119.40.111 (the textbook's address, Kurose & Ross §2.4.2)`);
      break;
    }
  }
  return { text: changes.length ? lines.join('\n') : text, changes };
}

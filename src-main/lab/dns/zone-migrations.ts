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
import { msg, type LabText } from '../lab-text';
import { parseZone } from './zone-parser';

export interface ZoneMigration {
  zone: string;
  /** the old line: a prefix kept, the old value, a suffix kept */
  line: RegExp;
  /** the prefix and suffix captured by `line`, put back around the new value */
  replace: (m: RegExpExecArray) => string;
  /** what the line is, as a catalogue message (lab-text-migrate.ts) */
  what: LabText;
}

const TTL_CLASS = String.raw`(?:\d+\s+)?(?:IN\s+)?`;
const REST = String.raw`(\s*(?:;.*)?)$`;

export const ZONE_MIGRATIONS: readonly ZoneMigration[] = [
  {
    zone: 'edu',
    line: new RegExp(String.raw`^(dns\.umass\.edu\.\s+${TTL_CLASS}A\s+)128\.119\.40\.5${REST}`, 'i'),
    replace: (m) => `${m[1]}128.119.40.111${m[2]}`,
    what: msg('dnsLab.migrated.glue'),
  },
  {
    zone: 'umass.edu',
    line: new RegExp(String.raw`^((?:dns|dns\.umass\.edu\.)\s+${TTL_CLASS}A\s+)128\.119\.40\.5${REST}`, 'i'),
    replace: (m) => `${m[1]}128.119.40.111${m[2]}`,
    what: msg('dnsLab.migrated.address'),
  },
  {
    zone: '40.119.128.in-addr.arpa',
    line: new RegExp(String.raw`^(?:5|5\.40\.119\.128\.in-addr\.arpa\.)(\s+${TTL_CLASS}PTR\s+dns\.umass\.edu\.)${REST}`, 'i'),
    // the record's other fields stay in their columns: two more digits, two spaces fewer
    replace: (m) => (m[0].startsWith('5.') ? `111.40.119.128.in-addr.arpa.${m[1]}${m[2]}` : `111${m[1].replace(/^ {3,}/, (w) => w.slice(2))}${m[2]}`),
    what: msg('dnsLab.migrated.reverse'),
  },
];

export interface ZoneAddition {
  zone: string;
  /** the owner names the block adds (absolute, lower case) */
  names: string[];
  /** the lines appended, as in the shipped zone */
  block: string;
  /** what the block adds, as a catalogue message (lab-text-migrate.ts) */
  what: LabText;
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
    what: msg('dnsLab.migrated.hamburger'),
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
    what: msg('dnsLab.migrated.cdn'),
  },
];

export interface MigratedZone {
  text: string;
  /** one message per change: "line 8: the glue for dns.umass.edu: 128.119.40.5 → 128.119.40.111" */
  changes: LabText[];
  /** what the lab left as the user had it, and why (the text is not changed for these) */
  warnings: LabText[];
}

/** The lab's later records, appended when the copy has none of their names. */
function addRecords(zone: string, text: string): { text: string; changes: LabText[]; warnings: LabText[] } {
  const out = { text, changes: [] as LabText[], warnings: [] as LabText[] };
  for (const a of ZONE_ADDITIONS.filter((x) => x.zone === zone)) {
    const parsed = parseZone(out.text, zone);
    if (!parsed.ok) continue; // the zone shows its own error; nothing is added to a broken copy
    const owners = new Set(parsed.zone.records.map((r) => r.name));
    const had = a.names.filter((n) => owners.has(n));
    if (had.length === a.names.length) continue; // already there (added before, or by hand)
    if (had.length) {
      out.warnings.push(msg('dnsLab.migrated.notAdded', { what: a.what, had: had.join(', ') }));
      continue;
    }
    const eol = out.text.includes('\r\n') ? '\r\n' : '\n';
    const sep = out.text.length === 0 || out.text.endsWith('\n') ? '' : eol;
    out.text = `${out.text}${sep}${eol}${a.block.split('\n').join(eol)}${eol}`;
    out.changes.push(msg('dnsLab.migrated.added', { what: a.what }));
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
function fixLines(zone: string, text: string): { text: string; changes: LabText[] } {
  const migrations = ZONE_MIGRATIONS.filter((m) => m.zone === zone);
  if (migrations.length === 0) return { text, changes: [] };
  const changes: LabText[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const cr = lines[i].endsWith('\r') ? '\r' : '';
    const body = cr ? lines[i].slice(0, -1) : lines[i];
    for (const m of migrations) {
      const found = m.line.exec(body);
      if (!found) continue;
      lines[i] = m.replace(found) + cr;
      changes.push(msg('dnsLab.migrated.fixed', { line: i + 1, what: m.what, old: '128.119.40.5', new: '128.119.40.111' }));
      break;
    }
  }
  return { text: changes.length ? lines.join('\n') : text, changes };
}

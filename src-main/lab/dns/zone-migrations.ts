/**
 * Facts the lab once had wrong, mended in a user's saved zone copies when the lab starts
 * (pure). Only the exact line the lab shipped is changed (its spacing, TTL and comment may
 * differ); every other edit the user made stays as it is.
 *
 * dns.umass.edu was 128.119.40.5; the textbook's type A record for it (Kurose & Ross §2.4.2,
 * the edu TLD's glue) is 128.119.40.111.
 */
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

export interface MigratedZone {
  text: string;
  /** one line per change: "line 8: the glue for dns.umass.edu: 128.119.40.5 → 128.119.40.111" */
  changes: string[];
}

/** The zone's text with the lab's old facts mended; `changes` is empty when nothing matched. */
export function migrateZoneText(zone: string, text: string): MigratedZone {
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

/**
 * Zone files on disk: the shipped defaults in resources/zones (never written) and the
 * user's copies in <data dir>/zones, which win. Saving validates first; a file that does not
 * parse is never written, and the error names its line. A symbolic link in zones/ that leads
 * out of it is neither read nor written through (confined-fs.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { allZones, serverForZone, zoneFileName } from '../hierarchy';
import { parseZone, type Zone, type ZoneError } from '../zone-parser';
import { writeFileAtomic } from '../../storage';
import { type Confinement, confineSync, fileExistsSync, O_NOFOLLOW, OutsideRootError, readTextConfinedSync, removeConfined } from '../../confined-fs';
import { migrateZoneText } from '../zone-migrations';
import { say, type Said } from '../../lab-text';
import type { DnsZoneInfo, DnsZoneSave, DnsZoneText } from '../types';

export class ZoneStore {
  private zones = new Map<string, Zone>();
  private errors = new Map<string, ZoneError>();
  /** what the start mended in the user's copies (zone-migrations.ts), shown with the zone */
  private migrated = new Map<string, Said[]>();

  constructor(
    private resourcesDir: string,
    private dataDir: string,
  ) {}

  shippedPath(zone: string): string {
    return path.join(this.resourcesDir, 'zones', zoneFileName(zone));
  }

  userPath(zone: string): string {
    return path.join(this.dataDir, 'zones', zoneFileName(zone));
  }

  private get userScope(): Confinement {
    return { base: this.dataDir, scope: path.join(this.dataDir, 'zones') };
  }

  private get shippedScope(): Confinement {
    return { base: this.resourcesDir, scope: path.join(this.resourcesDir, 'zones') };
  }

  /** whether the user has a copy; a link out of zones/ is an error, not a copy */
  private hasUserCopy(zone: string): boolean {
    return fileExistsSync(this.userPath(zone), this.userScope);
  }

  private known(zone: string): void {
    if (!allZones().includes(zone)) throw new Error(`no zone ${zone || '.'} in the lab (zones: ${allZones().map((z) => z || '.').join(', ')})`);
  }

  /** Read every zone (synchronously: servers answer from the first query on). */
  loadAll(): void {
    for (const zone of allZones()) this.load(zone);
  }

  private load(zone: string): void {
    this.errors.delete(zone);
    const user = this.userPath(zone);
    try {
      if (this.hasUserCopy(zone)) {
        const text = this.migrate(zone, readTextConfinedSync(user, this.userScope));
        const parsed = parseZone(text, zone);
        if (parsed.ok) {
          this.zones.set(zone, parsed.zone);
          return;
        }
        this.errors.set(zone, parsed.errors[0]);
      }
    } catch (err) {
      // the lab starts with the shipped zone and says why the user's copy was left out
      if (!(err instanceof OutsideRootError)) throw err;
      this.errors.set(zone, { line: 0, message: err.message });
    }
    const parsed = parseZone(readTextConfinedSync(this.shippedPath(zone), this.shippedScope), zone);
    if (!parsed.ok) throw new Error(`shipped zone ${zoneFileName(zone)} line ${parsed.errors[0].line}: ${parsed.errors[0].message}`);
    this.zones.set(zone, parsed.zone);
  }

  /** A user copy holding an old fact of the lab's is mended on disk, that line only; the lab's
   *  later records are appended to it, or a warning says why not. */
  private migrate(zone: string, text: string): string {
    const m = migrateZoneText(zone, text);
    const said = [...m.changes, ...m.warnings].map(say);
    const texts = new Set(said.map((x) => x.text));
    if (said.length) this.migrated.set(zone, [...(this.migrated.get(zone) ?? []).filter((x) => !texts.has(x.text)), ...said]);
    if (m.changes.length === 0) return text;
    this.writeSync(this.userPath(zone), m.text);
    return m.text;
  }

  /** Whole or not at all, before the servers answer: a temp file beside it, then a rename. */
  private writeSync(file: string, text: string): void {
    const real = confineSync(file, this.userScope);
    const tmp = `${real}.${process.pid}-${Date.now()}.tmp`;
    const { O_WRONLY, O_CREAT, O_EXCL } = fs.constants;
    const fd = fs.openSync(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
    try {
      try {
        fs.writeFileSync(fd, text);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, real);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  }

  zone(zone: string): Zone | undefined {
    return this.zones.get(zone);
  }

  list(): DnsZoneInfo[] {
    return allZones().map((zone) => {
      const server = serverForZone(zone)!;
      const err = this.errors.get(zone);
      const migrated = this.migrated.get(zone);
      return {
        zone,
        name: zone === '' ? '.' : `${zone}.`,
        file: zoneFileName(zone),
        server: server.id,
        serverHost: server.host,
        // a link counts: the zone shows its error and Reset removes it
        modified: fs.lstatSync(this.userPath(zone), { throwIfNoEntry: false }) !== undefined,
        records: this.zones.get(zone)?.records.length ?? 0,
        ...(err ? { error: err } : {}),
        ...(migrated ? { migrated: migrated.map((x) => x.text), migratedText: migrated } : {}),
      };
    });
  }

  read(zone: string): DnsZoneText {
    this.known(zone);
    const user = this.userPath(zone);
    const modified = this.hasUserCopy(zone);
    const file = modified ? user : this.shippedPath(zone);
    const text = readTextConfinedSync(file, modified ? this.userScope : this.shippedScope);
    const parsed = parseZone(text, zone);
    return { zone, text, modified, path: file, warnings: parsed.ok ? parsed.warnings : [] };
  }

  async save(zone: string, text: string): Promise<DnsZoneSave> {
    this.known(zone);
    const parsed = parseZone(text, zone);
    if (!parsed.ok) return { ok: false, errors: parsed.errors };
    await writeFileAtomic(this.userPath(zone), text, this.userScope);
    this.zones.set(zone, parsed.zone);
    this.errors.delete(zone);
    return { ok: true, zone: this.read(zone) };
  }

  async reset(zone: string): Promise<DnsZoneText> {
    this.known(zone);
    await removeConfined(this.userPath(zone), this.userScope);
    this.load(zone);
    return this.read(zone);
  }

  /** The MX records of a domain, straight from its zone (when the local server is down). */
  mx(domain: string): { exchange: string; priority: number }[] {
    const out: { exchange: string; priority: number }[] = [];
    for (const z of this.zones.values()) for (const r of z.records) if (r.type === 'MX' && r.name === domain) out.push({ exchange: r.data.exchange, priority: r.data.preference });
    return out.sort((a, b) => a.priority - b.priority);
  }

  /** The SRV records of a name, straight from its zone (when the local server is down). */
  srv(name: string): { priority: number; weight: number; port: number; target: string }[] {
    const out: { priority: number; weight: number; port: number; target: string }[] = [];
    for (const z of this.zones.values()) for (const r of z.records) if (r.type === 'SRV' && r.name === name) out.push({ ...r.data });
    return out;
  }

  /** Every A record of the lab: (name, address), for the hosts list and address → name. */
  addresses(): { name: string; address: string }[] {
    const out: { name: string; address: string }[] = [];
    for (const z of this.zones.values()) for (const r of z.records) if (r.type === 'A') out.push({ name: r.name, address: r.data });
    return out;
  }
}

/**
 * The local DNS server's cache (Kurose & Ross §2.4.2 "DNS caching"; RFC 1035 §7.4, RFC 2181
 * §5.4.1, RFC 2308). RRsets are kept with their TTL and handed back with what is left of it;
 * negative answers (NXDOMAIN for a name, NODATA for a name and type) are kept for
 * min(SOA TTL, SOA MINIMUM). Data learnt as an answer outranks data learnt from a referral
 * or as glue, so a referral never overwrites an answer.
 */
import type { Rr, RrType } from './records';
import { rdataText } from './records';

export type CacheSource = 'answer' | 'referral' | 'glue';
const RANK: Record<CacheSource, number> = { glue: 0, referral: 1, answer: 2 };

interface Positive {
  kind: 'positive';
  name: string;
  type: RrType;
  rrs: Rr[];
  source: CacheSource;
  stored: number;
  expires: number;
}

interface Negative {
  kind: 'negative';
  name: string;
  /** '*' for NXDOMAIN: no type exists at the name */
  type: RrType | '*';
  soa: Rr;
  stored: number;
  expires: number;
}

type Entry = Positive | Negative;

export type CacheHit =
  | { kind: 'positive'; rrs: Rr[]; ttl: number; source: CacheSource }
  | { kind: 'nxdomain' | 'nodata'; soa: Rr; ttl: number };

/** A row of the cache table in the UI. */
export interface CacheRow {
  name: string;
  type: string;
  /** seconds left */
  ttl: number;
  source: CacheSource | 'negative';
  records: string[];
}

const MAX_ENTRIES = 50_000;

export class DnsCache {
  private entries = new Map<string, Entry>();
  private parent: DnsCache | null = null;
  /** bumped on every change, so copies built from the cache (encoded replies) know they are stale */
  generation = 0;

  constructor(private clock: () => number = Date.now) {}

  /** A copy that reads its own snapshot and writes through to this cache (the resolution
   *  view runs two resolutions from the same starting cache). */
  fork(): DnsCache {
    const child = new DnsCache(this.clock);
    child.entries = new Map(this.entries);
    child.parent = this;
    return child;
  }

  private key(name: string, type: string): string {
    return `${name}|${type}`;
  }

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private left(e: Entry): number {
    return Math.max(0, Math.ceil((e.expires - this.clock()) / 1000));
  }

  get(name: string, type: RrType): CacheHit | undefined {
    const nx = this.live(this.key(name, '*'));
    if (nx && nx.kind === 'negative') return { kind: 'nxdomain', soa: { ...nx.soa, ttl: this.left(nx) }, ttl: this.left(nx) };
    const e = this.live(this.key(name, type));
    if (!e) return undefined;
    const ttl = this.left(e);
    if (e.kind === 'negative') return { kind: 'nodata', soa: { ...e.soa, ttl }, ttl };
    return { kind: 'positive', rrs: e.rrs.map((r) => ({ ...r, ttl })), ttl, source: e.source };
  }

  /** Store RRsets (grouped by name and type); the TTL of a set is its smallest. */
  put(rrs: readonly Rr[], source: CacheSource): void {
    const groups = new Map<string, Rr[]>();
    for (const rr of rrs) {
      const k = this.key(rr.name, rr.type);
      groups.set(k, [...(groups.get(k) ?? []), rr]);
    }
    for (const [k, set] of groups) {
      const ttl = Math.min(...set.map((r) => r.ttl));
      if (ttl <= 0) continue;
      const old = this.live(k);
      if (old && old.kind === 'positive' && RANK[old.source] > RANK[source]) continue;
      const now = this.clock();
      this.set(k, { kind: 'positive', name: set[0].name, type: set[0].type, rrs: set, source, stored: now, expires: now + ttl * 1000 });
      // a positive answer replaces a negative one for the same name
      if (source === 'answer') this.delete(this.key(set[0].name, '*'));
    }
  }

  putNegative(name: string, type: RrType | '*', soa: Rr): void {
    const ttl = Math.min(soa.ttl, soa.type === 'SOA' ? soa.data.minimum : soa.ttl);
    if (ttl <= 0) return;
    const now = this.clock();
    this.set(this.key(name, type), { kind: 'negative', name, type, soa, stored: now, expires: now + ttl * 1000 });
  }

  private set(key: string, e: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, e);
    this.generation++;
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.parent?.set(key, e);
  }

  private delete(key: string): void {
    if (this.entries.delete(key)) this.generation++;
    this.parent?.delete(key);
  }

  flush(name?: string): number {
    let removed = 0;
    for (const [k, e] of this.entries) {
      if (name === undefined || e.name === name) {
        this.entries.delete(k);
        removed++;
      }
    }
    this.generation++;
    return removed;
  }

  rows(): CacheRow[] {
    const out: CacheRow[] = [];
    for (const [k, e] of this.entries) {
      if (!this.live(k)) continue;
      const ttl = this.left(e);
      if (e.kind === 'negative') {
        out.push({ name: e.name, type: e.type === '*' ? 'ANY' : e.type, ttl, source: 'negative', records: [e.type === '*' ? 'NXDOMAIN' : 'NODATA (no such record type)'] });
      } else {
        out.push({ name: e.name, type: e.type, ttl, source: e.source, records: e.rrs.map(rdataText) });
      }
    }
    return out.sort((a, b) => (a.name.split('.').reverse().join('.') < b.name.split('.').reverse().join('.') ? -1 : 1));
  }

  get size(): number {
    return this.entries.size;
  }
}

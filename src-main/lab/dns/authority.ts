/**
 * How an authoritative server answers (RFC 1034 §4.3.2), pure: the zones it serves and a
 * question in, the sections of its reply out. A name below a zone cut gets a referral (NS in
 * the authority section, glue in the additional section, AA clear); a name it owns gets its
 * records with AA set, CNAMEs followed inside its own zones; a missing name NXDOMAIN, a
 * missing type NODATA, both with the SOA so resolvers can cache the negative answer
 * (RFC 2308). A name with several addresses (a replicated server) has them rotated on each
 * response, round robin (RFC 1794; Kurose & Ross §2.4.1, load distribution): clients take
 * the first, so each replica gets its share. That rotation is the one state it keeps.
 */
import { ancestors, inZone, target, type Rr, type RrType } from './records';
import type { Zone } from './zone-parser';

/** BADVERS (16) is an extended RCODE: it needs the reply's OPT record (RFC 6891 §6.1.3) */
export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED' | 'BADVERS';

export interface Sections {
  rcode: Rcode;
  aa: boolean;
  answers: Rr[];
  authorities: Rr[];
  additionals: Rr[];
  /** what kind of reply this is, for notes and the resolution view */
  kind: 'answer' | 'referral' | 'nxdomain' | 'nodata' | 'refused';
  /** for a referral: the zone it delegates */
  delegation?: string;
}

const MAX_CNAME_CHAIN = 8;

/** One zone, indexed by name and type. */
export class ZoneIndex {
  readonly origin: string;
  private byName = new Map<string, Rr[]>();
  /** every name that exists, empty non-terminals included (RFC 4592 §2.2.2) */
  private names = new Set<string>();
  readonly soa: Extract<Rr, { type: 'SOA' }>;

  constructor(readonly zone: Zone) {
    this.origin = zone.origin;
    for (const rr of zone.records) {
      const list = this.byName.get(rr.name);
      if (list) list.push(rr);
      else this.byName.set(rr.name, [rr]);
      for (const a of ancestors(rr.name)) {
        if (!inZone(a, this.origin)) break;
        this.names.add(a);
      }
    }
    this.soa = zone.records.find((r): r is Extract<Rr, { type: 'SOA' }> => r.type === 'SOA')!;
  }

  records(name: string, type?: RrType): Rr[] {
    const list = this.byName.get(name) ?? [];
    return type ? list.filter((r) => r.type === type) : list;
  }

  exists(name: string): boolean {
    return this.names.has(name);
  }

  /** The highest zone cut between the apex (excluded) and `name` (included), if any. */
  cut(name: string): string | undefined {
    const chain = ancestors(name).filter((a) => a !== this.origin && inZone(a, this.origin)).reverse();
    return chain.find((a) => this.records(a, 'NS').length > 0);
  }

  /** The SOA as a negative answer carries it: TTL = min(SOA TTL, MINIMUM) (RFC 2308 §3). */
  negativeSoa(): Rr {
    return { ...this.soa, ttl: Math.min(this.soa.ttl, this.soa.data.minimum) };
  }
}

/** the types whose order a round robin rotates: addresses (an MX's order is its preference) */
const ROTATED: ReadonlySet<string> = new Set(['A', 'AAAA']);

export class Authority {
  private zones: ZoneIndex[];
  /** responses so far per rotated RRset (name and type) */
  private turns = new Map<string, number>();

  constructor(zones: Zone[]) {
    this.zones = zones.map((z) => new ZoneIndex(z)).sort((a, b) => b.origin.length - a.origin.length);
  }

  /** The closest enclosing zone this server is authoritative for. */
  zoneFor(name: string): ZoneIndex | undefined {
    return this.zones.find((z) => inZone(name, z.origin));
  }

  /** Addresses this server holds for a host (authoritative data or glue). */
  addresses(host: string): Rr[] {
    const z = this.zoneFor(host);
    return z ? [...z.records(host, 'A'), ...z.records(host, 'AAAA')] : [];
  }

  answer(qname: string, qtype: RrType | 'ANY'): Sections {
    const answers: Rr[] = [];
    let name = qname;
    let zone = this.zoneFor(name);
    if (!zone) return { rcode: 'REFUSED', aa: false, answers, authorities: [], additionals: [], kind: 'refused' };
    for (let hops = 0; ; hops++) {
      const cut = zone.cut(name);
      if (cut !== undefined) {
        if (answers.length) return this.finish({ rcode: 'NOERROR', aa: true, answers, authorities: [], additionals: [], kind: 'answer' });
        const ns = zone.records(cut, 'NS');
        return {
          rcode: 'NOERROR',
          aa: false,
          answers,
          authorities: ns,
          additionals: this.glue(zone, ns),
          kind: 'referral',
          delegation: cut,
        };
      }
      const here = qtype === 'ANY' ? zone.records(name) : zone.records(name, qtype);
      if (here.length) {
        answers.push(...this.rotate(here, qtype));
        return this.finish({ rcode: 'NOERROR', aa: true, answers, authorities: [], additionals: [], kind: 'answer' });
      }
      const cname = qtype === 'CNAME' ? [] : zone.records(name, 'CNAME');
      if (cname.length && cname[0].type === 'CNAME') {
        answers.push(cname[0]);
        const next = cname[0].data;
        const nextZone = this.zoneFor(next);
        // a chain leaving our zones, or too long, is answered as far as we know it
        if (!nextZone || hops >= MAX_CNAME_CHAIN || answers.some((a, i) => i < answers.length - 1 && a.name === next)) {
          return this.finish({ rcode: 'NOERROR', aa: true, answers, authorities: [], additionals: [], kind: 'answer' });
        }
        name = next;
        zone = nextZone;
        continue;
      }
      const exists = zone.exists(name);
      return {
        rcode: exists ? 'NOERROR' : 'NXDOMAIN',
        aa: true,
        answers,
        authorities: [zone.negativeSoa()],
        additionals: [],
        kind: exists ? 'nodata' : 'nxdomain',
      };
    }
  }

  /** Several addresses of one name: start one further on each response (RFC 1794's round robin). */
  private rotate(rrs: Rr[], qtype: RrType | 'ANY'): Rr[] {
    if (rrs.length < 2 || !ROTATED.has(qtype)) return rrs;
    const key = `${rrs[0].name}/${qtype}`;
    const turn = this.turns.get(key) ?? 0;
    this.turns.set(key, (turn + 1) % rrs.length);
    return [...rrs.slice(turn), ...rrs.slice(0, turn)];
  }

  /** Glue: addresses for NS targets the zone holds (at or below the cut). */
  private glue(zone: ZoneIndex, ns: Rr[]): Rr[] {
    const out: Rr[] = [];
    for (const r of ns) {
      const host = target(r);
      if (host === undefined) continue;
      out.push(...zone.records(host, 'A'), ...zone.records(host, 'AAAA'));
      if (!inZone(host, zone.origin)) out.push(...this.addresses(host).filter((a) => !out.includes(a)));
    }
    return out;
  }

  /** Additional-section processing (RFC 1035 §3.3.9, §3.3.11; RFC 2782 for SRV): addresses of MX, NS and SRV targets. */
  private finish(s: Sections): Sections {
    const zone = s.answers.length ? this.zoneFor(s.answers[0].name) : undefined;
    if (zone && s.answers.some((a) => a.type === 'MX' || a.type === 'NS' || a.type === 'SRV')) {
      for (const a of s.answers) {
        if (a.type !== 'MX' && a.type !== 'NS' && a.type !== 'SRV') continue;
        const host = target(a)!;
        for (const rr of this.addresses(host)) if (!s.additionals.includes(rr)) s.additionals.push(rr);
      }
    }
    return s;
  }
}

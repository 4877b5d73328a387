/**
 * DNS messages on the wire (RFC 1035 §4), pure. dns-packet does the encoding and the
 * hostile-input decoding; here: validating a query before anyone acts on it, building
 * replies that fit the client's buffer (truncation, RFC 1035 §4.2.1 and RFC 6891), mapping
 * records both ways, and a quick look at the header and question that needs no full decode.
 */
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import type { Rcode, Sections } from './authority';
import { canonical, RR_TYPES, wireName, type Rr, type RrType } from './records';

export const RCODES: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 };
/** Every RCODE by number, the 12-bit extended ones too (RFC 6895 §2.3; 16 and up need an OPT record, RFC 6891 §6.1.3). */
const RCODE_NAMES: Record<number, string> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN', 7: 'YXRRSET', 8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE', 16: 'BADVERS', 23: 'BADCOOKIE' };
/** The EDNS version the lab speaks (RFC 6891): a query with a higher one is answered BADVERS. */
export const EDNS_VERSION = 0;
/** The DO bit in an OPT record's flags (RFC 3225 §3). */
export const DO_BIT = 0x8000;
export const QR = 1 << 15;
export const AA = packet.AUTHORITATIVE_ANSWER;
export const TC = packet.TRUNCATED_RESPONSE;
export const RD = packet.RECURSION_DESIRED;
export const RA = packet.RECURSION_AVAILABLE;

/** RFC 1035 §2.3.4: a UDP message without EDNS carries at most 512 bytes. */
export const CLASSIC_UDP_SIZE = 512;
/** What we announce and accept as an EDNS buffer (the DNS flag day 2020 value). */
export const EDNS_UDP_SIZE = 1232;
export const MAX_UDP_SIZE = 4096;
/** A query is small; a longer one over TCP is refused before it is read whole. */
export const MAX_QUERY_BYTES = 4096;

export type QType = RrType | 'ANY';
export const TYPE_CODES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, OPT: 41, ANY: 255 };

export interface Query {
  id: number;
  rd: boolean;
  name: string;
  /** the name as the client wrote it (case kept, RFC 4343; echoed back) */
  rawName: string;
  type: string;
  class: string;
  /** the client's EDNS buffer size, when it sent an OPT record */
  edns?: number;
  /** the OPT record's EDNS version (RFC 6891 §6.1.3) */
  ednsVersion?: number;
  /** DNSSEC OK asked: copied back into the reply's OPT (RFC 3225 §3) */
  do?: boolean;
}

export type QueryCheck =
  | { ok: true; query: Query }
  /** a reply to send (FORMERR, NOTIMP, REFUSED), or null: drop it (too short to answer, or a response) */
  | { ok: false; reply: Buffer | null; reason: string };

/** An error reply built from the bytes alone: the id and flags echoed, no sections. */
function errorReply(buf: Buffer, rcode: Rcode): Buffer {
  const out = Buffer.alloc(12);
  buf.copy(out, 0, 0, 2);
  const flags = buf.readUInt16BE(2);
  out.writeUInt16BE(QR | (flags & 0x7800) | (flags & RD) | RCODES[rcode], 2);
  return out;
}

export function checkQuery(buf: Buffer): QueryCheck {
  if (buf.length < 12) return { ok: false, reply: null, reason: `${buf.length} bytes: shorter than a DNS header (12), dropped` };
  const flags = buf.readUInt16BE(2);
  if (flags & QR) return { ok: false, reply: null, reason: 'a response sent to a server: dropped' };
  const opcode = (flags >> 11) & 0xf;
  if (opcode !== 0) return { ok: false, reply: errorReply(buf, 'NOTIMP'), reason: `opcode ${opcode} is not a standard query: NOTIMP` };
  if (buf.length > MAX_QUERY_BYTES) return { ok: false, reply: errorReply(buf, 'FORMERR'), reason: `a ${buf.length}-byte query: FORMERR` };
  let p: DecodedPacket;
  try {
    p = packet.decode(buf);
  } catch (e) {
    return { ok: false, reply: errorReply(buf, 'FORMERR'), reason: `malformed: ${(e as Error).message}: FORMERR` };
  }
  const questions = p.questions ?? [];
  if (questions.length !== 1) return { ok: false, reply: errorReply(buf, 'FORMERR'), reason: `${questions.length} questions (a query asks one): FORMERR` };
  if ((p.answers?.length ?? 0) > 0 || (p.authorities?.length ?? 0) > 0) {
    return { ok: false, reply: errorReply(buf, 'FORMERR'), reason: 'a query with answer or authority records: FORMERR' };
  }
  const q = questions[0];
  const opt = (p.additionals ?? []).find((a) => a.type === 'OPT') as packet.OptAnswer | undefined;
  const edns = opt ? { edns: Math.min(MAX_UDP_SIZE, Math.max(CLASSIC_UDP_SIZE, opt.udpPayloadSize)), ednsVersion: opt.ednsVersion, do: !!opt.flag_do } : {};
  return {
    ok: true,
    query: { id: p.id ?? 0, rd: !!(flags & RD), name: canonical(q.name), rawName: q.name, type: String(q.type), class: String(q.class ?? 'IN'), ...edns },
  };
}

export function toAnswer(rr: Rr): Answer {
  const name = wireName(rr.name);
  switch (rr.type) {
    case 'MX':
      return { name, type: 'MX', class: 'IN', ttl: rr.ttl, data: { preference: rr.data.preference, exchange: wireName(rr.data.exchange) } };
    case 'SOA':
      return { name, type: 'SOA', class: 'IN', ttl: rr.ttl, data: { ...rr.data, mname: wireName(rr.data.mname), rname: wireName(rr.data.rname) } };
    case 'SRV':
      return { name, type: 'SRV', class: 'IN', ttl: rr.ttl, data: { ...rr.data, target: wireName(rr.data.target) } };
    case 'TXT':
      // a copy: dns-packet turns the strings into Buffers in place
      return { name, type: 'TXT', class: 'IN', ttl: rr.ttl, data: [...rr.data] };
    case 'A':
    case 'AAAA':
      return { name, type: rr.type, class: 'IN', ttl: rr.ttl, data: rr.data };
    default:
      return { name, type: rr.type, class: 'IN', ttl: rr.ttl, data: wireName(rr.data) };
  }
}

const KNOWN = new Set<string>(RR_TYPES);

/** Records of the types the lab knows, from a decoded message; others are left out. */
export function fromAnswers(list: readonly Answer[] | undefined): Rr[] {
  const out: Rr[] = [];
  for (const a of list ?? []) {
    if (!KNOWN.has(a.type) || (a as { class?: string }).class !== 'IN') continue;
    const base = { name: canonical(a.name), ttl: (a as { ttl?: number }).ttl ?? 0 };
    const d = (a as { data: unknown }).data;
    switch (a.type) {
      case 'MX': {
        const m = d as { preference?: number; exchange: string };
        out.push({ ...base, type: 'MX', data: { preference: m.preference ?? 0, exchange: canonical(m.exchange) } });
        break;
      }
      case 'SOA': {
        const s = d as Required<packet.SoaData>;
        out.push({ ...base, type: 'SOA', data: { ...s, mname: canonical(s.mname), rname: canonical(s.rname) } });
        break;
      }
      case 'SRV': {
        const v = d as { priority?: number; weight?: number; port?: number; target: string };
        out.push({ ...base, type: 'SRV', data: { priority: v.priority ?? 0, weight: v.weight ?? 0, port: v.port ?? 0, target: canonical(v.target) } });
        break;
      }
      case 'TXT': {
        const parts = Array.isArray(d) ? d : [d];
        out.push({ ...base, type: 'TXT', data: parts.map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x))) });
        break;
      }
      case 'A':
      case 'AAAA':
        out.push({ ...base, type: a.type, data: String(d) });
        break;
      default:
        out.push({ ...base, type: a.type as 'NS' | 'CNAME' | 'PTR', data: canonical(String(d)) });
    }
  }
  return out;
}

export interface ReplyOptions {
  ra: boolean;
  /** over TCP the limit is 65535; over UDP the client's EDNS size or 512 */
  maxSize: number;
}

/** Encode a reply; past the limit, additionals go first (no TC needed, RFC 2181 §9), then TC. */
export function encodeReply(q: Query, s: Sections, opts: ReplyOptions): { bytes: Buffer; truncated: boolean } {
  const code = RCODES[s.rcode];
  // an extended RCODE: its low 4 bits in the header, the upper 8 in the OPT record (RFC 6891 §6.1.3)
  const flags = (s.aa ? AA : 0) | (q.rd ? RD : 0) | (opts.ra ? RA : 0) | (code & 0xf);
  const opt: Answer[] = q.edns
    ? [{ name: '.', type: 'OPT', udpPayloadSize: EDNS_UDP_SIZE, extendedRcode: code >> 4, ednsVersion: EDNS_VERSION, flags: q.do ? DO_BIT : 0, flag_do: !!q.do, options: [] }]
    : [];
  const base: Packet = {
    id: q.id,
    type: 'response',
    flags,
    questions: [{ name: q.rawName, type: q.type as packet.RecordType, class: q.class as packet.RecordClass }],
  };
  const full: Packet = { ...base, answers: s.answers.map(toAnswer), authorities: s.authorities.map(toAnswer), additionals: [...s.additionals.map(toAnswer), ...opt] };
  let bytes = packet.encode(full);
  if (bytes.length <= opts.maxSize) return { bytes, truncated: false };
  bytes = packet.encode({ ...full, additionals: opt });
  if (bytes.length <= opts.maxSize) return { bytes, truncated: false };
  return { bytes: packet.encode({ ...base, flags: flags | TC, additionals: opt }), truncated: true };
}

const META_TYPES = new Set(['OPT', 'TKEY', 'TSIG', 'IXFR', 'AXFR', 'MAILB', 'MAILA', 'ANY']);

/**
 * A question type that names no data (RFC 6895 §3.1: OPT, and the meta-types 128-255 such as
 * AXFR, IXFR, TSIG and ANY): not something a resolver looks up, so not NODATA either.
 */
export function isMetaType(type: string): boolean {
  if (META_TYPES.has(type)) return true;
  const code = /^UNKNOWN_(\d+)$/.exec(type)?.[1]; // as dns-packet names a type it does not know
  return code !== undefined && Number(code) >= 128 && Number(code) <= 255;
}

/** A query the lab's own resolver sends. */
export function encodeQuery(id: number, name: string, type: QType, rd: boolean): Buffer {
  return packet.encode({ id, type: 'query', flags: rd ? RD : 0, questions: [{ name: wireName(name), type: type as packet.RecordType, class: 'IN' }] });
}

/** The RCODE of a header's flags alone (4 bits); for a whole message use messageRcode. */
export function rcodeName(flags: number): Rcode | string {
  return codeName(flags & 0xf);
}

function codeName(code: number): string {
  return RCODE_NAMES[code] ?? `RCODE${code}`;
}

/** A message's whole RCODE: the header's 4 bits and, when it has an OPT record, its upper 8 (RFC 6891 §6.1.3). */
export function messageRcode(p: Pick<DecodedPacket, 'flags' | 'additionals'>): string {
  const opt = (p.additionals ?? []).find((a) => a.type === 'OPT') as packet.OptAnswer | undefined;
  return codeName(((opt?.extendedRcode ?? 0) << 4) | ((p.flags ?? 0) & 0xf));
}

// ---------- the quick look (no full decode) ----------

export interface QuickQuestion {
  id: number;
  flags: number;
  /** the question as it is on the wire (name, type, class), ASCII letters lower-cased
   *  (RFC 4343): equal keys are the same question, with no dotted name built */
  key: string;
  qtype: number;
  qclass: number;
  /** where the question ends */
  end: number;
  /** the message has additional records (an OPT, usually) */
  arcount: number;
  /** with an OPT record: its EDNS version and DO bit (a reply for DO clear is not one for DO set) */
  opt?: { version: number; do: boolean };
}

/** Header and question of a plain query, or null when anything is unusual (then decode it fully). */
export function quickQuestion(buf: Buffer): QuickQuestion | null {
  if (buf.length < 17) return null;
  const flags = buf.readUInt16BE(2);
  if (flags & QR || (flags >> 11) & 0xf) return null;
  if (buf.readUInt16BE(4) !== 1 || buf.readUInt16BE(6) !== 0 || buf.readUInt16BE(8) !== 0) return null;
  let i = 12;
  for (;;) {
    if (i >= buf.length) return null;
    const len = buf[i];
    if (len === 0) {
      i++;
      break;
    }
    if (len > 63) return null; // a pointer (or a reserved label type): the slow path
    i += 1 + len;
    if (i - 12 > 255) return null;
  }
  if (i + 4 > buf.length) return null;
  const end = i + 4;
  // length bytes are < 64, so lower-casing touches only the labels' letters
  const key = buf.toString('latin1', 12, end).toLowerCase();
  const arcount = buf.readUInt16BE(10);
  let opt: QuickQuestion['opt'];
  if (arcount === 1) {
    // an OPT record right after the question: root name (0), type 41, size, ext. RCODE, version, flags
    if (end + 11 > buf.length || buf[end] !== 0 || buf.readUInt16BE(end + 1) !== 41) return null;
    opt = { version: buf[end + 6], do: (buf[end + 7] & 0x80) !== 0 };
  }
  return { id: buf.readUInt16BE(0), flags, key, qtype: buf.readUInt16BE(i), qclass: buf.readUInt16BE(i + 2), end, arcount, ...(opt ? { opt } : {}) };
}

/** The dotted, lower-case name of a question quickQuestion accepted (for summaries, when asked). */
export function quickName(buf: Buffer): string {
  const parts: string[] = [];
  for (let i = 12; buf[i] !== 0 && i < buf.length; i += 1 + buf[i]) parts.push(buf.toString('latin1', i + 1, i + 1 + buf[i]).replace(/[.\\]/g, '\\$&'));
  return parts.join('.').toLowerCase();
}

/** Offsets of every TTL field in an encoded message (to age a cached reply in place). */
export function ttlOffsets(buf: Buffer): number[] {
  const out: number[] = [];
  const count = buf.readUInt16BE(4);
  const rrs = buf.readUInt16BE(6) + buf.readUInt16BE(8) + buf.readUInt16BE(10);
  let i = 12;
  const skipName = (): void => {
    for (;;) {
      const len = buf[i];
      if (len === 0) {
        i++;
        return;
      }
      if ((len & 0xc0) === 0xc0) {
        i += 2;
        return;
      }
      i += 1 + len;
    }
  };
  for (let k = 0; k < count; k++) {
    skipName();
    i += 4;
  }
  for (let k = 0; k < rrs; k++) {
    skipName();
    const type = buf.readUInt16BE(i);
    if (type !== 41) out.push(i + 4); // OPT's "TTL" is flags
    i += 8;
    i += 2 + buf.readUInt16BE(i);
  }
  return out;
}

/**
 * ASN.1 BER (X.690), the subset SNMP uses (RFC 3416 §3, RFC 1157 §4): definite lengths only,
 * INTEGER, OCTET STRING, NULL, OBJECT IDENTIFIER, SEQUENCE and the application and context
 * tags. Written by hand, because seeing type–length–value on the wire is what the lab
 * exists to show (Peterson & Davie §9.3.2). Input is hostile: every length is checked
 * against what the datagram holds, OIDs are capped at 128 sub-identifiers (net-snmp's
 * MAX_OID_LEN), integers at their type's width.
 */

export class BerError extends Error {}

export const TAG = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
} as const;

/** the most sub-identifiers an OID may have (RFC 2578 §3.5: at most 128) */
export const MAX_OID_LEN = 128;

export interface Tlv {
  tag: number;
  /** where the tag byte is */
  start: number;
  /** where the contents start and end (end exclusive) */
  contentStart: number;
  end: number;
}

/** Reads TLVs one after another from buf[from, to). */
export class BerReader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
    readonly to = buf.length,
  ) {}

  get done(): boolean {
    return this.pos >= this.to;
  }

  next(): Tlv {
    const { buf, to } = this;
    const start = this.pos;
    if (start >= to) throw new BerError(`truncated: a value was expected at byte ${start}`);
    const tag = buf[start];
    if ((tag & 0x1f) === 0x1f) throw new BerError(`multi-byte tag 0x${tag.toString(16)} at byte ${start} is not used by SNMP`);
    let p = start + 1;
    if (p >= to) throw new BerError(`truncated: no length after the tag at byte ${start}`);
    let len = buf[p++];
    if (len === 0x80) throw new BerError(`indefinite length at byte ${p - 1}: BER in SNMP uses definite lengths only`);
    if (len > 0x80) {
      const n = len & 0x7f;
      if (n > 4) throw new BerError(`a ${n}-byte length at byte ${p - 1} is longer than any datagram`);
      if (p + n > to) throw new BerError(`truncated: the length at byte ${p - 1} is cut off`);
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
    }
    const end = p + len;
    if (end > to) throw new BerError(`length ${len} at byte ${start} runs past the end of its container (${to - p} bytes left)`);
    this.pos = end;
    return { tag, start, contentStart: p, end };
  }

  expect(tag: number, what: string): Tlv {
    const t = this.next();
    if (t.tag !== tag) throw new BerError(`${what}: expected tag 0x${tag.toString(16).padStart(2, '0')}, found 0x${t.tag.toString(16).padStart(2, '0')} at byte ${t.start}`);
    return t;
  }

  /** a reader of a constructed value's contents */
  inside(t: Tlv): BerReader {
    return new BerReader(this.buf, t.contentStart, t.end);
  }
}

export function readSigned(buf: Buffer, t: Tlv): number {
  const n = t.end - t.contentStart;
  if (n < 1 || n > 4) throw new BerError(`INTEGER of ${n} bytes at byte ${t.start}: Integer32 has 1 to 4`);
  let v = buf[t.contentStart] & 0x80 ? -1 : 0;
  for (let i = t.contentStart; i < t.end; i++) v = v * 256 + buf[i];
  return v;
}

/** Counter32, Gauge32, TimeTicks: 0..2^32-1, a leading zero byte allowed */
export function readUnsigned(buf: Buffer, t: Tlv, maxBytes = 5): bigint {
  const n = t.end - t.contentStart;
  if (n < 1 || n > maxBytes || (n === maxBytes && buf[t.contentStart] !== 0)) throw new BerError(`unsigned value of ${n} bytes at byte ${t.start} is too wide`);
  let v = 0n;
  for (let i = t.contentStart; i < t.end; i++) v = (v << 8n) | BigInt(buf[i]);
  return v;
}

export function readOid(buf: Buffer, t: Tlv): number[] {
  const n = t.end - t.contentStart;
  if (n < 1) throw new BerError(`empty OBJECT IDENTIFIER at byte ${t.start}`);
  if (n > MAX_OID_LEN * 5) throw new BerError(`OBJECT IDENTIFIER of ${n} bytes at byte ${t.start}: more than ${MAX_OID_LEN} sub-identifiers`);
  const arcs: number[] = [];
  let v = 0;
  let bytes = 0;
  for (let i = t.contentStart; i < t.end; i++) {
    const b = buf[i];
    v = v * 128 + (b & 0x7f);
    if (++bytes > 5 || v > 0xffffffff) throw new BerError(`sub-identifier past 2^32-1 at byte ${i}`);
    if (b & 0x80) continue;
    if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
    else arcs.push(v);
    v = 0;
    bytes = 0;
  }
  if (bytes) throw new BerError(`OBJECT IDENTIFIER at byte ${t.start} ends inside a sub-identifier`);
  if (arcs.length > MAX_OID_LEN) throw new BerError(`OBJECT IDENTIFIER of ${arcs.length} sub-identifiers at byte ${t.start}: at most ${MAX_OID_LEN}`);
  return arcs;
}

// ---------- writing ----------

function lengthBytes(len: number): number[] {
  if (len < 0x80) return [len];
  const out: number[] = [];
  for (let l = len; l > 0; l = Math.floor(l / 256)) out.unshift(l & 0xff);
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, content: Buffer): Buffer {
  const head = lengthBytes(content.length);
  const out = Buffer.allocUnsafe(1 + head.length + content.length);
  out[0] = tag;
  for (let i = 0; i < head.length; i++) out[1 + i] = head[i];
  content.copy(out, 1 + head.length);
  return out;
}

export function constructed(tag: number, parts: Buffer[]): Buffer {
  return tlv(tag, parts.length === 1 ? parts[0] : Buffer.concat(parts));
}

export function signedBytes(v: number): Buffer {
  const out: number[] = [];
  let x = Math.trunc(v);
  for (;;) {
    const b = ((x % 256) + 256) % 256;
    out.unshift(b);
    x = Math.floor(x / 256);
    if ((x === 0 && !(b & 0x80)) || (x === -1 && b & 0x80)) break;
  }
  return Buffer.from(out);
}

export function unsignedBytes(v: bigint): Buffer {
  const out: number[] = [];
  let x = v < 0n ? 0n : v;
  do {
    out.unshift(Number(x & 0xffn));
    x >>= 8n;
  } while (x > 0n);
  if (out[0] & 0x80) out.unshift(0);
  return Buffer.from(out);
}

export function oidBytes(arcs: readonly number[]): Buffer {
  if (arcs.length < 2) throw new RangeError('an OID has at least two arcs');
  const out: number[] = [];
  const put = (n: number): void => {
    const groups = [n & 0x7f];
    for (let x = Math.floor(n / 128); x > 0; x = Math.floor(x / 128)) groups.unshift((x & 0x7f) | 0x80);
    out.push(...groups);
  };
  put(arcs[0] * 40 + arcs[1]);
  for (let i = 2; i < arcs.length; i++) put(arcs[i]);
  return Buffer.from(out);
}

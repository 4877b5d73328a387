/**
 * Gnutella 0.6 wire format, pure (bytes in, values out). After the text handshake
 * ("GNUTELLA CONNECT/0.6" … "GNUTELLA/0.6 200 OK"), a connection carries descriptors: a
 * 23-byte header — descriptor id (a 16-byte GUID), payload descriptor (0x00 Ping, 0x01 Pong,
 * 0x80 Query, 0x81 QueryHit), TTL, hops, payload length (4 bytes, little-endian) — then the
 * payload. Every length a peer controls is capped: a payload longer than MAX_PAYLOAD breaks
 * the framing and the connection is closed; a bad descriptor is dropped and the next read.
 */
import crypto from 'node:crypto';

export const HEADER_BYTES = 23;
/** the lab's cap on a payload (servents of the time dropped descriptors past a few KiB) */
export const MAX_PAYLOAD = 4096;
/** a TTL above this is refused (the protocol's guidance: TTL + hops at most 7; we allow up to 16) */
export const MAX_TTL = 16;
export const MAX_HANDSHAKE = 4096;

export const DESCRIPTOR = { ping: 0x00, pong: 0x01, query: 0x80, queryHit: 0x81 } as const;
export type DescriptorKind = keyof typeof DESCRIPTOR;
const KIND_OF = new Map<number, DescriptorKind>(Object.entries(DESCRIPTOR).map(([k, v]) => [v, k as DescriptorKind]));

export interface Header {
  guid: Buffer;
  kind: DescriptorKind;
  ttl: number;
  hops: number;
}

export interface Hit {
  index: number;
  size: number;
  name: string;
}

export type Payload =
  | { kind: 'ping' }
  | { kind: 'pong'; port: number; ip: string; files: number; kb: number }
  | { kind: 'query'; minSpeed: number; criteria: string }
  | { kind: 'queryHit'; port: number; ip: string; speed: number; hits: Hit[]; servent: Buffer };

export type Descriptor = Header & { payload: Payload };

export const newGuid = (): Buffer => crypto.randomBytes(16);

function ipBytes(ip: string): Buffer {
  const parts = ip.split('.').map(Number);
  return Buffer.from(parts.length === 4 && parts.every((n) => n >= 0 && n < 256) ? parts : [127, 0, 0, 1]);
}
const ipText = (b: Buffer, at: number): string => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;

export function encodePayload(p: Payload): Buffer {
  switch (p.kind) {
    case 'ping':
      return Buffer.alloc(0);
    case 'pong': {
      const b = Buffer.alloc(14);
      b.writeUInt16LE(p.port, 0);
      ipBytes(p.ip).copy(b, 2);
      b.writeUInt32LE(p.files, 6);
      b.writeUInt32LE(p.kb, 10);
      return b;
    }
    case 'query': {
      const speed = Buffer.alloc(2);
      speed.writeUInt16LE(p.minSpeed, 0);
      return Buffer.concat([speed, Buffer.from(p.criteria, 'latin1'), Buffer.from([0])]);
    }
    case 'queryHit': {
      const head = Buffer.alloc(11);
      head[0] = p.hits.length;
      head.writeUInt16LE(p.port, 1);
      ipBytes(p.ip).copy(head, 3);
      head.writeUInt32LE(p.speed, 7);
      const sets = p.hits.map((h) => {
        const b = Buffer.alloc(8);
        b.writeUInt32LE(h.index, 0);
        b.writeUInt32LE(h.size, 4);
        // the file name ends with two NULs (the second ends the extension block, empty here)
        return Buffer.concat([b, Buffer.from(h.name, 'latin1'), Buffer.from([0, 0])]);
      });
      return Buffer.concat([head, ...sets, p.servent.subarray(0, 16)]);
    }
  }
}

export function encodeDescriptor(d: Descriptor): Buffer {
  const payload = encodePayload(d.payload);
  const h = Buffer.alloc(HEADER_BYTES);
  d.guid.copy(h, 0, 0, 16);
  h[16] = DESCRIPTOR[d.kind];
  h[17] = d.ttl;
  h[18] = d.hops;
  h.writeUInt32LE(payload.length, 19);
  return Buffer.concat([h, payload]);
}

/** a payload's fields, or why it is refused */
export function decodePayload(kind: DescriptorKind, b: Buffer): Payload | string {
  switch (kind) {
    case 'ping':
      return b.length === 0 ? { kind } : `a Ping carries no payload (got ${b.length} bytes)`;
    case 'pong':
      if (b.length !== 14) return `a Pong payload is 14 bytes (got ${b.length})`;
      return { kind, port: b.readUInt16LE(0), ip: ipText(b, 2), files: b.readUInt32LE(6), kb: b.readUInt32LE(10) };
    case 'query': {
      const end = b.indexOf(0, 2);
      if (b.length < 3 || end < 0) return 'a Query is a minimum speed and search criteria ending with a NUL';
      const criteria = b.toString('latin1', 2, end);
      if (!/^[\x20-\x7e]{1,200}$/.test(criteria)) return 'a Query\'s search criteria are 1 to 200 printable characters';
      return { kind, minSpeed: b.readUInt16LE(0), criteria };
    }
    case 'queryHit': {
      if (b.length < 11 + 16) return 'a QueryHit is too short for its header and servent id';
      const n = b[0];
      const hits: Hit[] = [];
      let at = 11;
      for (let i = 0; i < n; i++) {
        if (at + 8 > b.length - 16) return `QueryHit result ${i + 1} of ${n} is cut short`;
        const end = b.indexOf(0, at + 8);
        if (end < 0 || end + 1 >= b.length - 16 + 1 || b[end + 1] !== 0) return `QueryHit result ${i + 1}: its name does not end with two NULs`;
        hits.push({ index: b.readUInt32LE(at), size: b.readUInt32LE(at + 4), name: b.toString('latin1', at + 8, end) });
        at = end + 2;
      }
      if (at !== b.length - 16) return `QueryHit has ${b.length - 16 - at} bytes between its results and its servent id`;
      return { kind, port: b.readUInt16LE(1), ip: ipText(b, 3), speed: b.readUInt32LE(7), hits, servent: Buffer.from(b.subarray(at)) };
    }
  }
}

export type ReadResult =
  | { ok: true; d: Descriptor; bytes: Buffer }
  /** fatal: the framing is lost (payload length past the cap); the connection must close */
  | { ok: false; reason: string; fatal: boolean; bytes: Buffer; header?: Header };

/**
 * Splits a connection's byte stream into descriptors. `push` bytes, then `next()` until null.
 * `pending` tells a truncated descriptor left when the connection ends.
 */
export class DescriptorReader {
  private buf: Buffer = Buffer.alloc(0);
  private dead = false;

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
  }

  get pending(): number {
    return this.dead ? 0 : this.buf.length;
  }

  next(): ReadResult | null {
    if (this.dead || this.buf.length < HEADER_BYTES) return null;
    const len = this.buf.readUInt32LE(19);
    if (len > MAX_PAYLOAD) {
      this.dead = true;
      return { ok: false, fatal: true, reason: `payload length ${len} is past the ${MAX_PAYLOAD}-byte limit`, bytes: this.buf.subarray(0, HEADER_BYTES) };
    }
    if (this.buf.length < HEADER_BYTES + len) return null;
    const bytes = this.buf.subarray(0, HEADER_BYTES + len);
    this.buf = this.buf.subarray(HEADER_BYTES + len);
    const code = bytes[16];
    const kind = KIND_OF.get(code);
    if (!kind) return { ok: false, fatal: false, reason: `unknown payload descriptor 0x${code.toString(16).padStart(2, '0')}`, bytes };
    const header: Header = { guid: Buffer.from(bytes.subarray(0, 16)), kind, ttl: bytes[17], hops: bytes[18] };
    if (header.ttl === 0) return { ok: false, fatal: false, reason: 'TTL 0: the descriptor should not have been sent', bytes, header };
    if (header.ttl > MAX_TTL || header.ttl + header.hops > MAX_TTL + 1) return { ok: false, fatal: false, reason: `TTL ${header.ttl} (hops ${header.hops}) is past the limit of ${MAX_TTL}`, bytes, header };
    const payload = decodePayload(kind, bytes.subarray(HEADER_BYTES));
    if (typeof payload === 'string') return { ok: false, fatal: false, reason: payload, bytes, header };
    return { ok: true, d: { ...header, payload }, bytes };
  }
}

/** decode one whole descriptor (the inspector's view of a recorded one) */
export function decodeDescriptor(bytes: Buffer): ReadResult {
  const r = new DescriptorReader();
  r.push(bytes);
  return r.next() ?? { ok: false, fatal: false, reason: `truncated descriptor: ${bytes.length} bytes`, bytes };
}

// ---------- the handshake ----------

export const CONNECT_LINE = 'GNUTELLA CONNECT/0.6';
export const OK_LINE = 'GNUTELLA/0.6 200 OK';

export interface Handshake {
  first: string;
  headers: Record<string, string>;
}

export function encodeHandshake(first: string, headers: Record<string, string> = {}): string {
  return [first, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
}

/** the handshake block if it is whole (`rest` the bytes after it), null if more is needed, or why it is refused */
export function parseHandshake(buf: Buffer): { h: Handshake; rest: Buffer } | null | string {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return buf.length > MAX_HANDSHAKE ? `handshake longer than ${MAX_HANDSHAKE} bytes` : null;
  const lines = buf.toString('latin1', 0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const m = /^([A-Za-z0-9-]{1,64}):[ \t]*([\x20-\x7e]{0,512})$/.exec(l);
    if (!m) return `bad handshake header line: ${l.slice(0, 60)}`;
    headers[m[1].toLowerCase()] = m[2];
  }
  return { h: { first: lines[0], headers }, rest: buf.subarray(end + 4) };
}

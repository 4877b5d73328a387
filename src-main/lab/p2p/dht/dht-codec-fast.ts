/**
 * The lines a busy ring is made of — a query's hop (`LOOKUP`/`GET` with its route) and its
 * answer (`FOUND`) — read byte by byte, with no string of the whole line, no split, no regular
 * expression. Only the exact form a peer writes is taken: the verb in capitals, one space
 * between fields, numbers without leading zeros, a numeric key; anything else (a line a person
 * typed, a bad one) gives null and the full parser (dht-codec.ts, the one grammar) reads it,
 * refusals and their reasons included. So a line reads the same either way, only faster: the
 * same message, each peer's name its own object. Writing them is the same: the bytes
 * encodeMessage's line would give, put straight into the datagram, digit by digit.
 */
import type { DhtMessage, PeerRef } from './dht-codec';

const SP = 0x20;
const MAX_HOPS = 255;

/** the cursor of the line being read (one line at a time: reading never yields) */
let at = 0;

/** a number without leading zeros, at most `maxLen` digits and `max`; -1 when not one */
function num(b: Buffer, end: number, maxLen: number, max: number): number {
  const start = at;
  let n = 0;
  while (at < end) {
    const c = b[at];
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
    at++;
  }
  const len = at - start;
  if (len === 0 || len > maxLen || (len > 1 && b[start] === 0x30) || n > max) return -1;
  return n;
}

/** the byte `c` next, stepped over */
function byte(b: Buffer, end: number, c: number): boolean {
  if (at >= end || b[at] !== c) return false;
  at++;
  return true;
}

/** a dotted IPv4 address's text, made once per address: a ring names the same few over and over */
const addresses = new Map<number, string>();

function address(b: Buffer, end: number): string | null {
  let ip = 0;
  for (let i = 0; i < 4; i++) {
    if (i > 0 && !byte(b, end, 0x2e)) return null;
    const o = num(b, end, 3, 255);
    if (o < 0) return null;
    ip = ip * 256 + o;
  }
  let text = addresses.get(ip);
  if (text === undefined) {
    text = `${Math.floor(ip / 2 ** 24)}.${Math.floor(ip / 2 ** 16) % 256}.${Math.floor(ip / 256) % 256}.${ip % 256}`;
    if (addresses.size >= 8192) addresses.clear();
    addresses.set(ip, text);
  }
  return text;
}

/** id@address:port */
function ref(b: Buffer, end: number): PeerRef | null {
  const id = num(b, end, 10, 0xffffffff);
  if (id < 0 || !byte(b, end, 0x40)) return null;
  const addr = address(b, end);
  if (addr === null || !byte(b, end, 0x3a)) return null;
  const port = num(b, end, 5, 65535);
  return port < 0 ? null : { id, address: addr, port };
}

/** a query id: 1 to 16 of 0-9a-z, to the end of the line */
function qid(b: Buffer, end: number): string | null {
  const start = at;
  while (at < end) {
    const c = b[at];
    if ((c < 0x30 || c > 0x39) && (c < 0x61 || c > 0x7a)) return null;
    at++;
  }
  const len = at - start;
  return len === 0 || len > 16 ? null : b.toString('latin1', start, end);
}

/** the verb `word` and its space at the start of the line */
function verb(b: Buffer, end: number, word: string): boolean {
  if (end <= word.length) return false;
  for (let i = 0; i < word.length; i++) if (b[i] !== word.charCodeAt(i)) return false;
  if (b[word.length] !== SP) return false;
  at = word.length + 1;
  return true;
}

/** `<key> <hops> <origin> <qid>` of a query a peer forwards; the key a number */
function routed(type: 'LOOKUP' | 'GET', b: Buffer, end: number): DhtMessage | null {
  const key = num(b, end, 10, 0xffffffff);
  if (key < 0 || !byte(b, end, SP)) return null;
  const hops = num(b, end, 3, MAX_HOPS);
  if (hops < 0 || !byte(b, end, SP)) return null;
  const origin = ref(b, end);
  if (origin === null || !byte(b, end, SP)) return null;
  const q = qid(b, end);
  return q === null ? null : { type, key: String(key), route: { hops, origin, qid: q } };
}

/** `FOUND <key> <peer> <hops> <qid>` */
function found(b: Buffer, end: number): DhtMessage | null {
  const key = num(b, end, 10, 0xffffffff);
  if (key < 0 || !byte(b, end, SP)) return null;
  const peer = ref(b, end);
  if (peer === null || !byte(b, end, SP)) return null;
  const hops = num(b, end, 3, MAX_HOPS);
  if (hops < 0 || !byte(b, end, SP)) return null;
  const q = qid(b, end);
  return q === null ? null : { type: 'FOUND', key, peer, hops, qid: q };
}

/** The message of a line a peer wrote (`end`: before its LF), or null: the full parser reads it. */
export function parsePeerLine(b: Buffer, end: number): DhtMessage | null {
  switch (b[0]) {
    case 0x4c: // L
      return verb(b, end, 'LOOKUP') ? routed('LOOKUP', b, end) : null;
    case 0x47: // G
      return verb(b, end, 'GET') ? routed('GET', b, end) : null;
    case 0x46: // F
      return verb(b, end, 'FOUND') ? found(b, end) : null;
    default:
      return null;
  }
}

// ---------- writing ----------

/** decimal digits of a whole number from 0 to 2^32 − 1 */
function width(n: number): number {
  if (n < 1e5) return n < 10 ? 1 : n < 100 ? 2 : n < 1e3 ? 3 : n < 1e4 ? 4 : 5;
  return n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
}

/** the cursor of the datagram being written */
let to = 0;

function putNum(b: Buffer, n: number): void {
  const w = width(n);
  for (let i = to + w - 1; i >= to; i--) {
    b[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  to += w;
}

/** as Buffer.from(text, 'latin1') writes it: each character's low byte */
function putText(b: Buffer, text: string): void {
  for (let i = 0; i < text.length; i++) b[to++] = text.charCodeAt(i) & 0xff;
}

function putVerb(b: Buffer, verb: string): void {
  putText(b, verb);
  b[to++] = SP;
}

const refWidth = (r: PeerRef): number => width(r.id) + r.address.length + width(r.port) + 2;

function putRef(b: Buffer, r: PeerRef): void {
  putNum(b, r.id);
  b[to++] = 0x40;
  putText(b, r.address);
  b[to++] = 0x3a;
  putNum(b, r.port);
}

/** numbers a peer writes are whole, 0 to 2^32 − 1; anything else is left to encodeMessage */
const whole = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

/**
 * The datagram of a query's hop or its answer, with its LF, or null for any other message
 * (encodeMessage writes those): byte for byte the line encodeMessage gives.
 */
export function encodePeerLine(m: DhtMessage): Buffer | null {
  if ((m.type === 'LOOKUP' || m.type === 'GET') && m.route) {
    const r = m.route;
    if (!whole(r.hops) || !whole(r.origin.id) || !whole(r.origin.port)) return null;
    const b = Buffer.allocUnsafe(m.type.length + m.key.length + width(r.hops) + refWidth(r.origin) + r.qid.length + 5);
    to = 0;
    putVerb(b, m.type);
    putText(b, m.key);
    b[to++] = SP;
    putNum(b, r.hops);
    b[to++] = SP;
    putRef(b, r.origin);
    b[to++] = SP;
    putText(b, r.qid);
    b[to++] = 0x0a;
    return b;
  }
  if (m.type === 'FOUND') {
    if (!whole(m.key) || !whole(m.hops) || !whole(m.peer.id) || !whole(m.peer.port)) return null;
    const b = Buffer.allocUnsafe(6 + width(m.key) + refWidth(m.peer) + width(m.hops) + m.qid.length + 4);
    to = 0;
    putVerb(b, 'FOUND');
    putNum(b, m.key);
    b[to++] = SP;
    putRef(b, m.peer);
    b[to++] = SP;
    putNum(b, m.hops);
    b[to++] = SP;
    putText(b, m.qid);
    b[to++] = 0x0a;
    return b;
  }
  return null;
}

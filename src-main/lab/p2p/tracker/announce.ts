/**
 * The HTTP tracker protocol (BEP 3, BEP 23 compact peers, BEP 48 scrape), pure: a query
 * string in, normalised parameters out, or a TrackerRequestError whose message becomes the
 * bencoded `failure reason`. info_hash and peer_id are 20 raw bytes, percent-encoded.
 */
import { bencode, type BInput } from '../bencode';

export class TrackerRequestError extends Error {}

export type AnnounceEvent = 'started' | 'completed' | 'stopped' | 'update';

export interface AnnounceParams {
  infoHash: string; // 40 hex digits
  /** the peer id's 20 bytes as a latin1 string */
  peerKey: string;
  port: number;
  uploaded: number;
  downloaded: number;
  left: number;
  event: AnnounceEvent;
  compact: boolean;
  noPeerId: boolean;
  numwant: number;
  /** an address the client asked to be announced under (only honoured on loopback/LAN use) */
  ip?: string;
}

export const MAX_QUERY_BYTES = 4096;
export const DEFAULT_NUMWANT = 50;
export const MAX_NUMWANT = 200;
export const MAX_SCRAPE_HASHES = 74;

/** Percent-decode a query string into byte values; repeated keys are kept in order. */
export function parseQuery(query: string): Map<string, Buffer[]> {
  if (query.length > MAX_QUERY_BYTES) throw new TrackerRequestError(`query longer than ${MAX_QUERY_BYTES} bytes`);
  const out = new Map<string, Buffer[]>();
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = percentDecode(eq < 0 ? part : part.slice(0, eq)).toString('latin1');
    const value = percentDecode(eq < 0 ? '' : part.slice(eq + 1));
    const list = out.get(key) ?? [];
    list.push(value);
    out.set(key, list);
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

function percentDecode(s: string): Buffer {
  const out = Buffer.allocUnsafe(s.length);
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hexValue(s.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) throw new TrackerRequestError(`bad percent-escape at '${s.slice(i, i + 3)}'`);
      out[j++] = (hi << 4) | lo;
      i += 2;
    } else if (c === 0x2b) out[j++] = 0x20;
    else if (c > 0x7f) throw new TrackerRequestError('non-ASCII character in the query');
    else out[j++] = c;
  }
  return out.subarray(0, j);
}

/** Percent-decode `s[from, to)` into `out`; the number of bytes written. */
function decodeInto(s: string, from: number, to: number, out: Buffer): number {
  let j = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hexValue(s.charCodeAt(i + 2));
      if (hi < 0 || lo < 0 || i + 2 >= to) throw new TrackerRequestError(`bad percent-escape at '${s.slice(i, Math.min(i + 3, to))}'`);
      out[j++] = (hi << 4) | lo;
      i += 2;
    } else if (c === 0x2b) out[j++] = 0x20;
    else if (c > 0x7f) throw new TrackerRequestError('non-ASCII character in the query');
    else out[j++] = c;
  }
  return j;
}

/** The announce key at s[from, to) when it is one (matched in place, by its first letter);
 *  '' for another plain key; null when the key is percent-encoded (decodeText sorts it out). */
function keyAt(s: string, from: number, to: number): string | null {
  const n = to - from;
  const is = (k: string): boolean => k.length === n && s.startsWith(k, from);
  switch (s.charCodeAt(from)) {
    case 0x69: // i
      if (is('info_hash')) return 'info_hash';
      if (is('ip')) return 'ip';
      break;
    case 0x70: // p
      if (is('peer_id')) return 'peer_id';
      if (is('port')) return 'port';
      break;
    case 0x75: // u
      if (is('uploaded')) return 'uploaded';
      break;
    case 0x64: // d
      if (is('downloaded')) return 'downloaded';
      break;
    case 0x6c: // l
      if (is('left')) return 'left';
      break;
    case 0x65: // e
      if (is('event')) return 'event';
      break;
    case 0x63: // c
      if (is('compact')) return 'compact';
      break;
    case 0x6e: // n
      if (is('numwant')) return 'numwant';
      if (is('no_peer_id')) return 'no_peer_id';
      break;
  }
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 0x25 || s.charCodeAt(i) === 0x2b) return null;
  return '';
}

/** `s[from, to)` decoded as latin1 text (no copy through bytes when there is nothing to decode). */
function decodeText(s: string, from: number, to: number, scratch: Buffer): string {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 || c === 0x2b || c > 0x7f) return scratch.toString('latin1', 0, decodeInto(s, from, to, scratch));
  }
  return s.slice(from, to);
}

function integer(raw: string | undefined, key: string, required: boolean, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined || raw === '') {
    if (required) throw new TrackerRequestError(`missing ${key}`);
    return undefined;
  }
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const d = raw.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9 || raw.length > 16) throw new TrackerRequestError(`${key} is not a non-negative integer: '${raw.slice(0, 20)}'`);
    n = n * 10 + d;
  }
  if (n > max) throw new TrackerRequestError(`${key} ${n} is out of range`);
  return n;
}

const scratch = Buffer.allocUnsafe(MAX_QUERY_BYTES);

/**
 * One pass over the query: the values an announce uses are decoded (the first of repeated
 * keys counts), every other one is still checked for bad escapes; no map, no buffer per value.
 * This is the tracker's hot path (a busy tracker parses thousands of these a second).
 */
export function parseAnnounce(query: string): AnnounceParams {
  if (query.length > MAX_QUERY_BYTES) throw new TrackerRequestError(`query longer than ${MAX_QUERY_BYTES} bytes`);
  let infoHash: string | undefined;
  let infoHashLength = -1;
  let peerKey: string | undefined;
  let peerIdLength = -1;
  let port: string | undefined;
  let uploaded: string | undefined;
  let downloaded: string | undefined;
  let left: string | undefined;
  let eventRaw: string | undefined;
  let compact: string | undefined;
  let noPeerId: string | undefined;
  let numwant: string | undefined;
  let ipRaw: string | undefined;
  const len = query.length;
  for (let i = 0; i <= len; ) {
    let amp = query.indexOf('&', i);
    if (amp < 0) amp = len;
    if (amp > i) {
      let eq = query.indexOf('=', i);
      if (eq < 0 || eq > amp) eq = amp;
      // the key, matched in place (no string made for it) unless it is itself percent-encoded
      const key = keyAt(query, i, eq);
      const from = eq < amp ? eq + 1 : amp;
      const name = key ?? decodeText(query, i, eq, scratch);
      switch (name) {
        case 'info_hash': {
          const n = decodeInto(query, from, amp, scratch);
          if (infoHashLength < 0) {
            infoHashLength = n;
            if (n === 20) infoHash = scratch.toString('hex', 0, 20);
          }
          break;
        }
        case 'peer_id': {
          const n = decodeInto(query, from, amp, scratch);
          if (peerIdLength < 0) {
            peerIdLength = n;
            if (n === 20) peerKey = scratch.toString('latin1', 0, 20);
          }
          break;
        }
        default: {
          // every value is decoded (so every escape is checked); the first of a repeated key counts
          const v = decodeText(query, from, amp, scratch);
          if (name === 'port') port ??= v;
          else if (name === 'uploaded') uploaded ??= v;
          else if (name === 'downloaded') downloaded ??= v;
          else if (name === 'left') left ??= v;
          else if (name === 'event') eventRaw ??= v;
          else if (name === 'compact') compact ??= v;
          else if (name === 'no_peer_id') noPeerId ??= v;
          else if (name === 'numwant') numwant ??= v;
          else if (name === 'ip') ipRaw ??= v;
        }
      }
    }
    i = amp + 1;
  }
  if (infoHashLength < 0) throw new TrackerRequestError('missing info_hash');
  if (infoHash === undefined) throw new TrackerRequestError(`info_hash must be 20 bytes, got ${infoHashLength}`);
  if (peerIdLength < 0) throw new TrackerRequestError('missing peer_id');
  if (peerKey === undefined) throw new TrackerRequestError(`peer_id must be 20 bytes, got ${peerIdLength}`);
  const portN = integer(port, 'port', true, 65535)!;
  if (portN === 0) throw new TrackerRequestError('port 0 is not a port a peer can listen on');
  const e = eventRaw ?? '';
  const event: AnnounceEvent = e === '' || e === 'empty' ? 'update' : e === 'started' || e === 'completed' || e === 'stopped' ? e : bad(`unknown event '${e.slice(0, 20)}'`);
  const want = Math.min(integer(numwant, 'numwant', false) ?? DEFAULT_NUMWANT, MAX_NUMWANT);
  return {
    infoHash,
    peerKey,
    port: portN,
    uploaded: integer(uploaded, 'uploaded', true)!,
    downloaded: integer(downloaded, 'downloaded', true)!,
    left: integer(left, 'left', true)!,
    event,
    compact: compact === '1',
    noPeerId: noPeerId === '1',
    numwant: want,
    ...(ipRaw && /^\d{1,3}(\.\d{1,3}){3}$/.test(ipRaw) ? { ip: ipRaw } : {}),
  };
}

function bad(reason: string): never {
  throw new TrackerRequestError(reason);
}

/** info hashes of a scrape (none: every torrent the tracker knows). */
export function parseScrape(query: string): string[] {
  const q = parseQuery(query);
  const hashes = (q.get('info_hash') ?? []).map((h) => {
    if (h.length !== 20) throw new TrackerRequestError(`info_hash must be 20 bytes, got ${h.length}`);
    return h.toString('hex');
  });
  if (hashes.length > MAX_SCRAPE_HASHES) throw new TrackerRequestError(`at most ${MAX_SCRAPE_HASHES} info_hash values per scrape`);
  return hashes;
}

export interface PeerAddress {
  ip: string;
  port: number;
  peerId: Buffer;
  /** its 6-byte compact form, when the tracker keeps it ready */
  compact?: Buffer;
}

export interface AnnounceAnswer {
  interval: number;
  minInterval: number;
  complete: number;
  incomplete: number;
  peers: PeerAddress[];
}

/** 6 bytes per IPv4 peer: address then port, network order (BEP 23). */
export function compactPeers(peers: PeerAddress[]): Buffer {
  const out = Buffer.allocUnsafe(peers.length * 6);
  peers.forEach((p, i) => (p.compact ?? compactPeer(p.ip, p.port)).copy(out, i * 6));
  return out;
}

export function compactPeer(ip: string, port: number): Buffer {
  const out = Buffer.alloc(6);
  const parts = ip.split('.').map(Number);
  for (let k = 0; k < 4; k++) out[k] = parts[k] ?? 0;
  out.writeUInt16BE(port, 4);
  return out;
}

export function parseCompactPeers(bytes: Uint8Array): { ip: string; port: number }[] {
  const out: { ip: string; port: number }[] = [];
  for (let i = 0; i + 6 <= bytes.length; i += 6) {
    out.push({ ip: `${bytes[i]}.${bytes[i + 1]}.${bytes[i + 2]}.${bytes[i + 3]}`, port: (bytes[i + 4] << 8) | bytes[i + 5] });
  }
  return out;
}

export function encodeAnnounce(a: AnnounceAnswer, p: Pick<AnnounceParams, 'compact' | 'noPeerId'>): Buffer {
  if (p.compact) {
    // the hot path of a busy tracker, bencoded by hand (keys in sorted order, as bencode wants)
    const peers = compactPeers(a.peers);
    const head = `d8:completei${a.complete}e10:incompletei${a.incomplete}e8:intervali${a.interval}e12:min intervali${a.minInterval}e5:peers${peers.length}:`;
    return Buffer.concat([Buffer.from(head, 'latin1'), peers, Buffer.from('e')]);
  }
  const peers: BInput = a.peers.map((x) => (p.noPeerId ? { ip: x.ip, port: x.port } : { 'peer id': x.peerId, ip: x.ip, port: x.port }));
  return bencode({ complete: a.complete, incomplete: a.incomplete, interval: a.interval, 'min interval': a.minInterval, peers });
}

export function encodeScrape(files: Map<string, { complete: number; downloaded: number; incomplete: number }>): Buffer {
  // keys are raw 20-byte hashes: bencoded by hand so no byte is re-encoded as UTF-8;
  // hex order is byte order, as bencode wants dictionary keys sorted
  const parts: Buffer[] = [Buffer.from('d5:filesd')];
  for (const [hash, f] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    parts.push(Buffer.from('20:'), Buffer.from(hash, 'hex'), bencode({ complete: f.complete, downloaded: f.downloaded, incomplete: f.incomplete }));
  }
  parts.push(Buffer.from('ee'));
  return Buffer.concat(parts);
}

export function encodeFailure(reason: string): Buffer {
  return bencode({ 'failure reason': reason.slice(0, 300) });
}

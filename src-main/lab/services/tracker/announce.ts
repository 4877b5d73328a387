/**
 * The HTTP tracker protocol (BEP 3, BEP 23 compact peers, BEP 48 scrape), pure: a query
 * string in, normalised parameters out, or a TrackerRequestError whose message becomes the
 * bencoded `failure reason`. info_hash and peer_id are 20 raw bytes, percent-encoded.
 */
import { bencode, type BInput } from '../../p2p/bencode';

export class TrackerRequestError extends Error {}

export type AnnounceEvent = 'started' | 'completed' | 'stopped' | 'update';

export interface AnnounceParams {
  infoHash: string; // 40 hex digits
  peerId: Buffer;
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

function one(q: Map<string, Buffer[]>, key: string): Buffer | undefined {
  return q.get(key)?.[0];
}

function integer(q: Map<string, Buffer[]>, key: string, required: boolean, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = one(q, key)?.toString('latin1');
  if (raw === undefined || raw === '') {
    if (required) throw new TrackerRequestError(`missing ${key}`);
    return undefined;
  }
  if (!/^\d{1,16}$/.test(raw)) throw new TrackerRequestError(`${key} is not a non-negative integer: '${raw.slice(0, 20)}'`);
  const n = Number(raw);
  if (n > max) throw new TrackerRequestError(`${key} ${n} is out of range`);
  return n;
}

function hash20(value: Buffer | undefined, key: string): Buffer {
  if (!value) throw new TrackerRequestError(`missing ${key}`);
  if (value.length !== 20) throw new TrackerRequestError(`${key} must be 20 bytes, got ${value.length}`);
  return value;
}

export function parseAnnounce(query: string): AnnounceParams {
  const q = parseQuery(query);
  const infoHash = hash20(one(q, 'info_hash'), 'info_hash').toString('hex');
  const peerId = hash20(one(q, 'peer_id'), 'peer_id');
  const port = integer(q, 'port', true, 65535)!;
  if (port === 0) throw new TrackerRequestError('port 0 is not a port a peer can listen on');
  const eventRaw = one(q, 'event')?.toString('latin1') ?? '';
  const event: AnnounceEvent =
    eventRaw === '' || eventRaw === 'empty' ? 'update' : (['started', 'completed', 'stopped'] as const).find((e) => e === eventRaw) ?? bad(`unknown event '${eventRaw.slice(0, 20)}'`);
  const numwant = Math.min(integer(q, 'numwant', false) ?? DEFAULT_NUMWANT, MAX_NUMWANT);
  const ipRaw = one(q, 'ip')?.toString('latin1');
  return {
    infoHash,
    peerId,
    port,
    uploaded: integer(q, 'uploaded', true)!,
    downloaded: integer(q, 'downloaded', true)!,
    left: integer(q, 'left', true)!,
    event,
    compact: one(q, 'compact')?.toString('latin1') === '1',
    noPeerId: one(q, 'no_peer_id')?.toString('latin1') === '1',
    numwant,
    ...(ipRaw && /^\d{1,3}(\.\d{1,3}){3}$/.test(ipRaw) ? { ip: ipRaw } : {}),
  };
}

function bad(reason: string): never {
  throw new TrackerRequestError(reason);
}

/** info hashes of a scrape (none: every torrent the tracker knows). */
export function parseScrape(query: string): string[] {
  const q = parseQuery(query);
  const hashes = (q.get('info_hash') ?? []).map((h) => hash20(h, 'info_hash').toString('hex'));
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

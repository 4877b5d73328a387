/**
 * The inspector's decoders for the search overlays: Gnutella 0.6 descriptors (the handshake
 * lines, then each descriptor's header and payload, field by field) and the index protocol's
 * lines (Napster's server, a KaZaA super-node's children). Pure: bytes in, fields out.
 */
import type { DecodedField } from '../../api';
import { registerDecoder } from '../../capture/decoders';
import { decodeDescriptor, HEADER_BYTES, type Descriptor } from './gnutella-codec';

const NAMES = { ping: 'Ping', pong: 'Pong', query: 'Query', queryHit: 'QueryHit' } as const;
const MEANING = {
  ping: 'who is out there? (flooded while its TTL lasts)',
  pong: 'I am — my address and how much I share (back on the Ping\'s reverse path)',
  query: 'who has a file matching these words? (flooded while its TTL lasts)',
  queryHit: 'I do — fetch it from me over HTTP (back on the Query\'s reverse path)',
} as const;

export function describeDescriptor(d: Descriptor): string {
  const tail = ` · TTL ${d.ttl} hops ${d.hops} · ${d.guid.toString('hex').slice(0, 8)}…`;
  const p = d.payload;
  switch (p.kind) {
    case 'query':
      return `Query '${p.criteria}'${tail}`;
    case 'queryHit':
      return `QueryHit ${p.hits.map((h) => h.name).join(', ').slice(0, 80)} at ${p.ip}:${p.port}${tail}`;
    case 'pong':
      return `Pong ${p.ip}:${p.port}, ${p.files} files${tail}`;
    default:
      return `Ping${tail}`;
  }
}

function payloadFields(d: Descriptor): DecodedField[] {
  const p = d.payload;
  switch (p.kind) {
    case 'ping':
      return [{ name: 'payload', value: 'none (a Ping is its header)' }];
    case 'pong':
      return [{ name: 'port', value: String(p.port) }, { name: 'IP address', value: p.ip }, { name: 'files shared', value: String(p.files) }, { name: 'kilobytes shared', value: String(p.kb) }];
    case 'query':
      return [{ name: 'minimum speed', value: `${p.minSpeed} kbit/s` }, { name: 'search criteria', value: p.criteria }];
    case 'queryHit':
      return [
        { name: 'number of hits', value: String(p.hits.length) },
        { name: 'port', value: String(p.port) },
        { name: 'IP address', value: p.ip },
        { name: 'speed', value: `${p.speed} kbit/s` },
        ...p.hits.map((h, i) => ({ name: `result ${i + 1}`, value: h.name, children: [{ name: 'file index', value: String(h.index) }, { name: 'file size', value: `${h.size} bytes` }, { name: 'download', value: `GET /get/${h.index}/${h.name} from ${p.ip}:${p.port}` }] })),
        { name: 'servent id', value: p.servent.toString('hex') },
      ];
  }
}

export function descriptorFields(bytes: Buffer): DecodedField[] {
  if (bytes.toString('latin1', 0, 8) === 'GNUTELLA') {
    const lines = bytes.toString('latin1').split('\r\n').filter(Boolean);
    return [{ name: 'Handshake', value: lines[0] ?? '', children: lines.slice(1).map((l) => ({ name: 'header', value: l })) }];
  }
  const r = decodeDescriptor(bytes);
  const header = (kind: string): DecodedField[] =>
    bytes.length >= HEADER_BYTES
      ? [
          { name: 'descriptor id (GUID)', value: bytes.subarray(0, 16).toString('hex') },
          { name: 'payload descriptor', value: `0x${bytes[16].toString(16).padStart(2, '0')} (${kind})` },
          { name: 'TTL', value: `${bytes[17]} (links it may still travel)` },
          { name: 'hops', value: `${bytes[18]} (links travelled)` },
          { name: 'payload length', value: `${bytes.readUInt32LE(19)} bytes (little-endian)` },
        ]
      : [];
  if (!r.ok) return [{ name: 'Gnutella', value: 'refused', children: [{ name: 'reason', value: r.reason }, ...header(r.header ? NAMES[r.header.kind] : 'unknown')] }];
  return [{ name: 'Gnutella', value: `${NAMES[r.d.kind]} — ${MEANING[r.d.kind]}`, children: [...header(NAMES[r.d.kind]), ...payloadFields(r.d)] }];
}

registerDecoder('gnutella', {
  summarize(kind, _dir, bytes) {
    if (kind === 'event') return bytes.toString('utf8', 0, 160);
    if (bytes.toString('latin1', 0, 8) === 'GNUTELLA') return bytes.toString('latin1', 0, bytes.indexOf('\r\n') < 0 ? 60 : bytes.indexOf('\r\n'));
    const r = decodeDescriptor(bytes);
    return r.ok ? describeDescriptor(r.d) : `refused: ${r.reason}`;
  },
  decode(kind, _dir, bytes) {
    return kind === 'event' ? [{ name: 'Note', value: bytes.toString('utf8') }] : descriptorFields(bytes);
  },
});

const INDEX_MEANING: Record<string, string> = {
  LOGIN: 'a peer joins: its name and the port its files are fetched from',
  ADD: 'one file of the peer\'s list: index, size, name',
  SEARCH: 'which peers hold a file matching these words?',
  QUIT: 'goodbye',
  '200': 'the server is ready',
  '201': 'logged in',
  '202': 'file added to the index',
  '210': 'a hit: name, size, the holder\'s address:port, file index, peer',
  '211': 'end of the answer',
  '221': 'closing',
};

registerDecoder('napster', {
  summarize(kind, _dir, bytes) {
    const text = bytes.toString('latin1').split('\r\n').filter(Boolean);
    if (kind === 'event' || text.length <= 1) return (text[0] ?? '').slice(0, 160);
    // an answer: its count, then the files and where they are
    return `${text[text.length - 1]}: ${text.slice(0, -1).map((l) => l.split(' ').slice(1, 4).filter((_, i) => i !== 1).join(' at ')).join(', ')}`.slice(0, 160);
  },
  decode(kind, _dir, bytes) {
    if (kind === 'event') return [{ name: 'Note', value: bytes.toString('utf8') }];
    return bytes
      .toString('latin1')
      .split('\r\n')
      .filter(Boolean)
      .map((l) => {
        const word = l.split(' ')[0].toUpperCase();
        return { name: /^\d+$/.test(word) ? `reply ${word}` : word, value: l, children: [{ name: 'meaning', value: INDEX_MEANING[word] ?? (word.startsWith('5') ? 'an error: the line was refused' : 'unknown') }] };
      });
  },
});

/**
 * Inspector decoder for the tracker: HTTP announce/scrape requests with their query
 * parameters, bencoded responses as a tree, and BEP 15 datagrams field by field.
 */
import type { DecodedField } from '../../api';
import { registerDecoder } from '../../capture/decoders';
import { oneLine } from '../../capture/text';
import { bdecode, bstr, isDict } from '../bencode';
import { bencodeTree } from '../bencode-tree';
import { parseQuery } from './announce';
import { parseUdpRequest } from './udp-packets';

const ACTIONS = ['connect', 'announce', 'scrape', 'error'];

function isHttp(bytes: Buffer): boolean {
  return /^(GET|POST|HEAD|PUT|HTTP\/)/.test(bytes.subarray(0, 8).toString('latin1'));
}

function showBytes(b: Buffer): string {
  return b.every((c) => c >= 0x20 && c < 0x7f) ? b.toString('latin1') : b.toString('hex');
}

function queryFields(target: string): DecodedField[] {
  const q = target.indexOf('?');
  if (q < 0) return [];
  try {
    return [...parseQuery(target.slice(q + 1))].map(([k, v]) => ({ name: k, value: v.map(showBytes).join(', ') }));
  } catch (err) {
    return [{ name: 'Query', value: `malformed: ${(err as Error).message}` }];
  }
}

function httpSummary(dir: string, bytes: Buffer): string {
  const first = bytes.toString('latin1', 0, Math.min(bytes.length, 2000)).split('\r\n')[0] ?? '';
  if (first.startsWith('HTTP/')) {
    const body = bodyOf(bytes);
    try {
      const v = bdecode(body);
      if (isDict(v)) {
        if (v['failure reason']) return `${first.slice(9)} · failure: ${bstr(v['failure reason'])}`;
        if (v.files) return `${first.slice(9)} · scrape`;
        const peers = v.peers;
        const n = peers instanceof Uint8Array ? peers.length / 6 : Array.isArray(peers) ? peers.length : 0;
        return `${first.slice(9)} · ${n} peers, ${v.complete ?? 0} seeds, ${v.incomplete ?? 0} leechers, interval ${v.interval ?? '?'} s`;
      }
    } catch {
      /* not bencode: say the status line */
    }
    return first;
  }
  const m = /^(\S+) (\S+)/.exec(first);
  if (!m) return oneLine(bytes);
  const path = m[2].split('?')[0];
  const fields = queryFields(m[2]);
  const get = (k: string): string | undefined => fields.find((f) => f.name === k)?.value;
  if (path === '/announce') {
    const hash = get('info_hash');
    return `${m[1]} /announce ${hash ? hash.slice(0, 8) + '…' : ''} port ${get('port') ?? '?'} left ${get('left') ?? '?'}${get('event') ? ' event ' + get('event') : ''}`;
  }
  return `${m[1]} ${m[2].slice(0, 100)}`;
}

function bodyOf(bytes: Buffer): Buffer {
  const end = bytes.indexOf('\r\n\r\n');
  return end < 0 ? Buffer.alloc(0) : bytes.subarray(end + 4);
}

function udpFields(dir: string, b: Buffer): { summary: string; fields: DecodedField[] } {
  if (dir === 'c2s') {
    try {
      const r = parseUdpRequest(b);
      const fields: DecodedField[] = Object.entries(r).map(([k, v]) => ({
        name: k,
        value: Buffer.isBuffer(v) ? v.toString('hex') : Array.isArray(v) ? v.join(', ') : String(v),
      }));
      const summary =
        r.action === 'announce'
          ? `UDP announce ${r.infoHash.slice(0, 8)}… port ${r.port} left ${r.left} event ${r.event}`
          : `UDP ${r.action} request (tx ${r.transactionId})`;
      return { summary, fields };
    } catch (err) {
      return { summary: `UDP tracker request, malformed: ${(err as Error).message}`, fields: [{ name: 'Error', value: (err as Error).message }] };
    }
  }
  if (b.length < 8) return { summary: 'UDP tracker reply (short)', fields: [] };
  const action = ACTIONS[b.readUInt32BE(0)] ?? `action ${b.readUInt32BE(0)}`;
  const fields: DecodedField[] = [
    { name: 'action', value: action },
    { name: 'transaction id', value: String(b.readUInt32BE(4)) },
  ];
  let summary = `UDP ${action} reply`;
  if (action === 'connect' && b.length >= 16) fields.push({ name: 'connection id', value: b.readBigUInt64BE(8).toString(16) });
  if (action === 'announce' && b.length >= 20) {
    const peers: DecodedField[] = [];
    for (let i = 20; i + 6 <= b.length; i += 6) peers.push({ name: `peer ${peers.length + 1}`, value: `${b[i]}.${b[i + 1]}.${b[i + 2]}.${b[i + 3]}:${b.readUInt16BE(i + 4)}` });
    fields.push(
      { name: 'interval', value: String(b.readUInt32BE(8)) },
      { name: 'leechers', value: String(b.readUInt32BE(12)) },
      { name: 'seeders', value: String(b.readUInt32BE(16)) },
      { name: 'peers', value: `${peers.length}`, children: peers },
    );
    summary = `UDP announce reply · ${peers.length} peers`;
  }
  if (action === 'error') {
    fields.push({ name: 'message', value: b.subarray(8).toString('utf8') });
    summary = `UDP error: ${b.subarray(8, 100).toString('utf8')}`;
  }
  return { summary, fields };
}

registerDecoder('bittorrent-tracker', {
  summarize(kind, dir, bytes) {
    if (kind === 'event') return oneLine(bytes, 120);
    if (isHttp(bytes)) return kind === 'chunk' ? oneLine(bytes) : httpSummary(dir, bytes);
    return udpFields(dir, bytes).summary;
  },
  decode(kind, dir, bytes) {
    if (!isHttp(bytes)) return udpFields(dir, bytes).fields;
    const text = bytes.toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    const headLines = (end < 0 ? text : text.slice(0, end)).split('\r\n');
    const fields: DecodedField[] = [
      { name: headLines[0].startsWith('HTTP/') ? 'Status line' : 'Request line', value: headLines[0].slice(0, 300) },
      { name: 'Headers', value: `${headLines.length - 1}`, children: headLines.slice(1).map((l) => ({ name: l.split(':')[0], value: l.slice(l.indexOf(':') + 1).trim() })) },
    ];
    if (!headLines[0].startsWith('HTTP/')) {
      const target = headLines[0].split(' ')[1] ?? '';
      fields.push({ name: 'Query', value: target.split('?')[0], children: queryFields(target) });
    } else if (end >= 0) {
      fields.push(bencodeTree(bytes.subarray(end + 4), 'Body (bencode)'));
    }
    return fields;
  },
});

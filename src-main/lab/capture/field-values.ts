/**
 * A captured message's filter fields, read from the field tree its decoder already gives
 * the inspector (capture.detail): `http.status` is the tree's Status line › Status code,
 * `dns.flags.rd` its Header › Flags › RD. One place maps filter names to tree paths.
 */
import type { CaptureKind, DecodedField, Direction } from '../api';
import { decoderFor } from './decoders';
import type { FieldSource, Value } from './field-filter';

export interface FilterRow {
  protocol: string;
  transport: string;
  kind: CaptureKind;
  dir: Direction;
  conn: number;
  bytes: Buffer;
}

type Read = (v: string) => Value;
const num: Read = (v) => Number(/^-?\d+/.exec(v)?.[0] ?? NaN);
const word: Read = (v) => v.trim().split(/[\s(]/)[0];
const hex: Read = (v) => parseInt(v, 16);
const text: Read = (v) => v;

/** filter field → the decoder's protocol, paths of field names ('*' matches any name), a reader */
const PATHS: Record<string, [string, string[][], Read]> = {
  'http.method': ['http', [['Request line', 'Method']], word],
  'http.uri': ['http', [['Request line', 'Request target']], text],
  'http.version': ['http', [['*', 'Version']], text],
  'http.status': ['http', [['Status line', 'Status code']], num],
  'http.reason': ['http', [['Status line', 'Reason phrase']], text],
  'http.host': ['http', [['Header fields', 'host']], text],
  'dns.id': ['dns', [['Header', 'Transaction ID']], hex],
  'dns.qname': ['dns', [['Question section', '*', 'Name']], (v) => v.replace(/\.$/, '')],
  'dns.qtype': ['dns', [['Question section', '*', 'Type']], text],
  'dns.flags.qr': ['dns', [['Header', 'Flags', 'QR']], num],
  'dns.flags.aa': ['dns', [['Header', 'Flags', 'AA']], num],
  'dns.flags.tc': ['dns', [['Header', 'Flags', 'TC']], num],
  'dns.flags.rd': ['dns', [['Header', 'Flags', 'RD']], num],
  'dns.flags.ra': ['dns', [['Header', 'Flags', 'RA']], num],
  'dns.rcode': ['dns', [['Header', 'Flags', 'RCODE']], word],
  'smtp.command': ['smtp', [['SMTP command', 'Verb']], word],
  'smtp.reply': ['smtp', [['SMTP reply', 'Code']], num],
  'pop3.command': ['pop3', [['POP3 command', 'Command']], word],
  'pop3.status': ['pop3', [['POP3 response', 'Status']], word],
  'imap.command': ['imap', [['IMAP command', 'Command']], word],
  'imap.tag': ['imap', [['*', 'Tag']], text],
  'imap.status': ['imap', [['IMAP response', 'Status']], word],
  // SIP (sip/sip-decoder.ts): the request or status line, the headers that name the transaction
  'sip.method': ['sip', [['SIP', 'Request line', 'Method']], word],
  'sip.status': ['sip', [['SIP', 'Status line', 'Status']], num],
  'sip.call_id': ['sip', [['SIP', 'Headers', 'Call-ID']], text],
  'sip.cseq': ['sip', [['SIP', 'Headers', 'CSeq']], text],
  // the tracker's announce, over HTTP (BEP 3: the query string) or UDP (BEP 15)
  'tracker.event': ['bittorrent-tracker', [['Query', 'event'], ['event']], text],
  'tracker.port': ['bittorrent-tracker', [['Query', 'port'], ['port']], num],
  'tracker.left': ['bittorrent-tracker', [['Query', 'left'], ['left']], num],
  'tracker.action': ['bittorrent-tracker', [['action']], text],
  // SNMP's ASN.1 fields (snmp/snmp-decoder.ts)
  'snmp.community': ['snmp', [['SNMP message', 'community']], text],
  'snmp.pdu': ['snmp', [['SNMP message', 'data']], word],
  'snmp.request_id': ['snmp', [['SNMP message', 'data', 'request-id']], num],
  'snmp.error_status': ['snmp', [['SNMP message', 'data', 'error-status']], word],
  'snmp.oid': ['snmp', [['SNMP message', 'data', 'variable-bindings', '*', 'Object Name']], word],
};

/** a filter's protocol name → the decoder's, where they differ */
const PROTOCOL_OF: Record<string, string> = { tracker: 'bittorrent-tracker' };

/** The tree's top-level field that says a message is the protocol's (not a text fallback). */
const PROTOCOL_ROOT: Record<string, (f: DecodedField) => boolean> = {
  http: (f) => f.name === 'Request line' || f.name === 'Status line',
  dns: (f) => f.name === 'Header',
  smtp: (f) => /^(SMTP |AUTH response|Message content)/.test(f.name),
  pop3: (f) => f.name.startsWith('POP3 '),
  imap: (f) => f.name.startsWith('IMAP '),
  sip: (f) => f.name === 'SIP' && f.value !== 'malformed',
  tracker: (f) => ['Request line', 'Status line', 'action'].includes(f.name),
  snmp: (f) => f.name === 'SNMP message' && f.value !== 'malformed',
};

function walk(fields: readonly DecodedField[], path: string[], out: string[]): void {
  const [step, ...rest] = path;
  for (const f of fields) {
    if (step !== '*' && f.name.toLowerCase() !== step.toLowerCase()) continue;
    if (rest.length === 0) out.push(f.value);
    else if (f.children) walk(f.children, rest, out);
  }
}

/** The field source for one message; its decoder runs once, only if a protocol field is asked. */
export function fieldSource(row: FilterRow): FieldSource {
  let tree: DecodedField[] | undefined;
  const decoded = (): DecodedField[] =>
    (tree ??= row.kind === 'event' ? [] : decoderFor(row.protocol).decode(row.kind, row.dir, row.bytes));
  // a chunk of a TCP stream is not a protocol message: the Messages view's rows are
  const isMessage = row.kind === 'message' || (row.transport === 'udp' && row.kind !== 'event');
  return (field) => {
    if (field === 'tcp' || field === 'udp') return row.transport === field && row.kind !== 'event' ? [row.conn] : [];
    if (field === 'tcp.stream' || field === 'udp.stream') return row.transport === field.slice(0, 3) ? [row.conn] : [];
    const proto = field.split('.')[0];
    if (row.protocol !== (PROTOCOL_OF[proto] ?? proto) || !isMessage) return [];
    if (field === proto) return decoded().some(PROTOCOL_ROOT[proto] ?? (() => false)) ? [proto] : [];
    const spec = PATHS[field];
    if (!spec) return [];
    const out: string[] = [];
    for (const path of spec[1]) walk(decoded(), path, out);
    return out.map(spec[2]).filter((v) => !(typeof v === 'number' && Number.isNaN(v)));
  };
}

/**
 * The inspector's DNS decoder (pure): a one-line summary as Wireshark writes it, and the
 * whole message as a field tree — header with every flag, question, answer, authority and
 * additional sections (RFC 1035 §4.1). Messages over TCP arrive as chunks with their length
 * prefix, or framed without it.
 */
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import type { CaptureKind, DecodedField, Direction } from '../api';
import { messageRcode, rcodeName } from './codec';
import { RCODE_TEXT } from './rcode-text';

const OPCODES = ['QUERY', 'IQUERY', 'STATUS', '3', 'NOTIFY', 'UPDATE'];

/** The DNS message inside captured bytes: a TCP chunk starts with a length prefix. */
function message(kind: CaptureKind, bytes: Buffer): { msg: Buffer; prefix?: number } {
  if (kind === 'chunk' && bytes.length >= 2 && bytes.readUInt16BE(0) === bytes.length - 2) return { msg: bytes.subarray(2), prefix: bytes.readUInt16BE(0) };
  return { msg: bytes };
}

function decodeSafe(msg: Buffer): { p: DecodedPacket } | { error: string } {
  try {
    return { p: packet.decode(msg) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function data(a: Answer): string {
  const d = (a as { data?: unknown }).data;
  switch (a.type) {
    case 'MX': {
      const m = d as packet.MxData;
      return `${m.preference ?? 0} ${m.exchange}`;
    }
    case 'SRV': {
      const v = d as packet.SrvData;
      return `${v.priority ?? 0} ${v.weight ?? 0} ${v.port} ${v.target}`;
    }
    case 'SOA': {
      const s = d as packet.SoaData;
      return `${s.mname} ${s.rname} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    }
    case 'TXT':
      return (Array.isArray(d) ? d : [d]).map((x) => `"${Buffer.isBuffer(x) ? x.toString('utf8') : String(x)}"`).join(' ');
    case 'OPT':
      return '';
    default:
      return Buffer.isBuffer(d) ? `${d.length} bytes` : String(d);
  }
}

export function summarizeDns(kind: CaptureKind, _dir: Direction, bytes: Buffer): string {
  const { msg } = message(kind, bytes);
  const r = decodeSafe(msg);
  if ('error' in r) {
    if (kind === 'chunk' && bytes.length >= 2) return `DNS over TCP: ${bytes.length} bytes`;
    return `Malformed DNS message (${msg.length} bytes): ${r.error}`;
  }
  const p = r.p;
  const id = `0x${(p.id ?? 0).toString(16).padStart(4, '0')}`;
  const q = p.questions?.[0];
  const question = q ? `${q.type} ${q.name}` : '(no question)';
  if (!p.flag_qr) return `Standard query ${id} ${question}`;
  const rcode = messageRcode(p);
  const parts = [`Standard query response ${id}`];
  if (rcode !== 'NOERROR') parts.push(RCODE_TEXT[rcode] ?? rcode);
  parts.push(question);
  const answers = p.answers ?? [];
  if (answers.length) parts.push(answers.slice(0, 4).map((a) => `${a.type} ${data(a)}`).join(' ') + (answers.length > 4 ? ' …' : ''));
  else {
    const ns = (p.authorities ?? []).filter((a) => a.type === 'NS');
    if (ns.length) parts.push(`referral: ${ns[0].name === '.' ? '.' : ns[0].name} NS ${ns.map(data).join(' ')}`);
    else if ((p.authorities ?? []).some((a) => a.type === 'SOA') && rcode === 'NOERROR') parts.push('(no such record)');
  }
  if (p.flag_tc) parts.push('(truncated)');
  return parts.join(' ');
}

function flag(on: boolean, name: string, yes: string, no: string): DecodedField {
  return { name, value: `${on ? 1 : 0} (${on ? yes : no})` };
}

function rrField(a: Answer): DecodedField {
  if (a.type === 'OPT') {
    const o = a as packet.OptAnswer;
    return {
      name: 'OPT (EDNS pseudo-record)',
      value: `UDP payload size ${o.udpPayloadSize}`,
      children: [
        { name: 'UDP payload size', value: `${o.udpPayloadSize} bytes (the largest reply this end accepts over UDP)` },
        { name: 'Extended RCODE', value: `${o.extendedRcode} (the upper 8 bits of the reply's RCODE${o.extendedRcode ? `: ${o.extendedRcode << 4} and up` : ''})` },
        { name: 'EDNS version', value: String(o.ednsVersion) },
        { name: 'DO (DNSSEC OK)', value: o.flag_do ? '1' : '0' },
        { name: 'Options', value: String(o.options?.length ?? 0) },
      ],
    };
  }
  const ttl = (a as { ttl?: number }).ttl ?? 0;
  const cls = (a as { class?: string }).class ?? 'IN';
  return {
    name: `${a.name}: type ${a.type}, class ${cls}`,
    value: data(a),
    children: [
      { name: 'Name', value: a.name },
      { name: 'Type', value: a.type },
      { name: 'Class', value: cls },
      { name: 'Time to live', value: `${ttl} (${human(ttl)})` },
      { name: 'Data', value: data(a) },
    ],
  };
}

function human(s: number): string {
  if (s < 60) return `${s} seconds`;
  if (s < 3600) return `${Math.round(s / 60)} minutes`;
  if (s < 86400) return `${+(s / 3600).toFixed(1)} hours`;
  return `${+(s / 86400).toFixed(1)} days`;
}

/** `p`: the decoded message, whose OPT record may carry the RCODE's upper bits (RFC 6891 §6.1.3) */
function header(msg: Buffer, p?: DecodedPacket): DecodedField[] {
  if (msg.length < 12) return [];
  const flags = msg.readUInt16BE(2);
  const rcode = p ? messageRcode(p) : rcodeName(flags);
  const opt = (p?.additionals ?? []).find((a) => a.type === 'OPT') as packet.OptAnswer | undefined;
  const code = ((opt?.extendedRcode ?? 0) << 4) | (flags & 0xf);
  const extended = code > 0xf ? `; ${flags & 0xf} in the header, ${opt?.extendedRcode} in the OPT record's upper bits` : '';
  return [
    { name: 'Transaction ID', value: `0x${msg.readUInt16BE(0).toString(16).padStart(4, '0')}` },
    {
      name: 'Flags',
      value: `0x${flags.toString(16).padStart(4, '0')}`,
      children: [
        flag(!!(flags & 0x8000), 'QR', 'response', 'query'),
        { name: 'Opcode', value: `${OPCODES[(flags >> 11) & 0xf] ?? (flags >> 11) & 0xf} (${(flags >> 11) & 0xf})` },
        flag(!!(flags & 0x0400), 'AA', 'authoritative answer', 'not authoritative'),
        flag(!!(flags & 0x0200), 'TC', 'truncated: ask again over TCP', 'not truncated'),
        flag(!!(flags & 0x0100), 'RD', 'recursion desired', 'no recursion: iterative'),
        flag(!!(flags & 0x0080), 'RA', 'recursion available', 'recursion not available'),
        { name: 'Z', value: String((flags >> 6) & 1) },
        flag(!!(flags & 0x0020), 'AD', 'authentic data', 'not authenticated'),
        flag(!!(flags & 0x0010), 'CD', 'checking disabled', 'checking enabled'),
        { name: 'RCODE', value: `${rcode} (${code}${RCODE_TEXT[rcode] ? `: ${RCODE_TEXT[rcode]}` : ''}${extended})` },
      ],
    },
    { name: 'Questions', value: String(msg.readUInt16BE(4)) },
    { name: 'Answer RRs', value: String(msg.readUInt16BE(6)) },
    { name: 'Authority RRs', value: String(msg.readUInt16BE(8)) },
    { name: 'Additional RRs', value: String(msg.readUInt16BE(10)) },
  ];
}

export function decodeDns(kind: CaptureKind, _dir: Direction, bytes: Buffer): DecodedField[] {
  const { msg, prefix } = message(kind, bytes);
  const out: DecodedField[] = [];
  if (prefix !== undefined) out.push({ name: 'Length (TCP)', value: `${prefix} bytes (RFC 1035 §4.2.2: each message over TCP is preceded by its length)` });
  const r = decodeSafe(msg);
  const head = header(msg, 'p' in r ? r.p : undefined);
  if ('error' in r) {
    out.push({ name: 'Malformed DNS message', value: r.error }, { name: 'Length', value: `${msg.length} bytes` });
    if (head.length) out.push({ name: 'Header', value: 'as far as it can be read', children: head });
    return out;
  }
  const p = r.p;
  out.push({ name: 'Header', value: p.flag_qr ? 'response' : 'query', children: head });
  const section = (name: string, list: readonly Answer[] | undefined): void => {
    if (!list?.length) return;
    out.push({ name, value: `${list.length} record${list.length === 1 ? '' : 's'}`, children: list.map(rrField) });
  };
  if (p.questions?.length) {
    out.push({
      name: 'Question section',
      value: p.questions.map((q) => `${q.name} ${q.type}`).join(', '),
      children: p.questions.map((q) => ({
        name: `${q.name}: type ${q.type}, class ${q.class ?? 'IN'}`,
        value: '',
        children: [
          { name: 'Name', value: q.name },
          { name: 'Type', value: q.type },
          { name: 'Class', value: String(q.class ?? 'IN') },
        ],
      })),
    });
  }
  section('Answer section', p.answers);
  section('Authority section', p.authorities);
  section('Additional section', p.additionals);
  out.push({ name: 'Length', value: `${msg.length} bytes` });
  return out;
}

export const dnsDecoder = { summarize: summarizeDns, decode: decodeDns };

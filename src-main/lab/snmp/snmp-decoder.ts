/**
 * The inspector's SNMP decoder: the ASN.1 fields of the message as a tree — version,
 * community, the PDU's type, request-id, error-status and error-index (GetBulk's
 * non-repeaters and max-repetitions), each varbind's OID and typed value — and each field's
 * BER tag and length. A summary names the request-id, so the inspector pairs a response
 * with its request. Pure: bytes in, fields out.
 */
import type { DecodedField } from '../api';
import type { Decoder } from '../capture/decoders';
import { BerReader, type Tlv } from './ber';
import { oidName, oidText } from './oid';
import { decodeMessage, PDU, PDU_NAMES, VALUE_TAG, type SnmpMessage } from './snmp-message';
import { errorName, valueText } from './snmp-format';

const VERSIONS = ['version-1 (0)', 'v2c (1)', 'v2u (2)', 'v3 (3)'];
const TYPE_OF_TAG = new Map(Object.entries(VALUE_TAG).map(([k, v]) => [v, k]));

function ber(t: Tlv): string {
  return `tag 0x${t.tag.toString(16).padStart(2, '0')}, length ${t.end - t.contentStart}`;
}

/** the varbinds' BER headers, read again alongside the decoded values */
function varbindTlvs(bytes: Buffer): { vb: Tlv; value: Tlv }[] {
  const out: { vb: Tlv; value: Tlv }[] = [];
  const r = new BerReader(bytes);
  const seq = r.inside(r.next());
  seq.next();
  seq.next();
  const pdu = seq.inside(seq.next());
  for (let i = 0; i < 3; i++) pdu.next();
  const list = pdu.inside(pdu.next());
  while (!list.done) {
    const vb = list.next();
    const inner = list.inside(vb);
    inner.next();
    out.push({ vb, value: inner.next() });
  }
  return out;
}

function fields(m: SnmpMessage, bytes: Buffer): DecodedField[] {
  const p = m.pdu;
  const bulk = p.type === PDU.getBulk;
  const tlvs = varbindTlvs(bytes);
  return [
    {
      name: 'SNMP message',
      value: `SEQUENCE, ${bytes.length} bytes`,
      children: [
        { name: 'version', value: VERSIONS[m.version] ?? String(m.version) },
        { name: 'community', value: m.community.toString('latin1') },
        {
          name: 'data',
          value: `${PDU_NAMES[p.type]} (tag 0x${p.type.toString(16)})`,
          children: [
            { name: 'request-id', value: String(p.requestId) },
            bulk ? { name: 'non-repeaters', value: String(p.errorStatus) } : { name: 'error-status', value: `${errorName(p.errorStatus)} (${p.errorStatus})` },
            bulk ? { name: 'max-repetitions', value: String(p.errorIndex) } : { name: 'error-index', value: String(p.errorIndex) },
            {
              name: 'variable-bindings',
              value: `${p.varbinds.length} item${p.varbinds.length === 1 ? '' : 's'}`,
              children: p.varbinds.map((vb, i) => ({
                name: oidText(vb.oid),
                value: `${oidName(vb.oid, false)}: ${valueText(vb.value)}`,
                children: [
                  { name: 'Object Name', value: `${oidText(vb.oid)} (${oidName(vb.oid)})` },
                  { name: 'Value type', value: `${TYPE_OF_TAG.get(tlvs[i]?.value.tag ?? -1) ?? '?'} (${tlvs[i] ? ber(tlvs[i].value) : ''})` },
                  { name: 'Value', value: valueText(vb.value) },
                ],
              })),
            },
          ],
        },
      ],
    },
  ];
}

export function snmpSummary(m: SnmpMessage): string {
  const p = m.pdu;
  const first = p.varbinds[0];
  const more = p.varbinds.length > 1 ? ` (+${p.varbinds.length - 1} more)` : '';
  const head = `${PDU_NAMES[p.type]} id=${p.requestId}`;
  if (p.type === PDU.response && p.errorStatus) return `${head} ${errorName(p.errorStatus)} at varbind ${p.errorIndex}`;
  if (!first) return head;
  const value = p.type === PDU.response || p.type === PDU.set || p.type === PDU.trapV2 ? ` = ${valueText(first.value)}` : '';
  const bulk = p.type === PDU.getBulk ? ` non-repeaters ${p.errorStatus} max-repetitions ${p.errorIndex}` : '';
  return `${head}${bulk} ${oidName(first.oid, false)}${value}${more}`.slice(0, 300);
}

export const snmpDecoder: Decoder = {
  summarize(kind, _dir, bytes) {
    if (kind === 'event') return bytes.toString('utf8', 0, 200);
    try {
      return snmpSummary(decodeMessage(bytes));
    } catch (err) {
      return `malformed SNMP: ${(err as Error).message}`.slice(0, 200);
    }
  },
  decode(kind, _dir, bytes) {
    if (kind === 'event') return [{ name: 'Note', value: bytes.toString('utf8') }];
    try {
      return fields(decodeMessage(bytes), bytes);
    } catch (err) {
      return [{ name: 'SNMP message', value: 'malformed', children: [{ name: 'BER error', value: (err as Error).message }, { name: 'Length', value: `${bytes.length} bytes` }] }];
    }
  },
};

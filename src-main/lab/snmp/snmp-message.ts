/**
 * SNMP messages (RFC 1157 §4 for v1, RFC 3416 §3 + RFC 1901 for v2c): a SEQUENCE of version,
 * community and one PDU; the PDU a request-id, error-status, error-index (GetBulk:
 * non-repeaters, max-repetitions) and the variable bindings. Pure: bytes in, values out.
 */
import {
  BerError,
  BerReader,
  constructed,
  oidBytes,
  readOid,
  readSigned,
  readUnsigned,
  signedBytes,
  TAG,
  tlv,
  unsignedBytes,
  type Tlv,
} from './ber';

export const VERSION_1 = 0;
export const VERSION_2C = 1;

export const PDU = {
  get: 0xa0,
  getNext: 0xa1,
  response: 0xa2,
  set: 0xa3,
  trapV1: 0xa4,
  getBulk: 0xa5,
  inform: 0xa6,
  trapV2: 0xa7,
  report: 0xa8,
} as const;
export type PduTag = (typeof PDU)[keyof typeof PDU];

export const PDU_NAMES: Record<number, string> = {
  0xa0: 'get-request',
  0xa1: 'get-next-request',
  0xa2: 'get-response',
  0xa3: 'set-request',
  0xa4: 'trap',
  0xa5: 'getBulkRequest',
  0xa6: 'informRequest',
  0xa7: 'snmpV2-trap',
  0xa8: 'report',
};

/** RFC 3416 §3 error-status values (0–5 are v1's, RFC 1157 §4.1.1) */
export const ERROR_NAMES = [
  'noError', 'tooBig', 'noSuchName', 'badValue', 'readOnly', 'genErr', 'noAccess', 'wrongType', 'wrongLength', 'wrongEncoding',
  'wrongValue', 'noCreation', 'inconsistentValue', 'resourceUnavailable', 'commitFailed', 'undoFailed', 'authorizationError',
  'notWritable', 'inconsistentName',
];
export const ERR = Object.fromEntries(ERROR_NAMES.map((n, i) => [n, i])) as Record<string, number>;

export type SnmpValue =
  | { type: 'Integer'; value: number }
  | { type: 'OctetString'; value: Buffer }
  | { type: 'Null' }
  | { type: 'OID'; value: number[] }
  | { type: 'IpAddress'; value: string }
  | { type: 'Counter32' | 'Gauge32' | 'TimeTicks'; value: number }
  | { type: 'Counter64'; value: bigint }
  | { type: 'Opaque'; value: Buffer }
  | { type: 'noSuchObject' | 'noSuchInstance' | 'endOfMibView' };
export type ValueType = SnmpValue['type'];

export const VALUE_TAG: Record<ValueType, number> = {
  Integer: TAG.INTEGER,
  OctetString: TAG.OCTET_STRING,
  Null: TAG.NULL,
  OID: TAG.OID,
  IpAddress: 0x40,
  Counter32: 0x41,
  Gauge32: 0x42,
  TimeTicks: 0x43,
  Opaque: 0x44,
  Counter64: 0x46,
  noSuchObject: 0x80,
  noSuchInstance: 0x81,
  endOfMibView: 0x82,
};
const TAG_TYPE = new Map(Object.entries(VALUE_TAG).map(([k, v]) => [v, k as ValueType]));

export interface VarBind {
  oid: number[];
  value: SnmpValue;
}

export interface Pdu {
  type: PduTag;
  requestId: number;
  /** error-status, or GetBulk's non-repeaters */
  errorStatus: number;
  /** error-index, or GetBulk's max-repetitions */
  errorIndex: number;
  varbinds: VarBind[];
}

export interface SnmpMessage {
  version: number;
  community: Buffer;
  pdu: Pdu;
}

export function decodeValue(buf: Buffer, t: Tlv): SnmpValue {
  const type = TAG_TYPE.get(t.tag);
  const content = (): Buffer => buf.subarray(t.contentStart, t.end);
  switch (type) {
    case 'Integer':
      return { type, value: readSigned(buf, t) };
    case 'OctetString':
    case 'Opaque':
      return { type, value: content() };
    case 'Null':
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      if (t.end !== t.contentStart) throw new BerError(`${type} at byte ${t.start} must be empty`);
      return { type };
    case 'OID':
      return { type, value: readOid(buf, t) };
    case 'IpAddress':
      if (t.end - t.contentStart !== 4) throw new BerError(`IpAddress at byte ${t.start} must be 4 bytes`);
      return { type, value: [...content()].join('.') };
    case 'Counter32':
    case 'Gauge32':
    case 'TimeTicks':
      return { type, value: Number(readUnsigned(buf, t)) };
    case 'Counter64':
      return { type, value: readUnsigned(buf, t, 9) };
    default:
      throw new BerError(`unknown value tag 0x${t.tag.toString(16)} at byte ${t.start}`);
  }
}

export function encodeValue(v: SnmpValue): Buffer {
  const tag = VALUE_TAG[v.type];
  switch (v.type) {
    case 'Integer':
      return tlv(tag, signedBytes(v.value));
    case 'OctetString':
    case 'Opaque':
      return tlv(tag, v.value);
    case 'OID':
      return tlv(tag, oidBytes(v.value));
    case 'IpAddress':
      return tlv(tag, Buffer.from(v.value.split('.').map(Number)));
    case 'Counter32':
    case 'Gauge32':
    case 'TimeTicks':
      return tlv(tag, unsignedBytes(BigInt(Math.trunc(v.value) >>> 0)));
    case 'Counter64':
      return tlv(tag, unsignedBytes(BigInt.asUintN(64, v.value)));
    default:
      return tlv(tag, Buffer.alloc(0));
  }
}

export function encodeVarBind(vb: VarBind): Buffer {
  return constructed(TAG.SEQUENCE, [tlv(TAG.OID, oidBytes(vb.oid)), encodeValue(vb.value)]);
}

/** the message around already-encoded varbinds (the agent sizes a response varbind by varbind) */
export function encodeMessageWith(m: Omit<SnmpMessage, 'pdu'> & { pdu: Omit<Pdu, 'varbinds'> }, varbinds: Buffer[]): Buffer {
  const p = m.pdu;
  const pdu = constructed(p.type, [
    tlv(TAG.INTEGER, signedBytes(p.requestId)),
    tlv(TAG.INTEGER, signedBytes(p.errorStatus)),
    tlv(TAG.INTEGER, signedBytes(p.errorIndex)),
    constructed(TAG.SEQUENCE, varbinds.length ? varbinds : [Buffer.alloc(0)]),
  ]);
  return constructed(TAG.SEQUENCE, [tlv(TAG.INTEGER, signedBytes(m.version)), tlv(TAG.OCTET_STRING, m.community), pdu]);
}

export function encodeMessage(m: SnmpMessage): Buffer {
  return encodeMessageWith(m, m.pdu.varbinds.map(encodeVarBind));
}

/** the bytes a message takes around its varbinds' bytes (for sizing a response) */
export function messageOverhead(m: Omit<SnmpMessage, 'pdu'> & { pdu: Omit<Pdu, 'varbinds'> }, varbindBytes: number): number {
  const int = (v: number): number => 2 + signedBytes(v).length;
  const len = (n: number): number => (n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4);
  const list = 1 + len(varbindBytes) + varbindBytes;
  const pduBody = int(m.pdu.requestId) + int(m.pdu.errorStatus) + int(m.pdu.errorIndex) + list;
  const pdu = 1 + len(pduBody) + pduBody;
  const body = int(m.version) + 1 + len(m.community.length) + m.community.length + pdu;
  return 1 + len(body) + body - varbindBytes;
}

export function decodeMessage(buf: Buffer): SnmpMessage {
  const outer = new BerReader(buf);
  const seq = outer.expect(TAG.SEQUENCE, 'message');
  if (seq.end !== buf.length) throw new BerError(`${buf.length - seq.end} bytes after the message`);
  const r = outer.inside(seq);
  const version = readSigned(buf, r.expect(TAG.INTEGER, 'version'));
  const c = r.expect(TAG.OCTET_STRING, 'community');
  const community = buf.subarray(c.contentStart, c.end);
  const p = r.next();
  if (!(p.tag in PDU_NAMES)) throw new BerError(`unknown PDU type 0x${p.tag.toString(16)} at byte ${p.start}`);
  if (p.tag === PDU.trapV1) throw new BerError('a v1 Trap-PDU is not a request an agent answers');
  if (!r.done) throw new BerError('bytes after the PDU inside the message');
  const pr = r.inside(p);
  const requestId = readSigned(buf, pr.expect(TAG.INTEGER, 'request-id'));
  const errorStatus = readSigned(buf, pr.expect(TAG.INTEGER, 'error-status'));
  const errorIndex = readSigned(buf, pr.expect(TAG.INTEGER, 'error-index'));
  const list = pr.expect(TAG.SEQUENCE, 'variable-bindings');
  const lr = pr.inside(list);
  const varbinds: VarBind[] = [];
  while (!lr.done) {
    const vb = lr.expect(TAG.SEQUENCE, 'VarBind');
    const vr = lr.inside(vb);
    const oid = readOid(buf, vr.expect(TAG.OID, 'name'));
    const value = decodeValue(buf, vr.next());
    if (!vr.done) throw new BerError(`bytes after the value in the VarBind at byte ${vb.start}`);
    varbinds.push({ oid, value });
  }
  return { version, community, pdu: { type: p.tag as PduTag, requestId, errorStatus, errorIndex, varbinds } };
}

/** The SNMP BER codec: every value type round-trips, lengths in every form, and malformed bytes get a precise error. */
import { describe, expect, it } from 'vitest';
import { BerError, oidBytes, signedBytes } from '../../../src-main/lab/snmp/ber';
import { decodeMessage, encodeMessage, PDU, type SnmpMessage, type SnmpValue } from '../../../src-main/lab/snmp/snmp-message';
import { snmpDecoder } from '../../../src-main/lab/snmp/snmp-decoder';
import { parseOid, oidName } from '../../../src-main/lab/snmp/oid';

const message = (value: SnmpValue, requestId = 1234): SnmpMessage => ({
  version: 1,
  community: Buffer.from('public'),
  pdu: { type: PDU.response, requestId, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: [1, 3, 6, 1, 2, 1, 1, 5, 0], value }] },
});

describe('BER codec', () => {
  const values: SnmpValue[] = [
    { type: 'Integer', value: 0 },
    { type: 'Integer', value: -1 },
    { type: 'Integer', value: 127 },
    { type: 'Integer', value: 128 },
    { type: 'Integer', value: -129 },
    { type: 'Integer', value: 2 ** 31 - 1 },
    { type: 'Integer', value: -(2 ** 31) },
    { type: 'OctetString', value: Buffer.from('gaia.cs.umass.edu') },
    { type: 'OctetString', value: Buffer.alloc(300, 0x41) },
    { type: 'Null' },
    { type: 'OID', value: [1, 3, 6, 1, 4, 1, 32473, 17, 4294967295] },
    { type: 'OID', value: [2, 999, 3] },
    { type: 'IpAddress', value: '128.119.40.205' },
    { type: 'Counter32', value: 4294967295 },
    { type: 'Gauge32', value: 0 },
    { type: 'TimeTicks', value: 123456 },
    { type: 'Counter64', value: 18446744073709551615n },
    { type: 'noSuchObject' },
    { type: 'noSuchInstance' },
    { type: 'endOfMibView' },
  ];
  it.each(values.map((v) => [v.type, v] as const))('round-trips %s', (_t, v) => {
    const m = message(v, -5);
    expect(decodeMessage(encodeMessage(m))).toEqual(m);
  });

  it('encodes as X.690 says: minimal two\'s complement integers, 40·X+Y for the first OID arcs, long-form lengths', () => {
    expect(signedBytes(128).toString('hex')).toBe('0080');
    expect(signedBytes(-128).toString('hex')).toBe('80');
    expect(oidBytes([1, 3, 6, 1, 4, 1, 32473]).toString('hex')).toBe('2b0601040181fd59');
    const long = encodeMessage(message({ type: 'OctetString', value: Buffer.alloc(300) }));
    expect(long[1]).toBe(0x82);
  });

  it('refuses malformed bytes with the reason', () => {
    const good = encodeMessage(message({ type: 'Integer', value: 5 }));
    const err = (b: Buffer) => {
      try {
        decodeMessage(b);
      } catch (e) {
        expect(e).toBeInstanceOf(BerError);
        return (e as Error).message;
      }
      return 'decoded';
    };
    expect(err(good.subarray(0, 10))).toMatch(/runs past the end/);
    expect(err(Buffer.from([0x30]))).toMatch(/truncated/);
    expect(err(Buffer.from([0x30, 0x80, 0, 0]))).toMatch(/indefinite length/);
    expect(err(Buffer.from([0x30, 0x85, 1, 1, 1, 1, 1]))).toMatch(/5-byte length/);
    expect(err(Buffer.concat([good, Buffer.from([0])]))).toMatch(/1 bytes after the message/);
    const wide = Buffer.from(good);
    wide[wide.indexOf(0xa2)] = 0xa9;
    expect(err(wide)).toMatch(/unknown PDU type 0xa9/);
    expect(err(Buffer.from([0x02, 0x01, 0x00]))).toMatch(/message: expected tag 0x30, found 0x02/);
  });

  it('the inspector decoder shows the ASN.1 fields as a tree and names the request-id in the summary', () => {
    const bytes = encodeMessage(message({ type: 'OctetString', value: Buffer.from('gaia.cs.umass.edu') }, 42));
    expect(snmpDecoder.summarize('message', 's2c', bytes)).toBe('get-response id=42 sysName.0 = STRING: gaia.cs.umass.edu');
    const [root] = snmpDecoder.decode('message', 's2c', bytes);
    const names = JSON.stringify(root);
    for (const f of ['version', 'community', 'request-id', 'error-status', 'error-index', 'variable-bindings', 'Object Name', 'Value type']) expect(names).toContain(`"${f}"`);
    expect(names).toContain('OctetString (tag 0x04, length 17)');
    expect(snmpDecoder.summarize('message', 'c2s', Buffer.from([0x30, 0x05, 0x02]))).toMatch(/^malformed SNMP: /);
  });

  it('parses OIDs by number and by name, and names them back', () => {
    expect(parseOid('SNMPv2-MIB::sysName.0')).toEqual([1, 3, 6, 1, 2, 1, 1, 5, 0]);
    expect(parseOid('.1.3.6.1.2.1.2.2.1.10.3')).toEqual([1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 3]);
    expect(parseOid('ifInOctets.3')).toEqual([1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 3]);
    expect(parseOid('noSuchThing.0')).toMatch(/Unknown Object Identifier/);
    expect(oidName([1, 3, 6, 1, 4, 1, 32473, 17, 3, 1, 2, 4])).toBe('NETLAB-MIB::netlabLinkDelay.4');
  });
});

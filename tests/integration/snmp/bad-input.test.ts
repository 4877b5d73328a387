/**
 * Hostile datagrams to the SNMP agent from a raw UDP socket: a truncated BER, a length past
 * the datagram, an unknown PDU tag, a 10 KB OID. Each is dropped (no answer, as SNMP does),
 * counted in snmpInASNParseErrs and noted in the capture; the agent keeps serving. A GetBulk
 * asking for a million repetitions is answered within one datagram (RFC 3416 §4.2.3).
 */
import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { labForFile, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';
import { encodeMessage, PDU } from '../../../src-main/lab/snmp/snmp-message';
import { constructed, tlv } from '../../../src-main/lab/snmp/ber';

const held = labForFile();
const agent = () => `udp:127.0.0.1:${held.port('snmp')}`;

/** send one datagram; what came back within `ms` (null: nothing) */
async function exchange(bytes: Buffer, ms = 400): Promise<Buffer | null> {
  const socket = dgram.createSocket('udp4');
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), ms);
      socket.on('message', (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      socket.send(bytes, held.port('snmp'), '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

const get = (oid: number[], requestId = 7) =>
  encodeMessage({ version: 1, community: Buffer.from('public'), pdu: { type: PDU.get, requestId, errorStatus: 0, errorIndex: 0, varbinds: [{ oid, value: { type: 'Null' } }] } });

async function parseErrs(): Promise<number> {
  const r = await run('snmpget', ['-On', '-v2c', '-c', 'public', agent(), '1.3.6.1.2.1.11.6.0']);
  return Number(/Counter32: (\d+)/.exec(r.stdout)?.[1]);
}

describe('bad input to the SNMP agent', () => {
  it('drops malformed BER, counts snmpInASNParseErrs, notes why, and keeps serving', async () => {
    const good = get([1, 3, 6, 1, 2, 1, 1, 5, 0]);
    expect(await exchange(good)).not.toBeNull();
    const before = await parseErrs();
    const pastEnd = Buffer.from(good);
    pastEnd[1] = good[1] + 40; // the message's length runs past the datagram
    const unknownPdu = Buffer.from(good);
    unknownPdu[unknownPdu.indexOf(0xa0)] = 0xa9;
    // a 10 KB OID: 10,240 sub-identifiers, each well-formed, in a message whose lengths all add up
    const oid = tlv(0x06, Buffer.concat([Buffer.from([0x2b]), Buffer.alloc(10_239, 0x01)]));
    const varbinds = constructed(0x30, [constructed(0x30, [oid, Buffer.from([0x05, 0x00])])]);
    const pdu = constructed(0xa0, [Buffer.from([0x02, 0x01, 0x07, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]), varbinds]);
    const hugeOid = constructed(0x30, [Buffer.from([0x02, 0x01, 0x01]), tlv(0x04, Buffer.from('public')), pdu]);
    const bad = [good.subarray(0, good.length - 9), pastEnd, unknownPdu, hugeOid];
    for (const b of bad) expect(await exchange(b, 300)).toBeNull();
    expect(await parseErrs()).toBe(before + bad.length);
    const notes = (await held.lab['capture.list']({ afterId: 0, limit: 100_000 })).filter((m) => m.service === 'snmp' && m.kind === 'event');
    expect(notes.filter((m) => m.summary.includes('ASN.1 parse error'))).toHaveLength(bad.length);
    expect(notes.some((m) => m.summary.includes('unknown PDU type 0xa9'))).toBe(true);
    expect(notes.some((m) => m.summary.includes('more than 128 sub-identifiers'))).toBe(true);
    // the inspector's decoder says what is wrong with the datagram itself
    const rows = (await held.lab['capture.list']({ afterId: 0, limit: 100_000 })).filter((m) => m.service === 'snmp' && m.kind === 'message');
    expect(rows.some((m) => m.summary.startsWith('malformed SNMP: length'))).toBe(true);
    // still serving
    const after = await run('snmpget', ['-On', '-v2c', '-c', 'public', agent(), '1.3.6.1.2.1.1.5.0']);
    expect(after.stdout).toContain('STRING: "localhost"');
  });

  it('answers a GetBulk for a million repetitions within one datagram, cut at a varbind', async () => {
    const bulk = encodeMessage({
      version: 1,
      community: Buffer.from('public'),
      pdu: { type: PDU.getBulk, requestId: 99, errorStatus: 0, errorIndex: 1_000_000, varbinds: [{ oid: [1, 3, 6, 1, 2, 1, 2, 2], value: { type: 'Null' } }] },
    });
    const reply = await exchange(bulk, 2000);
    expect(reply).not.toBeNull();
    expect(reply!.length).toBeLessThanOrEqual(1472);
    // net-snmp's snmpbulkget reads it: many varbinds, all of them whole
    const r = await run('snmpbulkget', ['-On', '-v2c', '-c', 'public', '-Cr1000000', agent(), '1.3.6.1.2.1.2.2']);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.every((l) => /^\.1\.3\.6\.1\.2\.1\.2\.2\.1\.\d+\.\d+ = /.test(l))).toBe(true);
    await waitFor(async () => (await run('snmpget', ['-On', '-v2c', '-c', 'public', agent(), '1.3.6.1.2.1.1.5.0'])).stdout.includes('localhost'), 'the agent to answer after the bulk');
  });

  it('drops a v3 message (snmpInBadVersions) and a GetBulk in v1, answering neither', async () => {
    const v3 = get([1, 3, 6, 1, 2, 1, 1, 5, 0]);
    v3[v3.indexOf(0x02) + 2] = 3;
    expect(await exchange(v3, 300)).toBeNull();
    const v1bulk = encodeMessage({ version: 0, community: Buffer.from('public'), pdu: { type: PDU.getBulk, requestId: 3, errorStatus: 0, errorIndex: 5, varbinds: [{ oid: [1, 3, 6, 1], value: { type: 'Null' } }] } });
    expect(await exchange(v1bulk, 300)).toBeNull();
    const r = await run('snmpget', ['-On', '-v2c', '-c', 'public', agent(), '1.3.6.1.2.1.11.3.0']);
    expect(r.stdout).toContain('Counter32: 1');
  });
});

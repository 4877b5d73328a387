import * as packet from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { decodeDns, summarizeDns } from '../../../src-main/lab/dns/decoder';
import { findField } from '../../helpers/fields';

const find = findField;

const referral = packet.encode({
  id: 0x1a2b,
  type: 'response',
  flags: 0,
  questions: [{ name: 'gaia.cs.umass.edu', type: 'A' }],
  authorities: [{ name: 'edu', type: 'NS', ttl: 172800, data: 'a.edu-servers.net' }],
  additionals: [{ name: 'a.edu-servers.net', type: 'A', ttl: 172800, data: '192.12.94.30' }],
});

describe('the inspector DNS decoder', () => {
  it('summarizes queries and responses as Wireshark does', () => {
    const q = packet.encode({ id: 0x1a2b, type: 'query', flags: packet.RECURSION_DESIRED, questions: [{ name: 'gaia.cs.umass.edu', type: 'A' }] });
    expect(summarizeDns('message', 'c2s', q)).toBe('Standard query 0x1a2b A gaia.cs.umass.edu');
    expect(summarizeDns('message', 's2c', referral)).toBe('Standard query response 0x1a2b A gaia.cs.umass.edu referral: edu NS a.edu-servers.net');
    const nx = packet.encode({ id: 1, type: 'response', flags: 3, questions: [{ name: 'x.umass.edu', type: 'A' }] });
    expect(summarizeDns('message', 's2c', nx)).toBe('Standard query response 0x0001 No such name A x.umass.edu');
    expect(summarizeDns('message', 'c2s', Buffer.from([1, 2, 3]))).toMatch(/^Malformed DNS message \(3 bytes\)/);
  });

  it('decodes the header flags and every section', () => {
    const f = decodeDns('message', 's2c', referral);
    expect(find(f, 'Transaction ID')?.value).toBe('0x1a2b');
    expect(find(f, 'QR')?.value).toBe('1 (response)');
    expect(find(f, 'AA')?.value).toBe('0 (not authoritative)');
    expect(find(f, 'RD')?.value).toBe('0 (no recursion: iterative)');
    expect(find(f, 'RCODE')?.value).toBe('NOERROR (0: No error)');
    expect(find(f, 'Question section')?.value).toBe('gaia.cs.umass.edu A');
    expect(find(f, 'Authority section')?.children?.[0]).toMatchObject({ name: 'edu: type NS, class IN', value: 'a.edu-servers.net' });
    expect(find(f, 'Additional section')?.children?.[0].value).toBe('192.12.94.30');
    expect(find(f, 'Time to live')?.value).toBe('172800 (2 days)');
  });

  it('reads a TCP chunk through its length prefix, and shows what it can of a malformed message', () => {
    const chunk = Buffer.concat([Buffer.from([0, referral.length]), referral]);
    expect(find(decodeDns('chunk', 's2c', chunk), 'Length (TCP)')?.value).toMatch(/^\d+ bytes/);
    const bad = Buffer.from([0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c]);
    const f = decodeDns('message', 'c2s', bad);
    expect(f[0].name).toBe('Malformed DNS message');
    expect(find(f, 'Transaction ID')?.value).toBe('0xbeef');
  });

  it('names an extended RCODE from the OPT record: BADVERS, not NOERROR (RFC 6891 §6.1.3)', () => {
    const badvers = packet.encode({
      id: 7,
      type: 'response',
      flags: 0,
      questions: [{ name: 'crepes.fr', type: 'MX' }],
      additionals: [{ name: '.', type: 'OPT', udpPayloadSize: 1232, extendedRcode: 1, ednsVersion: 0, flags: 0x8000, flag_do: true, options: [] }],
    });
    expect(summarizeDns('message', 's2c', badvers)).toBe('Standard query response 0x0007 Bad OPT version MX crepes.fr');
    const f = decodeDns('message', 's2c', badvers);
    expect(find(f, 'RCODE')?.value).toBe("BADVERS (16: Bad OPT version; 0 in the header, 1 in the OPT record's upper bits)");
    expect(find(f, 'Extended RCODE')?.value).toMatch(/^1 /);
    expect(find(f, 'DO (DNSSEC OK)')?.value).toBe('1');
  });
});

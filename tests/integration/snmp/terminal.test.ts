/**
 * SNMP typed in the lab terminal: snmpget, snmpwalk and snmpset against a lab host's agent,
 * dialled by name through the lab internet (port 161), printed as net-snmp prints; in the
 * inspector, the requests come from the terminal to that host, decoded, with ASN.1 fields.
 */
import { describe, expect, it } from 'vitest';
import { labForFile, waitFor } from '../../helpers/lab';
import { openTerminal } from '../../helpers/terminal';
import { tsharkComplaints, tsharkFields, writeTemp } from '../../helpers/tshark';

const held = labForFile();

describe('snmp tools in the lab terminal', () => {
  it('gets, walks and sets on gaia.cs.umass.edu\'s agent, and the inspector shows the exchange', async () => {
    const t = await openTerminal(held.lab, { cols: 120, rows: 40 });
    await t.expect('netlab>');
    let m = t.mark();
    await t.type('snmpget -v2c -c public gaia.cs.umass.edu sysName.0 sysUpTime.0\r');
    await t.expect('SNMPv2-MIB::sysName.0 = STRING: gaia.cs.umass.edu', m);
    await t.expect(/SNMPv2-MIB::sysUpTime\.0 = Timeticks: \(\d+\) /, m);
    m = t.mark();
    await t.type('snmpwalk -v1 -c public 128.119.40.205 system\r');
    await t.expect('SNMPv2-MIB::sysServices.0 = INTEGER: 72', m);
    const http = held.lab.services.findIndex((s) => s.id === 'http') + 1;
    m = t.mark();
    await t.type(`snmpbulkwalk -v2c -c public gaia.cs.umass.edu ifDescr\r`);
    await t.expect(`IF-MIB::ifDescr.${http} = STRING: http: `, m);
    m = t.mark();
    await t.type(`snmpset -v2c -c private gaia.cs.umass.edu netlabLinkDelay.${http} i 25\r`);
    await t.expect(`NETLAB-MIB::netlabLinkDelay.${http} = INTEGER: 25`, m);
    expect(held.lab.services.find((s) => s.id === 'http')!.link.delayMs).toBe(25);
    m = t.mark();
    await t.type('snmpset -v2c -c private gaia.cs.umass.edu sysName.0 s other\r');
    await t.expect('Reason: notWritable', m);
    await t.expect('Failed object: SNMPv2-MIB::sysName.0', m);
    m = t.mark();
    await t.type('snmpget -v2c -c nope -t 0.3 -r 0 gaia.cs.umass.edu sysName.0\r');
    await t.expect('Timeout: No Response from gaia.cs.umass.edu.', m);
    m = t.mark();
    await t.type('snmpget -v3 gaia.cs.umass.edu sysName.0\r');
    await t.expect('snmpget: version 3 is not served', m);
    await t.close();

    held.lab.store.flush();
    const conns = await held.lab['capture.connections']();
    const fromTerminal = conns.filter((c) => c.protocol === 'snmp' && c.server.name === 'gaia.cs.umass.edu' && c.client.name?.startsWith('terminal'));
    expect(fromTerminal.length).toBeGreaterThanOrEqual(4);
    expect(fromTerminal[0].server.virtualPort).toBe(161);
    const rows = await waitFor(async () => {
      const all = (await held.lab['capture.list']({ afterId: 0, limit: 100_000 })).filter((r) => r.protocol === 'snmp' && r.kind === 'message');
      return all.length >= 4 && all;
    }, 'SNMP messages in the capture');
    const request = rows.find((r) => r.summary.startsWith('get-request') && r.summary.includes('sysName.0'))!;
    const id = /id=(-?\d+)/.exec(request.summary)![1];
    const response = rows.find((r) => r.dir === 's2c' && r.summary.startsWith(`get-response id=${id} sysName.0 = STRING: gaia.cs.umass.edu`));
    expect(response).toBeDefined();
    const detail = await held.lab['capture.detail'](request.id);
    expect(JSON.stringify(detail!.fields)).toContain('"community","value":"public"');
    // display filters on the ASN.1 fields
    const sets = await held.lab['capture.match']({ filter: 'snmp.pdu == "set-request" && snmp.community == "private"' }, 0);
    expect(sets.length).toBe(2);
    const errors = await held.lab['capture.match']({ filter: 'snmp.error_status == "notWritable"' }, 0);
    expect(errors.length).toBe(1);
    expect(await held.lab['capture.match']({ filter: `snmp.request_id == ${id}` }, 0)).toHaveLength(2);

    // exported to pcapng, Wireshark's dissector reads the same fields: port 161 at gaia's address
    const file = await writeTemp('snmp.pcapng', Buffer.from(await held.lab['capture.exportPcapng']({ service: 'snmp' }), 'base64'));
    const frames = await tsharkFields(file, `snmp.request_id == ${id}`, ['ip.src', 'ip.dst', 'udp.dstport', 'udp.srcport', 'snmp.community', 'snmp.name']);
    expect(frames).toEqual([
      ['127.0.0.1', '128.119.40.205', '161', expect.any(String), 'public', expect.stringContaining('1.3.6.1.2.1.1.5.0')],
      ['128.119.40.205', '127.0.0.1', expect.any(String), '161', 'public', expect.stringContaining('1.3.6.1.2.1.1.5.0')],
    ]);
    expect(await tsharkComplaints(file)).toBe('');
  });
});

/** The terminal's snmp tools parse net-snmp's syntax; a scenario's snmp keys are checked at their line. */
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src-main/lab/terminal/commands';
import { parseScenario } from '../../../src-main/lab/scenarios/scenario-file';

describe('snmp tools in the terminal', () => {
  it('reads net-snmp options, OIDs by name and snmpset values', () => {
    expect(parseCommand('snmpget -v 1 -c secret -On gaia.cs.umass.edu:1161 sysName.0 .1.3.6.1.2.1.1.3.0')).toMatchObject({
      kind: 'snmp', tool: 'snmpget', version: 0, community: 'secret', numeric: true, host: 'gaia.cs.umass.edu', port: 1161,
      oids: [[1, 3, 6, 1, 2, 1, 1, 5, 0], [1, 3, 6, 1, 2, 1, 1, 3, 0]],
    });
    expect(parseCommand("snmpwalk -v2c -c public -m '' localhost")).toMatchObject({ tool: 'snmpwalk', version: 1, oids: [[1, 3, 6, 1, 2, 1]] });
    const set = parseCommand('snmpset -v2c -c private crepes.fr netlabLinkDelay.3 i 200 sysLocation.0 s "room 101"');
    expect(set).toMatchObject({ tool: 'snmpset', values: [{ type: 'Integer', value: 200 }, { type: 'OctetString' }] });
  });

  it('says what is wrong', () => {
    const msg = (line: string) => (parseCommand(line) as { message?: string }).message;
    expect(msg('snmpget -v2c gaia.cs.umass.edu')).toMatch(/^usage: snmpget/);
    expect(msg('snmpget -v3 gaia.cs.umass.edu sysName.0')).toMatch(/version 3 is not served/);
    expect(msg('snmpget gaia.cs.umass.edu fooBar.0')).toMatch(/fooBar\.0: Unknown Object Identifier/);
    expect(msg('snmpset gaia.cs.umass.edu sysName.0 i many')).toMatch(/many: Bad value notation/);
    expect(msg('snmpset gaia.cs.umass.edu sysName.0 q 1')).toMatch(/Bad object type/);
    expect(msg('snmpwalk -X gaia.cs.umass.edu')).toMatch(/unknown option -X/);
  });
});

describe('scenario snmp keys', () => {
  it('takes communities and a loopback trap receiver, and refuses others at their line', () => {
    expect(parseScenario('snmp:\n  writeCommunity: s3cret\n  trapReceiver: "127.0.0.1:1162"\n').snmp).toEqual({ writeCommunity: 's3cret', trapReceiver: '127.0.0.1:1162' });
    expect(() => parseScenario('name: x\nsnmp:\n  trapReceiver: "10.0.0.1:162"\n')).toThrow(/line 3: .*127\.0\.0\.1:PORT/);
    expect(() => parseScenario('snmp:\n  readCommunity: "pub@lic"\n')).toThrow(/line 2: .*without spaces or @/);
  });
});

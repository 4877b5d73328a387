/**
 * snmp.yaml done start to finish through `netlab lab run --json --free-ports`, as a student
 * types it in the lab terminal (curl for the web traffic): every check turns ✓.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allChecks, labRun, passedChecks, type LabRun } from '../../helpers/lab-run';
import { labDefaultPorts } from '../../helpers/ports';
import { run } from '../../helpers/proc';

let lab: LabRun | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

describe('the SNMP lab through netlab lab run', () => {
  it('passes every check from the lab terminal', async () => {
    const r = await labRun('resources/labs/snmp.yaml');
    lab = r;
    // the rail's order is the ifIndex order
    const n = [...(await labDefaultPorts()).keys()].indexOf('http') + 1;
    const host = 'gaia.cs.umass.edu';
    // type a line and wait for its output: the terminal takes the next command after the prompt
    const shown = (text: string) => r.lines.filter((l) => typeof l.terminal === 'string' && l.terminal.includes(text)).length;
    const type = async (line: string, shows: string) => {
      const seen = shown(shows);
      r.terminal(line);
      await r.waitLine(() => shown(shows) > seen, `"${shows}" after ${line}`);
    };
    await type(`snmpget -v2c -c public ${host} sysName.0 sysUpTime.0`, 'sysUpTime.0 = Timeticks');
    await r.passed('sysname', 'get');
    await type(`snmpbulkwalk -v2c -c public ${host} ifTable`, `ifSpecific.${n} = OID`);
    await r.passed('interfaces', 'walk');
    await type(`snmpget -v2c -c public ${host} ifInOctets.${n} ifOutOctets.${n}`, `ifOutOctets.${n} = Counter32`);
    await run('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${r.ports.http}/`]);
    await type(`snmpget -v2c -c public ${host} ifInOctets.${n} ifOutOctets.${n}`, `ifOutOctets.${n} = Counter32`);
    await r.passed('counter', 'reads');
    await r.passed('counter', 'web');
    await type(`snmpset -v2c -c private ${host} netlabLinkDelay.${n} i 300`, `netlabLinkDelay.${n} = INTEGER: 300`);
    await r.passed('set-delay', 'set');
    await type(`snmpset -v2c -c public ${host} netlabLinkDelay.${n} i 0`, 'Reason: noAccess');
    await r.passed('set-delay', 'refused');
    await type(`snmpget -v2c -c guess -t 0.5 -r 0 ${host} sysName.0`, 'Timeout: No Response');
    await type(`snmpget -v2c -c public ${host} snmpInBadCommunityNames.0`, 'snmpInBadCommunityNames.0 = Counter32');
    await r.passed('community', 'counted');
    expect(passedChecks(r).sort()).toEqual(allChecks(r).sort());
  }, 60_000);
});

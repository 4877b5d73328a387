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
    lab = await labRun('resources/labs/snmp.yaml');
    // the rail's order is the ifIndex order
    const n = [...(await labDefaultPorts()).keys()].indexOf('http') + 1;
    const host = 'gaia.cs.umass.edu';
    lab.terminal(`snmpget -v2c -c public ${host} sysName.0 sysUpTime.0`);
    await lab.passed('sysname', 'get');
    lab.terminal(`snmpbulkwalk -v2c -c public ${host} ifTable`);
    await lab.passed('interfaces', 'walk');
    lab.terminal(`snmpget -v2c -c public ${host} ifInOctets.${n} ifOutOctets.${n}`);
    await run('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${lab.ports.http}/`]);
    lab.terminal(`snmpget -v2c -c public ${host} ifInOctets.${n} ifOutOctets.${n}`);
    await lab.passed('counter', 'reads');
    await lab.passed('counter', 'web');
    lab.terminal(`snmpset -v2c -c private ${host} netlabLinkDelay.${n} i 300`);
    await lab.passed('set-delay', 'set');
    lab.terminal(`snmpset -v2c -c public ${host} netlabLinkDelay.${n} i 0`);
    await lab.passed('set-delay', 'refused');
    lab.terminal(`snmpget -v2c -c guess -t 0.5 -r 0 ${host} sysName.0`);
    await new Promise((r) => setTimeout(r, 800));
    lab.terminal(`snmpget -v2c -c public ${host} snmpInBadCommunityNames.0`);
    await lab.passed('community', 'counted');
    expect(passedChecks(lab).sort()).toEqual(allChecks(lab).sort());
  }, 60_000);
});

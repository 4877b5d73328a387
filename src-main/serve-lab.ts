/**
 * `netlab serve`'s lab: made once the UI listens and its address is printed (serve-cli.ts),
 * so the browser loads the page while the lab's code compiles. The scenario is checked here:
 * a wrong one still ends `netlab serve` with its line and exit code 2.
 */
import path from 'node:path';
import type { ServeArgs } from './cli-args';
import { Lab } from './lab/lab';
import type { ServiceInfo } from './lab/api';
import { ScenarioError, type Scenario } from './lab/scenarios/scenario-file';
import { resourcesDir } from './paths';
import { addressLabel, transportLabel } from './lab/services/transport-label';
import { writePcapngLive, type LivePcapng } from './lab/capture/pcapng';
import { VERSION } from './version';

export interface ServedLab {
  lab: Lab;
  scenario: Scenario | undefined;
  pcapng: LivePcapng | undefined;
}

/** The lab with the scenario checked and the live pcapng file open; exits 2 on either's error. */
export async function openLab(args: ServeArgs, dataDir: string): Promise<ServedLab> {
  const lab = new Lab({ dataDir, resourcesDir, shell: 'browser' });
  let scenario;
  if (args.scenario) {
    try {
      scenario = await lab.scenarios.load(args.scenario);
    } catch (err) {
      const why = err instanceof ScenarioError ? err.message : (err as Error).message;
      console.error(`netlab: scenario ${args.scenario}: ${why}`);
      process.exit(2);
    }
  }
  let pcapng: LivePcapng | undefined;
  if (args.pcapng) {
    const file = path.resolve(args.pcapng);
    try {
      pcapng = writePcapngLive(lab.store, file, {
        application: `NetLab ${VERSION}`,
        hostAddress: (name) => lab.hostAddress()(name),
        onError: (err) => console.error(`netlab: writing ${file} stopped: ${err.message}`),
      });
    } catch (err) {
      console.error(`netlab: --pcapng ${args.pcapng}: cannot write the file: ${(err as Error).message}`);
      process.exit(2);
    }
  }
  return { lab, scenario, pcapng };
}

export function table(services: ServiceInfo[]): string {
  const rows = [['SERVICE', 'PROTOCOL', 'PORT', 'STATE', 'ADDRESSES']];
  for (const s of services) rows.push([s.name, s.protocol, `${transportLabel(s)} ${s.port}`, s.state, addressLabel(s)]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd());
  for (const s of services) if (s.error) lines.push(`  ! ${s.error}`);
  return lines.join('\n');
}

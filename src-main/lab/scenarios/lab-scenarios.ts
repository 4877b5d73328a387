/**
 * Lab scenarios (DESIGN "Scenarios"): YAML files saying which services run with what
 * settings — ports, the echo server's mode, link profiles, services left stopped, the web
 * area's switches, the capture. Shipped in resources/scenarios, the user's copies in the
 * data directory; opened, checked, saved and applied from the Scenarios tab, or given to
 * `netlab serve --scenario FILE` at start.
 *
 * Applying describes the lab rather than patching it: a link the file does not set is
 * perfect again, the web switches go back to their defaults before the file's, every
 * service the file does not disable runs. Ports and the echo mode change only where given.
 */
import fs from 'node:fs/promises';
import { PERFECT_LINK } from '../link/profile';
import type { LabService } from '../services/service';
import { listScenarioFiles, saveScenarioFile } from './scenario-dir';
import { parseScenario, type Scenario } from './scenario-file';
import { LAB_SCENARIO_FILE } from './scenario-names';
import { checkParse } from './yaml-schema';
import type { ScenarioCheck, ScenarioFile } from '../p2p/swarm-types';
import { SnmpService } from '../snmp/snmp-service';


export interface ScenarioTarget {
  resourcesDir: string;
  dataDir: string;
  /** every service a scenario may name (the rail's and the program relays) */
  allServices(): LabService[];
  /** the services the rail starts and stops */
  railServices(): LabService[];
  store: { configure(c: NonNullable<Scenario['capture']>): unknown };
  web: { applyScenario(web: Scenario['web']): void };
  /** the video area's keys (player rule, client region, link rate), after the links are reset */
  video?: { applyScenario(video: Scenario['video'], services: Scenario['services']): Promise<void> };
}

export class LabScenarios {
  constructor(private target: ScenarioTarget) {}

  files(): Promise<ScenarioFile[]> {
    return listScenarioFiles(this.target.resourcesDir, this.target.dataDir, LAB_SCENARIO_FILE);
  }

  save(name: string, text: string): Promise<ScenarioFile> {
    return saveScenarioFile(this.target.dataDir, name, text);
  }

  parse(text: string): Scenario {
    return parseScenario(text, this.target.allServices().map((s) => s.id));
  }

  check(text: string): ScenarioCheck {
    return checkParse(() => this.parse(text));
  }

  async load(file: string): Promise<Scenario> {
    return this.parse(await fs.readFile(file, 'utf8'));
  }

  /** Make the lab what the scenario says; a service that cannot start reports why, the others go on. */
  async apply(scenario: Scenario): Promise<void> {
    if (scenario.capture) this.target.store.configure(scenario.capture);
    this.target.web.applyScenario(scenario.web);
    for (const s of this.target.railServices()) if (s instanceof SnmpService) s.applySettings(scenario.snmp);
    for (const s of this.target.allServices()) {
      const { enabled: _enabled, ...config } = scenario.services?.[s.id] ?? {};
      await s.configure({ ...config, link: { ...PERFECT_LINK, ...config.link } });
    }
    await this.target.video?.applyScenario(scenario.video, scenario.services);
    // `enabled` says; without it a service runs as by default (the DHT ring waits to be started)
    const runs = (s: LabService): boolean => scenario.services?.[s.id]?.enabled ?? s.startsWithLab;
    await Promise.all(this.target.railServices().map((s) => (runs(s) ? s.start() : s.stop())));
  }
}

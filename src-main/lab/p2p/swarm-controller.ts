/**
 * The lab's side of the Swarm tab: swarm scenario files (shipped and the user's), one run
 * at a time announced to the lab tracker, snapshots and the result as events, and a short
 * history of results for the plot's measured points.
 */
import { writeFileAtomic } from '../storage';
import path from 'node:path';
import type { CaptureStore } from '../capture/store';
import { listScenarioFiles, saveScenarioFile } from '../scenarios/scenario-dir';
import { SWARM_SCENARIO_FILE } from '../scenarios/scenario-names';
import { SwarmRun } from './swarm';
import { parseSwarmScenario } from './swarm-scenario';
import { checkParse } from '../scenarios/yaml-schema';
import type { SwarmFile, SwarmHistoryEntry, SwarmResult, SwarmSnapshot, SwarmState, SwarmValidation } from './swarm-types';

const MAX_HISTORY = 50;

export interface SwarmControllerContext {
  store: CaptureStore;
  resourcesDir: string;
  dataDir: string;
  /** the lab tracker's announce URL for that protocol, or null when that side is not running */
  announceUrl(protocol: 'http' | 'udp'): string | null;
  snapshot(s: SwarmSnapshot): void;
  result(r: SwarmResult): void;
}

export class SwarmController {
  private run: SwarmRun | null = null;
  private last: SwarmResult | null = null;
  private lastSnapshot: SwarmSnapshot | null = null;
  private history: SwarmHistoryEntry[] = [];

  constructor(private ctx: SwarmControllerContext) {}

  files(): Promise<SwarmFile[]> {
    return listScenarioFiles(this.ctx.resourcesDir, this.ctx.dataDir, SWARM_SCENARIO_FILE);
  }

  save(name: string, text: string): Promise<SwarmFile> {
    return saveScenarioFile(this.ctx.dataDir, name, text);
  }

  validate(text: string): SwarmValidation {
    return checkParse(() => parseSwarmScenario(text));
  }

  async start(text: string): Promise<SwarmState> {
    if (this.run?.running) throw new Error('a swarm is already running: stop it first');
    if (this.run?.phase === 'baseline') {
      const b = this.run.snapshot().baseline;
      throw new Error(`the client-server baseline of the last run is still running (${Math.round((b?.progress ?? 0) * 100)}%): Run again when its result is in, or Stop it`);
    }
    const scenario = parseSwarmScenario(text);
    const url = this.ctx.announceUrl(scenario.tracker);
    if (!url) throw new Error(`the lab tracker is not running: start "Tracker (${scenario.tracker.toUpperCase()})" in the services rail`);
    const run = await SwarmRun.create(scenario, {
      announceUrl: scenario.tracker === 'http' ? url : '',
      udpAnnounceUrl: scenario.tracker === 'udp' ? url : undefined,
      store: this.ctx.store,
      onSnapshot: (s) => {
        this.lastSnapshot = s;
        this.ctx.snapshot(s);
      },
    });
    this.run = run;
    this.last = null;
    // the run's .torrent, for a real client to join the swarm (see the README)
    const dir = path.join(this.ctx.dataDir, 'swarms');
    const torrent = path.join(dir, `${scenario.name.replace(/[^A-Za-z0-9._-]+/g, '-')}.torrent`);
    await writeFileAtomic(torrent, run.torrentFile, { base: this.ctx.dataDir, scope: dir });
    void run.run().then((r) => {
      if (this.run !== run) return;
      this.last = r;
      this.history.push({
        name: r.name,
        n: r.n,
        fOverU: r.fOverU,
        usOverU: r.fOverU > 0 ? r.serverUpload / (r.fileBytes / r.fOverU) : 0,
        distributionTime: r.distributionTime,
        baseline: r.baseline?.distributionTime ?? null,
        bounds: r.bounds,
      });
      if (this.history.length > MAX_HISTORY) this.history.shift();
      this.ctx.result(r);
    });
    this.lastSnapshot = run.snapshot();
    return this.state();
  }

  async stop(): Promise<SwarmState> {
    await this.run?.stop();
    return this.state();
  }

  state(): SwarmState {
    return {
      running: this.run?.running ?? false,
      phase: this.run?.phase ?? 'done',
      snapshot: this.lastSnapshot,
      result: this.last,
      history: [...this.history],
      torrent: this.run ? this.run.torrentFile.toString('base64') : null,
    };
  }

  async shutdown(): Promise<void> {
    await this.run?.close();
  }
}

/**
 * A rail service that runs a scenario of its own (the DHT ring, the search overlays): it
 * starts with a shipped scenario or the one its tab last ran, restarts when the tab runs
 * another, and tells its tab what changed — at most every 100 ms, so a run of thousands of
 * queries is not thousands of events.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { LabService } from '../services/service';

export abstract class ScenarioService extends LabService {
  private text: string | null = null;
  private watchers = new Set<() => void>();
  private pendingNews: NodeJS.Timeout | null = null;
  /** the shipped scenario it starts with (resources/scenarios) */
  protected abstract readonly defaultScenario: string;
  /** throws, at the line that is wrong, on a bad scenario */
  protected abstract check(text: string): void;

  /** the scenario the next start runs (its tab's Run): the service restarts with it */
  async runScenario(text: string): Promise<void> {
    this.check(text);
    this.text = text;
    await this.restart();
    if (this.state === 'error') throw new Error(this.error ?? `${this.name} did not start`);
  }

  /** the text to run now: the tab's last, else the shipped one */
  protected async scenarioText(): Promise<string> {
    return this.text ?? (await fs.readFile(path.join(this.ctx.resourcesDir, 'scenarios', this.defaultScenario), 'utf8'));
  }

  onState(fn: () => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  stateChanged(): void {
    if (this.pendingNews) return;
    this.pendingNews = setTimeout(() => {
      this.pendingNews = null;
      for (const fn of this.watchers) fn();
    }, 100);
    this.pendingNews.unref();
  }
}

/**
 * What applying a lab or scenario file would change, worked out without changing anything:
 * the kind from the name (`.netlab-lab.yaml`, `.netlab-scenario.yaml`) or, for `.netlab` and
 * plain `.yaml`, from the text (a lab file has tasks), then the lab core's own validators.
 */
import type { LabValidation } from '../labs/lab-types';
import type { Scenario } from '../scenarios/scenario-file';
import type { OpenedFileKind } from './file-types';

/** The extensions NetLab registers and recognises (electron-builder.yml's fileAssociations). */
export const LAB_EXTENSION = '.netlab-lab.yaml';
export const SCENARIO_EXTENSION = '.netlab-scenario.yaml';
export const OWN_EXTENSION = '.netlab';

export function isOpenableFile(name: string): boolean {
  return /\.(netlab|ya?ml)$/i.test(name);
}

export function fileKind(name: string, text: string): OpenedFileKind {
  const lower = name.toLowerCase();
  if (lower.endsWith(LAB_EXTENSION)) return 'lab';
  if (lower.endsWith(SCENARIO_EXTENSION)) return 'scenario';
  return /^tasks\s*:/m.test(text) ? 'lab' : 'scenario';
}

/** The name of the user's copy of an opened lab file (lab-names.ts: a-z, 0-9, dashes, .yaml). */
export function labCopyName(name: string): string {
  const stem = name
    .toLowerCase()
    .replace(/(\.netlab-lab\.yaml|\.netlab|\.ya?ml)$/, '')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return `${stem || 'opened-lab'}.yaml`;
}

export function labChanges(v: LabValidation, copy: string): string[] {
  return [
    `opens the lab “${v.title ?? copy}” (${v.tasks ?? 0} task${v.tasks === 1 ? '' : 's'}) in the Labs tab`,
    `saves it as your lab ${copy} (a copy of yours by that name is replaced)`,
    'applies the lab’s scenario: services, links and settings change as it says',
  ];
}

export function scenarioChanges(s: Scenario, railServices: readonly string[]): string[] {
  const changes: string[] = [];
  const services = s.services ?? {};
  const stopped = railServices.filter((id) => services[id]?.enabled === false);
  changes.push(stopped.length ? `stops ${stopped.join(', ')}; every other service runs` : 'every service runs');
  for (const [id, cfg] of Object.entries(services)) {
    const parts: string[] = [];
    if (cfg.port !== undefined) parts.push(`port ${cfg.port}`);
    if (cfg.link) {
      const l = cfg.link;
      if (l.delayMs) parts.push(`${l.delayMs} ms delay`);
      if (l.lossRate) parts.push(`${Math.round(l.lossRate * 100)} % loss`);
      if (l.jitterMs) parts.push(`${l.jitterMs} ms jitter`);
      if (l.rateKbps) parts.push(`${l.rateKbps} kbit/s`);
      if (l.reorderRate) parts.push(`${Math.round(l.reorderRate * 100)} % reordered`);
    }
    if (cfg.mode) parts.push(`${cfg.mode} mode`);
    if (parts.length) changes.push(`${id}: ${parts.join(', ')}`);
  }
  changes.push('links the file does not set become perfect again');
  if (s.capture?.limit !== undefined) changes.push(`the capture keeps ${s.capture.limit} messages`);
  if (s.capture?.enabled === false) changes.push('capture is turned off');
  if (s.web) changes.push('the web server’s and proxy’s switches change as the file says');
  return changes;
}

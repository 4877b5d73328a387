/**
 * What applying a lab or scenario file would change, worked out without changing anything:
 * the kind from the name (`.netlab-lab.yaml`, `.netlab-scenario.yaml`) or, for `.netlab` and
 * plain `.yaml`, from the text (a lab file has tasks), then the lab core's own validators.
 */
import type { LabValidation } from '../labs/lab-types';
import type { Scenario } from '../scenarios/scenario-file';
import { english, joined, msg, type LabText } from '../lab-text';
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

/** the lines in English (as before: the CLI and the tests read them) and the same as catalogue messages */
export interface Changes {
  changes: string[];
  changesText: LabText[];
}

const told = (lines: LabText[]): Changes => ({ changes: lines.map(english), changesText: lines });

export function labChanges(v: LabValidation, copy: string): Changes {
  return told([
    msg('fileLab.lab.opens', { title: v.title ?? copy, tasks: v.tasks === 1 ? msg('fileLab.lab.oneTask') : msg('fileLab.lab.tasks', { n: v.tasks ?? 0 }) }),
    msg('fileLab.lab.saves', { copy }),
    msg('fileLab.lab.applies'),
  ]);
}

export function scenarioChanges(s: Scenario, railServices: readonly string[]): Changes {
  const lines: LabText[] = [];
  const services = s.services ?? {};
  const stopped = railServices.filter((id) => services[id]?.enabled === false);
  lines.push(stopped.length ? msg('fileLab.scenario.stops', { ids: joined('fileLab.list', stopped) }) : msg('fileLab.scenario.allRun'));
  for (const [id, cfg] of Object.entries(services)) {
    const parts: LabText[] = [];
    if (cfg.port !== undefined) parts.push(msg('fileLab.scenario.port', { port: cfg.port }));
    if (cfg.link) {
      const l = cfg.link;
      if (l.delayMs) parts.push(msg('fileLab.scenario.delay', { ms: l.delayMs }));
      if (l.lossRate) parts.push(msg('fileLab.scenario.loss', { pct: Math.round(l.lossRate * 100) }));
      if (l.jitterMs) parts.push(msg('fileLab.scenario.jitter', { ms: l.jitterMs }));
      if (l.rateKbps) parts.push(msg('fileLab.scenario.rate', { kbps: l.rateKbps }));
      if (l.reorderRate) parts.push(msg('fileLab.scenario.reorder', { pct: Math.round(l.reorderRate * 100) }));
    }
    if (cfg.mode) parts.push(msg('fileLab.scenario.mode', { mode: cfg.mode }));
    if (parts.length) lines.push(msg('fileLab.scenario.service', { id, changes: joined('fileLab.list', parts) }));
  }
  lines.push(msg('fileLab.scenario.perfect'));
  if (s.capture?.limit !== undefined) lines.push(msg('fileLab.scenario.captureLimit', { n: s.capture.limit }));
  if (s.capture?.enabled === false) lines.push(msg('fileLab.scenario.captureOff'));
  if (s.web) lines.push(msg('fileLab.scenario.web'));
  return told(lines);
}

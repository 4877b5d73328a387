/**
 * A lab's progress in <data directory>/labs/progress/ (JSON, one file per lab): the checks
 * passed with their time and evidence (ids and the messages themselves, since the capture
 * does not outlive the lab), the answers given and the hints revealed. Closing and reopening
 * the lab, or restarting NetLab, keeps it; "Restart lab" clears it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { readTextConfined, removeConfined, type Confinement } from '../confined-fs';
import { writeFileAtomic } from '../storage';
import type { LabOrigin } from './lab-types';
import type { LabText } from '../lab-text';

/** one captured message that satisfied a check, kept for the report */
export interface EvidenceMessage {
  id: number;
  t: number;
  service: string;
  dir: string;
  summary: string;
  /** the message decoded as text (capped) */
  text: string;
}

export interface CheckProgress {
  passedAt?: number;
  evidence: number[];
  messages?: EvidenceMessage[];
  answered?: string;
  detail?: string;
  /** the same detail as a catalogue message (lab-text.ts); absent in progress written before it existed */
  detailText?: LabText;
}

export interface LabProgress {
  startedAt: number;
  hints: Record<string, number>;
  /** by "task/check" */
  checks: Record<string, CheckProgress>;
}

export function emptyProgress(now = Date.now()): LabProgress {
  return { startedAt: now, hints: {}, checks: {} };
}

function where(dataDir: string, origin: LabOrigin, file: string): { file: string; within: Confinement } {
  const scope = path.join(dataDir, 'labs', 'progress');
  return { file: path.join(scope, `${origin}-${file.replace(/\.yaml$/, '')}.json`), within: { base: dataDir, scope } };
}

export async function loadProgress(dataDir: string, origin: LabOrigin, file: string): Promise<LabProgress | null> {
  const w = where(dataDir, origin, file);
  let text: string;
  try {
    text = await readTextConfined(w.file, w.within);
  } catch {
    return null; // none yet (or a link out of the folder, which is not followed)
  }
  try {
    const data = JSON.parse(text) as Partial<LabProgress> | null;
    if (data && typeof data === 'object' && data.checks && typeof data.checks === 'object' && !Array.isArray(data.checks)) {
      return { startedAt: Number(data.startedAt) || Date.now(), hints: data.hints && typeof data.hints === 'object' ? data.hints : {}, checks: data.checks };
    }
  } catch {
    /* kept aside below */
  }
  // a file that does not read as progress (edited by hand, cut short): kept aside, not overwritten
  await fs.rename(w.file, `${w.file}.unreadable-${Date.now()}`).catch(() => undefined);
  return null;
}

export async function saveProgress(dataDir: string, origin: LabOrigin, file: string, progress: LabProgress): Promise<void> {
  const w = where(dataDir, origin, file);
  await writeFileAtomic(w.file, JSON.stringify(progress, null, 1), w.within);
}

export async function clearProgress(dataDir: string, origin: LabOrigin, file: string): Promise<void> {
  const w = where(dataDir, origin, file);
  await fs.mkdir(w.within.scope!, { recursive: true });
  await removeConfined(w.file, w.within).catch(() => false);
}

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
  try {
    const data = JSON.parse(await readTextConfined(w.file, w.within)) as Partial<LabProgress>;
    if (typeof data !== 'object' || !data || typeof data.checks !== 'object') return null;
    return { startedAt: Number(data.startedAt) || Date.now(), hints: data.hints ?? {}, checks: data.checks ?? {} };
  } catch {
    // none yet, or a file that does not parse: the lab starts afresh (the file is rewritten on the next pass)
    return null;
  }
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

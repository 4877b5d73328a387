/**
 * Program checks (issue 12): a program the student wrote in the Scenarios editor, exercised
 * by the check against the running lab. The lab-file engine calls a ProgramCheckRunner;
 * program-check.ts implements one per assignment.
 */
import type { Lab } from '../lab';
import type { LabText } from '../lab-text';

export type ProgramAssignment = 'udp-pinger' | 'tcp-server' | 'web-server' | 'smtp-client' | 'web-proxy';

export interface ProgramCheckSpec {
  kind: 'program';
  id: string;
  assignment: ProgramAssignment;
  /** the language of the editor's program to run ("python" unless the lab says otherwise) */
  language?: 'python' | 'javascript';
  /** assignment options from the lab file (e.g. pings: 10, lossRate: 0.3) */
  options?: Record<string, unknown>;
}

export interface ProgramCheckResult {
  passed: boolean;
  /** what the student sees: what was tried and what went wrong (never a secret expected value) */
  detail: string;
  /** the same, as a catalogue message (lab-text.ts, programs/lab-text.ts): the UI shows it in its language; a runner may leave it out */
  detailText?: LabText;
  /** capture record ids that show the run */
  evidence: number[];
}

export type ProgramCheckRunner = (lab: Lab, spec: ProgramCheckSpec, signal?: AbortSignal) => Promise<ProgramCheckResult>;

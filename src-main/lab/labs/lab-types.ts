/**
 * Lab sessions (issue 12): the data the `labs.*` methods and events carry.
 * A lab file (YAML, Markdown texts) is a title, a textbook section, a start scenario and
 * an ordered list of tasks; each task has hints and checks evaluated against the running lab.
 */

import type { LabText } from '../lab-text';

export type LabCheckKind = 'traffic' | 'state' | 'answer' | 'program' | 'counts';
export type LabOrigin = 'shipped' | 'user';

/** a mistake in a lab file, at its line (1-based), as scenario files report theirs */
export interface LabFileError {
  line: number;
  column?: number;
  message: string;
}

/** one row of the lab list */
export interface LabSummary {
  /** file name, e.g. "http.yaml"; unique within its origin */
  file: string;
  origin: LabOrigin;
  title: string;
  /** textbook section, e.g. "K&R §2.2" */
  section: string;
  tasks: number;
  /** progress kept in the data directory */
  passedChecks: number;
  totalChecks: number;
  /** a user file that does not parse: listed, not openable */
  error?: LabFileError;
  /** the title in the other languages the file carries, by language tag */
  titles?: Record<string, string>;
}

export interface LabFileText {
  file: string;
  origin: LabOrigin;
  text: string;
}

export interface LabValidation {
  ok: boolean;
  error?: LabFileError;
  title?: string;
  tasks?: number;
}

export interface LabCheckState {
  id: string;
  kind: LabCheckKind;
  /** what the check asks for, in the student's words */
  label: string;
  passed: boolean;
  /** epoch ms of passing */
  passedAt?: number;
  /** capture record ids of the messages that satisfied the check (links into the inspector) */
  evidence: number[];
  /** answer checks: the question and the last answer given */
  question?: string;
  answered?: string;
  /** the last verdict shown to the student: "not yet", "wrong: …", a program run's account */
  detail?: string;
  /** the same verdict as a catalogue message (lab-text.ts): the UI shows it in its language */
  detailText?: LabText;
  /** program checks: a run is in progress */
  running?: boolean;
}

export interface LabTaskState {
  id: string;
  title: string;
  /** Markdown */
  instructions: string;
  /** hints revealed so far (Markdown), in order */
  hintsShown: string[];
  hintsLeft: number;
  checks: LabCheckState[];
  passed: boolean;
}

export interface LabStatus {
  file: string;
  origin: LabOrigin;
  title: string;
  section: string;
  /** Markdown shown above the tasks */
  intro: string;
  tasks: LabTaskState[];
  /** epoch ms the lab was opened (or restarted) */
  startedAt: number;
  /** the texts in the other languages the file carries, by language tag; English where one lacks a text */
  translations?: Record<string, LabStatusText>;
}

/** a lab's texts in one language (lab-translations.ts): what is absent stays English */
export interface LabStatusText {
  title?: string;
  section?: string;
  intro?: string;
  tasks: Record<string, { title?: string; instructions?: string; hintsShown?: string[]; checks?: Record<string, { label?: string; question?: string }> }>;
}

/** pushed as the event 'labs.passed' the moment a check turns ✓ */
export interface LabCheckPassed {
  file: string;
  task: string;
  check: string;
  passedAt: number;
  evidence: number[];
}

export interface LabAnswerResult {
  correct: boolean;
  /** never reveals the expected value */
  message: string;
  /** the same, as a catalogue message (lab-text.ts) */
  messageText?: LabText;
  status: LabStatus;
}

/** the hand-in: one self-contained HTML file and the same data as JSON */
export interface LabReport {
  fileName: string;
  html: string;
  json: string;
}

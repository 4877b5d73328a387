/**
 * One open lab: its tasks, the state of every check, and the capture feeding them. Captured
 * messages are pushed to the checks as the capture delivers them (its batches, every 50 ms),
 * each offered once; state checks are asked again when the lab says its mail, zones, proxy
 * or swarm changed. A check that passes stays passed, and its evidence is kept in the
 * progress file with the messages themselves, so the report outlives the capture.
 */
import type { CaptureBatch, CaptureSummary, SwarmResult } from '../api';
import type { CaptureStore } from '../capture/store';
import { AnswerCollector, judgeAnswer } from './answers';
import type { AnswerCheck, LabCheck, LabFile, ProgramCheck, StateCheck } from './lab-file';
import type { CheckProgress, EvidenceMessage, LabProgress } from './lab-progress';
import type { LabAnswerResult, LabCheckPassed, LabCheckState, LabOrigin, LabStatus } from './lab-types';
import { serviceMatches, type SeenMessage } from './message-match';
import { stateEvidence } from './state-evidence';
import { evaluateState, type StateApi } from './state-checks';
import { CountMatcher, SequenceMatcher, type Matcher } from './traffic-matcher';
import { statusTexts } from './lab-translations';
import type { ProgramCheckResult } from './program-check-types';
import { english, msg, type LabText } from '../lab-text';

export interface SessionHooks {
  store: CaptureStore;
  state: StateApi;
  /** the progress changed: write it (the caller debounces nothing; writes are small) */
  save(progress: LabProgress): void;
  status(status: LabStatus): void;
  passed(p: LabCheckPassed): void;
}

interface Live {
  task: string;
  check: LabCheck;
  matcher?: Matcher;
  collector?: AnswerCollector;
  running?: boolean;
  /** state checks: messages already looked at and found wanting (a stored message does not change) */
  memo?: Set<string>;
}

/** what a state check looks at, and so what makes it worth asking again */
export type StateArea = 'mailbox' | 'zone' | 'proxyCache' | 'swarm';
const areaOf = (c: StateCheck): StateArea => (c.mailbox ? 'mailbox' : c.zone ? 'zone' : c.proxyCache ? 'proxyCache' : 'swarm');
const ALL_AREAS: StateArea[] = ['mailbox', 'zone', 'proxyCache', 'swarm'];

/** mail moved or the proxy answered: the mailbox and cache checks look again */
function changesState(service: string): StateArea | null {
  if (service.startsWith('smtp') || service === 'pop3' || service === 'imap') return 'mailbox';
  return service === 'proxy' ? 'proxyCache' : null;
}
const key = (task: string, check: string): string => `${task}/${check}`;
/** a verdict's sentence in English and as a catalogue message */
interface Verdict {
  detail: string;
  detailText?: LabText;
}
const TEXT_CAP = 4000;

export class LabSession {
  private live = new Map<string, Live>();
  /** by service id: the checks that look at its messages (most of the capture is watched by none) */
  private watchers = new Map<string, Live[]>();
  private off: () => void;
  private stateTimer: NodeJS.Timeout | null = null;
  private stateRunning = false;
  private stateDue = new Set<StateArea>();
  /** checks passed in this session: their evidence ids point into this capture (restored ones into an earlier one) */
  private passedHere = new Set<string>();
  private lastSwarm: SwarmResult | null = null;
  private closed = false;
  /** the first capture id of this session: the report attaches what came after */
  readonly firstCaptureId: number;

  constructor(
    readonly file: string,
    readonly origin: LabOrigin,
    readonly lab: LabFile,
    readonly progress: LabProgress,
    private hooks: SessionHooks,
  ) {
    for (const task of lab.tasks) {
      for (const check of task.checks) {
        const l: Live = { task: task.id, check };
        if (check.kind === 'traffic') l.matcher = new SequenceMatcher(check);
        if (check.kind === 'counts') l.matcher = new CountMatcher(check);
        if (check.kind === 'answer') l.collector = new AnswerCollector(check);
        if (check.kind === 'state') l.memo = new Set();
        this.live.set(key(task.id, check.id), l);
      }
    }
    this.firstCaptureId = (hooks.store.history(Number.MAX_SAFE_INTEGER, 1)[0]?.id ?? 0) + 1;
    // only the services a check looks at, and the mail and proxy whose state checks look again
    this.off = hooks.store.onBatch(
      (batch) => this.onBatch(batch),
      (service) => this.watching(service).length > 0 || changesState(service) !== null,
    );
  }

  close(): void {
    this.closed = true;
    this.off();
    if (this.stateTimer) clearTimeout(this.stateTimer);
  }

  private entry(task: string, check: string): Live {
    const l = this.live.get(key(task, check));
    if (!l) throw new Error(`no check ${check} in task ${task} of this lab`);
    return l;
  }

  private record(task: string, check: string): CheckProgress {
    return (this.progress.checks[key(task, check)] ??= { evidence: [] });
  }

  isPassed(task: string, check: string): boolean {
    return this.progress.checks[key(task, check)]?.passedAt !== undefined;
  }

  // ---------- the capture, pushed ----------

  private onBatch(batch: CaptureBatch): void {
    if (this.closed) return;
    const due = new Set<StateArea>();
    for (const m of batch.messages) {
      if (!isMessage(m)) continue;
      const area = changesState(m.service);
      if (area) due.add(area);
      const watching = this.watching(m.service);
      if (!watching.length) continue;
      const seen = this.seen(m);
      for (const l of watching) {
        if (l.collector) l.collector.offer(seen);
        if (!l.matcher || this.isPassed(l.task, l.check.id)) continue;
        const ok = l.matcher.offer(seen);
        if (ok) this.pass(l.task, l.check.id, ok.evidence);
      }
    }
    // a connection that closed is forgotten after its last messages (a batch brings both)
    for (const c of batch.connections) if (c.closed !== undefined) for (const l of this.watching(c.service)) l.matcher?.closed(c.id);
    if (due.size) this.stateSoon([...due]);
  }

  /** the traffic, counts and answer checks whose scope takes messages of this service */
  private watching(service: string): Live[] {
    let ws = this.watchers.get(service);
    if (!ws) {
      ws = [...this.live.values()].filter((l) => {
        const c = l.check;
        if (c.kind === 'traffic' || c.kind === 'counts') return serviceMatches(c.service, service);
        if (c.kind === 'answer') return c.answer.from !== 'value' && serviceMatches(c.answer.service, service);
        return false;
      });
      this.watchers.set(service, ws);
    }
    return ws;
  }

  private seen(m: CaptureSummary): SeenMessage {
    const store = this.hooks.store;
    let bytes: Buffer | null | undefined;
    return {
      ...m,
      connection: store.connection(m.conn),
      bytes: () => (bytes === undefined ? (bytes = store.bytes(m.id)) : bytes),
    };
  }

  // ---------- state checks ----------

  /** the lab's mail, zones, proxy or swarm changed: ask the state checks that look there, soon */
  stateSoon(areas: readonly StateArea[] = ALL_AREAS): void {
    if (this.closed) return;
    for (const a of areas) this.stateDue.add(a);
    if (this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      void this.evaluateStates();
    }, 30);
  }

  swarmFinished(r: SwarmResult): void {
    this.lastSwarm = r;
    for (const l of this.live.values()) l.collector?.offerSwarm(r);
    this.stateSoon(['swarm']);
  }

  /** the state checks due (all of them when asked from outside: at open, for the report) */
  async evaluateStates(): Promise<void> {
    if (this.stateRunning) return this.stateSoon([]);
    const due = this.stateDue.size ? new Set(this.stateDue) : new Set(ALL_AREAS);
    this.stateDue.clear();
    this.stateRunning = true;
    try {
      for (const l of this.live.values()) {
        if (l.check.kind !== 'state' || this.isPassed(l.task, l.check.id) || !due.has(areaOf(l.check))) continue;
        const v = await evaluateState(l.check, this.hooks.state, this.lastSwarm, l.memo);
        if (this.closed) return;
        if (v.passed) this.pass(l.task, l.check.id, stateEvidence(l.check, v.found, this.hooks.store, this.firstCaptureId), v);
        else Object.assign(this.record(l.task, l.check.id), { detail: v.detail, detailText: v.detailText });
      }
    } finally {
      this.stateRunning = false;
    }
  }

  // ---------- passing ----------

  private pass(task: string, check: string, evidence: number[], said?: Verdict): void {
    const r = this.record(task, check);
    const passedAt = Date.now();
    this.passedHere.add(key(task, check));
    Object.assign(r, { passedAt, evidence, messages: this.evidenceMessages(evidence), ...(said ? { detail: said.detail, detailText: said.detailText } : {}) });
    this.hooks.save(this.progress);
    this.hooks.passed({ file: this.file, task, check, passedAt, evidence });
    this.hooks.status(this.status());
  }

  private evidenceMessages(ids: number[]): EvidenceMessage[] {
    const out: EvidenceMessage[] = [];
    for (const id of ids.slice(0, 50)) {
      const d = this.hooks.store.detail(id);
      if (!d) continue;
      const text = Buffer.from(d.bytes, 'base64').toString('latin1');
      out.push({ id, t: d.t, service: d.service, dir: d.dir, summary: d.summary, text: text.length > TEXT_CAP ? `${text.slice(0, TEXT_CAP)}…` : text });
    }
    return out;
  }

  // ---------- what the student does ----------

  hint(task: string): LabStatus {
    const t = this.lab.tasks.find((x) => x.id === task);
    if (!t) throw new Error(`no task ${task} in this lab`);
    const shown = this.progress.hints[task] ?? 0;
    if (shown < (t.hints?.length ?? 0)) {
      this.progress.hints[task] = shown + 1;
      this.hooks.save(this.progress);
    }
    const s = this.status();
    this.hooks.status(s);
    return s;
  }

  answer(task: string, check: string, text: string): LabAnswerResult {
    const l = this.entry(task, check);
    if (l.check.kind !== 'answer') throw new Error(`${check} is not a question`);
    const r = this.record(task, check);
    if (r.passedAt !== undefined) {
      const already = msg('checkLab.answer.already');
      return { correct: true, message: english(already), messageText: already, status: this.status() };
    }
    const v = judgeAnswer(l.check as AnswerCheck, l.collector!, text);
    const said: Verdict = { detail: v.message, detailText: v.messageText };
    r.answered = text.slice(0, 500);
    Object.assign(r, said);
    if (v.correct) this.pass(task, check, v.evidence, said);
    else {
      this.hooks.save(this.progress);
      this.hooks.status(this.status());
    }
    return { correct: v.correct, message: v.message, messageText: v.messageText, status: this.status() };
  }

  programCheck(task: string, check: string): { spec: ProgramCheck; setRunning(on: boolean): void; done(result: ProgramCheckResult): void } {
    const l = this.entry(task, check);
    if (l.check.kind !== 'program') throw new Error(`${check} is not a program check`);
    return {
      spec: l.check,
      setRunning: (on) => {
        l.running = on;
        this.hooks.status(this.status());
      },
      done: (result) => {
        l.running = false;
        if (result.passed && !this.isPassed(task, check)) return this.pass(task, check, result.evidence, result);
        Object.assign(this.record(task, check), { detail: result.detail, detailText: result.detailText });
        this.hooks.save(this.progress);
        this.hooks.status(this.status());
      },
    };
  }

  status(): LabStatus {
    const status = this.englishStatus();
    const translations = statusTexts(this.lab.translations, status);
    return translations ? { ...status, translations } : status;
  }

  private englishStatus(): LabStatus {
    return {
      file: this.file,
      origin: this.origin,
      title: this.lab.title,
      section: this.lab.section,
      intro: this.lab.intro ?? '',
      startedAt: this.progress.startedAt,
      tasks: this.lab.tasks.map((t) => {
        const shown = Math.min(this.progress.hints[t.id] ?? 0, t.hints?.length ?? 0);
        const checks = t.checks.map((c) => this.checkState(t.id, c));
        return {
          id: t.id,
          title: t.title,
          instructions: t.instructions,
          hintsShown: (t.hints ?? []).slice(0, shown),
          hintsLeft: (t.hints?.length ?? 0) - shown,
          checks,
          passed: checks.every((c) => c.passed),
        };
      }),
    };
  }

  private checkState(task: string, c: LabCheck): LabCheckState {
    const r = this.progress.checks[key(task, c.id)];
    const l = this.live.get(key(task, c.id));
    return {
      id: c.id,
      kind: c.kind,
      label: c.label,
      passed: r?.passedAt !== undefined,
      ...(r?.passedAt !== undefined ? { passedAt: r.passedAt } : {}),
      // a check restored from an earlier run keeps its messages for the report; its ids would name other messages now
      evidence: this.passedHere.has(key(task, c.id)) ? (r?.evidence ?? []) : [],
      ...(c.kind === 'answer' ? { question: c.question } : {}),
      ...(r?.answered !== undefined ? { answered: r.answered } : {}),
      ...(r?.detail !== undefined ? { detail: r.detail } : {}),
      ...(r?.detail !== undefined && r.detailText ? { detailText: r.detailText } : {}),
      ...(l?.running ? { running: true } : {}),
    };
  }
}

/** the messages the checks look at: framed messages and UDP datagrams, not chunks nor notes */
function isMessage(m: CaptureSummary): boolean {
  if (m.kind === 'event') return false;
  return m.kind === 'message' || m.transport === 'udp';
}

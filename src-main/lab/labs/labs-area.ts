/**
 * The lab sessions area (issue 12): the list of lab files, the one lab open at a time, its
 * start state (the lab's scenario and what it resets), its progress on disk and the program
 * checks' runner, which the program-check module injects.
 */
import type { LabApi, SwarmResult } from '../api';
import type { CaptureStore } from '../capture/store';
import type { Scenario } from '../scenarios/scenario-file';
import { labFileNames, LAB_FILE_NAME, readLabFile, writeUserLabFile, type LabDirs } from './lab-dir';
import { checkLabFile, LabFileMistake, parseLabFile, type LabFile } from './lab-file';
import { clearProgress, emptyProgress, loadProgress, saveProgress, type LabProgress } from './lab-progress';
import { buildReport } from './lab-report';
import { titles } from './lab-translations';
import { LabSession, type StateArea } from './lab-session';
import type { LabAnswerResult, LabCheckPassed, LabFileText, LabOrigin, LabReport, LabStatus, LabSummary, LabValidation } from './lab-types';
import type { ProgramCheckResult, ProgramCheckRunner } from './program-check-types';
import { english, msg, type LabText } from '../lab-text';
import type { Lab } from '../lab';

/** a report stays a file one can open and mail: the capture it attaches is capped */
export const REPORT_CAPTURE_LINES = 20_000;

export type LabsApi = Pick<
  LabApi,
  'mail.mailbox' | 'mail.message' | 'dns.readZone' | 'dns.resetZone' | 'dns.flush' | 'dns.guide' | 'web.proxyStatus' | 'web.proxyFlush' | 'capture.exportJsonl' | 'mail.empty' | 'web.sites' | 'web.resetFile'
>;

export interface LabsDeps extends LabDirs {
  lab: Lab;
  api: LabsApi;
  store: CaptureStore;
  /** make the lab what the lab's scenario says */
  applyScenario(scenario: Scenario): Promise<void>;
  /** the caller pinned the services' ports (tests, `--free-ports`): a lab's scenario does not move them */
  fixedPorts: boolean;
  status(s: LabStatus): void;
  passed(p: LabCheckPassed): void;
}

/** every file of the user's copy of the sites (edits, uploads) removed: the shipped site is served again */
async function resetSites(api: LabsApi): Promise<void> {
  const sites = await api['web.sites']().catch(() => []);
  for (const site of sites) for (const f of site.files.filter((x) => x.modified)) await api['web.resetFile'](site.host, f.path).catch(() => undefined);
}

export class LabsArea {
  private session: LabSession | null = null;
  private runner: ProgramCheckRunner | null = null;
  private saving: Promise<void> = Promise.resolve();
  /** the text of the open lab, for "Restart lab" */
  private openText = '';
  /** each lab file's last check, by origin and name: a list of the labs checks again only what changed
   *  (all fifteen shipped files took the lab 100–300 ms of CPU, every time a page opened) */
  private checked = new Map<string, { text: string; result: ReturnType<typeof checkLabFile> }>();

  constructor(private deps: LabsDeps) {}

  setProgramCheckRunner(r: ProgramCheckRunner | null): void {
    this.runner = r;
  }

  async list(): Promise<LabSummary[]> {
    const out: LabSummary[] = [];
    for (const origin of ['shipped', 'user'] as const) {
      for (const file of await labFileNames(this.deps, origin)) {
        const { text } = await readLabFile(this.deps, origin, file).catch(() => ({ text: '' }));
        const r = this.check(`${origin}/${file}`, text);
        const progress = await loadProgress(this.deps.dataDir, origin, file);
        if (!r.ok) {
          out.push({ file, origin, title: file, section: '', tasks: 0, passedChecks: 0, totalChecks: 0, error: r.error });
          continue;
        }
        const keys = r.lab.tasks.flatMap((t) => t.checks.map((c) => `${t.id}/${c.id}`));
        out.push({
          file,
          origin,
          title: r.lab.title,
          section: r.lab.section,
          tasks: r.lab.tasks.length,
          totalChecks: keys.length,
          passedChecks: keys.filter((k) => progress?.checks[k]?.passedAt !== undefined).length,
          ...(titles(r.lab.translations) ? { titles: titles(r.lab.translations) } : {}),
        });
      }
    }
    return out;
  }

  private check(key: string, text: string): ReturnType<typeof checkLabFile> {
    const last = this.checked.get(key);
    if (last?.text === text) return last.result;
    const result = checkLabFile(text);
    this.checked.set(key, { text, result });
    return result;
  }

  read(origin: LabOrigin, file: string): Promise<LabFileText> {
    return readLabFile(this.deps, origin, file);
  }

  validate(text: string): LabValidation {
    const r = checkLabFile(text);
    return r.ok ? { ok: true, title: r.lab.title, tasks: r.lab.tasks.length } : { ok: false, error: r.error };
  }

  async save(file: string, text: string): Promise<LabSummary> {
    if (!LAB_FILE_NAME.test(file)) throw new Error(`${file} is not a lab file name (lower-case letters, digits, dashes, .yaml)`);
    const r = checkLabFile(text);
    if (!r.ok) throw new LabFileMistake(r.error);
    await writeUserLabFile(this.deps, file, text);
    return (await this.list()).find((s) => s.origin === 'user' && s.file === file)!;
  }

  /** open a lab from its text (the CLI's FILE.yaml) or from the lists */
  async open(origin: LabOrigin, file: string, text?: string): Promise<LabStatus> {
    const source = text ?? (await this.read(origin, file)).text;
    const lab = parseLabFile(source);
    this.close();
    this.openText = source;
    const saved = await loadProgress(this.deps.dataDir, origin, file);
    // the lab's resets (zones, caches) only when it starts afresh: reopened, it goes on where the student left it
    await this.startState(lab, saved === null);
    const progress = saved ?? emptyProgress();
    this.session = new LabSession(file, origin, lab, progress, {
      store: this.deps.store,
      state: this.deps.api,
      save: (p) => this.save_(origin, file, p),
      status: (s) => this.deps.status(s),
      passed: (p) => this.deps.passed(p),
    });
    this.save_(origin, file, progress);
    await this.session.evaluateStates();
    const status = this.session.status();
    this.deps.status(status);
    return status;
  }

  private save_(origin: LabOrigin, file: string, p: LabProgress): void {
    const copy = JSON.parse(JSON.stringify(p)) as LabProgress;
    this.saving = this.saving.then(() => saveProgress(this.deps.dataDir, origin, file, copy)).catch(() => undefined);
  }

  /** the progress written so far is on disk */
  flushed(): Promise<void> {
    return this.saving;
  }

  /** the lab's scenario (ports kept where the caller pinned them) and, `fresh`, what the lab resets */
  private async startState(lab: LabFile, fresh: boolean): Promise<void> {
    const scenario: Scenario = structuredClone(lab.scenario ?? {});
    if (this.deps.fixedPorts) for (const s of Object.values(scenario.services ?? {})) delete s.port;
    const api = this.deps.api;
    const reset = lab.reset ?? {};
    // the mail first: the queue dropped before the scenario (re)starts a server it would relay to
    if (fresh && reset.mailboxes) await api['mail.empty'](reset.mailboxes === true ? [] : reset.mailboxes).catch(() => undefined);
    await this.deps.applyScenario(scenario);
    if (!fresh) return;
    for (const zone of reset.zones ?? []) await api['dns.resetZone'](zone).catch(() => undefined);
    if (reset.dnsGuide) await api['dns.guide']('start').catch(() => undefined);
    if (reset.dnsCache) await api['dns.flush']().catch(() => undefined);
    if (reset.proxyCache) await api['web.proxyFlush']().catch(() => undefined);
    if (reset.sites) await resetSites(api);
  }

  current(): LabSession {
    if (!this.session) throw new Error('no lab is open');
    return this.session;
  }

  status(): LabStatus | null {
    return this.session?.status() ?? null;
  }

  hint(task: string): LabStatus {
    return this.current().hint(task);
  }

  answer(task: string, check: string, text: string): LabAnswerResult {
    return this.current().answer(task, check, text);
  }

  async runProgram(task: string, check: string): Promise<LabStatus> {
    const s = this.current();
    const run = s.programCheck(task, check);
    if (!this.runner) {
      run.done(failed(msg('checkLab.program.unavailable')));
      return s.status();
    }
    run.setRunning(true);
    try {
      const r = await this.runner(this.deps.lab, { ...run.spec, kind: 'program' });
      run.done(r);
    } catch (err) {
      run.done(failed(msg('checkLab.program.couldNotRun', { error: (err as Error).message })));
    }
    return s.status();
  }

  async restart(): Promise<LabStatus> {
    const { origin, file } = this.current();
    const text = this.openText;
    this.close();
    await this.saving;
    await clearProgress(this.deps.dataDir, origin, file);
    return this.open(origin, file, text);
  }

  close(): void {
    this.session?.close();
    this.session = null;
  }

  /** the lab's mail, zones or proxy changed: the state checks that look there are asked again */
  changed(area: StateArea): void {
    this.session?.stateSoon([area]);
  }

  swarmFinished(r: SwarmResult): void {
    this.session?.swarmFinished(r);
  }

  async report(studentName: string): Promise<LabReport> {
    const s = this.current();
    await this.session!.evaluateStates();
    // the capture since the lab was opened, its newest REPORT_CAPTURE_LINES messages
    const lines = (await this.deps.api['capture.exportJsonl']({})).split('\n').filter((l) => Number(/^\{"id":(\d+)/.exec(l)?.[1] ?? 0) >= s.firstCaptureId);
    const capture = lines.slice(-REPORT_CAPTURE_LINES).join('\n');
    return buildReport({ status: s.status(), progress: s.progress, studentName, capture, captureDropped: Math.max(0, lines.length - REPORT_CAPTURE_LINES), generatedAt: Date.now() });
  }
}

/** a program check that did not run: open, with the reason */
function failed(m: LabText): ProgramCheckResult {
  return { passed: false, detail: english(m), detailText: m, evidence: [] };
}

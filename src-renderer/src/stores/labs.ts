import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { lab, errorMessage } from '../api';
import type { LabCheckPassed, LabOrigin, LabStatus, LabSummary, LabText } from '../api/types';
import { useCaptureStore } from './capture';
import { useLayoutStore } from './layout';
import { downloadText } from '../util/download';
import { t } from '../i18n';
import { currentLocale } from '../i18n/locale';
import { localStatus } from '../components/labs/labLanguage';
import { afterInspector } from '../util/firstDraw';

export type LabsPane = 'session' | 'editor';

/** what the last answer to a check said (right, or wrong without the value) */
export interface AnswerVerdict {
  correct: boolean;
  message: string;
  /** the same, keyed (the lab core's checkLab.answer.*): shown in the UI's language */
  messageText?: LabText;
}

const NAME_KEY = 'netlab.labs.student';

export const checkKey = (task: string, check: string): string => `${task}/${check}`;

/**
 * The Labs tab (issue 12): the shipped labs and the user's, the lab open now with its tasks
 * and checks — kept in step by the lab's 'labs.status' and 'labs.passed' events, never polled —
 * and the report to hand in.
 */
export const useLabsStore = defineStore('labs', () => {
  const pane = ref<LabsPane>('session');
  const list = ref<LabSummary[]>([]);
  const status = ref<LabStatus | null>(null);
  /** the open lab in the UI's language (the texts its file carries in it, else English) */
  const statusShown = computed(() => (status.value ? localStatus(status.value, currentLocale.value) : null));
  const error = ref('');
  /** an action of the open lab is under way (open, restart, close, report) */
  const busy = ref(false);
  /** answers and hints in flight, by check or task key */
  const pending = ref<Record<string, boolean>>({});
  const verdicts = ref<Record<string, AnswerVerdict>>({});
  /** a check that just turned ✓, to flash it once */
  const justPassed = ref<Record<string, boolean>>({});
  const studentName = ref(readName());
  /** the last check turned ✓, said to screen readers */
  const announcement = ref('');
  /** narrow windows: the lab list laid over the open lab */
  const listShown = ref(false);
  let subscribed = false;

  function readName(): string {
    try {
      return localStorage.getItem(NAME_KEY) ?? '';
    } catch {
      return '';
    }
  }
  function setStudentName(name: string): void {
    studentName.value = name;
    try {
      localStorage.setItem(NAME_KEY, name);
    } catch {
      // not remembered: private mode
    }
  }

  async function guard<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      error.value = '';
      return await fn();
    } catch (err) {
      error.value = errorMessage(err);
      return undefined;
    }
  }

  const progress = computed(() => {
    const checks = status.value?.tasks.flatMap((t) => t.checks) ?? [];
    return { passed: checks.filter((c) => c.passed).length, total: checks.length };
  });

  /** the list's n/m follows the open lab without asking the lab again */
  function syncSummary(s: LabStatus): void {
    const checks = s.tasks.flatMap((t) => t.checks);
    list.value = list.value.map((l) =>
      l.file === s.file && l.origin === s.origin ? { ...l, passedChecks: checks.filter((c) => c.passed).length, totalChecks: checks.length } : l,
    );
  }

  function setStatus(s: LabStatus | null): void {
    const before = status.value;
    status.value = s;
    if (!s) return;
    syncSummary(s);
    if (before && before.file === s.file && before.origin === s.origin) {
      const shown = localStatus(s, currentLocale.value);
      for (const task of shown.tasks)
        for (const c of task.checks) {
          const was = before.tasks.find((x) => x.id === task.id)?.checks.find((x) => x.id === c.id);
          if (c.passed && was && !was.passed) {
            flash(checkKey(task.id, c.id));
            announcement.value = t('labs.announcePassed', { label: c.label, task: task.title });
          }
        }
    }
  }

  function flash(key: string): void {
    justPassed.value = { ...justPassed.value, [key]: true };
    setTimeout(() => {
      const next = { ...justPassed.value };
      delete next[key];
      justPassed.value = next;
    }, 2500);
  }

  /** 'labs.passed' arrives the moment a check turns ✓: mark it at once (the status event follows) */
  function onPassed(p: LabCheckPassed): void {
    const s = status.value;
    if (!s || s.file !== p.file) return;
    const task = s.tasks.find((t) => t.id === p.task);
    const check = task?.checks.find((c) => c.id === p.check);
    if (!task || !check || check.passed) return;
    const tasks = s.tasks.map((t) => {
      if (t.id !== p.task) return t;
      const checks = t.checks.map((c) => (c.id === p.check ? { ...c, passed: true, passedAt: p.passedAt, evidence: p.evidence } : c));
      return { ...t, checks, passed: checks.every((c) => c.passed) };
    });
    setStatus({ ...s, tasks });
  }

  /** The open lab's status at once; the list of labs (the lab parses every lab file for it, a
   *  100–300 ms stretch of its time that held up the page's chunks) once the inspector has
   *  drawn its first rows (util/firstDraw.ts). */
  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      lab.on('labs.status', (s) => setStatus(s));
      lab.on('labs.passed', onPassed);
    }
    await Promise.all([listAfterInspector(), guard(async () => setStatus(await lab.call('labs.status')))]);
  }

  async function loadList(): Promise<void> {
    const l = await guard(() => lab.call('labs.list'));
    if (!l) return;
    list.value = l;
    if (status.value) syncSummary(status.value);
  }
  const listAfterInspector = afterInspector(loadList);

  async function run(fn: () => Promise<void>): Promise<void> {
    busy.value = true;
    try {
      await guard(fn);
    } finally {
      busy.value = false;
    }
  }

  async function open(origin: LabOrigin, file: string): Promise<void> {
    await run(async () => {
      verdicts.value = {};
      setStatus(await lab.call('labs.open', origin, file));
      pane.value = 'session';
    });
  }

  async function restart(): Promise<void> {
    await run(async () => {
      verdicts.value = {};
      setStatus(await lab.call('labs.restart'));
    });
  }

  async function close(): Promise<void> {
    await run(async () => {
      await lab.call('labs.close');
      status.value = null;
      verdicts.value = {};
      await loadList();
    });
  }

  async function inFlight(key: string, fn: () => Promise<void>): Promise<void> {
    pending.value = { ...pending.value, [key]: true };
    try {
      await guard(fn);
    } finally {
      const next = { ...pending.value };
      delete next[key];
      pending.value = next;
    }
  }

  const hint = (taskId: string) => inFlight(`hint:${taskId}`, async () => setStatus(await lab.call('labs.hint', taskId)));

  async function answer(taskId: string, checkId: string, text: string): Promise<void> {
    const key = checkKey(taskId, checkId);
    await inFlight(key, async () => {
      const r = await lab.call('labs.answer', taskId, checkId, text);
      verdicts.value = { ...verdicts.value, [key]: { correct: r.correct, message: r.message, ...(r.messageText ? { messageText: r.messageText } : {}) } };
      setStatus(r.status);
    });
  }

  const runProgram = (taskId: string, checkId: string) =>
    inFlight(checkKey(taskId, checkId), async () => setStatus(await lab.call('labs.runProgram', taskId, checkId)));

  /** the report as one HTML file and the same data as JSON, downloaded side by side */
  async function exportReport(): Promise<string | undefined> {
    let saved: string | undefined;
    await run(async () => {
      const r = await lab.call('labs.report', studentName.value.trim());
      const base = r.fileName.replace(/\.(html?|json)$/i, '');
      downloadText(`${base}.html`, r.html, 'text/html');
      downloadText(`${base}.json`, r.json, 'application/json');
      saved = base;
    });
    return saved;
  }

  /**
   * The messages that satisfied a check, in the inspector: its connection followed and the
   * first message selected, as the Mail tab's "connection N" links do.
   */
  function showEvidence(ids: number[], pick = ids[0]): boolean {
    const capture = useCaptureStore();
    const layout = useLayoutStore();
    const row = capture.findRow(pick);
    if (!row) {
      error.value = t('labs.evidenceGone', { id: pick });
      return false;
    }
    error.value = '';
    if (layout.collapsed) layout.toggleInspector();
    if (row.conn > 0) capture.followConnection(row.conn);
    else {
      capture.filter.conn = null;
      capture.filter.followSelected = false;
    }
    capture.filter.text = '';
    capture.filter.service = '';
    capture.select(row.id);
    return true;
  }

  return {
    pane,
    list,
    status,
    statusShown,
    error,
    busy,
    pending,
    verdicts,
    justPassed,
    studentName,
    listShown,
    announcement,
    progress,
    setStudentName,
    load,
    loadList,
    open,
    restart,
    close,
    hint,
    answer,
    runProgram,
    exportReport,
    showEvidence,
  };
});

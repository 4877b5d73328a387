/**
 * The hand-in: one self-contained HTML file (no script, no external resource: it opens in any
 * browser without a network) and the same data as JSON. Every text from the lab file, the
 * student or the capture is escaped. It says plainly what it is: evidence of the work done in
 * this NetLab, which a student could edit, not proof against tampering.
 */
import type { LabProgress } from './lab-progress';
import type { LabReport, LabStatus } from './lab-types';

export interface ReportInput {
  status: LabStatus;
  progress: LabProgress;
  studentName: string;
  /** the capture, JSON Lines (capture.exportJsonl) */
  capture: string;
  /** older messages of the session left out of `capture` (the report's cap) */
  captureDropped?: number;
  generatedAt: number;
}

export const REPORT_NOTICE =
  'This report is evidence of the work done in NetLab: the tasks, the answers and the captured messages that satisfied each check. It is not proof against tampering: the file, the progress and the capture can be edited by whoever holds them.';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const time = (ms: number | undefined): string => (ms === undefined ? '' : new Date(ms).toISOString());

export function reportData(input: ReportInput) {
  const { status, progress } = input;
  return {
    notice: REPORT_NOTICE,
    generatedAt: time(input.generatedAt),
    student: input.studentName,
    lab: { file: status.file, origin: status.origin, title: status.title, section: status.section, startedAt: time(status.startedAt) },
    tasks: status.tasks.map((t) => ({
      id: t.id,
      title: t.title,
      passed: t.passed,
      hintsUsed: t.hintsShown.length,
      checks: t.checks.map((c) => ({
        id: c.id,
        kind: c.kind,
        label: c.label,
        passed: c.passed,
        passedAt: time(c.passedAt),
        ...(c.question !== undefined ? { question: c.question } : {}),
        ...(c.answered !== undefined ? { answer: c.answered } : {}),
        ...(c.detail !== undefined ? { detail: c.detail } : {}),
        evidence: progress.checks[`${t.id}/${c.id}`]?.messages ?? [],
      })),
    })),
    capture: input.capture,
    captureDropped: input.captureDropped ?? 0,
  };
}

type Data = ReturnType<typeof reportData>;

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
.notice{border:1px solid #c90;background:#fff8e0;padding:.6rem .8rem}.ok{color:#070}.open{color:#a00}
pre{background:#f4f4f4;padding:.5rem;overflow:auto;white-space:pre-wrap;max-height:20rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top}`;

function checkHtml(c: Data['tasks'][number]['checks'][number]): string {
  const e = escapeHtml;
  const parts = [`<li><span class="${c.passed ? 'ok' : 'open'}">${c.passed ? '✓ passed' : '✗ open'}</span> ${e(c.label)}`];
  if (c.passedAt) parts.push(` <small>at ${e(c.passedAt)}</small>`);
  if (c.question !== undefined) parts.push(`<br>Question: ${e(c.question)}`);
  if (c.answer !== undefined) parts.push(`<br>Answer given: <b>${e(c.answer)}</b>`);
  if (c.detail !== undefined) parts.push(`<br><small>${e(c.detail)}</small>`);
  for (const m of c.evidence) {
    parts.push(`<details><summary>#${m.id} ${e(m.service)} ${e(m.dir)}: ${e(m.summary)}</summary><pre>${e(m.text)}</pre></details>`);
  }
  return `${parts.join('')}</li>`;
}

export function reportHtml(d: Data): string {
  const e = escapeHtml;
  const tasks = d.tasks
    .map((t) => `<h2>${t.passed ? '✓' : '○'} ${e(t.title)}</h2><p><small>hints used: ${t.hintsUsed}</small></p><ul>${t.checks.map(checkHtml).join('')}</ul>`)
    .join('\n');
  const lines = d.capture.split('\n').filter(Boolean).length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(d.lab.title)}: ${e(d.student)}</title><style>${STYLE}</style></head><body>
<h1>${e(d.lab.title)} <small>(${e(d.lab.section)})</small></h1>
<table><tr><th>Student</th><td>${e(d.student)}</td></tr><tr><th>Lab file</th><td>${e(d.lab.file)} (${e(d.lab.origin)})</td></tr>
<tr><th>Started</th><td>${e(d.lab.startedAt)}</td></tr><tr><th>Report made</th><td>${e(d.generatedAt)}</td></tr></table>
<p class="notice">${e(d.notice)}</p>
${tasks}
<h2>The capture since the lab was opened (${lines} messages, JSON Lines${d.captureDropped ? `; ${d.captureDropped} older ones left out` : ''})</h2>
<details><summary>show</summary><pre>${e(d.capture)}</pre></details>
</body></html>
`;
}

export function buildReport(input: ReportInput): LabReport {
  const data = reportData(input);
  const safeName = (input.studentName.trim() || 'student').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60);
  return {
    fileName: `${input.status.file.replace(/\.yaml$/, '')}-${safeName}.html`,
    html: reportHtml(data),
    json: JSON.stringify(data, null, 1),
  };
}

/**
 * A lab file's texts in other languages: an optional `translations:` block, one entry per
 * language tag (BCP 47: `zh-CN`, `fr`, `pt-BR`), naming the texts it translates by task id and
 * check id. The file's own texts are English and stay the reference: a text a translation lacks
 * is shown in English. Files without the block are unchanged.
 *
 *   translations:
 *     zh-CN:
 *       title: 套接字编程
 *       tasks:
 *         tcp-terminal:
 *           title: …
 *           instructions: …
 *           hints: [ …, … ]            # in order, at most as many as the English ones
 *           checks:
 *             echoed: { label: …, question: … }
 */
import { z } from 'zod';
import type { LabStatus, LabStatusText } from './lab-types';

/** a language tag: language, optional script, optional region ("zh-CN", "zh-Hans", "en") */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$/;

const text = (max: number) => z.string().min(1).max(max);
const markdown = text(20_000);

const checkText = z.object({ label: text(300), question: markdown }).partial().strict();
const taskText = z
  .object({
    title: text(200),
    instructions: markdown,
    hints: z.array(markdown).max(20),
    checks: z.record(z.string().max(41), checkText),
  })
  .partial()
  .strict();

export const labTextSchema = z
  .object({ title: text(200), section: text(100), intro: markdown, tasks: z.record(z.string().max(41), taskText) })
  .partial()
  .strict();

export type LabText = z.infer<typeof labTextSchema>;

export const translationsSchema = z
  .record(z.string().max(20), labTextSchema)
  .superRefine((block, ctx) => {
    for (const tag of Object.keys(block)) {
      if (!LANGUAGE_TAG.test(tag))
        ctx.addIssue({ code: 'custom', path: [tag], message: `${tag} is not a language tag (such as zh-CN, fr, pt-BR)` });
      else if (tag === 'en' || tag.startsWith('en-'))
        ctx.addIssue({ code: 'custom', path: [tag], message: 'the file’s own texts are the English ones' });
    }
  });

interface LabShape {
  tasks: { id: string; hints?: string[]; checks: { id: string; kind: string }[] }[];
}

/** each translation names tasks and checks the lab has, and no more hints than English */
export function checkTranslations(lab: LabShape & { translations?: Record<string, LabText> }, ctx: z.RefinementCtx): void {
  for (const [tag, tr] of Object.entries(lab.translations ?? {})) {
    for (const [taskId, tt] of Object.entries(tr.tasks ?? {})) {
      const at = ['translations', tag, 'tasks', taskId];
      const task = lab.tasks.find((t) => t.id === taskId);
      if (!task) {
        ctx.addIssue({ code: 'custom', path: at, message: `no task called ${taskId}` });
        continue;
      }
      if ((tt.hints?.length ?? 0) > (task.hints?.length ?? 0))
        ctx.addIssue({ code: 'custom', path: [...at, 'hints'], message: `${tt.hints!.length} hints, the task has ${task.hints?.length ?? 0}` });
      for (const [checkId, ct] of Object.entries(tt.checks ?? {})) {
        const check = task.checks.find((c) => c.id === checkId);
        if (!check) ctx.addIssue({ code: 'custom', path: [...at, 'checks', checkId], message: `no check called ${checkId} in task ${taskId}` });
        else if (ct.question && check.kind !== 'answer')
          ctx.addIssue({ code: 'custom', path: [...at, 'checks', checkId, 'question'], message: `${checkId} is not a question` });
      }
    }
  }
}

/**
 * The status's texts in each language the file has: hints only as far as the student has
 * revealed them, so a translation never shows a hint the English has not.
 */
export function statusTexts(translations: Record<string, LabText> | undefined, status: LabStatus): Record<string, LabStatusText> | undefined {
  if (!translations || !Object.keys(translations).length) return undefined;
  const out: Record<string, LabStatusText> = {};
  for (const [tag, tr] of Object.entries(translations)) {
    const tasks: LabStatusText['tasks'] = {};
    for (const t of status.tasks) {
      const tt = tr.tasks?.[t.id];
      if (!tt) continue;
      tasks[t.id] = {
        ...(tt.title ? { title: tt.title } : {}),
        ...(tt.instructions ? { instructions: tt.instructions } : {}),
        ...(tt.hints ? { hintsShown: tt.hints.slice(0, t.hintsShown.length) } : {}),
        ...(tt.checks ? { checks: tt.checks } : {}),
      };
    }
    out[tag] = {
      ...(tr.title ? { title: tr.title } : {}),
      ...(tr.section ? { section: tr.section } : {}),
      ...(tr.intro ? { intro: tr.intro } : {}),
      tasks,
    };
  }
  return out;
}

/** each language's title, for the lab list */
export function titles(translations: Record<string, LabText> | undefined): Record<string, string> | undefined {
  const out = Object.entries(translations ?? {}).filter(([, tr]) => tr.title).map(([tag, tr]) => [tag, tr.title!]);
  return out.length ? Object.fromEntries(out) : undefined;
}

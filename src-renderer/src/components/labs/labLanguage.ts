/**
 * A lab in the UI's language: the texts the lab file carries in it (its `translations:` block,
 * docs/labs.md), English where a translation lacks one. Follows the language switch at once:
 * the lab sends every language it has.
 */
import type { LabStatus, LabStatusText, LabSummary } from '../../api/types';
import { matchLocale, type Locale } from '../../i18n/locale';

/** the file's tag for the UI's language: the same tag, else one that means it ("zh", "zh-Hans" for zh-CN) */
function pick<T>(by: Record<string, T> | undefined, locale: Locale): T | undefined {
  if (!by || locale === 'en') return undefined;
  if (by[locale] !== undefined) return by[locale];
  const tag = Object.keys(by).find((k) => matchLocale(k) === locale);
  return tag === undefined ? undefined : by[tag];
}

export function labTitle(l: LabSummary, locale: Locale): string {
  return pick(l.titles, locale) ?? l.title;
}

export function localStatus(s: LabStatus, locale: Locale): LabStatus {
  const tr: LabStatusText | undefined = pick(s.translations, locale);
  if (!tr) return s;
  return {
    ...s,
    title: tr.title ?? s.title,
    section: tr.section ?? s.section,
    intro: tr.intro ?? s.intro,
    tasks: s.tasks.map((t) => {
      const tt = tr.tasks[t.id];
      if (!tt) return t;
      return {
        ...t,
        title: tt.title ?? t.title,
        instructions: tt.instructions ?? t.instructions,
        hintsShown: t.hintsShown.map((h, i) => tt.hintsShown?.[i] ?? h),
        checks: t.checks.map((c) => {
          const ct = tt.checks?.[c.id];
          if (!ct) return c;
          return { ...c, label: ct.label ?? c.label, ...(c.question !== undefined ? { question: ct.question ?? c.question } : {}) };
        }),
      };
    }),
  };
}

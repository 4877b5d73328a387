/**
 * The languages NetLab's UI speaks, shared by the renderer (its catalogues and formats) and the
 * desktop shell (the native menu, dialogs and notifications). No imports: the preload, the main
 * process and the renderer all read it.
 */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** each language's name written in itself, for the switch */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

/** the BCP 47 tag Intl formats with: one format for one thing in each language */
export const INTL_TAG: Record<Locale, string> = { en: 'en-US', 'zh-CN': 'zh-CN' };

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** "zh", "zh-CN", "zh-Hans-SG" → zh-CN; "en-GB" → en; anything else → null */
export function matchLocale(tag: string): Locale | null {
  const t = tag.toLowerCase();
  if (t === 'zh' || t.startsWith('zh-cn') || t.startsWith('zh-hans') || t.startsWith('zh-sg')) return 'zh-CN';
  if (t === 'en' || t.startsWith('en-')) return 'en';
  return null;
}

/** the first of the system's languages NetLab speaks, else English */
export function systemLocale(languages: readonly string[]): Locale {
  for (const l of languages) {
    const m = matchLocale(l);
    if (m) return m;
  }
  return 'en';
}

/**
 * The UI's language: the one the user picked (remembered), else the system's first language
 * NetLab speaks, else English. Kept apart from index.ts so that code which only formats
 * (util/format.ts) does not load the catalogues.
 */
import { ref } from 'vue';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** each language's name written in itself, for the switch */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

/** the BCP 47 tag Intl formats with: one format for one thing in each language */
export const INTL_TAG: Record<Locale, string> = { en: 'en-US', 'zh-CN': 'zh-CN' };

const KEY = 'netlab.locale';

/** the browser's pieces this file reads, absent when a unit test formats under Node */
const web = globalThis as {
  localStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void };
  navigator?: { languages?: readonly string[]; language?: string };
};

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

export function systemLocale(languages: readonly string[]): Locale {
  for (const l of languages) {
    const m = matchLocale(l);
    if (m) return m;
  }
  return 'en';
}

function startLocale(): Locale {
  try {
    const saved = web.localStorage?.getItem(KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // storage unavailable: the system's language
  }
  const nav = web.navigator;
  return systemLocale(nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : []);
}

/** the current language; index.ts keeps vue-i18n in step with it */
export const currentLocale = ref<Locale>(startLocale());

export function rememberLocale(l: Locale): void {
  currentLocale.value = l;
  try {
    web.localStorage?.setItem(KEY, l);
  } catch {
    // not remembered; still switched
  }
}

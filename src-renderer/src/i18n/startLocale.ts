/**
 * The language the page starts in: the one the user picked (remembered), else the system's
 * first language NetLab speaks, else English. No Vue here: the page's first module reads it too.
 */
import { isLocale, systemLocale, type Locale } from '../../../src-main/ui-locale';

export const LOCALE_KEY = 'netlab.locale';

/** the browser's pieces this file reads, absent when a unit test formats under Node */
const web = globalThis as {
  localStorage?: { getItem(k: string): string | null };
  navigator?: { languages?: readonly string[]; language?: string };
};

export function startLocale(): Locale {
  try {
    const saved = web.localStorage?.getItem(LOCALE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // storage unavailable: the system's language
  }
  const nav = web.navigator;
  return systemLocale(nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : []);
}

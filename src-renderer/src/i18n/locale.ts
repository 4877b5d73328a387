/**
 * The UI's language: the one the user picked (remembered), else the system's first language
 * NetLab speaks, else English (src-main/ui-locale.ts). Kept apart from index.ts so that code which only formats
 * (util/format.ts) does not load the catalogues.
 */
import { ref } from 'vue';

import { isLocale, systemLocale, type Locale } from '../../../src-main/ui-locale';

export { INTL_TAG, isLocale, LOCALE_NAMES, LOCALES, matchLocale, systemLocale, type Locale } from '../../../src-main/ui-locale';

const KEY = 'netlab.locale';

/** the browser's pieces this file reads, absent when a unit test formats under Node */
const web = globalThis as {
  localStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void };
  navigator?: { languages?: readonly string[]; language?: string };
};

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

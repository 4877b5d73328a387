/**
 * The UI's language: the one the user picked (remembered), else the system's first language
 * NetLab speaks, else English (startLocale.ts, src-main/ui-locale.ts). Kept apart from index.ts
 * so that code which only formats (util/format.ts) does not load the catalogues.
 */
import { ref } from 'vue';

import type { Locale } from '../../../src-main/ui-locale';
import { LOCALE_KEY, startLocale } from './startLocale';

export { INTL_TAG, isLocale, LOCALE_NAMES, LOCALES, matchLocale, systemLocale, type Locale } from '../../../src-main/ui-locale';

/** the browser's storage, absent when a unit test formats under Node */
const web = globalThis as { localStorage?: { setItem(k: string, v: string): void } };

/** the current language; index.ts keeps vue-i18n in step with it */
export const currentLocale = ref<Locale>(startLocale());

export function rememberLocale(l: Locale): void {
  currentLocale.value = l;
  try {
    web.localStorage?.setItem(LOCALE_KEY, l);
  } catch {
    // not remembered; still switched
  }
}

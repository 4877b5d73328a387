/**
 * Every UI string goes through vue-i18n: templates call `$t('area.key')`, scripts call `t`
 * from here (stores, helpers) or `useI18n()` (components). Each area keeps its strings in
 * locales/<language>/<area>.ts; the file name is the key's first part. A unit test
 * (tests/unit/i18n) fails on a template or script string left outside the catalogues and on
 * a key one language lacks.
 */
import { watch } from 'vue';
import { createI18n } from 'vue-i18n';
import { currentLocale, INTL_TAG, rememberLocale, type Locale } from './locale';
import { messages } from './messages';

export { LOCALES, LOCALE_NAMES, type Locale } from './locale';

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: currentLocale.value,
  fallbackLocale: 'en',
  messages,
  // a key that is missing is a test failure, not a console message per render
  missingWarn: false,
  fallbackWarn: false,
});

/** translate from a script: reactive inside computed() and templates */
export const t = i18n.global.t;
/** whether a key is in the catalogues (a string that may be a key or already text) */
export const te = i18n.global.te;

watch(
  currentLocale,
  (l) => {
    i18n.global.locale.value = l;
    // the page's language, for screen readers and fonts (absent when a unit test formats)
    const doc = (globalThis as { document?: { documentElement: { lang: string } } }).document;
    if (doc) doc.documentElement.lang = INTL_TAG[l];
    // the desktop app's native menu and dialogs follow the UI's language
    (globalThis as { netlab?: { setLocale?: (l: string) => void } }).netlab?.setLocale?.(l);
  },
  { immediate: true, flush: 'sync' },
);

export function setLocale(l: Locale): void {
  rememberLocale(l);
}

/// <reference types="vite/client" />
/** The catalogues: locales/<language>/<area>.ts, each area's file its keys' first part. */
import type { Locale } from './locale';

type Tree = { [key: string]: string | Tree };

const files = import.meta.glob<{ default: Tree }>('./locales/*/*.ts', { eager: true });

export const messages = {} as Record<Locale, Tree>;
for (const [path, mod] of Object.entries(files)) {
  const m = /\.\/locales\/([^/]+)\/([^/]+)\.ts$/.exec(path);
  if (!m) continue;
  const lang = m[1] as Locale;
  (messages[lang] ??= {})[m[2]] = mod.default;
}

/**
 * The catalogues (src-renderer/src/i18n/locales/<language>/<area>.ts): every language has every
 * key with the same placeholders and plural forms, every message compiles, a Chinese message is
 * not English left untranslated, and every key the UI asks for exists.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { baseCompile } from '@intlify/message-compiler';
import { describe, expect, it } from 'vitest';
import { messages } from '../../../src-renderer/src/i18n/messages';
import { LOCALES } from '../../../src-renderer/src/i18n/locale';

type Tree = { [key: string]: string | Tree };
const flat = (tree: Tree, prefix = ''): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flat(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
};
const en = flat(messages.en as Tree);
const placeholders = (m: string): string[] => [...new Set([...m.matchAll(/\{\s*(\w+)\s*\}/g)].map((x) => x[1]))].sort();
const forms = (m: string): number => m.split(/(?<!\{'[^']*)\|/).length;

describe('the catalogues', () => {
  it('English has keys', () => expect(en.size).toBeGreaterThan(10));

  it.each(LOCALES.filter((l) => l !== 'en'))('%s has every English key and no other, with the same placeholders and plural forms', (lang) => {
    const other = flat(messages[lang] as Tree);
    expect([...other.keys()].filter((k) => !en.has(k)), 'keys English lacks').toEqual([]);
    expect([...en.keys()].filter((k) => !other.has(k)), `keys ${lang} lacks`).toEqual([]);
    for (const [k, m] of en) {
      const o = other.get(k)!;
      expect(placeholders(o), `${lang} ${k}`).toEqual(placeholders(m));
      expect(forms(o), `${lang} ${k}: plural forms`).toBe(forms(m));
    }
  });

  it.each(LOCALES.filter((l) => l !== 'en'))('%s is translated: no message is the English one while it has English words', (lang) => {
    const other = flat(messages[lang] as Tree);
    const same = [...en].filter(([k, m]) => other.get(k) === m && /\p{Ll}{3,}/u.test(m.replace(/\{[^}]*\}/g, '').replace(/\S+\.\S+/g, '')));
    expect(same.map(([k, m]) => `${k}: ${m}`)).toEqual([]);
  });

  it.each([...LOCALES])('every %s message compiles', (lang) => {
    for (const [k, m] of flat(messages[lang] as Tree)) {
      const errors: string[] = [];
      baseCompile(m, { onError: (e) => errors.push(e.message) });
      expect(errors, `${lang} ${k}: ${m}`).toEqual([]);
    }
  });

  it('every key the UI asks for by name is in English', () => {
    const root = resolve(__dirname, '../../../src-renderer/src');
    const files = (d: string): string[] =>
      readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? (f === 'i18n' ? [] : files(join(d, f))) : /\.(vue|ts)$/.test(f) ? [join(d, f)] : []));
    const missing: string[] = [];
    for (const f of files(root)) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/(?:\$t|\bt|\btc|\bte)\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'|keypath="([\w.-]+)"/g)) {
        const key = m[1] ?? m[2];
        if (!en.has(key)) missing.push(`${f.slice(root.length + 1)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

/**
 * Text the lab core sends to the UI with a catalogue key beside its English
 * (src-main/lab/lab-text.ts): the English catalogue, formatted with the parameters, says
 * exactly what the lab says, for every key the lab can send; the lab's real messages (the
 * persistence experiment's formula lines and phases) carry keys whose English is their text;
 * the UI shows them in Chinese, and falls back to the lab's English for a key it lacks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LAB_TEXTS, LAB_TEXT_SAMPLES, labEnglish, type LabParam, type LabText, type LabTextKey } from '../../../src-main/lab/lab-text';
import { persistenceFormula } from '../../../src-main/lab/web/experiments';
import { i18n, t } from '../../../src-renderer/src/i18n';
import { messages } from '../../../src-renderer/src/i18n/messages';
import { labText } from '../../../src-renderer/src/i18n/lab-text';
import type { FetchMode } from '../../../src-main/lab/web/types';

type Tree = { [key: string]: string | Tree };
const keysOf = (tree: Tree, prefix: string): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keysOf(v, `${prefix}${k}.`)));
const lang = (l: 'en' | 'zh-CN'): void => {
  i18n.global.locale.value = l;
};
afterEach(() => lang('en'));

/** the catalogue's message in the current language, nested messages formatted first */
const formatted = (m: LabText): string => {
  const p: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(m.params ?? {}) as [string, LabParam][]) p[k] = typeof v === 'object' ? formatted(v) : v;
  return t(m.key, p);
};
const keys = Object.keys(LAB_TEXTS) as LabTextKey[];

describe('the lab core’s messages and the catalogues', () => {
  it('lists keys of the web and VoIP areas', () => {
    expect(keys.some((k) => k.startsWith('webLab.'))).toBe(true);
  });

  it.each(keys)('%s: the English catalogue, formatted with the parameters, is the lab’s English', (key) => {
    const m: LabText = { key, params: LAB_TEXT_SAMPLES[key] };
    expect(i18n.global.te(key, 'en'), `en lacks ${key}`).toBe(true);
    expect(formatted(m)).toBe(labEnglish(m));
    lang('zh-CN');
    expect(i18n.global.te(key, 'zh-CN'), `zh-CN lacks ${key}`).toBe(true);
    expect(labText(labEnglish(m), m)).not.toBe(labEnglish(m));
  });

  it('the catalogues hold no lab key the lab does not list', () => {
    const inCatalogue = ['webLab', 'voipLab'].flatMap((area) => ((messages.en as Tree)[area] ? keysOf((messages.en as Tree)[area] as Tree, `${area}.`) : []));
    expect(inCatalogue.filter((k) => !(k in LAB_TEXTS))).toEqual([]);
    expect(inCatalogue.length).toBe(keys.length);
  });

  const modes: FetchMode[] = ['non-persistent', 'parallel', 'persistent', 'pipelined'];
  it.each(modes)('the %s formula line: its text is its key’s English, in Chinese with the textbook’s words', (mode) => {
    for (const tx of [0, 812.4]) {
      const f = persistenceFormula({ mode, rttMs: 100, parallel: 5 }, 10, tx);
      expect(f.text).toBe(labEnglish(f.textI18n));
      expect(formatted(f.textI18n)).toBe(f.text);
      expect(labText(f.text, f.textI18n)).toBe(f.text);
      lang('zh-CN');
      const zh = labText(f.text, f.textI18n);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      if (tx) expect(zh).toContain('传输时间 812 ms');
      if (mode === 'non-persistent') expect(zh).toContain('2·(10+1)·RTT');
      if (mode === 'parallel') expect(zh).toContain('2·(1+⌈10/5⌉)·RTT');
      lang('en');
    }
    expect(persistenceFormula({ mode: 'non-persistent', rttMs: 100, parallel: 5 }, 10, 0).text).toBe('2·RTT per object: 2·(10+1)·RTT');
  });

  it('a key the catalogue lacks, or a nested one, shows the lab’s English as sent', () => {
    lang('zh-CN');
    expect(labText('as sent', { key: 'webLab.nope' as LabTextKey })).toBe('as sent');
    expect(labText('as sent', { key: 'webLab.phase.option', params: { option: { key: 'webLab.nope' as LabTextKey }, i: 1, n: 3 } })).toBe('as sent');
    expect(labText('as sent', undefined)).toBe('as sent');
    expect(labText('as sent', { key: 'webLab.phase.option', params: { option: { key: 'webLab.option.cache', params: { mbps: 15 } }, i: 3, n: 3 } })).toBe('15 Mbps 链路 + 缓存（3/3）');
  });

  it('a template with a parameter the message lacks is refused', () => {
    expect(() => labEnglish({ key: 'webLab.phase.parallel', params: { i: 1, n: 4 } })).toThrow(/no parameter m/);
  });
});

/**
 * Every sentence the lab core sends with a catalogue key (src-main/lab/lab-text.ts, one list
 * gathered from the areas' files: Web experiments, softphones, DNS, zones, the guide, mail,
 * lab checks, program checks, opened files, socket programs' titles): the English catalogue, formatted with the key's
 * example, reads exactly as the lab's English (so the two cannot drift); Chinese has its own
 * sentence; the catalogues' lab areas hold no key the lab does not send; a key the catalogues
 * lack shows the lab's English as sent. Then the Web experiments' real formula lines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { english, joined, LAB_TEXTS, msg, say, type LabText, type LabTextKey, type TextParams } from '../../../src-main/lab/lab-text';
import { persistenceFormula } from '../../../src-main/lab/web/experiments';
import { te } from '../../../src-renderer/src/i18n';
import { messages } from '../../../src-renderer/src/i18n/messages';
import { keyedText, labText } from '../../../src-renderer/src/i18n/lab-text';
import { rememberLocale } from '../../../src-renderer/src/i18n/locale';
import type { FetchMode } from '../../../src-main/lab/web/types';
import { PROGRAMS } from '../../../src-main/lab/scenarios/programs';

type Tree = { [key: string]: string | Tree };
const keysOf = (tree: Tree, prefix: string): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keysOf(v, `${prefix}${k}.`)));
const keys = Object.keys(LAB_TEXTS) as LabTextKey[];
const example = (key: LabTextKey): LabText => ({ key, params: LAB_TEXTS[key].example as TextParams });
const HAN = /[\u4e00-\u9fff]/;
/** the catalogues' areas that hold the lab core's sentences */
const LAB_AREAS = ['webLab', 'voipLab', 'dnsLab', 'mailLab', 'p2pLab', 'checkLab', 'fileLab', 'programLab'];
/** Chinese that is the same words with its own punctuation: a bare response code, a list's separator, a quoted subject */
const NO_WORDS = new Set(['dnsLab.reply.rcode', 'checkLab.list', 'fileLab.list', 'checkLab.smtp.subject']);

afterEach(() => rememberLocale('en'));

describe('the lab core’s sentences and the catalogues', () => {
  it('one list holds every area’s keys', () => {
    for (const area of LAB_AREAS) expect(keys.some((k) => k.startsWith(`${area}.`)), area).toBe(true);
    expect(keys.length).toBeGreaterThan(200);
  });

  it.each(keys)('%s: the English catalogue, formatted with the example, is the lab’s English', (key) => {
    rememberLocale('en');
    expect(te(key), 'in the English catalogue').toBe(true);
    const said = say(example(key));
    // the catalogue alone, with the text emptied: nothing to fall back to
    expect(keyedText({ ...said, text: '' })).toBe(english(example(key)));
    expect(labText('', example(key))).toBe(said.text);
  });

  it.each(keys)('%s: Chinese has its own sentence', (key) => {
    rememberLocale('zh-CN');
    expect(te(key), 'in the Chinese catalogue').toBe(true);
    const shown = keyedText(say(example(key)));
    if (key === 'dnsLab.reply.rcode') expect(shown).toBe('SERVFAIL');
    else if (NO_WORDS.has(key)) expect(shown).not.toBe(english(example(key)));
    else expect(shown, shown).toMatch(HAN);
  });

  it('the catalogues’ lab areas hold no key the lab does not send', () => {
    const inCatalogue = LAB_AREAS.flatMap((area) => keysOf((messages.en as Tree)[area] as Tree, `${area}.`));
    expect(inCatalogue.filter((k) => !(k in LAB_TEXTS))).toEqual([]);
    expect(inCatalogue.length).toBe(keys.length);
  });

  it('every socket program’s title has its key', () => {
    for (const p of PROGRAMS) expect(LAB_TEXTS, p.id).toHaveProperty([`programLab.title.${p.id}`]);
  });

  it('a key the catalogues lack, or a nested one, shows the lab’s English as sent', () => {
    rememberLocale('zh-CN');
    expect(labText('as sent', { key: 'webLab.nope' })).toBe('as sent');
    expect(labText('as sent', { key: 'webLab.phase.option', params: { option: { key: 'webLab.nope' }, i: 1, n: 3 } })).toBe('as sent');
    expect(labText('as sent', undefined)).toBe('as sent');
    expect(keyedText({ text: 'something new', textKey: 'checkLab.state.noSuchKey', textParams: { a: 1 } })).toBe('something new');
    expect(keyedText({ text: 'x (truncated)', textKey: 'dnsLab.reply.truncated', textParams: { reply: { key: 'dnsLab.nope' } } })).toBe('x (truncated)');
    expect(keyedText({ text: 'no key at all' })).toBe('no key at all');
    expect(labText('as sent', msg('webLab.phase.option', { option: msg('webLab.option.cache', { mbps: 15 }), i: 3, n: 3 }))).toBe('15 Mbps 链路 + 缓存（3/3）');
  });

  it('a parameter the message lacks, or a key the list lacks, is the lab’s mistake: refused, not written as "undefined"', () => {
    expect(() => english({ key: 'webLab.phase.parallel', params: { i: 1, n: 4 } })).toThrow(/no parameter m/);
    expect(() => english({ key: 'checkLab.state.zoneHolds', params: { zone: 'umass.edu', name: 'www' } })).toThrow(/no parameter type/);
    expect(() => english({ key: 'dnsLab.no.such' })).toThrow(/no lab text/);
  });

  it('a list is pairs nested in each other: each language joins it with its own separator', () => {
    const items = ['a', 'b', 'c'].map((sentence) => msg('checkLab.tcp.silentClosed', { sentence }));
    const list = joined('checkLab.list', items) as LabText;
    expect(english(list)).toBe(items.map(english).join('; '));
    rememberLocale('zh-CN');
    expect(labText(english(list), list)).toBe('“a”：什么也没有返回（服务器关闭了连接）；“b”：什么也没有返回（服务器关闭了连接）；“c”：什么也没有返回（服务器关闭了连接）');
    expect(joined('checkLab.list', [])).toBe('');
    expect(joined('fileLab.list', ['pop3'])).toBe('pop3');
  });
});

describe('the persistence experiment’s formula lines', () => {
  const modes: FetchMode[] = ['non-persistent', 'parallel', 'persistent', 'pipelined'];
  it.each(modes)('%s: its text is its key’s English, in Chinese with the textbook’s words', (mode) => {
    for (const tx of [0, 812.4]) {
      const f = persistenceFormula({ mode, rttMs: 100, parallel: 5 }, 10, tx);
      expect(f.text).toBe(english(f.textI18n));
      expect(labText('', f.textI18n)).toBe(f.text);
      rememberLocale('zh-CN');
      const zh = labText(f.text, f.textI18n);
      expect(zh).toMatch(HAN);
      if (tx) expect(zh).toContain('传输时间 812 ms');
      if (mode === 'non-persistent') expect(zh).toContain('2·(10+1)·RTT');
      if (mode === 'parallel') expect(zh).toContain('2·(1+⌈10/5⌉)·RTT');
      rememberLocale('en');
    }
    expect(persistenceFormula({ mode: 'non-persistent', rttMs: 100, parallel: 5 }, 10, 0).text).toBe('2·RTT per object: 2·(10+1)·RTT');
  });
});

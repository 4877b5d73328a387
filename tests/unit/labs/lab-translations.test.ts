/**
 * Lab files in several languages (docs/labs.md, "Texts in other languages"): a file may carry a
 * `translations:` block by language tag; files without one are unchanged; a bad tag, an unknown
 * task or check, or more hints than the English are refused at their line. The session sends the
 * texts of every language (hints only as far as revealed) and the Labs view picks the UI's,
 * English where a translation lacks a text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureStore } from '../../../src-main/lab/capture/store';
import { checkLabFile, parseLabFile } from '../../../src-main/lab/labs/lab-file';
import { emptyProgress } from '../../../src-main/lab/labs/lab-progress';
import { LabSession } from '../../../src-main/lab/labs/lab-session';
import { labTitle, localStatus } from '../../../src-renderer/src/components/labs/labLanguage';

const PLAIN = `title: Echo
section: K&R §2.7
intro: Type a sentence.
tasks:
  - id: tcp
    title: A sentence over TCP
    instructions: Connect with nc.
    hints: [First hint., Second hint.]
    checks:
      - kind: counts
        id: sent
        label: a sentence reached the server
        service: echo-tcp
        atLeast: 1
      - kind: answer
        id: count
        label: the sentences, counted
        question: How many sentences?
        answer: { from: messages, service: echo-tcp, request: "." }
`;

const translated = (block: string): string => `${PLAIN}translations:\n${block}`;

const ZH = translated(`  zh-CN:
    title: 回显
    tasks:
      tcp:
        title: 通过 TCP 发送一个句子
        hints: [第一条提示。]
        checks:
          count: { question: 有多少个句子？ }
`);

function session(text: string) {
  return new LabSession('t.yaml', 'user', parseLabFile(text), emptyProgress(), {
    store: new CaptureStore(100),
    state: {} as never,
    save: () => undefined,
    status: () => undefined,
    passed: () => undefined,
  });
}

describe('lab file translations', () => {
  it('a file without translations is valid and its status carries none', () => {
    expect(checkLabFile(PLAIN).ok).toBe(true);
    expect(session(PLAIN).status().translations).toBeUndefined();
  });

  it('a file with a translations block is valid; its English texts are unchanged', () => {
    const r = checkLabFile(ZH);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lab.title).toBe('Echo');
    expect(r.lab.tasks[0].title).toBe('A sentence over TCP');
    expect(r.lab.translations?.['zh-CN'].tasks?.tcp.title).toBe('通过 TCP 发送一个句子');
  });

  it.each([
    ['zh_CN', 'zh_CN is not a language tag'],
    ['chinese', 'chinese is not a language tag'],
    ['ZH-cn', 'ZH-cn is not a language tag'],
    ['en', 'the file’s own texts are the English ones'],
  ])('refuses the language tag %s at its line', (tag, message) => {
    const text = translated(`  ${tag}:\n    title: x\n`);
    const r = checkLabFile(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain(message);
    expect(r.error.line).toBe(text.split('\n').findIndex((l) => l.startsWith(`  ${tag}:`)) + 1);
  });

  it('accepts other well-formed tags (a language, a script, a region)', () => {
    for (const tag of ['fr', 'zh-Hans', 'pt-BR', 'es-419']) expect(checkLabFile(translated(`  ${tag}:\n    title: x\n`)).ok, tag).toBe(true);
  });

  it.each([
    ['an unknown task', '    tasks:\n      nope: { title: x }\n', 'no task called nope'],
    ['an unknown check', '    tasks:\n      tcp:\n        checks:\n          nope: { label: x }\n', 'no check called nope in task tcp'],
    ['more hints than English', '    tasks:\n      tcp:\n        hints: [a, b, c]\n', '3 hints, the task has 2'],
    ['a question on a check that asks none', '    tasks:\n      tcp:\n        checks:\n          sent: { question: x }\n', 'sent is not a question'],
    ['a key the block does not know', '    subtitle: x\n', 'subtitle'],
    ['an empty text', '    title: ""\n', 'title'],
  ])('refuses %s', (_what, body, message) => {
    const r = checkLabFile(translated(`  zh-CN:\n${body}`));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(message);
  });

  it('the status sends each language, hints only as far as revealed', () => {
    const s = session(ZH);
    expect(s.status().translations?.['zh-CN'].tasks.tcp.hintsShown).toEqual([]);
    s.hint('tcp');
    s.hint('tcp');
    const status = s.status();
    expect(status.tasks[0].hintsShown).toEqual(['First hint.', 'Second hint.']);
    // one hint translated: the second stays English in the view
    expect(status.translations?.['zh-CN'].tasks.tcp.hintsShown).toEqual(['第一条提示。']);
    const zh = localStatus(status, 'zh-CN');
    expect(zh.title).toBe('回显');
    expect(zh.intro).toBe('Type a sentence.');
    expect(zh.tasks[0].title).toBe('通过 TCP 发送一个句子');
    expect(zh.tasks[0].instructions).toBe('Connect with nc.');
    expect(zh.tasks[0].hintsShown).toEqual(['第一条提示。', 'Second hint.']);
    expect(zh.tasks[0].checks.map((c) => [c.label, c.question])).toEqual([
      ['a sentence reached the server', undefined],
      ['the sentences, counted', '有多少个句子？'],
    ]);
    expect(localStatus(status, 'en')).toBe(status);
  });

  it('the view takes a tag that means the UI language (zh, zh-Hans for zh-CN)', () => {
    const s = session(ZH.replace('  zh-CN:', '  zh-Hans:')).status();
    expect(localStatus(s, 'zh-CN').title).toBe('回显');
    expect(labTitle({ file: 't.yaml', origin: 'user', title: 'Echo', section: '', tasks: 1, passedChecks: 0, totalChecks: 2, titles: { zh: '回显' } }, 'zh-CN')).toBe('回显');
    expect(labTitle({ file: 't.yaml', origin: 'user', title: 'Echo', section: '', tasks: 1, passedChecks: 0, totalChecks: 2, titles: { fr: 'Écho' } }, 'zh-CN')).toBe('Echo');
  });

  const LABS = path.resolve(__dirname, '../../../resources/labs');
  const shipped = fs.readdirSync(LABS).filter((f) => f.endsWith('.yaml'));

  it('the first shipped lab (sockets.yaml) is in Chinese', () => {
    expect(parseLabFile(fs.readFileSync(path.join(LABS, 'sockets.yaml'), 'utf8')).translations?.['zh-CN']?.title).toMatch(/套接字/);
  });

  it.each(shipped)('shipped %s is in Chinese: every title, instruction, hint, check label and question', (file) => {
    const lab = parseLabFile(fs.readFileSync(path.join(LABS, file), 'utf8'));
    const zh = lab.translations?.['zh-CN'];
    expect(zh?.title).toMatch(/\p{Script=Han}/u);
    expect(!lab.intro || !!zh?.intro).toBe(true);
    for (const t of lab.tasks) {
      const tt = zh?.tasks?.[t.id];
      expect(tt?.title, t.id).toMatch(/\p{Script=Han}/u);
      expect(tt?.instructions, t.id).toMatch(/\p{Script=Han}/u);
      expect(tt?.hints?.length ?? 0, t.id).toBe(t.hints?.length ?? 0);
      for (const c of t.checks) {
        expect(tt?.checks?.[c.id]?.label, `${t.id}/${c.id}`).toMatch(/\p{Script=Han}/u);
        if (c.kind === 'answer') expect(tt?.checks?.[c.id]?.question, `${t.id}/${c.id}`).toMatch(/\p{Script=Han}/u);
      }
    }
  });
});

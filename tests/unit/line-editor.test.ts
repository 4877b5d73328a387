import { describe, expect, it } from 'vitest';
import { LineEditor, type EditorEvent } from '../../src-main/lab/terminal/line-editor';

const lines = (evs: EditorEvent[]): string[] => evs.flatMap((e) => (e.type === 'line' ? [e.line] : []));
const output = (evs: EditorEvent[]): string => evs.map((e) => (e.type === 'output' ? e.text : '')).join('');

describe('terminal line discipline', () => {
  it('echoes what is typed and gives the line on Enter', () => {
    const ed = new LineEditor();
    const evs = ed.feed('hello\r');
    expect(output(evs)).toBe('hello\r\n');
    expect(lines(evs)).toEqual(['hello']);
  });

  it('treats CRLF and LF as one Enter, and splits pasted text into lines', () => {
    const ed = new LineEditor();
    expect(lines(ed.feed('HELO crepes.fr\r\nMAIL FROM: <a@b>\nQUIT\r'))).toEqual(['HELO crepes.fr', 'MAIL FROM: <a@b>', 'QUIT']);
  });

  it('erases with backspace and DEL', () => {
    const ed = new LineEditor();
    const evs = ed.feed('helpp\x7f\bo\r');
    expect(lines(evs)).toEqual(['helo']);
    expect(output(evs)).toContain('\b \b');
  });

  it('recalls history with the arrow keys, newest first, and restores the draft', () => {
    const ed = new LineEditor();
    ed.feed('first\r');
    ed.feed('second\r');
    ed.feed('dra');
    ed.feed('\x1b[A');
    expect(ed.line).toBe('second');
    ed.feed('\x1b[A');
    expect(ed.line).toBe('first');
    ed.feed('\x1b[A');
    expect(ed.line).toBe('first');
    ed.feed('\x1b[B\x1b[B');
    expect(ed.line).toBe('dra');
  });

  it('edits in the middle of a line with left/right arrows', () => {
    const ed = new LineEditor();
    ed.feed('hllo\x1b[D\x1b[D\x1b[De');
    expect(lines(ed.feed('\r'))).toEqual(['hello']);
  });

  it('reports Ctrl-C, Ctrl-] and Ctrl-D on an empty line', () => {
    const ed = new LineEditor();
    expect(ed.feed('\x03').map((e) => e.type)).toContain('interrupt');
    expect(ed.feed('\x1d').map((e) => e.type)).toContain('escape');
    expect(ed.feed('\x04').map((e) => e.type)).toEqual(['eof']);
    ed.feed('x');
    expect(ed.feed('\x04')).toEqual([]);
  });

  it('keeps no history when told (a telnet session sends lines, it does not recall them)', () => {
    const ed = new LineEditor();
    ed.setHistoryEnabled(false);
    ed.feed('secret\r');
    expect(ed.historyList()).toEqual([]);
  });

  it('caps a line at 8192 characters', () => {
    const ed = new LineEditor();
    ed.feed('x'.repeat(10_000));
    expect(ed.line.length).toBe(8192);
  });
});

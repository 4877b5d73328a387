/**
 * The terminal's line discipline, in the lab core: the UI sends raw keystrokes and shows
 * what comes back. Editing, local echo and history live here so every shell behaves the
 * same, and so it can be tested without a screen. Like a telnet client in line mode, a
 * line is sent only when Enter is pressed.
 */
import { columns } from './completion';

export type EditorEvent =
  | { type: 'output'; text: string }
  | { type: 'line'; line: string }
  | { type: 'interrupt' }
  | { type: 'escape' }
  | { type: 'eof' }
  | { type: 'clear' };

/** What Tab adds at the cursor, or the candidates to list (completion.ts); null: Tab is a space. */
export type Completer = (before: string) => { insert: string; list: string[] } | null;

const MAX_LINE = 8192;
const MAX_HISTORY = 500;

export class LineEditor {
  prompt = '';
  private buffer = '';
  private cursor = 0;
  private history: string[] = [];
  private historyIndex = 0;
  private draft = '';
  /** a CR just ended a line: swallow the LF of a CRLF pair */
  private afterCr = false;
  /** Tab completion (the shell's; on a connection to a server it answers null: Tab is a space) */
  completer: Completer | null = null;
  /** the terminal's width, for listing completions in columns */
  cols = 80;

  constructor(private keepHistory = true) {}

  get line(): string {
    return this.buffer;
  }

  setHistoryEnabled(on: boolean): void {
    this.keepHistory = on;
  }

  historyList(): readonly string[] {
    return this.history;
  }

  /** Forget the half-typed line (a new prompt is about to be shown). */
  reset(): void {
    this.buffer = '';
    this.cursor = 0;
    this.historyIndex = this.history.length;
  }

  /** Prompt plus what is typed so far, cursor in place (after output interrupted the line). */
  redraw(): string {
    const back = this.buffer.length - this.cursor;
    return `\r\x1b[K${this.prompt}${this.buffer}${back > 0 ? `\x1b[${back}D` : ''}`;
  }

  feed(data: string): EditorEvent[] {
    const events: EditorEvent[] = [];
    const out = (text: string): void => {
      const last = events[events.length - 1];
      if (last?.type === 'output') last.text += text;
      else events.push({ type: 'output', text });
    };
    for (let i = 0; i < data.length; i++) {
      const ch = data[i];
      const code = ch.charCodeAt(0);
      if (ch === '\n' && this.afterCr) {
        this.afterCr = false;
        continue;
      }
      this.afterCr = ch === '\r';
      if (ch === '\x1b') {
        i = this.escapeSequence(data, i, out);
        continue;
      }
      switch (ch) {
        case '\r':
        case '\n': {
          const line = this.buffer;
          out('\r\n');
          if (this.keepHistory && line.trim() && this.history[this.history.length - 1] !== line) {
            this.history.push(line);
            if (this.history.length > MAX_HISTORY) this.history.shift();
          }
          this.reset();
          events.push({ type: 'line', line });
          break;
        }
        case '\x7f':
        case '\b':
          if (this.cursor > 0) {
            this.buffer = this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor);
            this.cursor--;
            out(this.cursor === this.buffer.length ? '\b \b' : this.redraw());
          }
          break;
        case '\x03':
          out('^C\r\n');
          this.reset();
          events.push({ type: 'interrupt' });
          break;
        case '\x04':
          if (this.buffer === '') events.push({ type: 'eof' });
          break;
        case '\x1d':
          out('^]\r\n');
          events.push({ type: 'escape' });
          break;
        case '\x0c':
          events.push({ type: 'clear' });
          break;
        case '\x01':
          this.cursor = 0;
          out(this.redraw());
          break;
        case '\x05':
          this.cursor = this.buffer.length;
          out(this.redraw());
          break;
        case '\x15':
          this.buffer = this.buffer.slice(this.cursor);
          this.cursor = 0;
          out(this.redraw());
          break;
        case '\t':
          this.completeWord(out);
          break;
        default:
          if (code >= 0x20) this.insert(ch, out);
      }
    }
    return events;
  }

  private completeWord(out: (t: string) => void): void {
    const done = this.completer?.(this.buffer.slice(0, this.cursor));
    if (!done) return this.insert(' ', out);
    const { insert, list } = done;
    if (insert) this.insert(insert, out);
    else if (list.length > 0) out(`\r\n${columns(list, this.cols)}${this.redraw()}`);
    else out('\x07'); // bash rings the bell when there is nothing to complete
  }

  private insert(text: string, out: (t: string) => void): void {
    if (this.buffer.length + text.length > MAX_LINE) return;
    const atEnd = this.cursor === this.buffer.length;
    this.buffer = this.buffer.slice(0, this.cursor) + text + this.buffer.slice(this.cursor);
    this.cursor += text.length;
    out(atEnd ? text : this.redraw());
  }

  /** ESC [ A/B/C/D (arrows), ESC [ H/F and ESC [ 1~/4~ (Home/End), ESC [ 3~ (Delete). */
  private escapeSequence(data: string, i: number, out: (t: string) => void): number {
    const m = /^\x1b(?:\[|O)([0-9;]*)([A-Za-z~])/.exec(data.slice(i, i + 16));
    if (!m) return i;
    const [all, num, final] = m;
    const key = final === '~' ? `${num}~` : final;
    switch (key) {
      case 'A':
        this.historyStep(-1, out);
        break;
      case 'B':
        this.historyStep(1, out);
        break;
      case 'C':
        if (this.cursor < this.buffer.length) {
          this.cursor++;
          out('\x1b[C');
        }
        break;
      case 'D':
        if (this.cursor > 0) {
          this.cursor--;
          out('\x1b[D');
        }
        break;
      case 'H':
      case '1~':
        this.cursor = 0;
        out(this.redraw());
        break;
      case 'F':
      case '4~':
        this.cursor = this.buffer.length;
        out(this.redraw());
        break;
      case '3~':
        if (this.cursor < this.buffer.length) {
          this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1);
          out(this.redraw());
        }
        break;
    }
    return i + all.length - 1;
  }

  private historyStep(step: number, out: (t: string) => void): void {
    if (!this.keepHistory || this.history.length === 0) return;
    if (this.historyIndex === this.history.length) this.draft = this.buffer;
    const next = Math.min(this.history.length, Math.max(0, this.historyIndex + step));
    if (next === this.historyIndex) return;
    this.historyIndex = next;
    this.buffer = next === this.history.length ? this.draft : this.history[next];
    this.cursor = this.buffer.length;
    out(this.redraw());
  }
}

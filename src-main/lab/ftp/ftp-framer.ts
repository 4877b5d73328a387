/**
 * Capture framing for the FTP control connection: one command per line; a reply per line,
 * or a multi-line reply ("211-Features:" ... "211 End", RFC 959 §4.2) as one frame. Each
 * reply's summary names the command it answers — replies come in command order, a 1xx
 * preliminary reply and then the final one — so the inspector pairs `RETR a.txt` with its
 * 150 and its 226 without reading the session's state.
 */
import type { Direction } from '../api';
import { LineFramer, MAX_FRAME_BYTES, type Frame, type Framer } from '../capture/framer';
import { oneLine } from '../capture/text';

/** commands kept waiting for their replies: a client that pipelines more is not followed further */
const MAX_PENDING = 1000;

export class FtpFramer implements Framer {
  private commands = new LineFramer();
  private replies = new LineFramer();
  private pending: string[] = [];
  private greeted = false;
  /** inside a multi-line reply: its code, and the lines so far */
  private multi: { code: string; parts: Buffer[]; size: number } | null = null;

  push(dir: Direction, chunk: Buffer): Frame[] {
    if (dir === 'c2s') {
      const frames = this.commands.push('c2s', chunk).filter((f) => f.dir === 'c2s');
      for (const f of frames) {
        const line = f.bytes.toString('latin1').replace(/\r?\n$/, '');
        this.pending.push(/^PASS /i.test(line) ? 'PASS' : line.slice(0, 80));
      }
      if (this.pending.length > MAX_PENDING) this.pending.splice(0, this.pending.length - MAX_PENDING);
      return frames;
    }
    return this.reply(this.replies.push('s2c', chunk).filter((f) => f.dir === 's2c'));
  }

  flush(dir: Direction): Frame[] {
    if (dir === 'c2s') return this.commands.flush('c2s');
    const frames = this.reply(this.replies.flush('s2c'));
    if (this.multi) frames.push(this.take(true));
    return frames;
  }

  private reply(lines: Frame[]): Frame[] {
    const out: Frame[] = [];
    for (const f of lines) {
      const text = f.bytes.toString('latin1');
      if (this.multi) {
        this.multi.parts.push(f.bytes);
        this.multi.size += f.bytes.length;
        if (text.startsWith(`${this.multi.code} `) || text.replace(/\r?\n$/, '') === this.multi.code) out.push(this.take(false));
        else if (this.multi.size >= MAX_FRAME_BYTES) out.push(this.take(true));
        continue;
      }
      const m = /^(\d{3})-/.exec(text);
      if (m && !f.oversized) {
        this.multi = { code: m[1], parts: [f.bytes], size: f.bytes.length };
        continue;
      }
      out.push({ ...f, summary: this.answer(text, f.bytes) });
    }
    return out;
  }

  private take(oversized: boolean): Frame {
    const m = this.multi as NonNullable<FtpFramer['multi']>;
    this.multi = null;
    const bytes = Buffer.concat(m.parts);
    return { dir: 's2c', bytes, oversized, summary: this.answer(bytes.toString('latin1'), bytes) };
  }

  /** "150 Opening ... ← RETR a.txt": a final reply takes its command off the queue, a 1xx leaves it */
  private answer(text: string, bytes: Buffer): string {
    const first = oneLine(Buffer.from(text.split(/\r?\n/)[0]), 120);
    const code = text.slice(0, 3);
    if (!this.greeted && (code === '220' || code === '120' || code === '421')) {
      if (code !== '120') this.greeted = true;
      return `${first} (greeting)`;
    }
    if (!/^\d{3}$/.test(code)) return oneLine(bytes, 160);
    const command = code.startsWith('1') ? this.pending[0] : this.pending.shift();
    return command ? `${first} ← ${command}` : first;
  }
}

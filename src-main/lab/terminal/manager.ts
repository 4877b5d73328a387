/** The lab's terminal sessions, one per tab, each with its own shell. */
import type { TerminalOutput } from '../api';
import { TerminalSession, type SessionHost } from './session';

const MAX_SESSIONS = 64;

export class TerminalManager {
  private sessions = new Map<number, TerminalSession>();
  private nextId = 1;

  constructor(
    private host: SessionHost,
    private output: (out: TerminalOutput) => void,
    private exited: (session: number) => void,
  ) {}

  open(): { session: number } {
    if (this.sessions.size >= MAX_SESSIONS) throw new Error(`at most ${MAX_SESSIONS} terminals at once: close one first`);
    const id = this.nextId++;
    const session = new TerminalSession(
      id,
      this.host,
      (data) => this.output({ session: id, data }),
      () => {
        this.sessions.delete(id);
        this.exited(id);
      },
    );
    this.sessions.set(id, session);
    return { session: id };
  }

  input(id: number, data: string): void {
    const session = this.sessions.get(id);
    if (!session) throw new Error(`terminal ${id} is closed`);
    session.input(data);
  }

  resize(id: number, cols: number): void {
    this.sessions.get(id)?.resize(cols);
  }

  ack(id: number, chars: number): void {
    this.sessions.get(id)?.ack(chars);
  }

  close(id: number): void {
    this.sessions.get(id)?.close();
    this.sessions.delete(id);
  }

  closeAll(): void {
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }
}

/**
 * One run of the student's program for a program check: the saved file started fresh from
 * the editor's programs (an older run of it is stopped first, so the check exercises what
 * was saved), its console collected, its exit awaited within a deadline, and the capture
 * from the run's start for the evidence.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import type { CaptureSummary, ProgramId, ProgramLanguage } from '../../api';
import type { Lab } from '../../lab';
import type { ProgramCheckResult } from '../program-check-types';
import { boundInProc } from '../../scenarios/program-ready';
import { english, msg, type LabText, type TextParam } from '../../lab-text';

export class ProgramSession {
  stdout = '';
  stderr = '';
  exitCode: number | null | undefined = undefined;
  /** the id of the newest capture record before the run: what the run did comes after it */
  readonly mark: number;
  private offs: (() => void)[] = [];
  private exitWaiters: (() => void)[] = [];

  private constructor(
    private lab: Lab,
    readonly id: ProgramId,
    readonly language: ProgramLanguage,
  ) {
    this.mark = lastId(lab);
    this.offs.push(
      lab.on('program.output', (o) => {
        if (o.id !== id || o.language !== language) return;
        if (o.stream === 'stdout') this.stdout += o.text;
        else if (o.stream === 'stderr') this.stderr += o.text;
      }),
      lab.on('program.state', (s) => {
        if (s.id !== id || s.language !== language || s.running) return;
        this.exitCode = s.exitCode ?? null;
        for (const w of this.exitWaiters.splice(0)) w();
      }),
    );
  }

  /** Start the saved program (stopping a run of it first). Throws with the runner's sentence when it cannot start. */
  static async start(lab: Lab, id: ProgramId, language: ProgramLanguage, env: Record<string, string> = {}): Promise<ProgramSession> {
    await lab.programs.stop(id, language);
    const session = new ProgramSession(lab, id, language);
    try {
      await lab.programs.run(id, language, env);
    } catch (err) {
      session.dispose();
      throw err;
    }
    return session;
  }

  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  /** Wait for the program to end by itself; false when it was still running at the deadline. */
  waitExit(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.exited) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        resolve(v);
      };
      const abort = (): void => done(false);
      const timer = setTimeout(() => done(false), ms);
      signal?.addEventListener('abort', abort, { once: true });
      this.exitWaiters.push(() => done(true));
    });
  }

  /** A server program: wait until it accepts connections on its private port (or ends, or the time runs out). */
  async waitListening(port: () => number, ms: number, signal?: AbortSignal): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until && !this.exited && !signal?.aborted) {
      const p = port();
      if (p > 0 && (await listening(p))) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  /** stdout as lines, blank ones left out */
  lines(): string[] {
    return this.stdout.split(/\r?\n/).filter((l) => l.trim() !== '');
  }

  /** the last lines of stderr, for a detail that says why a program failed ('' when it wrote none) */
  errorTail(): TextParam {
    const tail = this.stderr.trim().split(/\r?\n/).slice(-3).join(' / ');
    return tail ? msg('checkLab.program.errorTail', { tail: tail.slice(0, 300) }) : '';
  }

  /** capture records since the run started, of the given services */
  captured(services: readonly string[]): CaptureSummary[] {
    return this.lab.store.list(this.mark, 1_000_000).filter((m) => services.includes(m.service));
  }

  async stop(): Promise<void> {
    await this.lab.programs.stop(this.id, this.language);
    this.dispose();
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }
}

function lastId(lab: Lab): number {
  const last = lab.store.history(Number.MAX_SAFE_INTEGER, 1);
  return last.length ? last[0].id : 0;
}

/**
 * Does something listen on 127.0.0.1:port? Asked without connecting: a probe connection
 * would be the first request a one-request-at-a-time student server reads (an empty one,
 * which many of them do not survive). Linux lists listening sockets in /proc/net/tcp
 * (state 0A: scenarios/program-ready.ts); elsewhere a bind that finds the port taken says the same.
 */
async function listening(port: number): Promise<boolean> {
  const proc = await boundInProc('tcp', port);
  if (proc !== null) return proc;
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(true));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(false)));
  });
}

/** a check's result: its detail in English and as a catalogue message */
export function verdict(passed: boolean, m: LabText, evidence: number[]): ProgramCheckResult {
  return { passed, detail: english(m), detailText: m, evidence };
}

/** the result of a check that could not run the program at all; `title` names it ("TCP server") */
export function notRun(title: LabText, err: unknown): ProgramCheckResult {
  return verdict(false, msg('checkLab.program.notStarted', { title, error: err instanceof Error ? err.message : String(err) }), []);
}

/** Start a server program and wait until it accepts connections; a detail says why not. */
export async function startServer(
  lab: Lab,
  id: ProgramId,
  language: ProgramLanguage,
  title: LabText,
  signal?: AbortSignal,
): Promise<{ session: ProgramSession; port: number } | ProgramCheckResult> {
  let session: ProgramSession;
  try {
    session = await ProgramSession.start(lab, id, language);
  } catch (err) {
    return notRun(title, err);
  }
  const relay = lab.programs.relays.tcp;
  if (!(await session.waitListening(() => relay.backendPort, 10_000, signal))) {
    const exited = session.exited;
    const code = String(session.exitCode);
    await session.stop();
    const tail = session.errorTail();
    return verdict(false, exited ? msg('checkLab.program.endedEarly', { title, code, tail }) : msg('checkLab.program.notListening', { title, tail }), []);
  }
  if (relay.state !== 'running') {
    await session.stop();
    return verdict(false, msg('checkLab.program.relayDown', { title, error: relay.info().error ?? msg('checkLab.program.unknownError') }), []);
  }
  return { session, port: relay.port };
}

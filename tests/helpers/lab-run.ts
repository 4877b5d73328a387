/**
 * Running the real `netlab lab run FILE --json --free-ports` command, as a script acting as a
 * student does: the first line gives the ports, each passed check is a line, and commands
 * typed on stdin (answer, hint, status, terminal …) answer with a line each.
 * Needs the built lab (npx electron-vite build).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { tempDir } from './lab';

export const ROOT = path.resolve(__dirname, '..', '..');

type Line = Record<string, any>;

export interface LabRun {
  child: ChildProcess;
  dataDir: string;
  header: Line;
  ports: Record<string, number>;
  lines: Line[];
  /** type a command on stdin and wait for its answer line */
  command(line: string): Promise<Line>;
  /** type a line into the lab terminal */
  terminal(line: string): void;
  passed(task: string, check: string, ms?: number): Promise<Line>;
  waitLine(pred: (l: Line) => boolean, what: string, ms?: number): Promise<Line>;
  output(): string;
  /** end stdin: the lab stops; resolves with the exit code */
  stop(): Promise<number | null>;
}

export async function labRun(file: string, opts: { dataDir?: string } = {}): Promise<LabRun> {
  const dataDir = opts.dataDir ?? (await tempDir('netlab-labrun-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'netlab.mjs'), 'lab', 'run', file, '--json', '--free-ports', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let buf = '';
  const lines: Line[] = [];
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => {
    out += d;
    buf += d;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const text = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        lines.push(JSON.parse(text));
      } catch {
        /* not a JSON line: kept in output() */
      }
      for (const w of [...waiters]) w();
    }
  });
  child.stderr!.on('data', (d) => (out += d));
  let exited = false;
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => ((exited = true), resolve(code))));
  const waitLine = (pred: (l: Line) => boolean, what: string, ms = 20_000, from = 0): Promise<Line> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = lines.slice(from).find(pred);
        if (hit) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        } else if (exited) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`netlab lab run exited before ${what}:\n${out.slice(-3000)}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}:\n${out.slice(-3000)}`));
      }, ms);
      waiters.add(check);
      void exit.then(check);
      check();
    });
  const header = await waitLine((l) => 'ports' in l, 'the header line with the ports', 30_000);
  return {
    child,
    dataDir,
    header,
    ports: header.ports,
    lines,
    command: (line) => {
      const from = lines.length;
      const name = line.split(' ')[0];
      child.stdin!.write(`${line}\n`);
      return waitLine((l) => l.command === name, `the answer to "${line}"`, 20_000, from);
    },
    terminal: (line) => void child.stdin!.write(`terminal ${line}\n`),
    passed: (task, check, ms) => waitLine((l) => l.passed === true && l.task === task && l.check === check, `${task}/${check} to pass`, ms),
    waitLine: (pred, what, ms) => waitLine(pred, what, ms),
    output: () => out,
    stop: async () => {
      if (!exited) child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
  };
}

/** every check of the lab's header, as task/check */
export function allChecks(run: LabRun): string[] {
  return run.header.tasks.flatMap((t: Line) => t.checks.map((c: Line) => `${t.id}/${c.id}`));
}

/** the checks that passed so far (from the lines, plus those restored in the header) */
export function passedChecks(run: LabRun): string[] {
  const fromHeader = run.header.tasks.flatMap((t: Line) => t.checks.filter((c: Line) => c.passed).map((c: Line) => `${t.id}/${c.id}`));
  const fromLines = run.lines.filter((l) => l.passed === true && l.task).map((l) => `${l.task}/${l.check}`);
  return [...new Set([...fromHeader, ...fromLines])].sort();
}

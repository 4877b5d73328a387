/**
 * Runs an echo program as a child process, only on the user's explicit Run. Its output
 * streams to the UI; a line typed in the UI goes to its stdin. A server program listens on
 * a private port behind the lab's relay; a client program is pointed at the relay when the
 * matching server program runs, otherwise at the lab's own echo service.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { waitUntilBound } from './program-ready';
import net from 'node:net';
import path from 'node:path';
import type { ProgramId, ProgramLanguage, ProgramOutput, ProgramState } from '../api';
import { PROGRAMS, programEntry, type CatalogEntry, type ProgramFiles } from './programs';
import { pidOwningPort } from './program-sockets';

export interface RunnerHost {
  files: ProgramFiles;
  /** absolute path of python3, or null when it is not on PATH */
  python(): Promise<string | null>;
  /** where a client program should send: port and a sentence saying what listens there */
  clientTarget(entry: CatalogEntry): { port: number; label: string };
  /** what else a program is told in its environment (the web server's folder, the proxy's origin) */
  env(entry: CatalogEntry): Promise<Record<string, string>>;
  /** a server program started listening on `port`: put the relay in front of it */
  serverStarted(transport: 'tcp' | 'udp', port: number): Promise<{ port: number } | { error: string }>;
  serverStopped(transport: 'tcp' | 'udp'): Promise<void>;
  output(out: ProgramOutput): void;
  state(state: ProgramState): void;
}

const key = (id: ProgramId, language: ProgramLanguage): string => `${id}.${language}`;

export class ProgramRunner {
  private children = new Map<string, ChildProcess>();

  constructor(private host: RunnerHost) {}

  /** "program UDPPinger.py" when a running program holds this local port (see program-sockets.ts) */
  ownerOf(port: number): string | undefined {
    if (this.children.size === 0) return undefined;
    const byPid = new Map<number, string>();
    for (const [k, child] of this.children) {
      const [id, language] = k.split('.') as [ProgramId, ProgramLanguage];
      if (child.pid) byPid.set(child.pid, `program ${programEntry(id).files[language]}`);
    }
    const pid = pidOwningPort(port, [...byPid.keys()]);
    return pid === undefined ? undefined : byPid.get(pid);
  }

  isRunning(id: ProgramId, language: ProgramLanguage): boolean {
    return this.children.has(key(id, language));
  }

  async run(id: ProgramId, language: ProgramLanguage, extraEnv: Record<string, string> = {}): Promise<ProgramState> {
    if (this.isRunning(id, language)) return { id, language, running: true };
    const entry = programEntry(id);
    const system = (text: string): void => this.host.output({ id, language, stream: 'system', text: `${text}\n` });
    let command: string;
    if (language === 'python') {
      const python = await this.host.python();
      if (!python) {
        const message =
          'python3 was not found on PATH, so the Python program cannot run. Install Python 3 (python.org, or your package manager), then Run again — or switch to the JavaScript version, which runs with the lab itself.';
        system(message);
        throw new Error(message);
      }
      command = python;
    } else {
      command = process.execPath;
    }
    if (entry.role === 'server') {
      // one relay per transport: a second server program would take the first one's place behind it
      for (const other of PROGRAMS) {
        for (const lang of ['python', 'javascript'] as const) {
          if (other.role !== 'server' || other.transport !== entry.transport || (other.id === id && lang === language)) continue;
          if (!this.isRunning(other.id, lang)) continue;
          const message = `the ${lang} ${other.title} is running: stop it first (both would sit behind the lab's ${entry.transport.toUpperCase()} port).`;
          system(message);
          throw new Error(message);
        }
      }
    }
    let port: number;
    if (entry.role === 'server') {
      port = await freePort();
    } else {
      const target = this.host.clientTarget(entry);
      port = target.port;
      system(`${entry.files[language]} will talk to 127.0.0.1:${port} (${target.label})`);
    }
    const file = await this.host.files.activePath(id, language);
    const extra = await this.host.env(entry);
    const child = spawn(command, [file], {
      cwd: path.dirname(file),
      env: {
        ...process.env,
        ELECTRON_RUN_AS_NODE: '1',
        PYTHONUNBUFFERED: '1',
        PYTHONIOENCODING: 'utf-8',
        NETLAB_SERVER_HOST: '127.0.0.1',
        NETLAB_SERVER_PORT: String(port),
        ...extra,
        ...extraEnv,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const k = key(id, language);
    this.children.set(k, child);
    system(`$ ${path.basename(command)} ${file}`);
    child.stdout?.setEncoding('utf8').on('data', (text: string) => this.host.output({ id, language, stream: 'stdout', text }));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => this.host.output({ id, language, stream: 'stderr', text }));
    child.stdin?.on('error', () => undefined);
    child.on('error', (err) => system(`could not start: ${err.message}`));
    child.on('exit', (code, signal) => {
      this.children.delete(k);
      system(signal ? `stopped (${signal})` : `exited with code ${code}`);
      if (entry.role === 'server') void this.host.serverStopped(entry.transport);
      this.host.state({ id, language, running: false, exitCode: code });
    });
    this.host.state({ id, language, running: true });
    if (entry.role === 'server') {
      // the relay opens once the program has bound its port: an early client is refused, not accepted and closed
      const bound = await waitUntilBound(entry.transport, port, () => this.children.get(k) === child);
      if (!bound) {
        if (this.children.get(k) === child) system(`${entry.files[language]} has not opened port ${port} yet: the lab's relay waits no longer; clients are refused until it runs again`);
        return { id, language, running: this.children.get(k) === child };
      }
      const relay = await this.host.serverStarted(entry.transport, port);
      if ('error' in relay) system(relay.error);
      else system(`clients reach it through the lab at 127.0.0.1:${relay.port} (captured in the inspector); it listens privately on ${port}`);
    }
    return { id, language, running: true };
  }

  async stop(id: ProgramId, language: ProgramLanguage): Promise<ProgramState> {
    const child = this.children.get(key(id, language));
    if (!child) return { id, language, running: false };
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
    return { id, language, running: false };
  }

  stdin(id: ProgramId, language: ProgramLanguage, line: string): void {
    const child = this.children.get(key(id, language));
    if (!child?.stdin?.writable) throw new Error('the program is not running');
    this.host.output({ id, language, stream: 'stdin', text: `${line}\n` });
    child.stdin.write(`${line}\n`);
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.children.keys()].map((k) => {
        const [id, language] = k.split('.') as [ProgramId, ProgramLanguage];
        return this.stop(id, language);
      }),
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

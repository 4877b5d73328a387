/** Running the real `netlab serve` command, as a user does, on ports nobody else holds. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { WebSocket } from 'ws';
import { tempDir } from './lab';
import { freePort, labPorts } from './ports';

export const ROOT = path.resolve(__dirname, '..', '..');

export { freePort };

/** A socket to the lab's WebSocket API as a page of the lab opens it: the run's token, the page's
 *  Origin; `query`: more of the address's query (`first=50`: the inspector's opening asked for). */
export function apiSocket(lab: Pick<Served, 'uiPort' | 'token'>, query = ''): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${lab.uiPort}/api?token=${lab.token}${query ? `&${query}` : ''}`, { headers: { Origin: `http://127.0.0.1:${lab.uiPort}` } });
}

/** One JSON call on the lab's WebSocket API, as any script may make it (binary frames skipped). */
export function apiCall<T>(lab: Pick<Served, 'uiPort' | 'token'>, method: string, ...args: unknown[]): Promise<T> {
  const ws = apiSocket(lab);
  return new Promise<T>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method, args })));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const msg = JSON.parse(data.toString()) as { id?: number; result?: T; error?: string };
      if (msg.id !== 1) return;
      ws.close();
      if (msg.error) reject(new Error(msg.error));
      else resolve(msg.result as T);
    });
  });
}

export interface Served {
  child: ChildProcess;
  url: string;
  token: string;
  uiPort: number;
  echoPort: number;
  dataDir: string;
  /** every service's port, as the scenario gave it */
  ports: Record<string, number | false>;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Start `netlab serve` with its services on free ports (through a scenario file). */
export async function serve(extra: { echoPort?: number; args?: string[]; dataDir?: string } = {}): Promise<Served> {
  const dataDir = extra.dataDir ?? (await tempDir('netlab-serve-'));
  const echoPort = extra.echoPort ?? (await freePort());
  // every service on a free port (a developer's own lab or another test may hold the defaults)
  const ports = await labPorts({ 'echo-tcp': echoPort, 'echo-udp': echoPort });
  // the system may hand out a port it has just handed out: the UI's is none of the services'
  // (the UI listens first, before the services start, and would take it from one of them)
  let uiPort = await freePort();
  while (Object.values(ports).includes(uiPort)) uiPort = await freePort();
  const scenario = path.join(dataDir, 'ports.yaml');
  await fs.writeFile(
    scenario,
    `name: test ports\nservices:\n${Object.entries(ports).map(([id, port]) => `  ${id}: ${port === false ? '{ enabled: false }' : `{ port: ${port} }`}\n`).join('')}`,
  );
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'netlab.mjs'), 'serve', '--no-open', '--ui-port', String(uiPort), '--data-dir', dataDir, '--scenario', scenario, ...(extra.args ?? [])],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`netlab serve printed no address:\n${out}`)), 15_000);
    const check = (): void => {
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(out);
      if (m && out.includes('Press Ctrl-C')) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', () => reject(new Error(`netlab serve exited:\n${out}`)));
  });
  const token = new URL(url).searchParams.get('token')!;
  return {
    child,
    url,
    token,
    uiPort,
    echoPort,
    dataDir,
    ports,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGINT');
      }),
  };
}

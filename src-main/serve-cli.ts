/**
 * `netlab serve`: the lab under plain Node, serving the same UI the desktop app shows to a
 * browser, at an address carrying a per-run token; the services' table, Ctrl-C to stop.
 * The UI listens and the address is printed before the lab's code loads (serve-lab.ts): the
 * browser fetches the page meanwhile and its WebSocket waits for the lab.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startBridge, type Bridge } from './bridge/server';
import type { BridgedLab } from './bridge/attach';
import { newToken } from './bridge/auth';
import type { ServeArgs } from './cli-args';
import { defaultDataDir } from './lab/storage';
import { rendererDir } from './paths';
import type { ServedLab } from './serve-lab';
import { VERSION } from './version';

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    spawn(cmd, args as string[], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
  } catch {
    /* no browser to open: the address is printed */
  }
}

export async function serve(args: ServeArgs): Promise<void> {
  const dataDir = path.resolve(args.dataDir ?? defaultDataDir());
  let made!: (lab: BridgedLab) => void;
  const labReady = new Promise<BridgedLab>((resolve) => (made = resolve));
  let served: ServedLab | undefined;
  const token = newToken();
  let bridge: Bridge;
  try {
    bridge = await startBridge({ lab: labReady, token, rendererDir, port: args.uiPort, downloads: (path, params) => served!.lab.download(path, params) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? `netlab: port ${args.uiPort} for the browser UI is already in use (another \`netlab serve\`?). Stop it, or choose another port: netlab serve --ui-port 7071`
        : `netlab: could not serve the UI on port ${args.uiPort}: ${(err as Error).message}`,
    );
    process.exit(1);
  }
  // The address first, as soon as the UI listens: the page loads while the lab's code loads and
  // the services come up (the rail shows each one starting, then running); the table follows.
  let opening: Promise<ServedLab> | undefined;
  let starting: Promise<unknown> | undefined;
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log('\nStopping the lab...');
    // Ctrl-C while the lab loads or its services come up: let them finish, then stop them all
    await opening?.catch(() => undefined);
    await starting?.catch(() => undefined);
    await served?.lab.shutdown();
    served?.pcapng?.close();
    await bridge.close();
    console.log('All services stopped.');
    process.exit(0);
  };
  // listen for Ctrl-C before saying it can be pressed
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  console.log(`NetLab ${VERSION}: the lab is running. Data directory: ${dataDir}\n`);
  console.log(`  Open the lab in your browser:\n\n    ${bridge.url}\n`);
  if (args.open) openBrowser(bridge.url);
  const labCode = import('./serve-lab');
  opening = labCode.then((m) => m.openLab(args, dataDir)).then((s) => (served = s));
  const { lab, scenario } = await opening;
  if (stopping) return;
  made(lab);
  const services = (starting = lab.start(scenario));
  const { table } = await labCode;
  const list = await services;
  if (stopping) return;
  console.log(table(list));
  if (args.pcapng) console.log(`\nWriting the capture to ${path.resolve(args.pcapng)} (pcapng: open it in Wireshark, or tshark -r).`);
  console.log('\nPress Ctrl-C to stop.');
}

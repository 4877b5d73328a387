/**
 * `netlab serve`: the lab under plain Node, serving the same UI the desktop app shows to a
 * browser, at an address carrying a per-run token; the services' table, Ctrl-C to stop.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startBridge } from './bridge/server';
import { newToken } from './bridge/auth';
import type { ServeArgs } from './cli-args';
import { Lab } from './lab/lab';
import type { ServiceInfo } from './lab/api';
import { ScenarioError } from './lab/scenarios/scenario-file';
import { defaultDataDir } from './lab/storage';
import { rendererDir, resourcesDir } from './paths';
import { addressLabel, transportLabel } from './lab/services/transport-label';
import { writePcapngLive, type LivePcapng } from './lab/capture/pcapng';
import { VERSION } from './version';

function table(services: ServiceInfo[]): string {
  const rows = [['SERVICE', 'PROTOCOL', 'PORT', 'STATE', 'ADDRESSES']];
  for (const s of services) rows.push([s.name, s.protocol, `${transportLabel(s)} ${s.port}`, s.state, addressLabel(s)]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd());
  for (const s of services) if (s.error) lines.push(`  ! ${s.error}`);
  return lines.join('\n');
}

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
  const lab = new Lab({ dataDir, resourcesDir, shell: 'browser' });
  let scenario;
  if (args.scenario) {
    try {
      scenario = await lab.scenarios.load(args.scenario);
    } catch (err) {
      const why = err instanceof ScenarioError ? err.message : (err as Error).message;
      console.error(`netlab: scenario ${args.scenario}: ${why}`);
      process.exit(2);
    }
  }
  let pcapng: LivePcapng | undefined;
  if (args.pcapng) {
    const file = path.resolve(args.pcapng);
    try {
      pcapng = writePcapngLive(lab.store, file, {
        application: `NetLab ${VERSION}`,
        hostAddress: (name) => lab.hostAddress()(name),
        onError: (err) => console.error(`netlab: writing ${file} stopped: ${err.message}`),
      });
    } catch (err) {
      console.error(`netlab: --pcapng ${args.pcapng}: cannot write the file: ${(err as Error).message}`);
      process.exit(2);
    }
  }
  const token = newToken();
  let bridge;
  try {
    bridge = await startBridge({ lab, token, rendererDir, port: args.uiPort, downloads: (path, params) => lab.download(path, params) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? `netlab: port ${args.uiPort} for the browser UI is already in use (another \`netlab serve\`?). Stop it, or choose another port: netlab serve --ui-port 7071`
        : `netlab: could not serve the UI on port ${args.uiPort}: ${(err as Error).message}`,
    );
    process.exit(1);
  }
  // The address first, as soon as the UI listens: the page loads while the services come up
  // (the rail shows each one starting, then running); the table follows once they have started.
  let starting: Promise<ServiceInfo[]> | undefined;
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log('\nStopping the lab...');
    // Ctrl-C while the services come up: let them finish starting, then stop them all
    await starting?.catch(() => undefined);
    await lab.shutdown();
    pcapng?.close();
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
  starting = lab.start(scenario);
  const services = await starting;
  if (stopping) return;
  console.log(table(services));
  if (args.pcapng) console.log(`\nWriting the capture to ${path.resolve(args.pcapng)} (pcapng: open it in Wireshark, or tshark -r).`);
  console.log('\nPress Ctrl-C to stop.');
}

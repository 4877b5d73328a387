/** `netlab` command-line arguments: parsed with node:util, checked, explained on error. */
import { parseArgs } from 'node:util';
import type { ExperimentArgs } from './lab/web/experiment-cli';

export const USAGE = `Usage: netlab serve [options]
       netlab swarm FILE.yaml [--json]
       netlab dht FILE.yaml [--json]
       netlab overlay FILE.yaml [--json]
       netlab experiment persistence [--rtt MS] [--parallel M] [--large KB --rate KBPS] [--json]
       netlab experiment caching [--delay MS] [--requests N] [--json]   (N requests/s offered, default 15)
       netlab lab list [--json] [--data-dir DIR]
       netlab lab run FILE.yaml [--json] [--data-dir DIR] [--free-ports]

Runs the NetLab lab headless and serves its UI to a browser on this machine.

Options:
  --no-open          do not open a browser window
  --data-dir DIR     where the lab keeps what it writes (default: the user-data directory)
  --ui-port N        port of the browser UI and its API bridge (default 7070)
  --scenario FILE    start the lab with the services and settings of a scenario file (YAML)
  --pcapng FILE      write the capture to FILE as it happens, a pcapng trace Wireshark and
                     tshark read at any moment (tail -c +1 -f FILE | wireshark -k -i -)
  -h, --help         this help

netlab swarm runs a swarm scenario (YAML) with real peers on loopback and prints each
peer's completion time against the distribution-time bounds; --json prints one JSON line.
netlab dht runs a DHT scenario (YAML): a circular DHT of real peers on loopback, its lookups
with their hops and messages beside the textbook's N/2 and log2 N; --json prints one object.
netlab overlay runs a search-overlays scenario (YAML): Napster's index, Gnutella's flooding and
KaZaA's super-nodes on the same peers and files; per query its messages (beside the flood
formula), hops, found or not, the busiest node's load; --json prints one object.
netlab experiment runs a web experiment (K&R §2.2.2 connections, §2.2.5 caching) in a lab of
its own on free ports and prints the measurements beside the textbook's formulas; --parallel
sets m, the parallel connections (default 5); --large KB replaces each image by an object of
KB kilobytes and --rate limits the web server's link to KBPS kbit/s, so transmission counts.
netlab lab run starts a lab session (shipped: resources/labs) with its scenario, prints the
tasks and the ports, then a line per check as it passes; commands on stdin act as the
student: answer TASK CHECK TEXT, hint TASK, status, program TASK CHECK, swarm FILE.yaml.
--free-ports puts every service on a port the system picks.
  -v, --version      the version
`;

export interface ServeArgs {
  command: 'serve';
  open: boolean;
  dataDir?: string;
  uiPort: number;
  scenario?: string;
  /** write the capture live to this pcapng file */
  pcapng?: string;
}

export interface SwarmArgs {
  command: 'swarm';
  file: string;
  json: boolean;
}

export interface DhtArgs {
  command: 'dht';
  file: string;
  json: boolean;
}

export interface OverlayArgs {
  command: 'overlay';
  file: string;
  json: boolean;
}

export interface LabArgs {
  command: 'lab';
  action: 'list' | 'run';
  file?: string;
  json: boolean;
  dataDir?: string;
  freePorts: boolean;
}

export type CliArgs = ServeArgs | SwarmArgs | DhtArgs | OverlayArgs | LabArgs | ExperimentArgs | { command: 'help' } | { command: 'version' } | { command: 'error'; message: string };

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'no-open': { type: 'boolean' },
        'data-dir': { type: 'string' },
        'ui-port': { type: 'string' },
        scenario: { type: 'string' },
        pcapng: { type: 'string' },
        json: { type: 'boolean' },
        'free-ports': { type: 'boolean' },
        rtt: { type: 'string' },
        delay: { type: 'string' },
        requests: { type: 'string' },
        parallel: { type: 'string' },
        large: { type: 'string' },
        rate: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    return { command: 'error', message: (err as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command = 'serve', ...rest] = positionals;
  if (command === 'swarm') {
    if (rest.length !== 1) return { command: 'error', message: 'netlab swarm needs one scenario file: netlab swarm FILE.yaml --json' };
    return { command: 'swarm', file: rest[0], json: values.json === true };
  }
  if (command === 'dht') {
    if (rest.length !== 1) return { command: 'error', message: 'netlab dht needs one scenario file: netlab dht FILE.yaml --json' };
    return { command: 'dht', file: rest[0], json: values.json === true };
  }
  if (command === 'overlay') {
    if (rest.length !== 1) return { command: 'error', message: 'netlab overlay needs one scenario file: netlab overlay FILE.yaml --json' };
    return { command: 'overlay', file: rest[0], json: values.json === true };
  }
  if (command === 'experiment') return experimentArgs(rest, values);
  if (command === 'lab') return labArgs(rest, values);
  if (command !== 'serve') return { command: 'error', message: `unknown command '${command}'` };
  if (rest.length) return { command: 'error', message: `unexpected argument '${rest[0]}'` };
  let uiPort = 7070;
  if (values['ui-port'] !== undefined) {
    uiPort = Number(values['ui-port']);
    if (!/^\d+$/.test(values['ui-port']) || uiPort > 65535) {
      return { command: 'error', message: `--ui-port ${values['ui-port']}: a port is a number from 0 to 65535` };
    }
  }
  if (values.pcapng === '') return { command: 'error', message: '--pcapng needs a file name: netlab serve --pcapng lab.pcapng' };
  return { command: 'serve', open: !values['no-open'], dataDir: values['data-dir'], uiPort, scenario: values.scenario, pcapng: values.pcapng };
}

/** `netlab experiment persistence|caching` and its numbers, each checked. */
function experimentArgs(rest: string[], values: { rtt?: string; delay?: string; requests?: string; parallel?: string; large?: string; rate?: string; json?: boolean }): CliArgs {
  const [name] = rest;
  if (rest.length !== 1 || (name !== 'persistence' && name !== 'caching')) {
    return { command: 'error', message: 'netlab experiment needs one of: persistence, caching' };
  }
  const num = (v: string | undefined, what: string, max: number): number | string | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    return /^\d+$/.test(v) && n <= max ? n : `--${what} ${v}: a whole number from 0 to ${max}`;
  };
  const rttMs = num(values.rtt, 'rtt', 2000);
  const delayMs = num(values.delay, 'delay', 10_000);
  const requests = num(values.requests, 'requests', 100);
  const parallel = num(values.parallel, 'parallel', 20);
  const largeKB = num(values.large, 'large', 4096);
  const rateKbps = num(values.rate, 'rate', 10_000_000);
  for (const v of [rttMs, delayMs, requests, parallel, largeKB, rateKbps]) if (typeof v === 'string') return { command: 'error', message: v };
  if (requests === 0) return { command: 'error', message: '--requests: at least 1' };
  if (parallel === 0) return { command: 'error', message: '--parallel: at least 1 connection' };
  const n = (v: number | string | undefined): number | undefined => v as number | undefined;
  return { command: 'experiment', name, rttMs: n(rttMs), delayMs: n(delayMs), requests: n(requests), parallel: n(parallel), largeKB: n(largeKB), rateKbps: n(rateKbps), json: values.json === true };
}

/** `netlab lab list` and `netlab lab run FILE.yaml` */
function labArgs(rest: string[], values: { json?: boolean; 'data-dir'?: string; 'free-ports'?: boolean }): CliArgs {
  const [action, ...more] = rest;
  const common = { command: 'lab' as const, json: values.json === true, dataDir: values['data-dir'], freePorts: values['free-ports'] === true };
  if (action === 'list' && more.length === 0) return { ...common, action: 'list' };
  if (action === 'run' && more.length === 1) return { ...common, action: 'run', file: more[0] };
  return { command: 'error', message: 'netlab lab needs: list, or run FILE.yaml' };
}

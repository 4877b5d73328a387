/** `netlab` command-line arguments: parsed with node:util, checked, explained on error. */
import { parseArgs } from 'node:util';

export const USAGE = `Usage: netlab serve [options]
       netlab swarm FILE.yaml [--json]

Runs the NetLab lab headless and serves its UI to a browser on this machine.

Options:
  --no-open          do not open a browser window
  --data-dir DIR     where the lab keeps what it writes (default: the user-data directory)
  --ui-port N        port of the browser UI and its API bridge (default 7070)
  --scenario FILE    start the lab with the services and settings of a scenario file (YAML)
  -h, --help         this help

netlab swarm runs a swarm scenario (YAML) with real peers on loopback and prints each
peer's completion time against the distribution-time bounds; --json prints one JSON line.
  -v, --version      the version
`;

export interface ServeArgs {
  command: 'serve';
  open: boolean;
  dataDir?: string;
  uiPort: number;
  scenario?: string;
}

export interface SwarmArgs {
  command: 'swarm';
  file: string;
  json: boolean;
}

export type CliArgs = ServeArgs | SwarmArgs | { command: 'help' } | { command: 'version' } | { command: 'error'; message: string };

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
        json: { type: 'boolean' },
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
  if (command !== 'serve') return { command: 'error', message: `unknown command '${command}'` };
  if (rest.length) return { command: 'error', message: `unexpected argument '${rest[0]}'` };
  let uiPort = 7070;
  if (values['ui-port'] !== undefined) {
    uiPort = Number(values['ui-port']);
    if (!/^\d+$/.test(values['ui-port']) || uiPort > 65535) {
      return { command: 'error', message: `--ui-port ${values['ui-port']}: a port is a number from 0 to 65535` };
    }
  }
  return { command: 'serve', open: !values['no-open'], dataDir: values['data-dir'], uiPort, scenario: values.scenario };
}

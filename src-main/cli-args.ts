/** `netlab` command-line arguments: parsed with node:util, checked, explained on error. */
import { parseArgs } from 'node:util';

export const USAGE = `Usage: netlab serve [options]

Runs the NetLab lab headless and serves its UI to a browser on this machine.

Options:
  --no-open          do not open a browser window
  --data-dir DIR     where the lab keeps what it writes (default: the user-data directory)
  --ui-port N        port of the browser UI and its API bridge (default 7070)
  --scenario FILE    start the lab with the services and settings of a scenario file (YAML)
  -h, --help         this help
  -v, --version      the version
`;

export interface ServeArgs {
  command: 'serve';
  open: boolean;
  dataDir?: string;
  uiPort: number;
  scenario?: string;
}

export type CliArgs = ServeArgs | { command: 'help' } | { command: 'version' } | { command: 'error'; message: string };

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

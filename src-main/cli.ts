/**
 * The `netlab` command: `netlab serve` runs the lab under plain Node and serves the same UI
 * the desktop app shows to a browser (serve-cli.ts); `swarm`, `dht`, `overlay`, `lab` and `experiment` run
 * their own parts. Each command loads only the code it uses: `netlab --version` reads no
 * lab code at all.
 */
import { parseCli, USAGE } from './cli-args';
import { VERSION } from './version';

export async function main(argv: string[]): Promise<void> {
  const args = parseCli(argv);
  switch (args.command) {
    case 'help':
      console.log(USAGE);
      return;
    case 'version':
      console.log(VERSION);
      return;
    case 'error':
      console.error(`netlab: ${args.message}\n\n${USAGE}`);
      process.exit(2);
      return;
    case 'serve':
      return (await import('./serve-cli')).serve(args);
    case 'swarm':
      return (await import('./swarm-cli')).runSwarmCli(args);
    case 'dht':
      return (await import('./dht-cli')).runDhtCli(args);
    case 'overlay':
      return (await import('./overlay-cli')).runOverlayCli(args);
    case 'lab':
      return (await import('./labs-cli')).runLabCli(args);
    case 'experiment': {
      const [{ runExperimentCli }, { resourcesDir }] = await Promise.all([import('./lab/web/experiment-cli'), import('./paths')]);
      return runExperimentCli(args, resourcesDir);
    }
  }
}

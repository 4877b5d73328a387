/**
 * The Electron app's entry: the desktop window (index.ts), or, given a `netlab` command
 * (desktop/cli-mode.ts), that command run by the lab core without a window — so an installed
 * copy serves the browser UI or runs a lab headless without a checkout.
 */
import { app } from 'electron';
import { cliModeArgs, keepsRunning } from './desktop/cli-mode';

const args = cliModeArgs(process.argv, app.isPackaged);
if (args) {
  app.dock?.hide();
  void import('./cli')
    .then(({ main }) => main(args))
    .then(
      () => {
        if (!keepsRunning(args)) app.exit(Number(process.exitCode ?? 0));
      },
      (err: unknown) => {
        console.error(`netlab: ${err instanceof Error ? err.message : String(err)}`);
        app.exit(1);
      },
    );
} else {
  void import('./index');
}

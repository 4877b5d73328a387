/**
 * The installed app's executable is also the `netlab` command (the .deb puts `netlab` on the
 * PATH): `netlab serve`, `netlab lab run FILE`, `--serve` from a desktop entry … run the
 * command line without a window. Anything else (no argument, a file to open, Electron's own
 * flags) opens the window.
 */
const COMMANDS = new Set(['serve', 'swarm', 'lab', 'experiment', 'help', '--help', '-h', '--version', '-v']);

/** the command line's arguments, or null for the desktop window */
export function cliModeArgs(argv: readonly string[], packaged: boolean): string[] | null {
  // packaged: [exe, ...args]; a development run: [electron, '.', ...args]
  const args = argv.slice(packaged ? 1 : 2);
  const first = args[0];
  if (first === '--serve' || first === '--swarm') return [first.slice(2), ...args.slice(1)];
  return first !== undefined && COMMANDS.has(first) ? [...args] : null;
}

/** `serve` keeps running until Ctrl-C; the others end when their work is done */
export function keepsRunning(args: readonly string[]): boolean {
  return args[0] === 'serve';
}

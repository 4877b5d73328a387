/**
 * Which lab or scenario file a launch was given: the last argument that names one (Electron's
 * own flags, `--devtools`, and the app path in a development run are skipped). Relative paths
 * are the launching shell's, so a second instance passes its working directory.
 */
import path from 'node:path';
import { isOpenableFile } from '../lab/files/file-summary';

export function fileArgument(argv: readonly string[], workingDirectory: string): string | null {
  for (let i = argv.length - 1; i >= 1; i--) {
    const arg = argv[i];
    if (arg.startsWith('-')) continue;
    if (isOpenableFile(arg)) return path.resolve(workingDirectory, arg);
  }
  return null;
}

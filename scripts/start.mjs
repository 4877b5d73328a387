// `npm start`: build, then open the NetLab desktop app. Electron's binary is fetched on first
// start when the install skipped it; where it cannot be had (offline, air-gapped classroom)
// this says so and runs the same lab in the browser instead of failing with a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const build = spawnSync(npx, ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) process.exit(build.status ?? 1);

function electronBinary() {
  try {
    return require('electron');
  } catch {
    return null;
  }
}

let binary = electronBinary();
if (!binary && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('Fetching the Electron binary (once)...');
  // its failure is a stack trace of the download library: keep only its first line
  const fetched = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  binary = electronBinary();
  if (!binary && fetched.stderr) console.log(`  (${fetched.stderr.trim().split('\n')[0]})`);
}
if (!binary) {
  console.log(
    '\nThe Electron desktop binary is not installed here and could not be downloaded (no internet, or\n' +
      'ELECTRON_SKIP_BINARY_DOWNLOAD is set). The same lab runs in your browser instead: starting `netlab serve`.\n',
  );
  const lab = spawn(process.execPath, [join(root, 'bin', 'netlab.mjs'), 'serve'], { cwd: root, stdio: 'inherit' });
  lab.on('exit', (code) => process.exit(code ?? 0));
} else {
  const app = spawn(binary, ['.'], { cwd: root, stdio: 'inherit' });
  app.on('exit', (code) => process.exit(code ?? 0));
}

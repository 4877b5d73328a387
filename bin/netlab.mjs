#!/usr/bin/env node
// The `netlab` command. It runs the built lab core (out/main/cli.js) under plain Node.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'out', 'main', 'cli.js');
if (!existsSync(cli) || !existsSync(join(root, 'out', 'renderer', 'index.html'))) {
  console.error('netlab: the lab is not built yet. Run `npm run build` (or `npm run lab`) in ' + root);
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
await main(process.argv.slice(2));

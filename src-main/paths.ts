/** Where the built app finds its parts. The bundler may put this module in out/main or in
 *  out/main/chunks, so the root is found by walking up to the nearest folder holding a
 *  package.json: the checkout, or in an installed app resources/app.asar (its resources/ are
 *  packed beside app.asar; index.ts looks for them under process.resourcesPath). A folder
 *  above the install that happens to hold a package.json is never reached. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, '..', '..');
  }
}

export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const rendererDir = path.join(projectRoot, 'out', 'renderer');
export const preloadFile = path.join(projectRoot, 'out', 'preload', 'preload.cjs');
/** the installed app's resources are packed beside app.asar (electron-builder.yml extraResources) */
export function resourcesOf(root: string): string {
  return path.basename(root) === 'app.asar' ? path.join(path.dirname(root), 'resources') : path.join(root, 'resources');
}
export const resourcesDir = resourcesOf(projectRoot);

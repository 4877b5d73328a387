/** Where the built app finds its parts. The bundler may put this module in out/main or in
 *  out/main/chunks, so the project root is found by walking up to the folder holding resources/. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** In an installed app this module is inside resources/app.asar (out/main or out/main/chunks),
 *  which holds package.json but not resources/ (packed beside it): then the nearest folder
 *  holding a package.json is the root. */
export function findRoot(start: string): string {
  let nearestPackage: string | null = null;
  for (let dir = start; ; dir = path.dirname(dir)) {
    const hasPackage = existsSync(path.join(dir, 'package.json'));
    if (hasPackage && existsSync(path.join(dir, 'resources'))) return dir;
    if (hasPackage) nearestPackage ??= dir;
    if (path.dirname(dir) === dir) return nearestPackage ?? path.resolve(start, '..', '..');
  }
}

export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const rendererDir = path.join(projectRoot, 'out', 'renderer');
export const preloadFile = path.join(projectRoot, 'out', 'preload', 'preload.cjs');
export const resourcesDir = path.join(projectRoot, 'resources');

/** A URL path mapped to a file under `root`, or null when it would leave it (../, encoded or not). */
import path from 'node:path';

export function fileUnder(root: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const base = path.resolve(root);
  const file = path.resolve(base, `.${path.posix.normalize(rel)}`);
  return file.startsWith(base + path.sep) ? file : null;
}

/** Serving the renderer bundle: files under one folder, never outside it. */
import fs from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fileUnder } from '../static-path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** the bundle's files once read: a name carries a hash of its content, so it never changes while
 *  the lab runs (index.html, whose names change with a build, is read every time). Served from
 *  here a chunk is one turn of the lab's event loop, not four trips to the file system's
 *  threads, each waiting its turn behind whatever the lab is doing as the page opens. */
const bundle = new Map<string, Buffer>();

export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  const file = fileUnder(root, urlPath);
  if (!file) {
    res.writeHead(403).end('forbidden');
    return;
  }
  try {
    const ext = path.extname(file);
    let body = bundle.get(file);
    if (!body) {
      body = await fs.readFile(file);
      if (ext !== '.html') bundle.set(file, body);
    }
    res.writeHead(200, {
      'Content-Type': TYPES[ext] ?? 'application/octet-stream',
      'Cache-Control': ext === '.html' ? 'no-store' : 'max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  }
}

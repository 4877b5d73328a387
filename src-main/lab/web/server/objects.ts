/**
 * Objects of a given size for the caching experiment (Kurose & Ross §2.2.5 counts in objects
 * of L bits): `/_netlab/object/<name>?bytes=N` answers N bytes, cacheable for an hour, on
 * every site. Each name is its own object to a cache; the bytes are the same filler.
 */
import { errorPage } from '../pages';
import type { HttpRequest } from '../request';
import type { HttpResponse } from '../response';

export const OBJECT_PREFIX = '/_netlab/object/';
const MAX_BYTES = 16 * 1024 * 1024;
const bodies = new Map<number, Buffer>();

export function experimentObject(req: HttpRequest): HttpResponse {
  const name = req.path.slice(OBJECT_PREFIX.length);
  const bytes = Number(new URLSearchParams(req.query).get('bytes') ?? '');
  if (!/^[a-z0-9-]{1,40}$/.test(name) || !Number.isInteger(bytes) || bytes < 0 || bytes > MAX_BYTES) {
    return errorPage(400, `An experiment object is ${OBJECT_PREFIX}<name>?bytes=N, with N at most ${MAX_BYTES}.`);
  }
  let body = bodies.get(bytes);
  if (!body) {
    body = Buffer.alloc(bytes, 'netlab object ');
    if (bodies.size > 16) bodies.clear();
    bodies.set(bytes, body);
  }
  return {
    status: 200,
    headers: [
      ['Content-Type', 'application/octet-stream'],
      ['Cache-Control', 'max-age=3600'],
      ['ETag', `"${name}-${bytes}"`],
    ],
    body: req.method === 'HEAD' ? Buffer.alloc(bytes) : body,
  };
}

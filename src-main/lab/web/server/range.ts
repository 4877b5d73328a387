/**
 * Range requests (RFC 9110 §14): a client asks for part of a file — a video player a piece of
 * a segment, a download its missing tail. One range is served as 206 Partial Content with
 * Content-Range; a range that starts past the end is 416 Range Not Satisfiable, naming the
 * file's length. Several ranges at once (multipart/byteranges) and a Range that does not
 * parse are ignored, as §14.2 lets a server do: the whole file is sent.
 */
import { header } from '../head';
import { errorPage } from '../pages';
import type { HttpRequest } from '../request';
import type { HttpResponse } from '../response';

type Wanted = { first: number; last: number } | 'unsatisfiable' | 'whole';

/** `bytes=first-last`, `bytes=first-`, `bytes=-suffix` against a length (RFC 9110 §14.1.2). */
export function parseRange(value: string, length: number): Wanted {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(value);
  if (!m || (m[1] === '' && m[2] === '') || m[1].length > 15 || m[2].length > 15) return 'whole';
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { first: Math.max(0, length - suffix), last: length - 1 };
  }
  const first = Number(m[1]);
  const last = m[2] === '' ? length - 1 : Number(m[2]);
  if (m[2] !== '' && last < first) return 'whole';
  if (first >= length) return 'unsatisfiable';
  return { first, last: Math.min(last, length - 1) };
}

/** The file's 200 cut to the range the request asks for, if it asks for one. */
export function ranged(req: HttpRequest, res: HttpResponse, etag: string): HttpResponse {
  if (res.status !== 200 || req.method !== 'GET') return res;
  const value = header(req.headers, 'range');
  if (value === undefined) return res;
  // If-Range (§13.1.5): the range only if the client's copy is still this version
  const ifRange = header(req.headers, 'if-range');
  if (ifRange !== undefined && ifRange.trim() !== etag) return res;
  const length = res.body.length;
  const wanted = parseRange(value, length);
  if (wanted === 'whole') return res;
  if (wanted === 'unsatisfiable') {
    return errorPage(416, `The range ${value.slice(0, 80)} starts past the end of this ${length}-byte file.`, [['Content-Range', `bytes */${length}`]]);
  }
  const { first, last } = wanted;
  return {
    status: 206,
    headers: [...res.headers, ['Content-Range', `bytes ${first}-${last}/${length}`]],
    body: res.body.subarray(first, last + 1),
    shared: false,
  };
}

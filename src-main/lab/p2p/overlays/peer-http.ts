/**
 * A peer's files over HTTP, as Gnutella servents served them on their own port:
 * `GET /get/<index>/<name> HTTP/1.0` answers 200 with the file; a wrong index or name 404,
 * a bad request 400, another method 405; one request per connection (Connection: close).
 * The file's bytes are made up from its name, so any peer can check what it fetched.
 */
export const MAX_HEAD = 8192;

export interface SharedFile {
  index: number;
  name: string;
  size: number;
}

/** the bytes of a shared file: its name and a counter, line after line, cut to its size */
export function fileContent(f: SharedFile): Buffer {
  const out = Buffer.alloc(f.size);
  let at = 0;
  for (let i = 0; at < f.size; i++) at += out.write(`${f.name} line ${i}\n`, at, 'latin1');
  return out;
}

export type HttpAnswer = { status: number; reason: string; body: Buffer; type: string };

/** the answer to a whole request head (up to the blank line), or null while it is incomplete */
export function answerHttp(head: Buffer, files: readonly SharedFile[]): HttpAnswer | null {
  const end = head.indexOf('\r\n\r\n');
  const text = (s: string): Buffer => Buffer.from(s + '\n');
  if (end < 0) return head.length > MAX_HEAD ? { status: 431, reason: 'Request Header Fields Too Large', body: text('request head too long'), type: 'text/plain' } : null;
  const line = head.toString('latin1', 0, head.indexOf('\r\n'));
  const m = /^([A-Z]{1,10}) (\S{1,1024}) HTTP\/1\.[01]$/.exec(line);
  if (!m) return { status: 400, reason: 'Bad Request', body: text('bad request line'), type: 'text/plain' };
  if (m[1] !== 'GET' && m[1] !== 'HEAD') return { status: 405, reason: 'Method Not Allowed', body: text('only GET'), type: 'text/plain' };
  if (m[2] === '/') return { status: 200, reason: 'OK', body: text(files.map((f) => `/get/${f.index}/${f.name} ${f.size}`).join('\n')), type: 'text/plain' };
  const g = /^\/get\/(\d{1,9})\/([^/]+)$/.exec(m[2]);
  const name = g ? decodeURIComponent(g[2]) : '';
  const f = g ? files.find((x) => x.index === Number(g[1]) && x.name === name) : undefined;
  if (!f) return { status: 404, reason: 'Not Found', body: text('no such file: GET /get/<index>/<name>'), type: 'text/plain' };
  return { status: 200, reason: 'OK', body: m[1] === 'HEAD' ? Buffer.alloc(0) : fileContent(f), type: 'application/octet-stream' };
}

export function httpResponse(a: HttpAnswer): Buffer {
  const head = `HTTP/1.0 ${a.status} ${a.reason}\r\nServer: NetLab servent\r\nContent-Type: ${a.type}\r\nContent-Length: ${a.body.length}\r\nConnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), a.body]);
}

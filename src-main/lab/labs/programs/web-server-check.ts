/**
 * The web server assignment (K&R chapter 2, socket programming assignment 1): the student's
 * server, started from the editor behind the lab's TCP port, serves the programs/www folder.
 * The checker puts a page of its own there (new bytes every run), fetches it — 200 and the
 * same bytes — and fetches a file that is not there — 404 Not Found (RFC 9110 §15.5.5).
 */
import { randomBytes } from 'node:crypto';
import type { Lab } from '../../lab';
import type { ProgramCheckResult, ProgramCheckSpec } from '../program-check-types';
import { startServer } from './program-session';
import { exchange, httpComplete, parseHttpReply, quote } from './wire';

export const CHECK_PAGE = 'NetLabCheck.html';

const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: NetLab-check\r\nConnection: close\r\n\r\n`;

export async function checkWebServer(lab: Lab, spec: ProgramCheckSpec, signal?: AbortSignal): Promise<ProgramCheckResult> {
  const run = randomBytes(6).toString('hex');
  const page = `<!DOCTYPE html>\n<html><head><title>NetLab check</title></head>\n<body><p>Written by the lab's check for run ${run}.</p></body></html>\n`;
  await lab.programs.files.writeWebFile(CHECK_PAGE, page);
  const started = await startServer(lab, 'web-server', spec.language ?? 'python', 'web server', signal);
  if (!('session' in started)) return started;
  const { session, port } = started;
  const problems: string[] = [];
  const found = await exchange(port, get(`/${CHECK_PAGE}`), 5000, httpComplete, lab.names);
  const ok = parseHttpReply(found.bytes);
  if (!ok) problems.push(`GET /${CHECK_PAGE} got no HTTP response (${found.bytes.length ? `it began "${quote(found.bytes)}"` : found.error ?? 'nothing came back'})`);
  else if (ok.status !== 200) problems.push(`GET /${CHECK_PAGE} (the file is in programs/www) was answered "${ok.statusLine}", not 200 OK`);
  else if (!ok.body.equals(Buffer.from(page))) problems.push(`GET /${CHECK_PAGE} was answered 200, but the body (${ok.body.length} bytes) is not the file's ${Buffer.byteLength(page)} bytes`);

  const missing = `/no-such-page-${run}.html`;
  const nf = await exchange(port, get(missing), 5000, httpComplete, lab.names);
  const notFound = parseHttpReply(nf.bytes);
  if (!notFound) problems.push(`GET ${missing} got no HTTP response (${nf.bytes.length ? `it began "${quote(nf.bytes)}"` : nf.error ?? 'nothing came back'})`);
  else if (notFound.status !== 404) problems.push(`GET ${missing} (no such file) was answered "${notFound.statusLine}", not 404 Not Found`);

  const evidence = session.captured(['program-tcp']).map((m) => m.id);
  await session.stop();
  const intro = 'The checker fetched a page it had put in programs/www and a page that is not there, through the lab';
  if (problems.length) return { passed: false, detail: `${intro}: ${problems.join('; ')}.${session.errorTail()}`, evidence };
  return { passed: true, detail: `${intro}: 200 OK with the file's bytes, then 404 Not Found.`, evidence };
}

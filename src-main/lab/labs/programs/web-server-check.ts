/**
 * The web server assignment (K&R chapter 2, socket programming assignment 1): the student's
 * server, started from the editor behind the lab's TCP port, serves the programs/www folder.
 * The checker puts a page of its own there (new bytes every run), fetches it — 200 and the
 * same bytes — and fetches a file that is not there — 404 Not Found (RFC 9110 §15.5.5).
 */
import { randomBytes } from 'node:crypto';
import type { Lab } from '../../lab';
import type { ProgramCheckResult, ProgramCheckSpec } from '../program-check-types';
import { startServer, verdict } from './program-session';
import { joined, msg, type LabText } from '../../lab-text';
import { exchange, httpComplete, parseHttpReply, silence } from './wire';

export const CHECK_PAGE = 'NetLabCheck.html';

const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: NetLab-check\r\nConnection: close\r\n\r\n`;

export async function checkWebServer(lab: Lab, spec: ProgramCheckSpec, signal?: AbortSignal): Promise<ProgramCheckResult> {
  const run = randomBytes(6).toString('hex');
  const page = `<!DOCTYPE html>\n<html><head><title>NetLab check</title></head>\n<body><p>Written by the lab's check for run ${run}.</p></body></html>\n`;
  await lab.programs.files.writeWebFile(CHECK_PAGE, page);
  const started = await startServer(lab, 'web-server', spec.language ?? 'python', msg('checkLab.program.title.webServer'), signal);
  if (!('session' in started)) return started;
  const { session, port } = started;
  const problems: LabText[] = [];
  const found = await exchange(port, get(`/${CHECK_PAGE}`), 5000, httpComplete, lab.names);
  const ok = parseHttpReply(found.bytes);
  const path = `/${CHECK_PAGE}`;
  if (!ok) problems.push(msg('checkLab.web.noResponse', { path, why: silence(found) }));
  else if (ok.status !== 200) problems.push(msg('checkLab.web.not200', { path, status: ok.statusLine }));
  else if (!ok.body.equals(Buffer.from(page))) problems.push(msg('checkLab.web.wrongBody', { path, got: ok.body.length, want: Buffer.byteLength(page) }));

  const missing = `/no-such-page-${run}.html`;
  const nf = await exchange(port, get(missing), 5000, httpComplete, lab.names);
  const notFound = parseHttpReply(nf.bytes);
  if (!notFound) problems.push(msg('checkLab.web.noResponse', { path: missing, why: silence(nf) }));
  else if (notFound.status !== 404) problems.push(msg('checkLab.web.not404', { path: missing, status: notFound.statusLine }));

  const evidence = session.captured(['program-tcp']).map((m) => m.id);
  await session.stop();
  const intro = msg('checkLab.web.intro');
  if (problems.length) return verdict(false, msg('checkLab.web.failed', { intro, problems: joined('checkLab.list', problems), tail: session.errorTail() }), evidence);
  return verdict(true, msg('checkLab.web.passed', { intro }), evidence);
}

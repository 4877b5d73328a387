/**
 * The web proxy assignment (K&R chapter 2, socket programming assignment 4; caching §2.2.5):
 * the student's proxy, started from the editor behind the lab's TCP port, is asked for the
 * same object twice, as a browser set to use a proxy asks (absolute URI, RFC 9112 §3.2.2).
 * Both answers must carry the object; the lab's web server, the origin, must have seen one
 * request for it, not two. A query word new to every run keeps an earlier run's copy out.
 */
import { randomBytes } from 'node:crypto';
import type { Lab } from '../../lab';
import type { ProgramCheckResult, ProgramCheckSpec } from '../program-check-types';
import { startServer } from './program-session';
import { exchange, httpComplete, parseHttpReply, quote } from './wire';

const DEFAULT_URL = 'http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html';

export async function checkWebProxy(lab: Lab, spec: ProgramCheckSpec, signal?: AbortSignal): Promise<ProgramCheckResult> {
  const origin = lab.services.find((s) => s.id === 'http');
  if (!origin || origin.state !== 'running') return { passed: false, detail: "The lab's web server (the origin) is not running: start it in the service rail, then run the check again.", evidence: [] };
  const base = typeof spec.options?.url === 'string' ? spec.options.url : DEFAULT_URL;
  const parsed = new URL(base);
  const run = randomBytes(5).toString('hex');
  parsed.searchParams.set('netlab-run', run);
  const url = parsed.toString();
  const path = `${parsed.pathname}${parsed.search}`;
  const request = `GET ${url} HTTP/1.1\r\nHost: ${parsed.host}\r\nUser-Agent: NetLab-check\r\nConnection: close\r\n\r\n`;

  // what the origin serves for the object (asked without the run's word: not counted below)
  const direct = parseHttpReply((await exchange(origin.port, `GET ${parsed.pathname} HTTP/1.0\r\nHost: ${parsed.host}\r\n\r\n`, 5000, undefined, lab.names)).bytes);
  if (!direct || direct.status !== 200) return { passed: false, detail: `The lab's web server does not serve ${base} (${direct?.statusLine ?? 'no answer'}): the lab file names an object that is not there.`, evidence: [] };

  const started = await startServer(lab, 'web-proxy', spec.language ?? 'python', 'proxy', signal);
  if (!('session' in started)) return started;
  const { session, port } = started;
  const problems: string[] = [];
  for (const which of ['first', 'second']) {
    const got = await exchange(port, request, 10_000, httpComplete, lab.names);
    const reply = parseHttpReply(got.bytes);
    if (!reply) problems.push(`the ${which} request got no HTTP response (${got.bytes.length ? `it began "${quote(got.bytes)}"` : got.error ?? (got.end === 'timeout' ? 'nothing within 10 s' : 'nothing came back')})`);
    else if (reply.status !== 200) problems.push(`the ${which} request was answered "${reply.statusLine}", not 200 OK`);
    else if (!reply.body.equals(direct.body)) problems.push(`the ${which} answer's body (${reply.body.length} bytes) is not the object's ${direct.body.length} bytes`);
  }
  const atOrigin = session.captured(['http']).filter((m) => m.dir === 'c2s' && m.kind === 'message' && m.summary.includes(`netlab-run=${run}`));
  const evidence = [...session.captured(['program-tcp']).map((m) => m.id), ...atOrigin.map((m) => m.id)].sort((a, b) => a - b);
  await session.stop();
  const intro = `The checker asked your proxy twice for GET ${path} on ${parsed.host}`;
  if (atOrigin.length === 0) problems.push('the lab\'s web server never saw a request for it: your proxy must fetch it from the origin the first time');
  else if (atOrigin.length > 1) problems.push(`the lab's web server saw ${atOrigin.length} requests for it: the second must come from your proxy's cache, not the origin`);
  if (problems.length) return { passed: false, detail: `${intro}: ${problems.join('; ')}.${session.errorTail()}`, evidence };
  return { passed: true, detail: `${intro}: both answers carried the object, and the origin saw one request — the second came from your cache.`, evidence };
}

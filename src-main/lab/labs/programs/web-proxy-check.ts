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
import { startServer, verdict } from './program-session';
import { joined, msg, type LabText } from '../../lab-text';
import { exchange, httpComplete, parseHttpReply, silence } from './wire';

const DEFAULT_URL = 'http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html';

export async function checkWebProxy(lab: Lab, spec: ProgramCheckSpec, signal?: AbortSignal): Promise<ProgramCheckResult> {
  const origin = lab.services.find((s) => s.id === 'http');
  if (!origin || origin.state !== 'running') return verdict(false, msg('checkLab.proxy.originDown'), []);
  const base = typeof spec.options?.url === 'string' ? spec.options.url : DEFAULT_URL;
  const parsed = new URL(base);
  const run = randomBytes(5).toString('hex');
  parsed.searchParams.set('netlab-run', run);
  const url = parsed.toString();
  const path = `${parsed.pathname}${parsed.search}`;
  const request = `GET ${url} HTTP/1.1\r\nHost: ${parsed.host}\r\nUser-Agent: NetLab-check\r\nConnection: close\r\n\r\n`;

  // what the origin serves for the object (asked without the run's word: not counted below)
  const direct = parseHttpReply((await exchange(origin.port, `GET ${parsed.pathname} HTTP/1.0\r\nHost: ${parsed.host}\r\n\r\n`, 5000, undefined, lab.names)).bytes);
  if (!direct || direct.status !== 200) return verdict(false, msg('checkLab.proxy.noObject', { url: base, status: direct?.statusLine ?? msg('checkLab.proxy.noAnswer') }), []);

  const started = await startServer(lab, 'web-proxy', spec.language ?? 'python', msg('checkLab.program.title.proxy'), signal);
  if (!('session' in started)) return started;
  const { session, port } = started;
  const problems: LabText[] = [];
  for (const which of [msg('checkLab.proxy.first'), msg('checkLab.proxy.second')]) {
    const got = await exchange(port, request, 10_000, httpComplete, lab.names);
    const reply = parseHttpReply(got.bytes);
    if (!reply) problems.push(msg('checkLab.proxy.noResponse', { which, why: silence(got, msg(got.end === 'timeout' ? 'checkLab.http.nothingIn10' : 'checkLab.http.nothing')) }));
    else if (reply.status !== 200) problems.push(msg('checkLab.proxy.notOk', { which, status: reply.statusLine }));
    else if (!reply.body.equals(direct.body)) problems.push(msg('checkLab.proxy.wrongBody', { which, got: reply.body.length, want: direct.body.length }));
  }
  const atOrigin = session.captured(['http']).filter((m) => m.dir === 'c2s' && m.kind === 'message' && m.summary.includes(`netlab-run=${run}`));
  const evidence = [...session.captured(['program-tcp']).map((m) => m.id), ...atOrigin.map((m) => m.id)].sort((a, b) => a - b);
  await session.stop();
  const intro = msg('checkLab.proxy.intro', { path, host: parsed.host });
  if (atOrigin.length === 0) problems.push(msg('checkLab.proxy.neverAtOrigin'));
  else if (atOrigin.length > 1) problems.push(msg('checkLab.proxy.twiceAtOrigin', { n: atOrigin.length }));
  if (problems.length) return verdict(false, msg('checkLab.proxy.failed', { intro, problems: joined('checkLab.list', problems), tail: session.errorTail() }), evidence);
  return verdict(true, msg('checkLab.proxy.passed', { intro }), evidence);
}

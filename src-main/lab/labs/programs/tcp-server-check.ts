/**
 * The TCP server of one's own (K&R §2.7.2): the student's server program, started from the
 * editor behind the lab's TCP port, gets one connection per sentence from the checker and
 * must send each back in capitals, as TCPServer.py does.
 */
import { randomBytes } from 'node:crypto';
import type { Lab } from '../../lab';
import type { ProgramCheckResult, ProgramCheckSpec } from '../program-check-types';
import { startServer } from './program-session';
import { exchange, quote } from './wire';

export async function checkTcpServer(lab: Lab, spec: ProgramCheckSpec, signal?: AbortSignal): Promise<ProgramCheckResult> {
  const started = await startServer(lab, 'tcp-server', spec.language ?? 'python', 'TCP server', signal);
  if (!('session' in started)) return started;
  const { session, port } = started;
  const given = Array.isArray(spec.options?.lines) ? spec.options.lines.filter((l): l is string => typeof l === 'string') : [];
  // a word of this run only: an answer written into the program cannot know it
  const sentences = [...(given.length ? given : ['hello from the checker', 'sockets are doors']), `run ${randomBytes(4).toString('hex')}`];
  const problems: string[] = [];
  for (const sentence of sentences) {
    const want = sentence.toUpperCase();
    const got = await exchange(port, `${sentence}\n`, 5000, (b) => b.toString('utf8').includes(want), lab.names);
    const text = got.bytes.toString('utf8').trim();
    if (text.includes(want)) continue;
    problems.push(
      got.end === 'error'
        ? `"${sentence}": the connection failed (${got.error})`
        : text === ''
          ? `"${sentence}": nothing came back (${got.end === 'timeout' ? 'no answer within 5 s' : 'the server closed the connection'})`
          : `"${sentence}": came back as "${quote(got.bytes)}"`,
    );
  }
  const evidence = session.captured(['program-tcp']).map((m) => m.id);
  await session.stop();
  const intro = `The checker connected to your TCP server through the lab ${sentences.length} times, one sentence each`;
  if (problems.length) return { passed: false, detail: `${intro}; not every sentence came back in capitals: ${problems.join('; ')}.${session.errorTail()}`, evidence };
  return { passed: true, detail: `${intro}; each came back in capitals.`, evidence };
}

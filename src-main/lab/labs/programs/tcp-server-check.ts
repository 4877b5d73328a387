/**
 * The TCP server of one's own (K&R §2.7.2): the student's server program, started from the
 * editor behind the lab's TCP port, gets one connection per sentence from the checker and
 * must send each back in capitals, as TCPServer.py does.
 */
import { randomBytes } from 'node:crypto';
import type { Lab } from '../../lab';
import type { ProgramCheckResult, ProgramCheckSpec } from '../program-check-types';
import { startServer, verdict } from './program-session';
import { joined, msg, type LabText } from '../../lab-text';
import { exchange, quote } from './wire';

export async function checkTcpServer(lab: Lab, spec: ProgramCheckSpec, signal?: AbortSignal): Promise<ProgramCheckResult> {
  const started = await startServer(lab, 'tcp-server', spec.language ?? 'python', msg('checkLab.program.title.tcpServer'), signal);
  if (!('session' in started)) return started;
  const { session, port } = started;
  const given = Array.isArray(spec.options?.lines) ? spec.options.lines.filter((l): l is string => typeof l === 'string') : [];
  // a word of this run only: an answer written into the program cannot know it
  const sentences = [...(given.length ? given : ['hello from the checker', 'sockets are doors']), `run ${randomBytes(4).toString('hex')}`];
  const problems: LabText[] = [];
  for (const sentence of sentences) {
    const want = sentence.toUpperCase();
    const got = await exchange(port, `${sentence}\n`, 5000, (b) => b.toString('utf8').includes(want), lab.names);
    const text = got.bytes.toString('utf8').trim();
    if (text.includes(want)) continue;
    problems.push(
      got.end === 'error'
        ? msg('checkLab.tcp.failed', { sentence, error: got.error ?? '' })
        : text === ''
          ? msg(got.end === 'timeout' ? 'checkLab.tcp.silentTimeout' : 'checkLab.tcp.silentClosed', { sentence })
          : msg('checkLab.tcp.cameBack', { sentence, got: quote(got.bytes) }),
    );
  }
  const evidence = session.captured(['program-tcp']).map((m) => m.id);
  await session.stop();
  const intro = msg('checkLab.tcp.intro', { n: sentences.length });
  if (problems.length) return verdict(false, msg('checkLab.tcp.failedAll', { intro, problems: joined('checkLab.list', problems), tail: session.errorTail() }), evidence);
  return verdict(true, msg('checkLab.tcp.passed', { intro }), evidence);
}

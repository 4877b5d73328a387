/**
 * The UDP pinger assignment (K&R chapter 2, socket programming assignment 2), checked on
 * the wire: the student's pinger runs against the lab's UDP echo with the link losing a
 * share of the datagrams (30 % unless the lab says otherwise). The lab's link decided
 * which requests and replies were lost and noted each in the capture (udp-service.ts), so
 * the check knows which pings had to end in "Request timed out", and which must not.
 */
import type { CaptureSummary, LinkProfile } from '../../api';
import type { Lab } from '../../lab';
import { PERFECT_LINK } from '../../link/profile';
import type { ProgramCheckResult, ProgramCheckSpec } from '../program-check-types';
import { notRun, ProgramSession } from './program-session';

const REQUEST = /^Ping (\d+) (\S+)$/;
const REPLY = /^ping (\d+)\b/i;
const TIMED_OUT = /timed out/i;

interface Ping {
  seq: string;
  requestLost: boolean;
  replyLost: boolean;
  answered: boolean;
  evidence: number[];
}

export async function checkUdpPinger(lab: Lab, spec: ProgramCheckSpec, signal?: AbortSignal): Promise<ProgramCheckResult> {
  const pings = clampInt(spec.options?.pings, 10, 1, 50);
  const lossRate = clampNum(spec.options?.lossRate, 0.3, 0.05, 0.9);
  const echo = lab.services.find((s) => s.id === 'echo-udp');
  if (!echo || echo.state !== 'running') return { passed: false, detail: "The lab's UDP echo is not running: start it in the service rail, then run the check again.", evidence: [] };
  const before: LinkProfile = { ...echo.link };
  // loss only: with no delay every reply that is not lost comes back well within the second
  await lab['services.configure']('echo-udp', { link: { ...PERFECT_LINK, lossRate } });
  let session: ProgramSession;
  try {
    session = await ProgramSession.start(lab, 'udp-pinger', spec.language ?? 'python', { NETLAB_PINGS: String(pings) });
  } catch (err) {
    await lab['services.configure']('echo-udp', { link: before });
    return notRun('Your pinger', err);
  }
  const budget = pings * 1000 + 10_000;
  const ended = await session.waitExit(budget, signal);
  if (!ended) await session.stop();
  else session.dispose();
  await lab['services.configure']('echo-udp', { link: before });

  const records = session.captured(['echo-udp']);
  const sent = pingsOf(lab, records);
  const evidence = sent.flatMap((p) => p.evidence);
  const fail = (detail: string): ProgramCheckResult => ({ passed: false, detail, evidence });
  const intro = `Your pinger ran against the lab's UDP echo with ${Math.round(lossRate * 100)} % loss on the link and sent ${sent.length} ping${sent.length === 1 ? '' : 's'}`;

  if (sent.length === 0) {
    return fail(`${intro}: no datagram of the form "Ping <sequence number> <time>" reached the link.${ended ? ` It ended with exit code ${session.exitCode}.` : ''}${session.errorTail()}`);
  }
  const badFormat = sent.find((p) => p.seq === '');
  if (badFormat) return fail(`${intro}, but a request does not read "Ping <sequence number> <time>" (see the first datagrams of the run in the inspector).`);
  const lines = session.lines();
  if (!ended) {
    const stuck = sent.find((p, i) => (p.requestLost || p.replyLost) && !TIMED_OUT.test(lines[i] ?? ''));
    const why = stuck
      ? ` Ping ${stuck.seq}'s ${stuck.requestLost ? 'request' : 'reply'} was lost on the link, and your program kept waiting for a reply that could not come: give the socket a timeout of one second so the wait ends with "Request timed out".`
      : '';
    return fail(`${intro}, but was still running after ${Math.round(budget / 1000)} s and was stopped.${why}`);
  }
  if (sent.length !== pings) return fail(`${intro}; the check asked for ${pings} (NETLAB_PINGS).`);
  if (lines.length !== pings) {
    return fail(`${intro} and printed ${lines.length} line${lines.length === 1 ? '' : 's'}: print exactly one line per ping, its RTT or "Request timed out".${session.errorTail()}`);
  }
  const lost = sent.filter((p) => p.requestLost || p.replyLost);
  const wrong: string[] = [];
  sent.forEach((p, i) => {
    const said = TIMED_OUT.test(lines[i]);
    const dropped = p.requestLost || p.replyLost;
    if (dropped && !said) wrong.push(`ping ${p.seq}: its ${p.requestLost ? 'request' : 'reply'} was lost on the link, yet your line says "${short(lines[i])}"`);
    if (!dropped && said) wrong.push(`ping ${p.seq}: its reply came back, yet your line says it timed out`);
  });
  if (wrong.length) return fail(`${intro}. ${wrong.length} line${wrong.length === 1 ? ' does' : 's do'} not match what the link did — ${wrong.slice(0, 4).join('; ')}${wrong.length > 4 ? '; …' : ''}.`);
  if (lost.length === 0) {
    return fail(`${intro}, and this time the link lost none of them, so the timeout was not put to the test: run the check again.`);
  }
  return {
    passed: true,
    detail: `${intro}. The link lost ${lost.length} (ping${lost.length === 1 ? '' : 's'} ${lost.map((p) => p.seq).join(', ')}); your program printed "Request timed out" for exactly those and an RTT for the other ${pings - lost.length}.`,
    evidence,
  };
}

/** The run's pings in the order they were sent, each with what the link did to it and its reply. */
function pingsOf(lab: Lab, records: CaptureSummary[]): Ping[] {
  const out: Ping[] = [];
  const bySeq = new Map<string, Ping>();
  for (const m of records) {
    const text = textOf(lab, m.id);
    if (text === null) continue;
    const lostNote = m.kind === 'event' && /lost/.test(m.summary);
    if (m.dir === 'c2s' && (m.kind === 'message' || lostNote)) {
      const match = REQUEST.exec(text);
      if (!match && !/^ping\b/i.test(text)) continue; // another client of the echo
      const ping: Ping = { seq: match?.[1] ?? '', requestLost: lostNote, replyLost: false, answered: false, evidence: [m.id] };
      out.push(ping);
      if (match) bySeq.set(match[1], ping);
    } else if (m.dir === 's2c' && (m.kind === 'message' || lostNote)) {
      const ping = bySeq.get(REPLY.exec(text)?.[1] ?? '');
      if (!ping) continue;
      ping.evidence.push(m.id);
      if (lostNote) ping.replyLost = true;
      else ping.answered = true;
    }
  }
  return out;
}

function textOf(lab: Lab, id: number): string | null {
  const d = lab.store.detail(id);
  if (!d || d.bytesDropped) return null;
  return Buffer.from(d.bytes, 'base64').toString('latin1').trim();
}

function short(line: string): string {
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

function clampInt(v: unknown, dflt: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isInteger(v) ? Math.min(max, Math.max(min, v)) : dflt;
}

function clampNum(v: unknown, dflt: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : dflt;
}

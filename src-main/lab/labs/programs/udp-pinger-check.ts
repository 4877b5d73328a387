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
import { notRun, ProgramSession, verdict } from './program-session';
import { joined, msg, type LabText } from '../../lab-text';
import { PING_FORM } from './lab-text';

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
  if (!echo || echo.state !== 'running') return verdict(false, msg('checkLab.ping.echoDown'), []);
  const before: LinkProfile = { ...echo.link };
  // loss only: with no delay every reply that is not lost comes back well within the second
  await lab['services.configure']('echo-udp', { link: { ...PERFECT_LINK, lossRate } });
  let session: ProgramSession;
  try {
    session = await ProgramSession.start(lab, 'udp-pinger', spec.language ?? 'python', { NETLAB_PINGS: String(pings) });
  } catch (err) {
    await lab['services.configure']('echo-udp', { link: before });
    return notRun(msg('checkLab.program.title.pinger'), err);
  }
  const budget = pings * 1000 + 10_000;
  const ended = await session.waitExit(budget, signal);
  if (!ended) await session.stop();
  else session.dispose();
  await lab['services.configure']('echo-udp', { link: before });

  const records = session.captured(['echo-udp']);
  const sent = pingsOf(lab, records);
  const evidence = sent.flatMap((p) => p.evidence);
  const fail = (m: LabText): ProgramCheckResult => verdict(false, m, evidence);
  const count = sent.length === 1 ? msg('checkLab.ping.onePing') : msg('checkLab.ping.pings', { n: sent.length });
  const intro = msg('checkLab.ping.intro', { loss: Math.round(lossRate * 100), sent: count });
  const which = (p: Ping): LabText => msg(p.requestLost ? 'checkLab.ping.request' : 'checkLab.ping.reply');

  if (sent.length === 0) {
    const exit = ended ? msg('checkLab.ping.exitCode', { code: String(session.exitCode) }) : '';
    return fail(msg('checkLab.ping.noneSent', { intro, form: PING_FORM, exit, tail: session.errorTail() }));
  }
  const badFormat = sent.find((p) => p.seq === '');
  if (badFormat) return fail(msg('checkLab.ping.badFormat', { intro, form: PING_FORM }));
  const lines = session.lines();
  if (!ended) {
    const stuck = sent.find((p, i) => (p.requestLost || p.replyLost) && !TIMED_OUT.test(lines[i] ?? ''));
    const why = stuck ? msg('checkLab.ping.stuckWhy', { seq: stuck.seq, which: which(stuck) }) : '';
    return fail(msg('checkLab.ping.stuck', { intro, s: Math.round(budget / 1000), why }));
  }
  if (sent.length !== pings) return fail(msg('checkLab.ping.count', { intro, pings }));
  if (lines.length !== pings) {
    const printed = lines.length === 1 ? msg('checkLab.ping.oneLine') : msg('checkLab.ping.lines', { n: lines.length });
    return fail(msg('checkLab.ping.printed', { intro, lines: printed, tail: session.errorTail() }));
  }
  const lost = sent.filter((p) => p.requestLost || p.replyLost);
  const wrong: LabText[] = [];
  sent.forEach((p, i) => {
    const said = TIMED_OUT.test(lines[i]);
    const dropped = p.requestLost || p.replyLost;
    if (dropped && !said) wrong.push(msg('checkLab.ping.wrongLost', { seq: p.seq, which: which(p), line: short(lines[i]) }));
    if (!dropped && said) wrong.push(msg('checkLab.ping.wrongTimedOut', { seq: p.seq }));
  });
  if (wrong.length) {
    const params = { intro, wrong: joined('checkLab.list', wrong.slice(0, 4)), more: wrong.length > 4 ? '; …' : '' };
    return fail(wrong.length === 1 ? msg('checkLab.ping.mismatchOne', params) : msg('checkLab.ping.mismatch', { ...params, n: wrong.length }));
  }
  if (lost.length === 0) return fail(msg('checkLab.ping.noLoss', { intro }));
  const seqs = lost.map((p) => p.seq).join(', ');
  const rest = pings - lost.length;
  return verdict(true, lost.length === 1 ? msg('checkLab.ping.passedOne', { intro, seqs, rest }) : msg('checkLab.ping.passed', { intro, lost: lost.length, seqs, rest }), evidence);
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

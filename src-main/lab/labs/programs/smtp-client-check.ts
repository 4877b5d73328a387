/**
 * The SMTP client assignment (K&R chapter 2, socket programming assignment 3; SMTP §2.3.1):
 * the student's client, run from the editor, talks to mail.hamburger.edu's mail server and
 * must leave a message in bob's Maildir. The dialogue must be the program's own: a
 * connection to the MX opened while the program ran and labelled as the program's (on
 * Linux the lab knows the socket's owner, program-sockets.ts; elsewhere: from no lab
 * client, neither Compose's relay nor a terminal), with DATA accepted and the message in.
 */
import type { CaptureSummary } from '../../api';
import type { Lab } from '../../lab';
import type { ProgramCheckResult, ProgramCheckSpec } from '../program-check-types';
import { programEntry } from '../../scenarios/programs';
import { notRun, ProgramSession, verdict } from './program-session';
import { msg } from '../../lab-text';

const MX = 'smtp-hamburger';
const BOB = 'bob@hamburger.edu';
const VERBS = new Set(['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'QUIT', 'RSET', 'NOOP', 'VRFY', 'AUTH', 'STARTTLS']);

export async function checkSmtpClient(lab: Lab, spec: ProgramCheckSpec, signal?: AbortSignal): Promise<ProgramCheckResult> {
  const mx = lab.services.find((s) => s.id === MX);
  if (!mx || mx.state !== 'running') return verdict(false, msg('checkLab.smtp.mxDown'), []);
  const before = new Set((await lab['mail.mailbox'](BOB)).map((m) => m.uid));
  const language = spec.language ?? 'python';
  const own = `program ${programEntry('smtp-client').files[language]}`;
  const mine = (name: string | undefined): boolean => name === own || (name === undefined && process.platform !== 'linux');
  let session: ProgramSession;
  try {
    session = await ProgramSession.start(lab, 'smtp-client', language);
  } catch (err) {
    return notRun(msg('checkLab.program.title.smtpClient'), err);
  }
  const ended = await session.waitExit(20_000, signal);
  if (!ended) await session.stop();
  else session.dispose();

  const records = session.captured([MX]);
  const ours = new Set(records.filter((m) => mine(lab.store.connection(m.conn)?.client.name)).map((m) => m.conn));
  const dialogue = records.filter((m) => ours.has(m.conn));
  const evidence = dialogue.map((m) => m.id);
  const hasData = dialogue.some((m) => m.dir === 'c2s' && verbOf(m) === 'DATA');
  const arrived = await newMail(lab, before, hasData ? 5000 : 0);
  const steps = describe(dialogue);
  const stopped = ended ? '' : msg('checkLab.smtp.stopped');
  const tail = session.errorTail();

  if (ours.size === 0) return verdict(false, msg('checkLab.smtp.noConnection', { stopped, tail }), evidence);
  const intro = msg('checkLab.smtp.intro', { steps: steps || msg('checkLab.smtp.noCommands') });
  if (!hasData) return verdict(false, msg('checkLab.smtp.noData', { intro, stopped, tail }), evidence);
  if (arrived.length === 0) return verdict(false, msg('checkLab.smtp.notArrived', { intro, stopped, tail }), evidence);
  const subject = arrived[0].subject ? msg('checkLab.smtp.subject', { subject: arrived[0].subject.slice(0, 60) }) : '';
  return verdict(true, msg('checkLab.smtp.arrived', { intro, mailbox: BOB, subject, stopped }), evidence);
}

/** bob's messages that were not there before; the Maildir listing may trail the 250 a moment */
async function newMail(lab: Lab, before: Set<string>, ms: number) {
  const until = Date.now() + ms;
  for (;;) {
    const arrived = (await lab['mail.mailbox'](BOB)).filter((m) => !before.has(m.uid));
    if (arrived.length || Date.now() >= until) return arrived;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function verbOf(m: CaptureSummary): string {
  const word = /^([A-Za-z]{4,8})\b/.exec(m.summary)?.[1]?.toUpperCase() ?? '';
  return VERBS.has(word) ? word : '';
}

/** "HELO → 250, MAIL → 250, …, DATA → 354, message → 250, QUIT → 221", from the capture */
function describe(dialogue: CaptureSummary[]): string {
  const parts: string[] = [];
  let pending: string | null = 'banner';
  for (const m of dialogue) {
    if (m.kind !== 'message') continue;
    if (m.dir === 'c2s') {
      if (pending) parts.push(pending);
      pending = verbOf(m) || 'message';
    } else if (m.dir === 's2c') {
      const code = /^(\d{3})/.exec(m.summary)?.[1] ?? '?';
      parts.push(`${pending ?? 'unasked'} → ${code}`);
      pending = null;
    }
  }
  if (pending && pending !== 'banner') parts.push(`${pending} (no reply)`);
  return parts.slice(0, 12).join(', ');
}

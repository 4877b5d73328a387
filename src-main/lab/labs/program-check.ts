/**
 * The program checks of lab files (issue 12): each assignment's check runs the student's
 * saved program from the editor against the running lab and judges it from what the lab
 * saw (capture, link, mailboxes), one file per assignment under programs/.
 */
import type { Lab } from '../lab';
import type { ProgramAssignment, ProgramCheckResult, ProgramCheckRunner, ProgramCheckSpec } from './program-check-types';
import { checkSmtpClient } from './programs/smtp-client-check';
import { checkTcpServer } from './programs/tcp-server-check';
import { checkUdpPinger } from './programs/udp-pinger-check';
import { checkWebProxy } from './programs/web-proxy-check';
import { checkWebServer } from './programs/web-server-check';
import { verdict } from './programs/program-session';
import { msg } from '../lab-text';

type Check = (lab: Lab, spec: ProgramCheckSpec, signal?: AbortSignal) => Promise<ProgramCheckResult>;

const CHECKS: Record<ProgramAssignment, Check> = {
  'udp-pinger': checkUdpPinger,
  'tcp-server': checkTcpServer,
  'web-server': checkWebServer,
  'smtp-client': checkSmtpClient,
  'web-proxy': checkWebProxy,
};

/** One program check at a time per lab: two runs would stop each other's program. */
const busy = new WeakMap<Lab, Promise<unknown>>();

export const runProgramCheck: ProgramCheckRunner = async (lab, spec, signal) => {
  const check = CHECKS[spec.assignment];
  if (!check) return verdict(false, msg('checkLab.program.unknown', { assignment: String(spec.assignment) }), []);
  const before = busy.get(lab) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(() => check(lab, spec, signal));
  busy.set(lab, run);
  try {
    return await run;
  } catch (err) {
    return verdict(false, msg('checkLab.program.crashed', { error: err instanceof Error ? err.message : String(err) }), []);
  }
};

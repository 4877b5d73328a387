/**
 * The lab-session area as a Lab holds it: the engine, the socket assignments' program checks
 * (program-check.ts) run against this lab, and the lab's events that make the state checks
 * look again (mail moved, zones saved, the proxy answered, a swarm finished).
 */
import type { LabEventSource } from '../api';
import { LabsArea, type LabsDeps } from './labs-area';
import { runProgramCheck } from './program-check';

export function wireLabs(deps: LabsDeps, events: LabEventSource): LabsArea {
  const labs = new LabsArea(deps);
  labs.setProgramCheckRunner(runProgramCheck);
  events.on('mail.changed', () => labs.changed('mailbox'));
  events.on('dns.changed', () => labs.changed('zone'));
  events.on('web.changed', () => labs.changed('proxyCache'));
  events.on('swarm.result', (r) => labs.swarmFinished(r));
  return labs;
}

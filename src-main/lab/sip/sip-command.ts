/**
 * `sip …` as typed at the lab terminal's prompt: parsing only (pure). The request travels as
 * a real datagram from the terminal to the lab's proxy (:5060), as `nc -u` would send it.
 */
export type SipCommand =
  | { kind: 'sip'; action: 'help' }
  | { kind: 'sip'; action: 'register' | 'unregister' | 'options' | 'invite'; target: string };

export const SIP_HELP = [
  '  sip register USER@DOMAIN   REGISTER with the lab\'s proxy (:5060); sip unregister USER@DOMAIN',
  '  sip invite USER@DOMAIN     call: INVITE with SDP, the replies, ACK, then BYE at once',
  '  sip options TARGET         OPTIONS to a user or a domain (sip options crepes.fr)',
];

const TARGET = /^(?:sip:)?([A-Za-z0-9._-]{1,64}@)?[A-Za-z0-9.-]{1,100}(?::\d{1,5})?$/;

export function parseSipCommand(args: string[]): SipCommand | { kind: 'error'; message: string } {
  const [action, target, ...rest] = args;
  if (action === undefined || action === 'help') return { kind: 'sip', action: 'help' };
  if (!['register', 'unregister', 'options', 'invite'].includes(action)) return { kind: 'error', message: `sip: unknown request '${action}' (register, unregister, invite, options)` };
  if (!target || rest.length) return { kind: 'error', message: `usage: sip ${action} ${action === 'options' ? 'TARGET' : 'USER@DOMAIN'}` };
  if (!TARGET.test(target)) return { kind: 'error', message: `sip: bad target '${target}': USER@DOMAIN, e.g. bob@hamburger.edu` };
  if (action !== 'options' && !target.includes('@')) return { kind: 'error', message: `sip ${action}: a user is needed: USER@DOMAIN` };
  return { kind: 'sip', action: action as 'register', target: target.replace(/^sip:/, '') };
}

/** The VoIP tab's part of the lab API (issue 17): argument schemas, spread into api.ts's method list. */
import { z } from 'zod';
import { method } from '../api-method';
import type { VoipState } from './voip-types';

const aor = z.enum(['alice@crepes.fr', 'bob@hamburger.edu']);
const target = z.string().regex(/^[A-Za-z0-9._-]{1,64}@[A-Za-z0-9.-]{1,100}$/);
const playout = z.object({ mode: z.enum(['fixed', 'adaptive']), fixedMs: z.number().int().min(0).max(2000) }).strict();

const voip = method<VoipState>();

export const voipMethodSchemas = {
  /** the two softphones, the registrar's bindings, the receivers' series */
  'voip.state': voip(z.tuple([])),
  /** REGISTER (true) or unregister with Expires: 0 (false) */
  'voip.register': voip(z.tuple([aor, z.boolean()])),
  /** call from a softphone to an address of record (INVITE with an SDP offer) */
  'voip.call': voip(z.tuple([aor, target])),
  'voip.answer': voip(z.tuple([aor])),
  /** BYE in a call, CANCEL while ringing out, 486 to decline */
  'voip.hangup': voip(z.tuple([aor])),
  /** the receivers' playout buffer: fixed delay or adaptive (K&R §9.3) */
  'voip.playout': voip(z.tuple([playout])),
} as const;

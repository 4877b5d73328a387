/** The scenario's `snmp:` keys: the communities and where traps go. */
import { z } from 'zod';

const RECEIVER = /^(?:\[(::1)\]|(127\.0\.0\.1|localhost)):(\d{1,5})$/;
const community = z.string().min(1).max(64).regex(/^[\x21-\x3f\x41-\x7e]+$/, 'a community is printable ASCII without spaces or @ (@ picks a lab host)');

export const snmpSettingsSchema = z
  .object({
    /** read-only community (default public) */
    readCommunity: community,
    /** read-write community (default private) */
    writeCommunity: community,
    /** where SNMPv2-Traps go: 127.0.0.1:PORT, [::1]:PORT or localhost:PORT; absent: no traps */
    trapReceiver: z.string().regex(RECEIVER, 'a trap receiver is 127.0.0.1:PORT, [::1]:PORT or localhost:PORT').nullable(),
  })
  .partial()
  .strict();

export type SnmpSettings = z.infer<typeof snmpSettingsSchema>;

export function parseReceiver(text: string): { address: string; port: number } {
  const m = RECEIVER.exec(text.trim());
  if (!m || Number(m[3]) < 1 || Number(m[3]) > 65535) throw new Error(`snmp.trapReceiver: "${text}" is not 127.0.0.1:PORT, [::1]:PORT or localhost:PORT`);
  return { address: m[1] ? '::1' : '127.0.0.1', port: Number(m[3]) };
}

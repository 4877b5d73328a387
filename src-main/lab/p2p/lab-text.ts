/**
 * The status lines the P2P services send to the DHT and Overlays views (dht-run.ts,
 * overlay-run.ts, their services), as catalogue messages: key, English text, an example of
 * the parameters (src-main/lab/dns/lab-text.ts explains; its drift test walks these too). The
 * renderer shows `p2pLab.<key>` (src-renderer/src/i18n/locales/<language>/p2pLab.ts) in the
 * UI's language; the CLI prints the English. Peer ids, counts and overlay names are parameters.
 */
import type { LabText, LabTextEntry, TextParams } from '../lab-text';


export const P2P_LAB_TEXT = {
  // the circular DHT (Kurose & Ross §2.5.2)
  'p2pLab.dht.stopped': { en: () => 'stopped', example: {} },
  'p2pLab.dht.noService': { en: () => 'no DHT service', example: {} },
  'p2pLab.dht.storing': { en: (p) => `storing ${p.n} keys`, example: { n: 8 } },
  'p2pLab.dht.peerLeft': { en: (p) => `peer ${p.id} left`, example: { id: 12 } },
  'p2pLab.dht.peerJoined': { en: (p) => `peer ${p.id} joined`, example: { id: 6 } },
  'p2pLab.dht.lookingUp': { en: () => 'looking up', example: {} },
  'p2pLab.dht.done': { en: (p) => `done: ${p.lookups} lookups, ${p.lost} keys lost`, example: { lookups: 40, lost: 0 } },
  // Napster's index, Gnutella's flood, KaZaA's super-nodes (§2.5)
  'p2pLab.overlays.stopped': { en: () => 'stopped', example: {} },
  'p2pLab.overlays.noService': { en: () => 'no overlays service', example: {} },
  'p2pLab.overlays.starting': { en: (p) => `starting ${p.n} peers`, example: { n: 12 } },
  'p2pLab.overlays.asking': { en: (p) => `asking ${p.kind}`, example: { kind: 'gnutella' } },
  'p2pLab.overlays.done': { en: (p) => `done: ${p.n} queries over ${p.overlays}`, example: { n: 9, overlays: 'napster, gnutella, kazaa' } },
} satisfies Record<string, LabTextEntry>;

export type P2pLabKey = keyof typeof P2P_LAB_TEXT;

/** A view's status line: the English, and its key and parameters when there is a message. */
export function keyedStatus(status: string, said: LabText | null): { status: string; statusKey?: string; statusParams?: TextParams } {
  if (!said) return { status };
  return { status, statusKey: said.key, ...(said.params ? { statusParams: said.params } : {}) };
}

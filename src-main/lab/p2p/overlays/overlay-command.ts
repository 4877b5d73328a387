/**
 * `overlay …` as typed at the lab terminal's prompt: parsing only (pure). The query travels
 * as real messages: a SEARCH to Napster's index, a flooded Gnutella Query, a KaZaA child's
 * SEARCH to its super-node.
 */
import { OVERLAY_KINDS, type OverlayKind } from './overlay-types';

export type OverlayCommand =
  | { kind: 'overlay'; action: 'help' | 'peers' }
  | { kind: 'overlay'; action: 'query'; file: string; from?: number; via?: OverlayKind }
  | { kind: 'overlay'; action: 'get'; file: string; from?: number }
  | { kind: 'overlay'; action: 'ping'; from?: number };

export const OVERLAY_HELP = [
  '  overlay query NAME      search the overlays for a file (K&R §2.5): Napster, Gnutella and',
  '                          KaZaA in turn; add `from N` (peer pN asks), `via gnutella` (one only)',
  '  overlay get NAME        find it (Gnutella) and download it over HTTP from the holder',
  '  overlay ping [from N]   Gnutella discovery: a Ping flooded with the TTL, the Pongs back',
  '  overlay peers           the peers: address, files, neighbours, super-node',
];

const WORDS = /^[\x21-\x7e]{1,100}$/;

type Parsed = OverlayCommand | { kind: 'error'; message: string };

export function parseOverlayCommand(args: string[]): Parsed {
  const [action, ...rest] = args;
  const err = (message: string): Parsed => ({ kind: 'error', message });
  if (action === undefined || action === 'help') return { kind: 'overlay', action: 'help' };
  if (action === 'peers') return rest.length ? err('usage: overlay peers') : { kind: 'overlay', action: 'peers' };
  if (action === 'ping') {
    if (rest.length === 0) return { kind: 'overlay', action: 'ping' };
    return rest.length === 2 && rest[0] === 'from' && /^p?\d{1,4}$/.test(rest[1]) ? { kind: 'overlay', action: 'ping', from: Number(rest[1].replace('p', '')) } : err('usage: overlay ping [from N]');
  }
  if (action !== 'query' && action !== 'get') return err(`overlay: unknown action '${action}' (query, get, ping, peers)`);
  const words: string[] = [];
  let from: number | undefined;
  let via: OverlayKind | undefined;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    if (w === 'from' && /^p?\d{1,4}$/.test(rest[i + 1] ?? '')) from = Number(rest[++i].replace('p', ''));
    else if (w === 'via' && action === 'query' && OVERLAY_KINDS.includes(rest[i + 1] as OverlayKind)) via = rest[++i] as OverlayKind;
    else if (w === 'from' || w === 'via') return err(`usage: overlay ${action} NAME [from N]${action === 'query' ? ' [via napster|gnutella|kazaa]' : ''}`);
    else if (!WORDS.test(w)) return err(`overlay: bad word '${w.slice(0, 20)}'`);
    else words.push(w);
  }
  if (!words.length) return err(`usage: overlay ${action} NAME [from N]${action === 'query' ? ' [via napster|gnutella|kazaa]' : ''}`);
  const file = words.join(' ');
  if (file.length > 200) return err('overlay: a query is at most 200 characters');
  return action === 'get' ? { kind: 'overlay', action, file, ...(from !== undefined ? { from } : {}) } : { kind: 'overlay', action, file, ...(from !== undefined ? { from } : {}), ...(via ? { via } : {}) };
}

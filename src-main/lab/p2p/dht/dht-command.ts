/**
 * `dht …` as typed at the lab terminal's prompt: parsing only (pure). put and get travel as
 * real datagrams from the terminal to a peer, exactly what `nc -u` would send.
 */
export type DhtCommand =
  | { kind: 'dht'; action: 'help' | 'ring' }
  | { kind: 'dht'; action: 'put'; key: string; value: string; from?: number }
  | { kind: 'dht'; action: 'get' | 'lookup'; key: string; from?: number }
  | { kind: 'dht'; action: 'join'; id?: number }
  | { kind: 'dht'; action: 'leave'; id: number };

export const DHT_HELP = [
  '  dht ring                the DHT\'s peers: address, predecessor, successors, keys',
  '  dht put KEY VALUE       store a value (KEY a number or a name, hashed); dht get KEY',
  '  dht lookup KEY          which peer is responsible, and the path the query took',
  '  dht join [ID]           a new peer joins; dht leave ID: a peer leaves abruptly',
  '                          (add `from ID` to put, get or lookup to ask another peer)',
];

const KEY = /^[A-Za-z0-9._-]{1,64}$/;
const VALUE = /^[\x21-\x7e]{1,200}$/;
const ID = /^\d{1,10}$/;

type Parsed = DhtCommand | { kind: 'error'; message: string };

function from(rest: string[]): number | undefined | string {
  if (rest.length === 0) return undefined;
  if (rest.length === 2 && rest[0] === 'from' && ID.test(rest[1])) return Number(rest[1]);
  return `dht: unexpected '${rest.join(' ')}' (add \`from ID\` to ask another peer)`;
}

export function parseDhtCommand(args: string[]): Parsed {
  const [action, ...rest] = args;
  const err = (message: string): Parsed => ({ kind: 'error', message });
  switch (action) {
    case undefined:
    case 'help':
      return { kind: 'dht', action: 'help' };
    case 'ring':
      return rest.length ? err('usage: dht ring') : { kind: 'dht', action: 'ring' };
    case 'put': {
      const [key, value, ...more] = rest;
      if (!key || !value) return err('usage: dht put KEY VALUE [from ID]');
      if (!KEY.test(key)) return err(`dht: bad key '${key}': a number, or a name of letters, digits, . _ -`);
      if (!VALUE.test(value)) return err('dht: a value is one word of printable ASCII (no spaces), at most 200 characters');
      const f = from(more);
      return typeof f === 'string' ? err(f) : { kind: 'dht', action: 'put', key, value, ...(f !== undefined ? { from: f } : {}) };
    }
    case 'get':
    case 'lookup': {
      const [key, ...more] = rest;
      if (!key) return err(`usage: dht ${action} KEY [from ID]`);
      if (!KEY.test(key)) return err(`dht: bad key '${key}': a number, or a name of letters, digits, . _ -`);
      const f = from(more);
      return typeof f === 'string' ? err(f) : { kind: 'dht', action, key, ...(f !== undefined ? { from: f } : {}) };
    }
    case 'join':
      if (rest.length > 1 || (rest[0] !== undefined && !ID.test(rest[0]))) return err('usage: dht join [ID]');
      return { kind: 'dht', action: 'join', ...(rest[0] !== undefined ? { id: Number(rest[0]) } : {}) };
    case 'leave':
      if (rest.length !== 1 || !ID.test(rest[0])) return err('usage: dht leave ID');
      return { kind: 'dht', action: 'leave', id: Number(rest[0]) };
    default:
      return err(`dht: unknown action '${action}' (ring, put, get, lookup, join, leave)`);
  }
}

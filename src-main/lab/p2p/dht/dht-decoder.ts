/**
 * The inspector's decoder for DHT datagrams (docs/dht-protocol.md): a one-line summary and
 * each field named with what it means. Pure: bytes in, fields out.
 */
import type { DecodedField } from '../../api';
import { registerDecoder } from '../../capture/decoders';
import { endpointText, parseMessage, refText, type DhtMessage, type PeerRef, type Route } from './dht-codec';

export const DHT_PROTOCOL = 'dht';

const MEANING: Record<DhtMessage['type'], string> = {
  PING: 'are you still there? (sent to each of the two successors)',
  PONG: 'yes — with my first successor, the pinger\'s second',
  'SUCC?': 'who are your successors?',
  SUCC: 'my successors',
  LOOKUP: 'which peer is responsible for this key?',
  FOUND: 'I am responsible for the key (sent straight to the origin)',
  PUT: 'store this value at the key\'s peer',
  STORED: 'stored, by the peer responsible',
  GET: 'fetch the value of a key',
  VALUE: 'the value, from the peer responsible',
  NOVALUE: 'the peer responsible holds no value for the key',
  REPLICA: 'a copy of a key, kept by a successor so a departure loses nothing',
  JOIN: 'a new peer asks its successor to let it in',
  WELCOME: 'your predecessor and second successor',
  NOTIFY: 'I am your predecessor now',
  ADOPT: 'I am your first successor now',
  ERR: 'the message before was refused',
};

const peer = (name: string, r: PeerRef): DecodedField => ({ name, value: `peer ${r.id} at ${r.address}:${r.port}` });

function routeFields(r: Route | undefined): DecodedField[] {
  if (!r) return [{ name: 'route', value: 'none: typed by hand, the receiving peer asks on the sender\'s behalf and answers it' }];
  return [
    { name: 'hops', value: `${r.hops} (query messages so far)` },
    { name: 'origin', value: `peer ${r.origin.id} at ${endpointText(r.origin)} (the answer goes straight there)` },
    { name: 'query id', value: r.qid },
  ];
}

export function dhtFields(m: DhtMessage): DecodedField[] {
  const f: DecodedField[] = [{ name: 'command', value: `${m.type} — ${MEANING[m.type]}` }];
  switch (m.type) {
    case 'LOOKUP':
    case 'GET':
      f.push({ name: 'key', value: m.key }, ...routeFields(m.route));
      break;
    case 'PUT':
      f.push({ name: 'key', value: m.key }, { name: 'value', value: m.value }, ...routeFields(m.route));
      break;
    case 'FOUND':
      f.push({ name: 'key', value: String(m.key) }, peer('responsible', m.peer), { name: 'hops', value: String(m.hops) }, { name: 'messages', value: `${m.hops + 1} (hops + this answer)` }, { name: 'query id', value: m.qid });
      break;
    case 'STORED':
    case 'VALUE':
    case 'NOVALUE':
      f.push({ name: 'key', value: String(m.key) }, { name: 'responsible', value: `peer ${m.id}` }, { name: 'hops', value: String(m.hops) }, { name: 'query id', value: m.qid });
      if (m.type === 'VALUE') f.push({ name: 'value', value: m.value });
      break;
    case 'PING':
      f.push({ name: 'nonce', value: m.nonce });
      break;
    case 'PONG':
      f.push({ name: 'nonce', value: m.nonce }, { name: 'from', value: `peer ${m.id}` }, ...(m.succ ? [peer('its first successor', m.succ)] : []));
      break;
    case 'SUCC':
      f.push({ name: 'from', value: `peer ${m.id}` }, ...m.succ.map((s, i) => peer(`successor ${i + 1}`, s)));
      break;
    case 'REPLICA':
      f.push({ name: 'key', value: String(m.key) }, { name: 'value', value: m.value });
      break;
    case 'JOIN':
    case 'NOTIFY':
    case 'ADOPT':
      f.push(peer('peer', m.peer));
      break;
    case 'WELCOME':
      f.push(peer('predecessor', m.pred), peer('second successor', m.succ));
      break;
    case 'ERR':
      f.push({ name: 'reason', value: m.reason });
      break;
  }
  return f;
}

export function describeDht(m: DhtMessage): string {
  switch (m.type) {
    case 'LOOKUP':
    case 'GET':
    case 'PUT':
      return m.route ? `${m.type} ${m.key} · hop ${m.route.hops} · q ${m.route.qid}` : `${m.type} ${m.key} (typed)`;
    case 'FOUND':
      return `FOUND ${m.key} → peer ${m.peer.id} · ${m.hops} hops, ${m.hops + 1} messages · q ${m.qid}`;
    case 'STORED':
    case 'VALUE':
    case 'NOVALUE':
      return `${m.type} ${m.key} at peer ${m.id} · ${m.hops} hops · q ${m.qid}`;
    case 'PONG':
      return `PONG from ${m.id}${m.succ ? ` (its successor ${m.succ.id})` : ''}`;
    case 'SUCC':
      return `SUCC of ${m.id}: ${m.succ.map((s) => s.id).join(', ')}`;
    case 'JOIN':
    case 'NOTIFY':
    case 'ADOPT':
      return `${m.type} peer ${m.peer.id} (${refText(m.peer)})`;
    case 'WELCOME':
      return `WELCOME: predecessor ${m.pred.id}, second successor ${m.succ.id}`;
    case 'REPLICA':
      return `REPLICA ${m.key}`;
    case 'ERR':
      return `ERR ${m.reason}`.slice(0, 160);
    default:
      return m.type;
  }
}

registerDecoder(DHT_PROTOCOL, {
  summarize(kind, _dir, bytes) {
    if (kind === 'event') return bytes.toString('utf8', 0, 160);
    const p = parseMessage(bytes);
    return p.ok ? describeDht(p.msg) : `refused: ${p.reason}`;
  },
  decode(kind, _dir, bytes) {
    if (kind === 'event') return [{ name: 'Note', value: bytes.toString('utf8') }];
    const p = parseMessage(bytes);
    const line = { name: 'line', value: bytes.toString('latin1').replace(/\r?\n$/, '') };
    return p.ok ? [{ name: 'DHT', value: p.msg.type, children: [...dhtFields(p.msg), line] }] : [{ name: 'DHT', value: 'refused', children: [{ name: 'reason', value: p.reason }, line] }];
  },
});

/**
 * The DHT's wire protocol: one line of ASCII per UDP datagram, a verb and its fields
 * separated by spaces, so a student can type every message with `nc -u` (docs/dht-protocol.md
 * lists them). Pure: text in, a message or the reason it was refused out; every length a
 * sender controls is capped. The trailing `<hops> <origin> <qid>` of LOOKUP, PUT and GET may
 * be left out by a person: the peer typed at then asks on their behalf and answers them.
 */
import { parsePeerLine } from './dht-codec-fast';

export const MAX_DATAGRAM = 512;
/** a routed message that has been forwarded this many times is dropped: a loop */
export const MAX_HOPS = 255;
const MAX_VALUE = 200;

/** a peer as the protocol names it: id@address:port */
export interface PeerRef {
  id: number;
  address: string;
  port: number;
}
export interface Endpoint {
  address: string;
  port: number;
}
/** what travels with a routed message: hops so far, the peer that asked, the query's id */
export interface Route {
  hops: number;
  origin: PeerRef;
  qid: string;
}

export type DhtMessage =
  | { type: 'PING'; nonce: string }
  | { type: 'PONG'; nonce: string; id: number; succ?: PeerRef }
  | { type: 'SUCC?' }
  | { type: 'SUCC'; id: number; succ: PeerRef[] }
  | { type: 'LOOKUP'; key: string; route?: Route }
  | { type: 'FOUND'; key: number; peer: PeerRef; hops: number; qid: string }
  | { type: 'PUT'; key: string; value: string; route?: Route }
  | { type: 'STORED'; key: number; id: number; hops: number; qid: string }
  | { type: 'GET'; key: string; route?: Route }
  | { type: 'VALUE'; key: number; id: number; hops: number; qid: string; value: string }
  | { type: 'NOVALUE'; key: number; id: number; hops: number; qid: string }
  | { type: 'REPLICA'; key: number; value: string }
  | { type: 'JOIN'; peer: PeerRef }
  | { type: 'WELCOME'; pred: PeerRef; succ: PeerRef }
  | { type: 'NOTIFY'; peer: PeerRef }
  | { type: 'ADOPT'; peer: PeerRef }
  | { type: 'ERR'; reason: string };

export type DhtVerb = DhtMessage['type'];
export type Parsed = { ok: true; msg: DhtMessage } | { ok: false; reason: string };

const ID = /^\d{1,10}$/;
const KEY = /^[A-Za-z0-9._-]{1,64}$/;
const VALUE = /^[\x21-\x7e]{1,200}$/;
const QID = /^[0-9a-z]{1,16}$/;
const TOKEN = /^[0-9a-z]{1,16}$/;
const ENDPOINT = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/;

class Refused extends Error {}

function id(t: string | undefined, what = 'id'): number {
  if (t === undefined || !ID.test(t) || Number(t) > 0xffffffff) throw new Refused(`${what} must be a number from 0 to 4294967295`);
  return Number(t);
}

function endpoint(t: string | undefined): Endpoint {
  const m = t === undefined ? null : ENDPOINT.exec(t);
  if (!m || Number(m[2]) > 65535 || m[1].split('.').some((o) => Number(o) > 255)) throw new Refused(`'${t ?? ''}' is not an address:port`);
  return { address: m[1], port: Number(m[2]) };
}

/**
 * Peers' names already checked: a ring of N peers names the same N over and over (each query
 * carries its origin, each answer its peer), and checking one by its three regular expressions
 * was the larger part of reading a datagram. Bounded; each caller gets its own copy.
 */
const knownRefs = new Map<string, PeerRef>();
const MAX_KNOWN_REFS = 8192;

function ref(t: string | undefined): PeerRef {
  const known = t === undefined ? undefined : knownRefs.get(t);
  if (known) return { id: known.id, address: known.address, port: known.port };
  const at = t?.indexOf('@') ?? -1;
  if (t === undefined || at < 1) throw new Refused(`'${t ?? ''}' is not a peer (id@address:port)`);
  const r = { id: id(t.slice(0, at), 'a peer id'), ...endpoint(t.slice(at + 1)) };
  if (knownRefs.size >= MAX_KNOWN_REFS) knownRefs.clear();
  knownRefs.set(t, { ...r });
  return r;
}

function key(t: string | undefined): string {
  if (t === undefined || !KEY.test(t)) throw new Refused('a key is a number or a name of letters, digits, . _ - (at most 64)');
  return t;
}

function value(t: string | undefined): string {
  if (t === undefined || !VALUE.test(t)) throw new Refused(`a value is one word of printable ASCII, at most ${MAX_VALUE} characters`);
  return t;
}

function hops(t: string | undefined): number {
  if (t === undefined || !/^\d{1,3}$/.test(t) || Number(t) > MAX_HOPS) throw new Refused(`a hop count goes from 0 to ${MAX_HOPS}`);
  return Number(t);
}

function token(t: string): string {
  if (!TOKEN.test(t)) throw new Refused('a nonce is 1 to 16 lowercase letters and digits');
  return t;
}

function qid(t: string | undefined): string {
  if (t === undefined || !QID.test(t)) throw new Refused('a query id is 1 to 16 lowercase letters and digits');
  return t;
}

/** the optional trailing route: all three fields or none */
function route(rest: string[]): Route | undefined {
  if (rest.length === 0) return undefined;
  if (rest.length !== 3) throw new Refused('give all of <hops> <origin> <qid>, or none of them');
  return { hops: hops(rest[0]), origin: ref(rest[1]), qid: qid(rest[2]) };
}

function arity(f: string[], min: number, max: number, usage: string): void {
  if (f.length - 1 < min || f.length - 1 > max) throw new Refused(`usage: ${usage}`);
}

function parseFields(f: string[]): DhtMessage {
  const verb = f[0].toUpperCase();
  switch (verb) {
    case 'PING':
      arity(f, 0, 1, 'PING [<nonce>]');
      return { type: 'PING', nonce: f[1] === undefined ? '0' : token(f[1]) };
    case 'PONG':
      arity(f, 2, 3, 'PONG <nonce> <id> [<succ>]');
      return { type: 'PONG', nonce: token(f[1]), id: id(f[2]), ...(f[3] ? { succ: ref(f[3]) } : {}) };
    case 'SUCC?':
      arity(f, 0, 0, 'SUCC?');
      return { type: 'SUCC?' };
    case 'SUCC':
      arity(f, 1, 3, 'SUCC <id> <succ1> [<succ2>]');
      return { type: 'SUCC', id: id(f[1]), succ: f.slice(2).map(ref) };
    case 'LOOKUP':
      arity(f, 1, 4, 'LOOKUP <key> [<hops> <origin> <qid>]');
      return { type: 'LOOKUP', key: key(f[1]), route: route(f.slice(2)) };
    case 'FOUND':
      arity(f, 4, 4, 'FOUND <key> <peer> <hops> <qid>');
      return { type: 'FOUND', key: id(f[1], 'a key'), peer: ref(f[2]), hops: hops(f[3]), qid: qid(f[4]) };
    case 'PUT':
      arity(f, 2, 5, 'PUT <key> <value> [<hops> <origin> <qid>]');
      return { type: 'PUT', key: key(f[1]), value: value(f[2]), route: route(f.slice(3)) };
    case 'STORED':
      arity(f, 4, 4, 'STORED <key> <id> <hops> <qid>');
      return { type: 'STORED', key: id(f[1], 'a key'), id: id(f[2]), hops: hops(f[3]), qid: qid(f[4]) };
    case 'GET':
      arity(f, 1, 4, 'GET <key> [<hops> <origin> <qid>]');
      return { type: 'GET', key: key(f[1]), route: route(f.slice(2)) };
    case 'VALUE':
      arity(f, 5, 5, 'VALUE <key> <id> <hops> <qid> <value>');
      return { type: 'VALUE', key: id(f[1], 'a key'), id: id(f[2]), hops: hops(f[3]), qid: qid(f[4]), value: value(f[5]) };
    case 'NOVALUE':
      arity(f, 4, 4, 'NOVALUE <key> <id> <hops> <qid>');
      return { type: 'NOVALUE', key: id(f[1], 'a key'), id: id(f[2]), hops: hops(f[3]), qid: qid(f[4]) };
    case 'REPLICA':
      arity(f, 2, 2, 'REPLICA <key> <value>');
      return { type: 'REPLICA', key: id(f[1], 'a key'), value: value(f[2]) };
    case 'JOIN':
    case 'NOTIFY':
    case 'ADOPT':
      arity(f, 1, 1, `${verb} <peer>`);
      return { type: verb, peer: ref(f[1]) };
    case 'WELCOME':
      arity(f, 2, 2, 'WELCOME <pred> <succ>');
      return { type: 'WELCOME', pred: ref(f[1]), succ: ref(f[2]) };
    case 'ERR':
      return { type: 'ERR', reason: f.slice(1).join(' ').slice(0, 200) };
    default:
      throw new Refused(`unknown command '${f[0].slice(0, 20)}' (PING, SUCC?, LOOKUP, PUT, GET …)`);
  }
}

/** One datagram → one message. A trailing CR/LF (what nc sends) is allowed. */
export function parseMessage(bytes: Buffer): Parsed {
  if (bytes.length > MAX_DATAGRAM) return { ok: false, reason: `datagram of ${bytes.length} bytes: at most ${MAX_DATAGRAM}` };
  // the trailing LF (and CR) cut off before decoding, not with a regular expression after it
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end -= end > 1 && bytes[end - 2] === 0x0d ? 2 : 1;
  // a query's hop or its answer as a peer writes it: read without making strings of it
  const fast = parsePeerLine(bytes, end);
  if (fast) return { ok: true, msg: fast };
  const text = bytes.toString('latin1', 0, end);
  if (/[^\x20-\x7e]/.test(text)) return { ok: false, reason: 'not one line of printable ASCII' };
  let fields = text.split(' ');
  // one space between fields is what peers send; a person may type more
  if (text === '' || text.includes('  ') || text.startsWith(' ') || text.endsWith(' ')) fields = fields.filter((x) => x !== '');
  if (fields.length === 0) return { ok: false, reason: 'empty message' };
  try {
    return { ok: true, msg: parseFields(fields) };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: err.message };
    throw err;
  }
}

/** names written before, by id: a ring writes the same N names over and over (each query its origin's) */
const refTexts = new Map<number, { address: string; port: number; text: string }>();

export function refText(r: PeerRef): string {
  const known = refTexts.get(r.id);
  if (known !== undefined && known.port === r.port && known.address === r.address) return known.text;
  const text = `${r.id}@${r.address}:${r.port}`;
  if (refTexts.size >= MAX_KNOWN_REFS) refTexts.clear();
  refTexts.set(r.id, { address: r.address, port: r.port, text });
  return text;
}
export const endpointText = (e: Endpoint): string => `${e.address}:${e.port}`;
const routeText = (r?: Route): string => (r ? ` ${r.hops} ${refText(r.origin)} ${r.qid}` : '');

export function encodeMessage(m: DhtMessage): string {
  switch (m.type) {
    case 'PING':
      return `PING ${m.nonce}`;
    case 'PONG':
      return `PONG ${m.nonce} ${m.id}${m.succ ? ' ' + refText(m.succ) : ''}`;
    case 'SUCC?':
      return 'SUCC?';
    case 'SUCC':
      return `SUCC ${m.id} ${m.succ.map(refText).join(' ')}`;
    case 'LOOKUP':
      return `LOOKUP ${m.key}${routeText(m.route)}`;
    case 'FOUND':
      return `FOUND ${m.key} ${refText(m.peer)} ${m.hops} ${m.qid}`;
    case 'PUT':
      return `PUT ${m.key} ${m.value}${routeText(m.route)}`;
    case 'STORED':
      return `STORED ${m.key} ${m.id} ${m.hops} ${m.qid}`;
    case 'GET':
      return `GET ${m.key}${routeText(m.route)}`;
    case 'VALUE':
      return `VALUE ${m.key} ${m.id} ${m.hops} ${m.qid} ${m.value}`;
    case 'NOVALUE':
      return `NOVALUE ${m.key} ${m.id} ${m.hops} ${m.qid}`;
    case 'REPLICA':
      return `REPLICA ${m.key} ${m.value}`;
    case 'JOIN':
    case 'NOTIFY':
    case 'ADOPT':
      return `${m.type} ${refText(m.peer)}`;
    case 'WELCOME':
      return `WELCOME ${refText(m.pred)} ${refText(m.succ)}`;
    case 'ERR':
      return `ERR ${m.reason}`;
  }
}

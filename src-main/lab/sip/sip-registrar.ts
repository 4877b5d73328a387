/**
 * The registrar's location service (RFC 3261 §10): an address of record (alice@crepes.fr)
 * bound to the contacts its user agents registered, each until its Expires runs out. The
 * lab's users are its mail users (resources/mail/users.yaml): a REGISTER or INVITE for
 * anyone else is 404.
 */
import { header, headerValues, param, parseUri, responseTo, uriOf, type SipRequest, type SipResponse } from './sip-message';

export const DEFAULT_EXPIRES = 3600;
export const MAX_EXPIRES = 7200;
const MIN_EXPIRES = 10;

export interface Binding {
  contact: string;
  expiresAt: number;
  callId: string;
  cseq: number;
  /** the transport its REGISTER came over: a contact without `;transport=` is reached over it */
  transport?: 'udp' | 'tcp';
}

export interface BindingView {
  aor: string;
  contact: string;
  expiresIn: number;
}

export class LocationService {
  private bindings = new Map<string, Binding[]>();
  readonly users: Set<string>;
  readonly domains: Set<string>;

  constructor(users: readonly string[], private clock: () => number = Date.now) {
    this.users = new Set(users.map((u) => u.toLowerCase()));
    this.domains = new Set([...this.users].map((u) => u.slice(u.indexOf('@') + 1)));
  }

  /** an address of record from a user and a host: our domains as they are; our own address
   *  (sip:bob@127.0.0.1, as sipp sends) names the one lab user with that name */
  aorOf(user: string | undefined, host: string): string | null {
    if (!user) return null;
    const u = user.toLowerCase();
    if (this.domains.has(host)) return `${u}@${host}`;
    for (const aor of this.users) if (aor.startsWith(u + '@')) return aor;
    return null;
  }

  known(aor: string): boolean {
    return this.users.has(aor);
  }

  /** the live contacts of an address of record */
  lookup(aor: string): Binding[] {
    const now = this.clock();
    const list = (this.bindings.get(aor) ?? []).filter((b) => b.expiresAt > now);
    if (list.length) this.bindings.set(aor, list);
    else this.bindings.delete(aor);
    return list;
  }

  view(): BindingView[] {
    const now = this.clock();
    const out: BindingView[] = [];
    for (const aor of [...this.bindings.keys()].sort()) for (const b of this.lookup(aor)) out.push({ aor, contact: b.contact, expiresIn: Math.round((b.expiresAt - now) / 1000) });
    return out;
  }

  /** REGISTER (§10.3): the response to send, bindings added, refreshed or removed */
  register(req: SipRequest, toTag: string, transport?: 'udp' | 'tcp'): SipResponse {
    const to = parseUri(uriOf(header(req, 'To') ?? ''));
    const aor = to ? this.aorOf(to.user, to.host) : null;
    if (!aor || !this.known(aor)) return responseTo(req, 404, 'Not Found', [], undefined, toTag);
    const callId = header(req, 'Call-ID') ?? '';
    const cseq = Number((header(req, 'CSeq') ?? '0').split(/\s+/)[0]);
    const expiresHeader = header(req, 'Expires');
    const contacts = headerValues(req, 'Contact');
    const now = this.clock();
    let list = this.lookup(aor);
    if (contacts.length === 1 && contacts[0] === '*') {
      if (expiresHeader?.trim() !== '0') return responseTo(req, 400, 'Contact * needs Expires: 0', [], undefined, toTag);
      list = [];
    }
    for (const c of contacts) {
      if (c === '*') continue;
      const uri = uriOf(c);
      if (!parseUri(uri)) return responseTo(req, 400, `Bad Contact: ${c.slice(0, 40)}`, [], undefined, toTag);
      const asked = Number(param(c, 'expires') ?? expiresHeader ?? DEFAULT_EXPIRES);
      if (!Number.isFinite(asked) || asked < 0) return responseTo(req, 400, 'Bad Expires', [], undefined, toTag);
      if (asked > 0 && asked < MIN_EXPIRES) return responseTo(req, 423, 'Interval Too Brief', [['Min-Expires', String(MIN_EXPIRES)]], undefined, toTag);
      const existing = list.find((b) => b.contact === uri);
      if (existing && existing.callId === callId && cseq <= existing.cseq) continue; // out of order (§10.3 step 7)
      list = list.filter((b) => b.contact !== uri);
      if (asked > 0) list.push({ contact: uri, expiresAt: now + Math.min(asked, MAX_EXPIRES) * 1000, callId, cseq, transport });
    }
    if (list.length) this.bindings.set(aor, list);
    else this.bindings.delete(aor);
    const extra: [string, string][] = list.map((b) => ['Contact', `<${b.contact}>;expires=${Math.round((b.expiresAt - now) / 1000)}`]);
    return responseTo(req, 200, 'OK', extra, undefined, toTag);
  }
}

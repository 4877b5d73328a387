/**
 * A lab domain's SIP registrar and stateful proxy (RFC 3261 §16): one per lab mail domain
 * (crepes.fr's, hamburger.edu's …, see sip-domain-proxy.ts). No sockets here:
 * the service hands in each message with a way to answer it, and sends what this decides.
 *
 * A request is checked (§16.3: headers, Max-Forwards → 483, a loop → 482), then either
 * answered here (REGISTER, OPTIONS to the proxy, CANCEL) or forwarded (§16.6): the target
 * from the location service for our domain (404 for a user the lab does not have, 480 for
 * one not registered), another domain's proxy found in lab DNS (RFC 3263), from a Route (after removing ours, loose routing) or the Request-URI
 * itself; Max-Forwards decremented, a Via with a fresh z9hG4bK branch on top, and a
 * Record-Route on INVITE so the ACK and BYE of the dialog pass here too (P&D ch. 9's
 * proxy in the signalling path). Responses lose the proxy's Via and follow the next one.
 * UDP or TCP for each hop: see sip-transport.ts.
 */
import { encodeSip, header, headerValues, param, parseCSeq, parseUri, parseVia, responseTo, uriOf, missingHeaders, type SipRequest, type SipResponse } from './sip-message';
import { LocationService } from './sip-registrar';
import { LAB_TIMERS, Transactions, type ClientTxn, type ServerTxn } from './sip-transactions';
import { recordRoutes, transportParam, UDP_MAX_BYTES, type Transport } from './sip-transport';

export interface SipSource {
  transport: Transport;
  address: string;
  port: number;
  /** answer back the way the message came */
  reply: (bytes: Buffer) => void;
  /** a note in the capture beside this message's flow */
  note: (text: string) => void;
}

export interface ProxyIo {
  /** the proxy's own address and port, for its Via and Record-Route */
  self: () => { address: string; port: number };
  /** send a request downstream; `failed` when it cannot leave (no TCP connection to the hop) */
  send: (hop: Hop, bytes: Buffer, failed?: (reason: string) => void) => void;
  /** where a host name leads in the lab (lab DNS: SRV when no port is given, RFC 3263, the
   *  transport `prefer` asked first; `transport` the one whose SRV record was found), or why it does not */
  resolve: (host: string, port: number | undefined, prefer: Transport) => Promise<{ address: string; port: number; transport?: Transport; note?: string } | { error: string }>;
  /** is this host (and port) the proxy itself: its address, a domain it serves, a name routed to it */
  isSelf: (host: string, port: number | undefined) => boolean;
  /** the lab domain this proxy serves (its registrar and location service answer for it) */
  domain: string;
}

export interface Hop {
  address: string;
  port: number;
  transport: Transport;
}

/** the next hop of a request: `transport` when the route says which (see sip-transport.ts), `pinned` when its URI named it */
type Target = { address: string; port: number; uri: string; transport?: Transport; pinned?: boolean; note?: string };

const ALLOW = 'INVITE, ACK, CANCEL, BYE, REGISTER, OPTIONS';
const SERVER = 'NetLab SIP proxy';
const DEFAULT_MAX_FORWARDS = 70;

/** a short stable hash (FNV-1a) of the fields that identify a request for loop detection (§16.3 item 4) */
function loopHash(req: SipRequest): string {
  const s = `${req.uri}|${param(header(req, 'From') ?? '', 'tag') ?? ''}|${param(header(req, 'To') ?? '', 'tag') ?? ''}|${header(req, 'Call-ID')}|${parseCSeq(header(req, 'CSeq'))?.seq}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}

export class SipProxy {
  readonly txns: Transactions;
  private counter = 0;
  /** this proxy's own part of its branches */
  private readonly unique = Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0');
  private tags = 0;

  constructor(
    readonly location: LocationService,
    private io: ProxyIo,
  ) {
    this.txns = new Transactions(LAB_TIMERS, (txn) => this.timedOut(txn));
  }

  start(): void {
    this.txns.start();
  }

  stop(): void {
    this.txns.stop();
  }

  /** the proxy's sent-by (host:port), made again only when its address or port changes */
  private via = { address: '', port: -1, text: '' };

  private viaOf(): string {
    const s = this.io.self();
    const v = this.via;
    if (s.port !== v.port || s.address !== v.address) this.via = { address: s.address, port: s.port, text: `${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}` };
    return this.via.text;
  }

  // ---------- requests ----------

  request(req: SipRequest, src: SipSource): void {
    const missing = missingHeaders(req);
    if (missing) {
      src.note(`400: ${missing}`);
      // without a Via the answer has no route of its own (§18.2.2): it goes back to the sender, for the person who typed it
      if (req.method !== 'ACK') src.reply(encodeSip(responseTo(req, 400, missing)));
      return;
    }
    this.stampVia(req, src);
    const branch = parseVia(headerValues(req, 'Via')[0])!.branch ?? '';
    const method = req.method === 'ACK' ? 'INVITE' : req.method;
    const key = `${branch}|${method}`;
    const known = branch.startsWith('z9hG4bK') ? this.txns.servers.get(key) : undefined;
    if (known) {
      if (req.method === 'ACK') return known.lastStatus !== undefined && known.lastStatus >= 300 ? this.txns.acked(known) : this.forward(req, src, null);
      if (known.last) src.reply(known.last);
      return; // a retransmission: the transaction answers it
    }
    if (req.method === 'CANCEL') return this.cancel(req, src, branch);
    const mf = Number(header(req, 'Max-Forwards') ?? DEFAULT_MAX_FORWARDS);
    if (mf <= 0 && req.method !== 'ACK') return this.answerAlone(req, src, 483, 'Too Many Hops');
    const hash = loopHash(req);
    const self = this.viaOf();
    for (const v of headerValues(req, 'Via')) {
      const via = parseVia(v);
      if (via && `${via.host.includes(':') ? `[${via.host}]` : via.host}:${via.port ?? 5060}` === self && via.branch?.startsWith(`z9hG4bK${hash}.`)) {
        if (req.method === 'ACK') return src.note('ACK dropped: it looped back to the proxy');
        return this.answerAlone(req, src, 482, 'Loop Detected');
      }
    }
    if (req.method === 'ACK') return this.forward(req, src, null, hash);
    const txn: ServerTxn = { key, method: req.method, born: Date.now(), reply: src.reply, udp: src.transport === 'udp' };
    if (branch.startsWith('z9hG4bK')) this.txns.addServer(txn);
    this.forward(req, src, txn, hash);
  }

  /** §18.2.1: the top Via says where the request came from as seen here (received, rport) */
  private stampVia(req: SipRequest, src: SipSource): void {
    const at = req.headers.findIndex((h) => h[0] === 'Via');
    const values = headerValues({ headers: [req.headers[at]], body: req.body }, 'Via');
    let top = values[0];
    const via = parseVia(top)!;
    if (via.host !== src.address) top += `;received=${src.address}`;
    if (/;\s*rport(?=;|$)/i.test(top)) top = top.replace(/;\s*rport(?=;|$)/i, `;rport=${src.port}`);
    if (top !== values[0]) req.headers[at] = ['Via', [top, ...values.slice(1)].join(', ')];
  }

  private answer(req: SipRequest, src: SipSource, txn: ServerTxn | null, status: number, reason: string, extra: [string, string][] = [], res?: SipResponse): void {
    const r = res ?? responseTo(req, status, reason, [['Server', SERVER], ...extra], undefined, status > 100 ? this.tag() : undefined);
    const bytes = encodeSip(r);
    src.reply(bytes);
    if (txn) this.txns.answered(txn, r.status, bytes, src.transport === 'udp');
  }

  private answerAlone(req: SipRequest, src: SipSource, status: number, reason: string): void {
    const txn = this.txns.servers.get(`${parseVia(headerValues(req, 'Via')[0])!.branch}|${req.method}`) ?? null;
    src.note(`${status} ${reason}`);
    this.answer(req, src, txn, status, reason);
  }

  private tag(): string {
    return `nl${(++this.tags).toString(36)}`;
  }

  private cancel(req: SipRequest, src: SipSource, branch: string): void {
    const invite = this.txns.servers.get(`${branch}|INVITE`);
    if (!invite) return this.answer(req, src, null, 481, 'Call/Transaction Does Not Exist');
    this.answer(req, src, null, 200, 'OK');
    if (invite.lastStatus !== undefined && invite.lastStatus >= 200) return; // too late: the call was answered
    const client = invite.client;
    if (!client || !client.responded) {
      // nothing downstream to cancel (not sent yet, or no provisional answer: §9.1 waits, the lab answers at once)
      invite.cancelled = true;
      if (client) this.txns.finish(client);
      return this.answerInvite(invite, client?.request ?? req, 487, 'Request Terminated');
    }
    const c = client.request;
    // one Via, the top one of the INVITE it cancels (§9.1): its answer stops here
    const cancel: SipRequest = { kind: 'request', method: 'CANCEL', uri: c.uri, headers: [['Via', headerValues(c, 'Via')[0]], ...c.headers.filter((h) => ['From', 'To', 'Call-ID', 'Route', 'Max-Forwards'].includes(h[0])).map((h) => [h[0], h[1]] as [string, string])], body: Buffer.alloc(0) };
    cancel.headers.push(['CSeq', `${parseCSeq(header(c, 'CSeq'))!.seq} CANCEL`]);
    const bytes = encodeSip(cancel);
    const to = this.targets.get(client.branch);
    if (to) this.io.send(to, bytes);
  }

  /** a final answer on a server transaction that the proxy makes itself (487, 408, 503) */
  private answerInvite(s: ServerTxn, req: SipRequest, status: number, reason: string): void {
    const r = responseTo(req, status, reason, [['Server', SERVER]], undefined, this.tag());
    // the upstream's Via only: drop the one the proxy added when it forwarded
    if (s.client) r.headers = r.headers.filter((h, i) => !(h[0] === 'Via' && i === r.headers.findIndex((x) => x[0] === 'Via')));
    const bytes = encodeSip(r);
    s.reply(bytes);
    this.txns.answered(s, status, bytes, s.udp);
  }

  /** where each client transaction's request went (for its CANCEL and ACK) */
  private targets = new Map<string, Hop>();

  private forward(req: SipRequest, src: SipSource, txn: ServerTxn | null, hash = loopHash(req)): void {
    void this.route(req, src.transport).then(
      (target) => {
        if ('status' in target) {
          if (target.status === -1) return txn ? this.register(req, src, txn) : undefined;
          if (target.status >= 300) src.note(`${target.status} ${target.reason}`);
          if (txn) this.answer(req, src, txn, target.status, target.reason, target.status === 200 ? this.optionsReply() : []);
          else src.note(`ACK not forwarded: ${target.reason}`);
          return;
        }
        if (target.note) src.note(target.note);
        if (txn && req.method === 'INVITE') this.answer(req, src, txn, 100, 'Trying');
        if (txn?.cancelled) return;
        this.send(req, target, src.transport, txn, hash);
      },
      (err: unknown) => src.note(`not forwarded: ${(err as Error).message}`),
    );
  }

  /** the next hop of a request: a route, a registered contact or the Request-URI (§16.5) */
  private async route(req: SipRequest, inbound: Transport): Promise<Target | { status: number; reason: string }> {
    const routes = headerValues(req, 'Route');
    if (routes.length) {
      const first = parseUri(uriOf(routes[0]));
      if (first && this.io.isSelf(first.host, first.port)) {
        this.removeFirstRoute(req);
        return this.route(req, inbound);
      }
      if (first) return this.resolveHop(first.host, first.port, req.uri, inbound, transportParam(first.params));
    }
    const uri = parseUri(req.uri);
    if (!uri) return { status: 416, reason: 'Unsupported URI Scheme' };
    if (this.io.isSelf(uri.host, uri.port)) {
      if (req.method === 'REGISTER') return { status: -1, reason: 'register' };
      if (!uri.user) return { status: req.method === 'OPTIONS' ? 200 : 404, reason: req.method === 'OPTIONS' ? 'OK' : 'Not Found' };
      const aor = this.location.aorOf(uri.user, uri.host);
      if (!aor || !this.location.known(aor)) return { status: 404, reason: 'Not Found' };
      const domain = aor.slice(aor.indexOf('@') + 1);
      if (domain !== this.io.domain) {
        // a user of another lab domain (sip:bob@127.0.0.1 from a crepes.fr phone): that domain's proxy, found in lab DNS
        const hop = await this.resolveHop(domain, undefined, `sip:${aor}`, inbound);
        return 'status' in hop ? hop : { ...hop, note: `${aor} is served by ${domain}'s proxy: ${hop.note ?? ''}` };
      }
      const bindings = this.location.lookup(aor);
      if (!bindings.length) return { status: 480, reason: 'Temporarily Unavailable' };
      const binding = bindings[bindings.length - 1];
      const contact = binding.contact;
      const c = parseUri(contact)!;
      const hop = await this.resolveHop(c.host, c.port, contact, inbound, transportParam(c.params), binding.transport);
      return 'status' in hop ? hop : { ...hop, note: `${aor} is registered at ${contact}: forwarded there` };
    }
    return this.resolveHop(uri.host, uri.port, req.uri, inbound, transportParam(uri.params));
  }

  /** `named`: the transport the URI asks for, if any; else `known` (a binding's), else SRV's, asked first for `inbound` */
  private async resolveHop(host: string, port: number | undefined, uri: string, inbound: Transport, named?: Transport, known?: Transport): Promise<Target | { status: number; reason: string }> {
    const transport = named ?? known;
    if (/^[\d.]+$/.test(host) || host.includes(':')) {
      if (!isLoopback(host)) return { status: 403, reason: 'Forbidden: the lab proxy forwards only to loopback and lab hosts' };
      return { address: host, port: port ?? 5060, uri, transport, pinned: named !== undefined };
    }
    const r = await this.io.resolve(host, port, transport ?? inbound);
    if ('error' in r) return { status: 404, reason: `Not Found: ${r.error}`.slice(0, 100) };
    return { ...r, uri, transport: transport ?? r.transport, pinned: named !== undefined };
  }

  private removeFirstRoute(req: SipRequest): void {
    const at = req.headers.findIndex((h) => h[0] === 'Route');
    const rest = headerValues({ headers: [req.headers[at]], body: req.body }, 'Route').slice(1);
    if (rest.length) req.headers[at] = ['Route', rest.join(', ')];
    else req.headers.splice(at, 1);
  }

  /** the request as forwarded over `transport`: the proxy's Via and Record-Route(s) name it */
  private build(req: SipRequest, uri: string, branch: string, inbound: Transport, transport: Transport): SipRequest {
    const out: SipRequest = { kind: 'request', method: req.method, uri, headers: [], body: req.body };
    out.headers.push(['Via', `SIP/2.0/${transport.toUpperCase()} ${this.viaOf()};branch=${branch};rport`]);
    let mf = false;
    for (const h of req.headers) {
      if (h[0] === 'Max-Forwards') {
        out.headers.push(['Max-Forwards', String(Math.max(0, Number(h[1]) - 1))]);
        mf = true;
      } else out.headers.push([h[0], h[1]]);
    }
    if (!mf) out.headers.push(['Max-Forwards', String(DEFAULT_MAX_FORWARDS - 1)]);
    if (req.method === 'INVITE') out.headers.splice(1, 0, ...recordRoutes(this.viaOf(), inbound, transport).map((v): [string, string] => ['Record-Route', v]));
    return out;
  }

  private send(req: SipRequest, target: Target, inbound: Transport, txn: ServerTxn | null, hash: string): void {
    // unique in space and time (§8.1.1.7): two lab proxies forwarding the same request must not share one
    const branch = req.method === 'ACK' ? `z9hG4bK${hash}.a${hash}${this.unique}` : `z9hG4bK${hash}.${this.unique}${(++this.counter).toString(36)}`;
    let hop: Hop = { address: target.address, port: target.port, transport: target.transport ?? 'udp' };
    let out = this.build(req, target.uri, branch, inbound, hop.transport);
    let bytes = encodeSip(out);
    // §18.1.1: a request over 1300 bytes that would go over UDP goes over TCP, and over UDP after all if TCP cannot connect
    const bySize = !target.pinned && hop.transport === 'udp' && bytes.length > UDP_MAX_BYTES;
    if (bySize) {
      hop = { ...hop, transport: 'tcp' };
      out = this.build(req, target.uri, branch, inbound, 'tcp');
      bytes = encodeSip(out);
    }
    if (!txn) return this.io.send(hop, bytes);
    const client: ClientTxn = { branch, method: req.method, bytes, request: out, server: txn, responded: false, final: false, send: () => this.io.send(hop, client.bytes, failed) };
    const failed = (reason: string): void => {
      if (client.final || client.responded) return;
      if (bySize && hop.transport === 'tcp') {
        // back to UDP, its Via and Record-Route saying so (§18.1.1)
        hop = { ...hop, transport: 'udp' };
        client.request = this.build(req, target.uri, branch, inbound, 'udp');
        client.bytes = encodeSip(client.request);
        this.targets.set(branch, hop);
        return this.txns.restart(client, true);
      }
      // a transport error is a 503 from the hop (§8.1.3.1, §16.7)
      this.txns.finish(client);
      this.targets.delete(branch);
      if ((txn.lastStatus ?? 0) < 200) this.answerInvite(txn, client.request, 503, `Service Unavailable: ${hop.transport.toUpperCase()} to ${hop.address}:${hop.port}: ${reason}`.slice(0, 120));
    };
    txn.client = client;
    this.targets.set(branch, hop);
    this.txns.send(client, hop.transport === 'udp');
  }

  /** Timer B or F fired: no final answer downstream, the proxy answers 408 (§16.8) */
  private timedOut(txn: ClientTxn): void {
    this.targets.delete(txn.branch);
    const s = txn.server;
    if (!s || (s.lastStatus ?? 0) >= 200) return;
    this.answerInvite(s, txn.request, 408, 'Request Timeout');
  }

  // ---------- responses ----------

  response(res: SipResponse, src: SipSource): void {
    const vias = headerValues(res, 'Via');
    const top = parseVia(vias[0] ?? '');
    const client = top?.branch ? this.txns.clients.get(top.branch) : undefined;
    if (!client) return src.note(`response dropped: its top Via is not a request this proxy forwarded (${(vias[0] ?? 'no Via').slice(0, 80)})`);
    // the CANCEL the proxy sent shares the INVITE's branch (§9.1): its answer ends here
    if (parseCSeq(header(res, 'CSeq'))?.method === 'CANCEL') return;
    const first = this.txns.responded(client, res.status);
    if (res.status >= 200) this.targets.delete(client.branch);
    // the ACK of a non-2xx final answer is the proxy's own, hop by hop (§17.1.1.3)
    if (res.status >= 300 && client.method === 'INVITE') this.ackDownstream(client, res, src);
    const s = client.server;
    if (!s || res.status === 100) return;
    if (res.status >= 200 && !first && !(res.status < 300 && client.method === 'INVITE')) return; // a retransmitted final answer
    const at = res.headers.findIndex((h) => h[0] === 'Via');
    const rest = headerValues({ headers: [res.headers[at]], body: res.body }, 'Via').slice(1);
    if (rest.length) res.headers[at] = ['Via', rest.join(', ')];
    else res.headers.splice(at, 1);
    const bytes = encodeSip(res);
    s.reply(bytes);
    if (!s.doneAt) this.txns.answered(s, res.status, bytes, s.udp);
  }

  private ackDownstream(client: ClientTxn, res: SipResponse, src: SipSource): void {
    const c = client.request;
    const ack: SipRequest = {
      kind: 'request',
      method: 'ACK',
      uri: c.uri,
      headers: [['Via', headerValues(c, 'Via')[0]], ...c.headers.filter((h) => h[0] === 'From' || h[0] === 'Call-ID' || h[0] === 'Route' || h[0] === 'Max-Forwards'), ['To', header(res, 'To') ?? ''], ['CSeq', `${parseCSeq(header(c, 'CSeq'))!.seq} ACK`]],
      body: Buffer.alloc(0),
    };
    src.reply(encodeSip(ack));
  }

  /** REGISTER is answered by the registrar when the request is for us */
  register(req: SipRequest, src: SipSource, txn: ServerTxn | null): void {
    const res = this.location.register(req, this.tag(), src.transport);
    res.headers.push(['Server', SERVER]);
    this.answer(req, src, txn, res.status, res.reason, [], res);
  }

  optionsReply(): [string, string][] {
    return [['Allow', ALLOW], ['Accept', 'application/sdp']];
  }
}

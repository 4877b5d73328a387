/**
 * A softphone of the VoIP tab (alice@crepes.fr, bob@hamburger.edu): a SIP user agent
 * (RFC 3261 §8, §12-15) on its own UDP socket, with the lab's proxy as outbound proxy. It
 * registers, calls (INVITE with an SDP offer, ACK after 200 along the Record-Route),
 * rings and answers (180, then 200 with the SDP answer, repeated until the ACK), hangs up
 * (BYE; CANCEL while ringing; 486 to decline) and streams RTP to the other side's media
 * address from the SDP (rtp-stream.ts).
 */
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { encodeSip, header, headerValues, param, parseCSeq, parseSip, responseTo, uriOf, type SipMessage, type SipRequest, type SipResponse } from './sip-message';
import { audioSdp, parseSdp } from './sdp';
import { RtpStream, type StreamContext } from './rtp-stream';
import type { PlayoutSettings } from './playout';
import type { PhoneState, PhoneView } from './voip-types';
import { english, msg, type LabText } from '../lab-text';

const T1 = 200;

/** what the inspector calls a softphone: "alice's phone" (the flow graph draws it as a host) */
export function phoneName(aor: string): string {
  return `${aor.split('@')[0]}'s phone`;
}

interface Dialog {
  callId: string;
  localTag: string;
  remoteTag?: string;
  /** the other party's URI (To of our INVITE, From of theirs) */
  remoteUri: string;
  remoteTarget?: string;
  routes: string[];
  cseq: number;
  /** the INVITE we sent (for CANCEL and the ACK of a non-2xx answer) or received */
  invite: SipRequest;
  outgoing: boolean;
}

export class Softphone {
  readonly socket = dgram.createSocket('udp4');
  port = 0;
  state: PhoneState = 'unregistered';
  log: string[] = [];
  /** each log line's catalogue key and parameters (voipLab.log.*) */
  logText: LabText[] = [];
  readonly media: RtpStream;
  private dialog: Dialog | null = null;
  private retransmit: NodeJS.Timeout | null = null;
  private n = 0;
  private closed = false;

  constructor(
    readonly aor: string,
    readonly name: string,
    private proxy: () => { address: string; port: number } | null,
    ctx: StreamContext,
    playout: PlayoutSettings,
    freq: number,
    private changed: () => void,
  ) {
    this.media = new RtpStream(ctx, phoneName(aor), playout, freq);
    this.socket.on('message', (m, rinfo) => this.received(m, rinfo));
    this.socket.on('error', () => undefined);
  }

  async open(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve()));
    this.port = this.socket.address().port;
    await this.media.open();
  }

  private get user(): string {
    return this.aor.split('@')[0];
  }

  private contact(): string {
    return `<sip:${this.user}@127.0.0.1:${this.port}>`;
  }

  private id(prefix: string): string {
    // unique across phones and runs: a branch two phones shared would be one transaction to the proxy
    return `${prefix}${randomBytes(5).toString('hex')}${(++this.n).toString(36)}`;
  }

  private note(m: LabText): void {
    this.log.push(english(m));
    this.logText.push(m);
    if (this.log.length > 12) {
      this.log.shift();
      this.logText.shift();
    }
    this.changed();
  }

  private set(state: PhoneState, m: LabText): void {
    this.state = state;
    this.note(m);
  }

  view(): PhoneView {
    const r = this.media.receiver;
    return { aor: this.aor, name: this.name, port: this.port, rtpPort: this.media.port, state: this.state, log: [...this.log], logText: [...this.logText], peer: this.dialog?.remoteUri ?? null, sent: this.media.sentPackets, received: r?.totals() ?? null, points: r ? [...r.points] : [], playout: { ...this.media.playout }, lastReport: this.media.lastReport };
  }

  private send(message: SipMessage, repeat = false): void {
    const to = this.proxy();
    if (!to) return this.note(msg('voipLab.log.proxyDown'));
    if (this.closed) return;
    const bytes = encodeSip(message);
    this.socket.send(bytes, to.port, to.address);
    if (!repeat) return;
    this.stopRetransmit();
    let interval = T1;
    const again = (): void => {
      if (interval > 32 * T1 || this.closed) return;
      this.socket.send(bytes, to.port, to.address);
      interval *= 2;
      this.retransmit = setTimeout(again, interval);
    };
    this.retransmit = setTimeout(again, interval);
  }

  private stopRetransmit(): void {
    if (this.retransmit) clearTimeout(this.retransmit);
    this.retransmit = null;
  }

  private request(method: string, uri: string, to: string, d: { callId: string; cseq: number; fromTag: string; routes?: string[] }, extra: [string, string][] = [], body?: string): SipRequest {
    const headers: [string, string][] = [
      ['Via', `SIP/2.0/UDP 127.0.0.1:${this.port};branch=${this.id('z9hG4bK')};rport`],
      ['Max-Forwards', '70'],
      ...(d.routes ?? []).map((r): [string, string] => ['Route', r]),
      ['From', `"${this.name}" <sip:${this.aor}>;tag=${d.fromTag}`],
      ['To', to],
      ['Call-ID', d.callId],
      ['CSeq', `${d.cseq} ${method}`],
      ['Contact', this.contact()],
      ['User-Agent', 'NetLab softphone'],
      ...extra,
    ];
    if (body) headers.push(['Content-Type', 'application/sdp']);
    return { kind: 'request', method, uri, headers, body: Buffer.from(body ?? '', 'latin1') };
  }

  register(expires = 3600): void {
    const domain = this.aor.split('@')[1];
    this.send(this.request('REGISTER', `sip:${domain}`, `<sip:${this.aor}>`, { callId: `reg-${this.aor}`, cseq: ++this.n, fromTag: this.id('r') }, [['Expires', String(expires)]]), true);
    this.note(expires ? msg('voipLab.log.registerSent', { expires }) : msg('voipLab.log.unregisterSent'));
  }

  call(target: string): void {
    if (this.state !== 'registered') throw new Error(`${this.name}'s phone is ${this.state}: it calls once registered and idle`);
    const sdp = audioSdp(this.user, Date.now() % 1e9, '127.0.0.1', this.media.port);
    const d = { callId: this.id('call-') + '@netlab', cseq: 1, fromTag: this.id('t') };
    const invite = this.request('INVITE', `sip:${target}`, `<sip:${target}>`, d, [], sdp);
    this.dialog = { callId: d.callId, localTag: d.fromTag, remoteUri: target, routes: [], cseq: 1, invite, outgoing: true };
    this.send(invite, true);
    this.set('calling', msg('voipLab.log.inviteSent', { target, port: this.media.port }));
  }

  answer(): void {
    const d = this.dialog;
    if (this.state !== 'incoming' || !d) throw new Error(`${this.name}'s phone is not ringing`);
    const sdp = audioSdp(this.user, Date.now() % 1e9, '127.0.0.1', this.media.port);
    const ok = responseTo(d.invite, 200, 'OK', [['Contact', this.contact()]], { type: 'application/sdp', bytes: Buffer.from(sdp) }, d.localTag);
    this.send(ok, true); // repeated until the ACK (§13.3.1.4)
    this.startMedia(d.invite);
    this.set('in-call', msg('voipLab.log.answered'));
  }

  hangup(): void {
    const d = this.dialog;
    if (!d) return;
    if (this.state === 'incoming') {
      this.send(responseTo(d.invite, 486, 'Busy Here', [], undefined, d.localTag));
      return this.end(msg('voipLab.log.declined'));
    }
    if (this.state === 'calling' || this.state === 'ringing') {
      const inv = d.invite;
      const cancel: SipRequest = { kind: 'request', method: 'CANCEL', uri: inv.uri, headers: inv.headers.filter((h) => ['Via', 'Max-Forwards', 'From', 'To', 'Call-ID'].includes(h[0])), body: Buffer.alloc(0) };
      cancel.headers.push(['CSeq', `${d.cseq} CANCEL`]);
      this.send(cancel);
      return this.note(msg('voipLab.log.cancelSent'));
    }
    if (this.state === 'in-call') {
      const bye = this.request('BYE', d.remoteTarget ?? `sip:${d.remoteUri}`, this.toOf(d), { callId: d.callId, cseq: ++d.cseq, fromTag: d.localTag, routes: d.routes });
      this.send(bye, true);
      this.end(msg('voipLab.log.byeSent'));
    }
  }

  private toOf(d: Dialog): string {
    return `<sip:${d.remoteUri}>${d.remoteTag ? `;tag=${d.remoteTag}` : ''}`;
  }

  private startMedia(message: SipMessage): void {
    const media = parseSdp(message.body.toString('latin1')).media;
    if (!media) return this.note(msg('voipLab.log.noAudio'));
    this.media.start({ address: media.address || '127.0.0.1', port: media.port }, phoneName(this.dialog?.remoteUri ?? 'peer'));
  }

  private end(m: LabText): void {
    this.media.stop();
    this.dialog = null;
    this.set('registered', m);
  }

  private received(bytes: Buffer, rinfo: dgram.RemoteInfo): void {
    const p = parseSip(bytes);
    if (!p.ok) return;
    if (p.msg.kind === 'response') this.onResponse(p.msg);
    else this.onRequest(p.msg, rinfo);
  }

  private onResponse(res: SipResponse): void {
    const cseq = parseCSeq(header(res, 'CSeq'));
    if (!cseq) return;
    if (cseq.method === 'REGISTER') {
      this.stopRetransmit();
      if (res.status === 200) {
        const bound = headerValues(res, 'Contact').some((c) => c.includes(`:${this.port}`));
        if (bound && this.state === 'unregistered') this.set('registered', msg('voipLab.log.registered', { aor: this.aor, port: this.port }));
        else if (!bound) this.set('unregistered', msg('voipLab.log.unregistered'));
      } else this.note(msg('voipLab.log.registerRefused', { status: res.status, reason: res.reason }));
      return;
    }
    const d = this.dialog;
    if (!d || header(res, 'Call-ID') !== d.callId) return;
    if (cseq.method === 'INVITE') {
      this.stopRetransmit();
      if (res.status === 180 || res.status === 183) {
        if (this.state === 'calling') this.set('ringing', msg('voipLab.log.ringing', { status: res.status, reason: res.reason, peer: d.remoteUri }));
      } else if (res.status >= 200 && res.status < 300) {
        d.remoteTag = param(header(res, 'To') ?? '', 'tag');
        d.remoteTarget = uriOf(header(res, 'Contact') ?? `<sip:${d.remoteUri}>`);
        d.routes = headerValues(res, 'Record-Route').reverse();
        const ack = this.request('ACK', d.remoteTarget, this.toOf(d), { callId: d.callId, cseq: cseq.seq, fromTag: d.localTag, routes: d.routes });
        this.send(ack);
        if (this.state !== 'in-call') {
          this.startMedia(res);
          this.set('in-call', msg('voipLab.log.established'));
        }
      } else if (res.status >= 300) {
        // the ACK of a non-2xx answer goes hop by hop, on the INVITE's branch (§17.1.1.3)
        const inv = d.invite;
        const ack: SipRequest = { kind: 'request', method: 'ACK', uri: inv.uri, headers: [...inv.headers.filter((h) => ['Via', 'Max-Forwards', 'From', 'Call-ID'].includes(h[0])), ['To', header(res, 'To') ?? ''], ['CSeq', `${cseq.seq} ACK`]], body: Buffer.alloc(0) };
        this.send(ack);
        this.end(msg('voipLab.log.callFailed', { status: res.status, reason: res.reason }));
      }
    } else if (cseq.method === 'BYE') this.stopRetransmit();
  }

  private onRequest(req: SipRequest, _rinfo: dgram.RemoteInfo): void {
    const d = this.dialog;
    const sameCall = d && header(req, 'Call-ID') === d.callId;
    switch (req.method) {
      case 'INVITE': {
        if (sameCall) return; // a retransmission: 180 went already
        if (this.state !== 'registered') return this.send(responseTo(req, 486, 'Busy Here', [], undefined, this.id('b')));
        const localTag = this.id('t');
        const from = uriOf(header(req, 'From') ?? '').replace(/^sips?:/, '');
        this.dialog = { callId: header(req, 'Call-ID') ?? '', localTag, remoteTag: param(header(req, 'From') ?? '', 'tag'), remoteUri: from, remoteTarget: uriOf(header(req, 'Contact') ?? ''), routes: headerValues(req, 'Record-Route'), cseq: 0, invite: req, outgoing: false };
        this.send(responseTo(req, 180, 'Ringing', [['Contact', this.contact()]], undefined, localTag));
        return this.set('incoming', msg('voipLab.log.incoming', { from }));
      }
      case 'ACK':
        if (sameCall) this.stopRetransmit();
        return;
      case 'CANCEL':
        this.send(responseTo(req, 200, 'OK', [], undefined, d?.localTag));
        if (sameCall && this.state === 'incoming') {
          this.send(responseTo(d.invite, 487, 'Request Terminated', [], undefined, d.localTag));
          this.end(msg('voipLab.log.callerCancelled'));
        }
        return;
      case 'BYE':
        this.send(responseTo(req, sameCall ? 200 : 481, sameCall ? 'OK' : 'Call/Transaction Does Not Exist'));
        if (sameCall) this.end(msg('voipLab.log.byeReceived'));
        return;
      case 'OPTIONS':
        return this.send(responseTo(req, 200, 'OK', [['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS']], undefined, this.id('o')));
      default:
        this.send(responseTo(req, 405, 'Method Not Allowed', [['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS']]));
    }
  }

  close(): void {
    this.closed = true;
    this.stopRetransmit();
    this.media.close();
    try {
      this.socket.close();
    } catch {
      /* closed */
    }
  }
}

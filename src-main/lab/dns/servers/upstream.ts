/**
 * The lab's DNS client sockets: how the local DNS server (and a hierarchy server forwarding
 * a recursive query) asks another lab DNS server. The server is named by its virtual
 * address; the lab internet routes (address, 53) to its loopback port. Each query gets a
 * fresh socket and a random id, and only a reply from that server with that id and
 * question is taken (RFC 5452). A truncated UDP reply is asked again over TCP.
 */
import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import * as packet from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';
import { encodeQuery, fromAnswers, rcodeName, TC, type QType } from '../codec';
import { canonical } from '../records';
import type { NameServer, Upstream, UpstreamReply } from '../resolver';
import { tcpFrame } from '../tcp-framer';
import { LOOPBACK } from '../../internet/hosts';
import type { ServiceContext } from '../../services/service';
import type { DnsShared } from './shared';
import { failure, msg as labMsg, type LabText } from '../../lab-text';

// a loopback reply held past 1.5 s happens on a busy 2-core machine (a browser and tests beside the lab)
const TIMEOUT_MS = 3000;
const TRIES = 2;
const MAX_TCP_REPLY = 65_535;

/** why an exchange failed: the English, and its message when the lab wrote it (a socket's own error has none) */
type Failed = { error: string; errorText?: LabText };

export interface UpstreamOptions {
  /** how the client end is labelled in the inspector */
  clientName: string;
  /** called with each socket's local port before it sends (recursion grants, tracing) */
  onPort?: (port: number) => void;
}

export class LabUpstream implements Upstream {
  constructor(
    private ctx: ServiceContext,
    private shared: DnsShared,
    private opts: UpstreamOptions,
  ) {}

  /** The loopback port of the lab server at a virtual address, if one answers there. */
  private portOf(address: string): number | null {
    if (address.startsWith('127.')) return null;
    const routed = this.ctx.internet.route(address, 53);
    return routed.port === 53 && !routed.service ? null : routed.port;
  }

  async query(server: NameServer, name: string, type: QType, rd: boolean): Promise<UpstreamReply> {
    const port = this.portOf(server.address);
    if (port === null) return { ok: false, ...failure(labMsg('dnsLab.error.noServerAt', { address: server.address })) };
    const id = randomInt(0, 65536);
    const query = encodeQuery(id, name, type, rd);
    const note = { client: { name: this.opts.clientName }, server: { name: server.host, virtualAddress: server.address, virtualPort: 53 } };
    let udp: { reply: DecodedPacket; port: number } | Failed = failure(labMsg('dnsLab.error.timedOut'));
    for (let i = 0; i < TRIES; i++) {
      udp = await this.udp(port, query, id, name, note);
      if (!('error' in udp) || udp.errorText?.key !== 'dnsLab.error.timedOut') break;
    }
    if ('error' in udp) return { ok: false, ...udp };
    let reply = udp.reply;
    let pair = this.shared.take(udp.port, id);
    let transport: 'udp' | 'tcp' = 'udp';
    const truncated = !!((reply.flags ?? 0) & TC);
    if (truncated) {
      const tcp = await this.tcp(port, query, id, note);
      if ('error' in tcp) return { ok: false, ...failure(labMsg('dnsLab.error.truncatedTcp', { error: tcp.errorText ?? tcp.error })) };
      reply = tcp.reply;
      pair = {};
      transport = 'tcp';
    }
    const flags = reply.flags ?? 0;
    return {
      ok: true,
      rcode: rcodeName(flags),
      aa: !!reply.flag_aa,
      answers: fromAnswers(reply.answers),
      authorities: fromAnswers(reply.authorities),
      additionals: fromAnswers(reply.additionals),
      transport,
      retriedOverTcp: truncated,
      queryMessage: pair.query,
      replyMessage: pair.reply,
    };
  }

  private udp(port: number, query: Buffer, id: number, name: string, note: Parameters<ServiceContext['names']['note']>[1]): Promise<{ reply: DecodedPacket; port: number } | Failed> {
    return new Promise((resolve) => {
      const socket = dgram.createSocket('udp4');
      let local = 0;
      let timer: NodeJS.Timeout | null = null;
      const done = (v: { reply: DecodedPacket; port: number } | Failed): void => {
        if (timer) clearTimeout(timer);
        try {
          socket.close();
        } catch {
          /* closed */
        }
        if (local) {
          this.ctx.names.forget(local);
          this.shared.unwatch(local);
        }
        resolve(v);
      };
      socket.on('error', (e) => done({ error: e.message }));
      socket.on('message', (msg, rinfo) => {
        if (rinfo.port !== port || msg.length < 12 || msg.readUInt16BE(0) !== id) return; // not ours (RFC 5452 §9.1)
        try {
          const reply = packet.decode(msg);
          if (canonical(reply.questions?.[0]?.name ?? '') !== canonical(name)) return;
          done({ reply, port: local });
        } catch (e) {
          done(failure(labMsg('dnsLab.error.malformed', { detail: (e as Error).message })));
        }
      });
      socket.bind(0, LOOPBACK, () => {
        local = socket.address().port;
        this.ctx.names.note(local, note);
        this.shared.watch(local);
        this.opts.onPort?.(local);
        timer = setTimeout(() => done(failure(labMsg('dnsLab.error.timedOut'))), TIMEOUT_MS);
        socket.send(query, port, LOOPBACK);
      });
    });
  }

  private tcp(port: number, query: Buffer, id: number, note: Parameters<ServiceContext['names']['note']>[1]): Promise<{ reply: DecodedPacket } | Failed> {
    return new Promise((resolve) => {
      const socket = net.connect({ host: LOOPBACK, port });
      let buf = Buffer.alloc(0);
      let settled = false;
      const done = (v: { reply: DecodedPacket } | Failed): void => {
        if (settled) return;
        settled = true;
        if (socket.localPort) {
          this.ctx.names.forget(socket.localPort);
          this.shared.unwatch(socket.localPort);
        }
        socket.destroy();
        resolve(v);
      };
      socket.setTimeout(TIMEOUT_MS * 2, () => done(failure(labMsg('dnsLab.error.timedOut'))));
      socket.on('error', (e) => done({ error: e.message }));
      socket.on('close', () => done(failure(labMsg('dnsLab.error.closedEarly'))));
      socket.on('connect', () => {
        this.ctx.names.note(socket.localPort ?? 0, note);
        this.opts.onPort?.(socket.localPort ?? 0);
        socket.write(tcpFrame(query));
      });
      socket.on('data', (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length < 2) return;
        const len = buf.readUInt16BE(0);
        if (len > MAX_TCP_REPLY) return done(failure(labMsg('dnsLab.error.tooLong')));
        if (buf.length < 2 + len) return;
        try {
          const reply = packet.decode(buf.subarray(2, 2 + len));
          if (reply.id !== id) return done(failure(labMsg('dnsLab.error.otherId')));
          done({ reply });
        } catch (e) {
          done(failure(labMsg('dnsLab.error.malformed', { detail: (e as Error).message })));
        }
      });
    });
  }
}

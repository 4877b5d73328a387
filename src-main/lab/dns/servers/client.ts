/**
 * A lab client asking one lab DNS server one question: the stub resolver behind the lab's
 * name lookups, the resolution view's "requesting host", and the terminal's dig. UDP by
 * default (TCP when asked, or when the UDP reply comes back truncated and `fallback` is on).
 */
import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import * as packet from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';
import type { Endpoint } from '../../api';
import { TC, type QType } from '../codec';
import { wireName } from '../records';
import { tcpFrame } from '../tcp-framer';
import { LOOPBACK } from '../../internet/hosts';
import type { ServiceContext } from '../../services/service';
import type { DnsShared, MessagePair } from './shared';
import { failure, msg as labMsg, type LabText } from '../../lab-text';

/** why an exchange failed: the English, and its message when the lab wrote it (a socket's own error has none) */
type Failed = { ok: false; error: string; errorText?: LabText };

export interface Ask {
  port: number;
  name: string;
  type: QType;
  rd: boolean;
  tcp?: boolean;
  /** retry over TCP when the UDP reply is truncated */
  fallback?: boolean;
  /** announce an EDNS buffer (dig does by default) */
  edns?: boolean;
  timeoutMs?: number;
  client: Partial<Endpoint>;
  server: Partial<Endpoint>;
  /** before sending: the socket's local port (register a traced resolution here) */
  onPort?: (port: number) => void;
}

export type Answered =
  | { ok: true; reply: DecodedPacket; size: number; ms: number; transport: 'udp' | 'tcp'; truncatedUdp: boolean; messages: MessagePair; clientPort: number }
  | Failed;

export async function ask(ctx: ServiceContext, shared: DnsShared, a: Ask): Promise<Answered> {
  const id = randomInt(0, 65536);
  const query = packet.encode({
    id,
    type: 'query',
    flags: a.rd ? packet.RECURSION_DESIRED : 0,
    questions: [{ name: wireName(a.name), type: a.type as packet.RecordType, class: 'IN' }],
    additionals: a.edns ? [{ name: '.', type: 'OPT', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [],
  });
  const started = performance.now();
  if (!a.tcp) {
    const r = await udp(ctx, shared, a, query, id);
    if (!r.ok) return r;
    const truncated = !!((r.reply.flags ?? 0) & TC);
    if (!truncated || !a.fallback) return { ...r, ms: performance.now() - started, transport: 'udp', truncatedUdp: truncated };
  }
  const r = await tcp(ctx, a, query, id);
  if (!r.ok) return r;
  return { ...r, ms: performance.now() - started, transport: 'tcp', truncatedUdp: !a.tcp, messages: {} };
}

function udp(ctx: ServiceContext, shared: DnsShared, a: Ask, query: Buffer, id: number): Promise<{ ok: true; reply: DecodedPacket; size: number; messages: MessagePair; clientPort: number } | Failed> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    let local = 0;
    let timer: NodeJS.Timeout | null = null;
    let settled = false;
    const done = (v: { ok: true; reply: DecodedPacket; size: number; messages: MessagePair; clientPort: number } | Failed): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      try {
        socket.close();
      } catch {
        /* closed */
      }
      if (local) {
        ctx.names.forget(local);
        shared.unwatch(local);
      }
      resolve(v);
    };
    socket.on('error', (e: NodeJS.ErrnoException) =>
      done(e.code === 'ECONNREFUSED' ? { ok: false, ...failure(labMsg('dnsLab.error.refused')) } : { ok: false, error: e.message }),
    );
    socket.on('message', (msg, rinfo) => {
      if (rinfo.port !== a.port || msg.length < 12 || msg.readUInt16BE(0) !== id) return;
      try {
        const reply = packet.decode(msg);
        done({ ok: true, reply, size: msg.length, messages: shared.take(local, id), clientPort: local });
      } catch (e) {
        done({ ok: false, ...failure(labMsg('dnsLab.error.malformed', { detail: (e as Error).message })) });
      }
    });
    socket.bind(0, LOOPBACK, () => {
      local = socket.address().port;
      ctx.names.note(local, { client: a.client, server: a.server });
      shared.watch(local);
      a.onPort?.(local);
      timer = setTimeout(() => done({ ok: false, ...failure(labMsg('dnsLab.error.noReplyTimeout')) }), a.timeoutMs ?? 3000);
      socket.connect(a.port, LOOPBACK, () => socket.send(query));
    });
  });
}

function tcp(ctx: ServiceContext, a: Ask, query: Buffer, id: number): Promise<{ ok: true; reply: DecodedPacket; size: number; clientPort: number } | Failed> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: LOOPBACK, port: a.port });
    let buf = Buffer.alloc(0);
    let settled = false;
    const done = (v: { ok: true; reply: DecodedPacket; size: number; clientPort: number } | Failed): void => {
      if (settled) return;
      settled = true;
      if (socket.localPort) ctx.names.forget(socket.localPort);
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(a.timeoutMs ?? 3000, () => done({ ok: false, ...failure(labMsg('dnsLab.error.noReplyTimeout')) }));
    socket.on('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? { ok: false, ...failure(labMsg('dnsLab.error.refused')) } : { ok: false, error: e.message }));
    socket.on('close', () => done({ ok: false, ...failure(labMsg('dnsLab.error.serverClosed')) }));
    socket.on('connect', () => {
      ctx.names.note(socket.localPort ?? 0, { client: a.client, server: a.server });
      socket.write(tcpFrame(query));
    });
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 2) return;
      const len = buf.readUInt16BE(0);
      if (buf.length < 2 + len) return;
      try {
        const reply = packet.decode(buf.subarray(2, 2 + len));
        if (reply.id !== id) return done({ ok: false, ...failure(labMsg('dnsLab.error.otherId')) });
        done({ ok: true, reply, size: len, clientPort: socket.localPort ?? 0 });
      } catch (e) {
        done({ ok: false, ...failure(labMsg('dnsLab.error.malformed', { detail: (e as Error).message })) });
      }
    });
  });
}

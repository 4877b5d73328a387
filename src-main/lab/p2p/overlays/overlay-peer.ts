/**
 * A lab peer of the search overlays: one TCP listener on its own 127.0.0.x (loopback.ts) that
 * takes, by the first line it reads, a Gnutella 0.6 handshake (a neighbour), an HTTP GET (a
 * download of one of its files) or — a KaZaA super-node only — a child's index session.
 * The Gnutella routing (flooding, duplicate suppression, reverse paths) is gnutella-router.ts.
 */
import net from 'node:net';
import type { LinkProfile } from '../../api';
import { LinkDirection } from '../../link/link';
import { CONNECT_LINE, encodeHandshake, OK_LINE, parseHandshake } from './gnutella-codec';
import { dialGnutella, GnutellaLink, handshakeHeaders } from './gnutella-link';
import { GnutellaRouter } from './gnutella-router';
import { IndexClient } from './index-client';
import { FileIndex, parseHitLine, type IndexEntry } from './index-protocol';
import { serveIndex, type IndexHost } from './index-server';
import { OUTSIDE, type OverlayCapture } from './overlay-capture';
import type { Meter, OverlayHit } from './overlay-types';
import { answerHttp, httpResponse, type SharedFile } from './peer-http';

export interface PeerContext {
  meter: Meter;
  capture: OverlayCapture;
  nameOf(address: string, port: number): string | undefined;
  /** resolves when no message is in flight between lab nodes (a super-node's answer waits for its flood) */
  quiet(): Promise<void>;
  /** the service's link profile, on every Gnutella link (a hop of a flood) */
  link?: () => LinkProfile;
}

const FIRST_LINE_MAX = 4096;

export class OverlayPeer {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  readonly router: GnutellaRouter;
  /** a super-node's index of its children's files (and its own) */
  readonly childIndex = new FileIndex();
  port = 0;
  /** a KaZaA child's connection to its super-node; Napster's connection to the index */
  superNodeLink: IndexClient | null = null;
  napsterLink: IndexClient | null = null;
  /** a super-node's last search for a child: the hits the other super-nodes sent (with their hops) */
  lastRemote: OverlayHit[] = [];

  constructor(
    readonly name: string,
    readonly address: string,
    readonly files: SharedFile[],
    readonly superNode: boolean,
    readonly ctx: PeerContext,
  ) {
    this.router = new GnutellaRouter(this);
  }

  async listen(port: number): Promise<void> {
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.address, () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  entries(): IndexEntry[] {
    return this.files.map((f) => ({ peer: this.name, ip: this.address, port: this.port, index: f.index, size: f.size, name: f.name }));
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      const nl = buf.indexOf(10);
      if (nl < 0 && buf.length < FIRST_LINE_MAX) return;
      socket.off('data', onData);
      const first = buf.toString('latin1', 0, nl < 0 ? 64 : nl).replace(/\r$/, '');
      if (first.startsWith('GNUTELLA')) this.handshake(socket, buf);
      else if (/^(GET|HEAD|POST|PUT|DELETE|OPTIONS) /.test(first)) this.http(socket, buf);
      else if (this.superNode) serveIndex(socket, this.childIndex, this.indexHost(), buf, false);
      else this.refuse(socket, `garbage handshake: '${first.slice(0, 40)}'`, 'GNUTELLA/0.6 400 Bad Handshake');
    };
    socket.on('data', onData);
  }

  private refuse(socket: net.Socket, why: string, reply: string): void {
    const ip = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const conn = this.ctx.capture.open('gnutella', { address: ip, port: socket.remotePort ?? 0, name: this.ctx.nameOf(ip, socket.remotePort ?? 0) ?? OUTSIDE }, this.named());
    this.ctx.capture.note(conn, `${this.name} dropped a connection: ${why}`);
    this.ctx.capture.close(conn);
    socket.end(`${reply}\r\n\r\n`);
  }

  named(): { address: string; port: number; name: string } {
    return { address: this.address, port: this.port, name: this.name };
  }

  /** the acceptor's side: CONNECT read, 200 OK sent, the initiator's 200 OK read, then descriptors */
  private handshake(socket: net.Socket, first: Buffer): void {
    let buf = first;
    let stage: 'connect' | 'ok' = 'connect';
    let headers: Record<string, string> = {};
    const said: { dir: 'c2s' | 's2c'; bytes: Buffer }[] = [];
    const step = (): void => {
      const h = parseHandshake(buf);
      if (h === null) return;
      if (typeof h === 'string') return this.refuse(socket, h, 'GNUTELLA/0.6 400 Bad Handshake');
      said.push({ dir: 'c2s', bytes: buf.subarray(0, buf.length - h.rest.length) });
      buf = h.rest;
      if (stage === 'connect') {
        if (h.h.first !== CONNECT_LINE) return this.refuse(socket, `expected '${CONNECT_LINE}', got '${h.h.first.slice(0, 40)}'`, 'GNUTELLA/0.6 400 Bad Handshake');
        headers = h.h.headers;
        const ultrapeer = headers['x-ultrapeer']?.toLowerCase() === 'true';
        if (ultrapeer && !this.superNode) return this.refuse(socket, 'an ultrapeer link to a peer that is not a super-node', 'GNUTELLA/0.6 503 Not An Ultrapeer');
        const ok = encodeHandshake(OK_LINE, handshakeHeaders(this, this.superNode && ultrapeer));
        said.push({ dir: 's2c', bytes: Buffer.from(ok, 'latin1') });
        socket.write(ok);
        stage = 'ok';
        return step();
      }
      if (!h.h.first.startsWith('GNUTELLA/0.6 200')) return this.refuse(socket, `the initiator answered '${h.h.first.slice(0, 40)}'`, 'GNUTELLA/0.6 400 Bad Handshake');
      socket.removeAllListeners('data');
      const listen = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(headers['listen-ip'] ?? '');
      const address = listen?.[1] ?? (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      const port = Number(listen?.[2] ?? socket.remotePort ?? 0);
      const remote = { address, port, name: this.ctx.nameOf(address, port) ?? OUTSIDE };
      this.router.attach(new GnutellaLink(socket, remote, headers['x-ultrapeer']?.toLowerCase() === 'true', true, this.router.hooks, this.inbound()), said, buf);
    };
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      step();
    });
    step();
  }

  private http(socket: net.Socket, first: Buffer): void {
    let buf = first;
    const ip = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const conn = this.ctx.capture.open('http', { address: ip, port: socket.remotePort ?? 0, name: this.ctx.nameOf(ip, 0) ?? OUTSIDE }, this.named());
    const step = (): void => {
      const a = answerHttp(buf, this.files);
      if (!a) return;
      socket.removeAllListeners('data');
      const end = buf.indexOf('\r\n\r\n');
      this.ctx.capture.record(conn, 'c2s', end < 0 ? buf.subarray(0, 512) : buf.subarray(0, end + 4));
      if (a.status >= 400) this.ctx.capture.note(conn, `${this.name} answered ${a.status} ${a.reason}`);
      const out = httpResponse(a);
      this.ctx.capture.record(conn, 's2c', out);
      socket.end(out, () => this.ctx.capture.close(conn));
    };
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      step();
    });
    step();
  }

  /** open a Gnutella connection to a neighbour (or, `ultrapeer`, to another super-node) */
  async connect(to: OverlayPeer, ultrapeer: boolean): Promise<void> {
    const { socket, rest } = await dialGnutella(this, to, ultrapeer);
    this.sockets.add(socket);
    this.router.attach(new GnutellaLink(socket, to.named(), ultrapeer, false, this.router.hooks, this.inbound()), [], rest);
  }

  private inbound(): LinkDirection | null {
    return this.ctx.link ? new LinkDirection(this.ctx.link) : null;
  }

  /** the index protocol's host, for a super-node's children */
  private indexHost(): IndexHost {
    return {
      ...this.named(),
      meter: this.ctx.meter,
      capture: this.ctx.capture,
      nameOf: this.ctx.nameOf,
      search: async (words, handled) => {
        // its children's files at once, then the other super-nodes' over the flood
        const local = this.childIndex.search(words);
        const asked = this.router.originate(words, true);
        handled();
        await this.ctx.quiet();
        this.lastRemote = asked.hits;
        return [...local, ...asked.hits.map((h) => ({ peer: h.peer, ip: h.ip, port: h.port, index: h.index, size: h.size, name: h.name }))];
      },
    };
  }

  /** log in and upload the file list to an index (Napster's server, or this child's super-node) */
  async register(to: { address: string; port: number }, greeting: boolean): Promise<IndexClient> {
    const c = await IndexClient.connect(to, this.address === '127.0.0.1' ? undefined : this.address, greeting);
    this.sockets.add(c.socket);
    await c.command(`LOGIN ${this.name} ${this.port}`);
    for (const f of this.files) await c.command(`ADD ${f.index} ${f.size} ${f.name}`);
    return c;
  }

  /** a search over the index protocol: one SEARCH, one answer (its lines) */
  async searchIndex(c: IndexClient, to: string, words: string, baseHops: number): Promise<OverlayHit[]> {
    this.ctx.meter.sent(this.name, to, 'query');
    const lines = await c.command(`SEARCH ${words}`);
    this.ctx.meter.received(this.name);
    return lines.map(parseHitLine).flatMap((e) => (e ? [{ ...e, hops: baseHops }] : []));
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server?.close();
  }
}

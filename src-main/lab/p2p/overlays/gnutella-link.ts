/**
 * One Gnutella 0.6 connection between two servents, after the handshake (gnutella-handshake
 * lives in the peer's listener and in `dialGnutella`). Descriptors are read off the stream;
 * a bad one is dropped with a note and the next read; a payload length past the cap loses
 * the framing, so the connection closes — the servent keeps serving its others.
 */
import net from 'node:net';
import type { LinkDirection } from '../../link/link';
import { CONNECT_LINE, DescriptorReader, encodeDescriptor, encodeHandshake, OK_LINE, parseHandshake, type Descriptor } from './gnutella-codec';

export interface LinkHooks {
  descriptor(link: GnutellaLink, d: Descriptor, bytes: Buffer): void;
  refused(link: GnutellaLink, reason: string, bytes: Buffer): void;
  sent?(link: GnutellaLink, d: Descriptor, bytes: Buffer): void;
  closed(link: GnutellaLink): void;
}

export class GnutellaLink {
  private reader = new DescriptorReader();
  closed = false;
  /** capture bookkeeping (the accepting side records) */
  captureConn: unknown = null;

  constructor(
    readonly socket: net.Socket,
    /** the other servent: its name in the lab, its Listen-IP */
    readonly remote: { name: string; address: string; port: number },
    /** a link of the super-node overlay (X-Ultrapeer: True on both sides) */
    readonly ultrapeer: boolean,
    readonly accepted: boolean,
    private hooks: LinkHooks,
    /** the service's link: what this end receives is held by its delay and rate, in order */
    inbound: LinkDirection | null = null,
  ) {
    socket.setNoDelay(true);
    const arrive = <T>(size: number, fn: (arg: T) => void, arg: T): void => void (inbound ? inbound.inOrder(size, fn, arg) : fn(arg));
    socket.on('data', (chunk: Buffer) => arrive(chunk.length, (c) => this.data(c), chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => arrive(0, () => this.ended(), null));
  }

  private ended(): void {
    if (this.reader.pending > 0) this.hooks.refused(this, `truncated descriptor: the connection ended ${this.reader.pending} bytes into one`, Buffer.alloc(0));
    this.closed = true;
    this.hooks.closed(this);
  }

  /** bytes read before the link existed (they followed the handshake) */
  feed(chunk: Buffer): void {
    this.data(chunk);
  }

  private data(chunk: Buffer): void {
    this.reader.push(chunk);
    for (let r = this.reader.next(); r; r = this.reader.next()) {
      if (r.ok) this.hooks.descriptor(this, r.d, r.bytes);
      else {
        this.hooks.refused(this, r.reason, r.bytes);
        if (r.fatal) {
          this.socket.destroy();
          return;
        }
      }
    }
  }

  send(d: Descriptor): void {
    if (this.closed) return;
    const bytes = encodeDescriptor(d);
    this.hooks.sent?.(this, d, bytes);
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}

export const handshakeHeaders = (self: { address: string; port: number }, ultrapeer: boolean): Record<string, string> => ({
  'User-Agent': 'NetLab',
  'Listen-IP': `${self.address}:${self.port}`,
  'X-Ultrapeer': ultrapeer ? 'True' : 'False',
});

/** the initiator's side of the three-way handshake: CONNECT, 200 OK, 200 OK */
export function dialGnutella(self: { address: string; port: number }, to: { address: string; port: number }, ultrapeer: boolean): Promise<{ socket: net.Socket; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: to.address, port: to.port, localAddress: self.address === '127.0.0.1' ? undefined : self.address });
    let buf = Buffer.alloc(0);
    const fail = (why: string): void => {
      socket.destroy();
      reject(new Error(`${to.address}:${to.port}: ${why}`));
    };
    socket.once('error', (err) => fail(err.message));
    socket.once('connect', () => socket.write(encodeHandshake(CONNECT_LINE, handshakeHeaders(self, ultrapeer))));
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      const h = parseHandshake(buf);
      if (h === null) return;
      socket.off('data', onData);
      if (typeof h === 'string') return fail(h);
      if (h.h.first !== OK_LINE) return fail(`refused: ${h.h.first}`);
      socket.write(encodeHandshake(OK_LINE));
      socket.removeAllListeners('error');
      resolve({ socket, rest: h.rest });
    };
    socket.on('data', onData);
  });
}

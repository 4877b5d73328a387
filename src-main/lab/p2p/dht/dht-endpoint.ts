/**
 * A DHT peer's socket: one UDP socket on its own loopback address (loopback.ts), one line
 * per datagram. Bad datagrams are refused here, before the peer sees them: an `ERR` goes back
 * (never in answer to an ERR, so two peers cannot bounce errors) and the capture gets a note;
 * the peer keeps serving. Every message is recorded once, by the peer that receives it, on a
 * flow per sender (dht-capture.ts); what a peer sends to someone outside the ring (nc, the
 * lab terminal) is recorded as it leaves.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import type { LinkProfile } from '../../api';
import { LinkDirection, later } from '../../link/link';
import { encodeMessage, parseMessage, type DhtMessage, type Endpoint, type PeerRef } from './dht-codec';
import { encodePeerLine } from './dht-codec-fast';
import { DhtPeer, type PeerOptions } from './dht-peer';
import type { DhtCapture } from './dht-capture';

export interface EndpointHooks {
  capture: DhtCapture | null;
  /** every message a peer of the ring receives (the ring traces queries hop by hop) */
  received?(to: PeerRef, m: DhtMessage, from: Endpoint): void;
  /** whether an endpoint is a peer of this ring (its own side records what it receives) */
  isPeer(e: Endpoint): boolean;
  /** the service's link profile: each datagram a peer receives may be delayed or lost on its hop */
  link?: () => LinkProfile;
}

/**
 * Peers are written id@address:port with a numeric address, so the socket's name lookup is
 * the address itself, answered at once: dgram's default (dns.lookup) answers a literal on the
 * next tick, one more trip through the event loop for every datagram sent.
 */
const literals = new Set<string>();

function literalLookup(address: string, family: unknown, callback: (err: Error | null, address: string, family: number) => void): void {
  // the ring's few hundred addresses are checked once each (net.isIPv4 is a long regular expression)
  if (literals.has(address)) return callback(null, address, 4);
  if (!net.isIPv4(address)) return dns.lookup(address, 4, callback);
  if (literals.size >= 8192) literals.clear();
  literals.add(address);
  callback(null, address, 4);
}

export class DhtEndpoint {
  readonly peer: DhtPeer;
  private socket: dgram.Socket;
  private closed = false;
  private inbound: LinkDirection | null;

  private constructor(socket: dgram.Socket, self: PeerRef, options: PeerOptions, private hooks: EndpointHooks) {
    this.socket = socket;
    this.inbound = hooks.link ? new LinkDirection(hooks.link) : null;
    this.peer = new DhtPeer(self, options, {
      send: (to, m) => this.send(to, m),
      note: (from, text) => hooks.capture?.note(self, from, text),
    });
    // rinfo is a fresh object per datagram with the address and port: the sender as it is
    socket.on('message', (bytes, rinfo) => this.receive(bytes, rinfo));
    // a datagram to a peer that has left: ICMP port unreachable, nothing to do (pings notice)
    socket.on('error', () => undefined);
  }

  static async open(id: number, address: string, port: number, options: PeerOptions, hooks: EndpointHooks): Promise<DhtEndpoint> {
    const socket = dgram.createSocket({ type: 'udp4', lookup: literalLookup as never });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new DhtEndpoint(socket, { id, address, port: socket.address().port }, options, hooks);
  }

  get self(): PeerRef {
    return this.peer.self;
  }

  /** through the link first: lost (a note, nothing answered), delayed, or at once */
  private receive(bytes: Buffer, from: Endpoint): void {
    if (this.closed) return;
    const v = this.inbound?.datagram(bytes.length);
    if (v && !v.deliver) {
      this.hooks.capture?.note(this.self, from, `datagram to peer ${this.self.id} ${v.reason}`);
      return;
    }
    if (v && v.afterMs > 0) later(v.afterMs, () => this.delivered(bytes, from));
    else this.delivered(bytes, from);
  }

  private delivered(bytes: Buffer, from: Endpoint): void {
    if (this.closed) return;
    const parsed = parseMessage(bytes);
    this.hooks.capture?.received(this.self, from, bytes, parsed.ok ? parsed.msg : null);
    if (!parsed.ok) {
      this.hooks.capture?.note(this.self, from, `peer ${this.self.id} dropped a datagram: ${parsed.reason}`);
      if (!bytes.subarray(0, 3).toString('latin1').toUpperCase().startsWith('ERR')) this.send(from, { type: 'ERR', reason: parsed.reason });
      return;
    }
    this.hooks.received?.(this.self, parsed.msg, from);
    this.peer.receive(parsed.msg, from);
  }

  send(to: Endpoint, m: DhtMessage): void {
    if (this.closed) return;
    const bytes = encodePeerLine(m) ?? Buffer.from(encodeMessage(m) + '\n', 'latin1');
    if (this.hooks.capture && !this.hooks.isPeer(to)) this.hooks.capture.sentOutside(this.self, to, bytes, m);
    this.socket.send(bytes, to.port, to.address);
  }

  /** leave abruptly, as a peer whose machine is switched off: no goodbye */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.peer.stop();
    this.socket.close();
  }
}

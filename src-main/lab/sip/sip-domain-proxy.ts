/**
 * One lab domain's SIP proxy (crepes.fr's, hamburger.edu's …): its own UDP socket and TCP
 * listener on loopback, on one port, to which the lab internet routes the domain's address at
 * :5060, its own TCP connections to the hops it forwards to over TCP (sip-tcp.ts), and its own
 * transactions.
 * A call from alice@crepes.fr to bob@hamburger.edu crosses two of them, as in RFC 3261's
 * "SIP trapezoid" (§4, Figure 1) and P&D ch. 9: crepes.fr's proxy finds hamburger.edu's
 * through lab DNS (RFC 3263 §4.2: the SRV record, then its target's address), forwards with its
 * own Via and Record-Route — over TCP when the INVITE came over TCP, when only _sip._tcp is
 * in the zone or when it is over 1300 bytes (sip-transport.ts) — and hamburger.edu's proxy
 * looks Bob up in its location service.
 *
 * Messages reach a domain proxy on its own socket (from another proxy, or a UA following a
 * Record-Route) or through the service's front door at :5060, which hands each message to the
 * proxy of the caller's domain (see pickProxy).
 */
import type dgram from 'node:dgram';
import type { Endpoint } from '../api';
import { bigBuffers, UdpSockets } from '../services/udp-sockets';
import { UdpFlows, type Flow } from '../services/udp-flows';
import type { LinkProfile } from '../api';
import type { ServiceContext } from '../services/service';
import { header, headerValues, parseUri, parseVia, uriOf, type Parsed, type SipMessage } from './sip-message';
import { SipProxy, type Hop, type ProxyIo, type SipSource } from './sip-proxy';
import type { LocationService } from './sip-registrar';
import { SipTcpEnd } from './sip-tcp';

const UDP_BUFFER = 4 * 1024 * 1024;

export class DomainProxy {
  readonly proxy: SipProxy;
  readonly end: Partial<Endpoint>;
  port = 0;
  private udp: UdpSockets | null = null;
  /** its TCP listener (on its UDP port) and the connections it opens */
  tcp: SipTcpEnd;
  /** datagrams on its own socket */
  flows: UdpFlows;
  /** datagrams it handled at the service's front door (:5060), drawn as this proxy in the ladder */
  frontFlows: UdpFlows;

  constructor(
    private ctx: ServiceContext,
    readonly domain: string,
    location: LocationService,
    io: Omit<ProxyIo, 'self' | 'send' | 'domain'> & {
      send: (from: DomainProxy, hop: Hop, bytes: Buffer, failed?: (reason: string) => void) => void;
      /** a message read over TCP at this proxy's listener or on a connection it opened */
      tcpMessage: (from: DomainProxy, p: Parsed, src: SipSource) => void;
      link: () => LinkProfile;
      changed: () => void;
    },
    frontPort: () => number,
  ) {
    const where = ctx.internet.known(domain);
    this.end = { name: `${domain} proxy`, ...(where.ok && where.virtualAddress ? { virtualAddress: where.virtualAddress } : {}) };
    this.flows = new UdpFlows(ctx, { id: 'sip', protocol: 'sip', port: 0, ownEnd: this.end });
    this.frontFlows = new UdpFlows(ctx, { id: 'sip', protocol: 'sip', get port() { return frontPort(); }, ownEnd: this.end });
    this.proxy = new SipProxy(location, {
      ...io,
      domain,
      self: () => ({ address: ctx.bindAddress, port: this.port }),
      send: (hop, bytes, failed) => io.send(this, hop, bytes, failed),
    });
    this.tcp = new SipTcpEnd(ctx, { service: 'sip', end: this.end, link: io.link, message: (p, src) => io.tcpMessage(this, p, src), changed: io.changed });
  }

  async listen(onMessage: (proxy: DomainProxy, msg: Buffer, rinfo: dgram.RemoteInfo) => void): Promise<void> {
    // IPv4 only: another proxy and the UAs reach it at the 127.0.0.1 of its Via and Record-Route;
    // UDP and TCP on one port (a Via's sent-by names one port for both), tried again if TCP's is taken
    for (let attempt = 0; ; attempt++) {
      const sockets = new UdpSockets((msg, rinfo) => onMessage(this, msg, rinfo), bigBuffers(UDP_BUFFER));
      this.udp = sockets;
      this.port = await sockets.bind(0, [this.ctx.bindAddress]);
      try {
        await this.tcp.listen(this.port, [this.ctx.bindAddress]);
        break;
      } catch (err) {
        await sockets.close();
        await this.tcp.close();
        if (attempt >= 5) throw err;
      }
    }
    this.flows = new UdpFlows(this.ctx, { id: 'sip', protocol: 'sip', port: this.port, ownEnd: this.end });
    // another lab proxy sending from this port is named in the capture as this domain's proxy
    this.ctx.names.note(this.port, { client: this.end, server: {} });
    this.proxy.start();
  }

  socketFor(address: string): dgram.Socket | null {
    return this.udp?.socketFor(address) ?? null;
  }

  flow(address: string, port: number): Flow {
    return this.flows.get(address, port);
  }

  async close(): Promise<void> {
    this.proxy.stop();
    if (this.port) this.ctx.names.forget(this.port);
    await Promise.all([this.udp?.close(), this.tcp.close()]);
    this.udp = null;
    this.flows.endAll();
    this.frontFlows.endAll();
  }
}

/** the domain of an address of record, or of a SIP URI's host */
function domainOf(location: LocationService, value: string | undefined): string | undefined {
  const u = value ? parseUri(uriOf(value)) : null;
  if (!u) return undefined;
  const host = u.host.toLowerCase();
  if (location.domains.has(host)) return host;
  const aor = location.aorOf(u.user, host);
  return aor ? aor.slice(aor.indexOf('@') + 1) : undefined;
}

/**
 * Which domain's proxy takes a message that came in at the front door (:5060), as a UA's
 * outbound proxy: the one holding its transaction (a response, a retransmission, a CANCEL or
 * an ACK), the one its top Route names, the registrar of the address being registered, the
 * proxy of the caller's domain (From), else of the callee's (Request-URI).
 */
export function pickProxy(proxies: readonly DomainProxy[], location: LocationService, msg: SipMessage): DomainProxy {
  const byDomain = (d: string | undefined) => (d ? proxies.find((p) => p.domain === d) : undefined);
  const via = parseVia(headerValues(msg, 'Via')[0] ?? '');
  const branch = via?.branch;
  if (msg.kind === 'response') return (branch && proxies.find((p) => p.port === via.port && p.proxy.txns.clients.has(branch))) || proxies[0];
  if (branch) {
    const key = `${branch}|${msg.method === 'ACK' || msg.method === 'CANCEL' ? 'INVITE' : msg.method}`;
    const holder = proxies.find((p) => p.proxy.txns.servers.has(key));
    if (holder) return holder;
  }
  const route = headerValues(msg, 'Route')[0];
  const r = route ? parseUri(uriOf(route)) : null;
  const routed = r && r.port ? proxies.find((p) => p.port === r.port) : undefined;
  if (routed) return routed;
  if (msg.method === 'REGISTER') return byDomain(domainOf(location, header(msg, 'To'))) ?? byDomain(domainOf(location, msg.uri)) ?? proxies[0];
  const from = parseUri(uriOf(header(msg, 'From') ?? ''));
  return byDomain(from?.host.toLowerCase()) ?? byDomain(domainOf(location, msg.uri)) ?? proxies[0];
}

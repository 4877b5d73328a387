/**
 * Which host a captured endpoint is, for the flow graph's columns: one column per lab host
 * (Kurose & Ross draw hosts, not sockets, in their figures). The lab names the endpoints it
 * knows (gaia.cs.umass.edu at 128.119.40.205, the local DNS server, the proxy cache when it
 * fetches); a client outside the lab is "client" at its real address.
 */
import type { ConnectionInfo, Endpoint } from '../../api/types';
import { t } from '../../i18n';

export interface FlowHost {
  key: string;
  name: string;
  /** the virtual address the lab gives the host, else the real one */
  address: string;
  /** every address the host was seen at (tooltip) */
  title: string;
  /** the lab knows the host by name (not only "client" at an address) */
  named: boolean;
}

/** "mail.crepes.fr (relay)": the sending mail server acting as a client (RFC 5321 §2.3.10) is the same host. */
const ROLE = / \((relay)\)$/;

export interface HostNaming {
  /** the lab hosts' virtual addresses by name (lab.info) */
  addressOf: (name: string) => string | undefined;
  /** a service's display name (the rail's), for a server the lab knows no host name of */
  serviceName: (id: string) => string | undefined;
}

function real(e: Endpoint): string {
  return `${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port}`;
}

/**
 * 127.0.0.1 and ::1 are every lab service's: there a host is known by its name. Any other
 * loopback address is one host's own (each swarm peer has one, p2p/loopback.ts), so its
 * tracker announces and its peer wire are one column, whether or not they carry its name.
 */
const SHARED = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const ownAddress = (e: Endpoint): string | undefined => (SHARED.has(e.address) ? undefined : e.address);

function named(name: string, e: Endpoint, naming: HostNaming): FlowHost {
  const virtual = e.virtualAddress ?? naming.addressOf(name);
  const own = ownAddress(e);
  // a lab peer records a neighbour that dialled it as "peer" until the handshake says who (p2p/wire-capture.ts)
  const known = !(own && name === 'peer');
  return { key: own ? `addr:${own}` : `name:${name}`, name, address: virtual ?? e.address, title: [name, virtual, real(e)].filter(Boolean).join('\n'), named: known };
}

/** The web host a request named (`Host:` in the inspector's summary), when it is a lab host. */
function requestedHost(firstRequest: string | undefined, naming: HostNaming): string | undefined {
  const host = firstRequest && /\bHost: ([A-Za-z0-9.-]+)/.exec(firstRequest)?.[1]?.toLowerCase();
  return host && naming.addressOf(host) ? host : undefined;
}

export function clientHost(c: ConnectionInfo, naming: HostNaming): FlowHost {
  const e = c.client;
  if (e.name) return named(e.name.replace(ROLE, ''), e, naming);
  const own = ownAddress(e);
  return { key: own ? `addr:${own}` : `client:${e.address}`, name: t('inspector.connection.client'), address: e.address, title: `${t('inspector.flow.outsideClient')}\n${real(e)}`, named: false };
}

export function serverHost(c: ConnectionInfo, naming: HostNaming, firstRequest?: string): FlowHost {
  const e = c.server;
  // a service that stands for a lab host names its own end (services/host-end.ts): the proxy
  // cache, the local DNS server, mail.crepes.fr, so both sides of the proxy, or of the relay, are one column
  const name = e.name ?? (c.protocol === 'http' && c.service !== 'proxy' ? requestedHost(firstRequest, naming) : undefined);
  if (name) return named(name, e, naming);
  const service = naming.serviceName(c.service) ?? c.service;
  return { key: `service:${c.service}`, name: service, address: e.address, title: `${service}\n${real(e)}`, named: false };
}

/**
 * Which host a captured endpoint is, for the flow graph's columns: one column per lab host
 * (Kurose & Ross draw hosts, not sockets, in their figures). The lab names the endpoints it
 * knows (gaia.cs.umass.edu at 128.119.40.205, the local DNS server, the proxy cache when it
 * fetches); a client outside the lab is "client" at its real address.
 */
import type { ConnectionInfo, Endpoint } from '../../api/types';

export interface FlowHost {
  key: string;
  name: string;
  /** the virtual address the lab gives the host, else the real one */
  address: string;
  /** every address the host was seen at (tooltip) */
  title: string;
}

/**
 * A server reached at 127.0.0.1 without a name is the host the lab's own clients know it
 * as: the proxy's requests leave from "proxy cache" (web/proxy/origin.ts), the resolvers ask
 * the "local DNS server" (dns/hierarchy.ts), mail is submitted to mail.crepes.fr
 * (mail/users.ts, SUBMISSION_HOST), so both sides of the proxy, or of the relay, are one column.
 */
const SERVICE_HOSTS: Record<string, string> = { proxy: 'proxy cache', 'dns-local': 'local DNS server', smtp: 'mail.crepes.fr' };

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

function named(name: string, e: Endpoint, naming: HostNaming): FlowHost {
  const virtual = e.virtualAddress ?? naming.addressOf(name);
  return { key: `name:${name}`, name, address: virtual ?? e.address, title: [name, virtual, real(e)].filter(Boolean).join('\n') };
}

/** The web host a request named (`Host:` in the inspector's summary), when it is a lab host. */
function requestedHost(firstRequest: string | undefined, naming: HostNaming): string | undefined {
  const host = firstRequest && /\bHost: ([A-Za-z0-9.-]+)/.exec(firstRequest)?.[1]?.toLowerCase();
  return host && naming.addressOf(host) ? host : undefined;
}

export function clientHost(c: ConnectionInfo, naming: HostNaming): FlowHost {
  const e = c.client;
  if (e.name) return named(e.name.replace(ROLE, ''), e, naming);
  return { key: `client:${e.address}`, name: 'client', address: e.address, title: `a client outside the lab\n${real(e)}` };
}

export function serverHost(c: ConnectionInfo, naming: HostNaming, firstRequest?: string): FlowHost {
  const e = c.server;
  const name = e.name ?? SERVICE_HOSTS[c.service] ?? (c.protocol === 'http' && c.service !== 'proxy' ? requestedHost(firstRequest, naming) : undefined);
  if (name) return named(name, e, naming);
  const service = naming.serviceName(c.service) ?? c.service;
  return { key: `service:${c.service}`, name: service, address: e.address, title: `${service}\n${real(e)}` };
}

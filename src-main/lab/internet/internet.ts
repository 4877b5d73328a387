/**
 * The lab internet: host names resolve to virtual addresses (the textbook's), and a virtual
 * endpoint (address, port) is routed to a real loopback endpoint. A service registers the
 * virtual endpoints it answers for — the web server for `*:80`, a DNS server for its own
 * address on port 53, a mail domain's MX for its host on port 25 — and every lab client
 * (the terminal, the proxy, the mail relay) dials through `dial`, so the inspector can show
 * both the virtual and the real endpoint.
 */
import type { LabHost } from '../api';
import { LAB_HOSTS, LOOPBACK, resolveLabHost, type Resolution } from './hosts';

export interface MxRecord {
  exchange: string;
  priority: number;
}

/** How names become addresses. Static today; lab DNS replaces it (`setResolver`). */
export interface LabResolver {
  resolve(host: string): Promise<Resolution>;
  /** what the lab's own data says (its zones), with no query on the wire and nothing cached:
   *  for the lab setting itself up, which should leave no trace in the inspector or the cache */
  known(host: string): Resolution;
  /** the mail exchangers of a domain, lowest priority first (empty: none) */
  mx(domain: string): Promise<MxRecord[]>;
  /** the SRV records of a service name (_sip._udp.hamburger.edu), lowest priority first (empty: none; RFC 2782) */
  srv?(name: string): Promise<SrvTarget[]>;
}

export interface SrvTarget {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

/** Until lab DNS answers: each textbook mail domain has one exchanger, mail.<domain>. */
const STATIC_MX: Record<string, string> = {
  'crepes.fr': 'mail.crepes.fr',
  'hamburger.edu': 'mail.hamburger.edu',
  'networkutopia.com': 'mail.networkutopia.com',
};

export const staticResolver: LabResolver = {
  resolve: (host) => Promise.resolve(resolveLabHost(host)),
  known: (host) => resolveLabHost(host),
  mx: (domain) => {
    const exchange = STATIC_MX[domain.toLowerCase().replace(/\.$/, '')];
    return Promise.resolve(exchange ? [{ exchange, priority: 10 }] : []);
  },
};

export interface Route {
  /** a virtual address, or '*' for every lab address */
  virtualAddress: string;
  virtualPort: number;
  realPort: number;
  service: string;
}

export type Dialled =
  | {
      ok: true;
      /** where to connect for real */
      address: string;
      port: number;
      /** what the user asked for, in lab terms */
      name?: string;
      virtualAddress?: string;
      virtualPort: number;
      service?: string;
    }
  | {
      ok: false;
      error: string;
      /** the host is the lab's, but no lab server answers on that port (a TCP RST's "Connection refused") */
      refused?: { name?: string; virtualAddress: string; port: number };
    };

/** A lab host's ports below this answer only where a lab service does: the machine's own
 *  servers there (an MTA on 25, a web server on 80, a resolver on 53) are not the textbook's
 *  hosts. Ports from here up reach the same port on loopback, where the student's own programs
 *  listen (K&R §2.7's `serverPort = 12000`). */
const FIRST_OPEN_PORT = 1024;

export class LabInternet {
  private resolver: LabResolver = staticResolver;
  private routes: Route[] = [];

  constructor(readonly hosts: readonly LabHost[] = LAB_HOSTS) {}

  setResolver(resolver: LabResolver): void {
    this.resolver = resolver;
  }

  resolve(host: string): Promise<Resolution> {
    return this.resolver.resolve(host);
  }

  mx(domain: string): Promise<MxRecord[]> {
    return this.resolver.mx(domain);
  }

  srv(name: string): Promise<SrvTarget[]> {
    return this.resolver.srv ? this.resolver.srv(name) : Promise.resolve([]);
  }

  known(host: string): Resolution {
    return this.resolver.known(host);
  }

  /** Answer for a virtual endpoint; returns the function that withdraws the route. */
  addRoute(route: Route): () => void {
    this.routes = [...this.routes.filter((r) => !(r.virtualAddress === route.virtualAddress && r.virtualPort === route.virtualPort)), route];
    return () => {
      this.routes = this.routes.filter((r) => r !== route);
    };
  }

  routeList(): readonly Route[] {
    return this.routes;
  }

  /** The real endpoint behind a virtual one: an exact route, a wildcard route, or the same port on loopback. */
  route(virtualAddress: string | undefined, port: number): { port: number; service?: string } {
    if (virtualAddress) {
      const exact = this.routes.find((r) => r.virtualAddress === virtualAddress && r.virtualPort === port);
      if (exact) return { port: exact.realPort, service: exact.service };
      const any = this.routes.find((r) => r.virtualAddress === '*' && r.virtualPort === port);
      if (any) return { port: any.realPort, service: any.service };
    }
    return { port };
  }

  /** Resolve a host the user typed and route its port: where a lab client should connect. */
  async dial(host: string, port: number): Promise<Dialled> {
    const where = await this.resolve(host);
    if (!where.ok) return where;
    const routed = this.route(where.virtualAddress, port);
    if (where.virtualAddress && !routed.service && port < FIRST_OPEN_PORT) {
      const shown = where.name ? `${where.name} (${where.virtualAddress})` : where.virtualAddress;
      return {
        ok: false,
        error: `Connection refused: no lab server answers at ${shown} port ${port}`,
        refused: { name: where.name, virtualAddress: where.virtualAddress, port },
      };
    }
    return {
      ok: true,
      address: where.virtualAddress ? LOOPBACK : where.address,
      port: routed.port,
      name: where.name,
      virtualAddress: where.virtualAddress,
      virtualPort: port,
      service: routed.service,
    };
  }
}

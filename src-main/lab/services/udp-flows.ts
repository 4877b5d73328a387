/**
 * UDP has no connections; the capture groups a service's datagrams into flows by client
 * address and port, each shown as one connection. The table is bounded: past MAX_FLOWS the
 * oldest flow is closed.
 */
import type { ConnectionInfo, Endpoint } from '../api';
import { LOOPBACK_V6 } from './addresses';
import { endpoint } from '../capture/endpoint';
import type { ServiceContext } from './service';

const MAX_FLOWS = 10_000;

export interface Flow {
  conn: ConnectionInfo;
  address: string;
  port: number;
}

export class UdpFlows {
  private flows = new Map<number, Flow>();

  constructor(
    private ctx: ServiceContext,
    private owner: { id: string; protocol: string; port: number; ownEnd?: Partial<Endpoint> },
  ) {}

  /** The flow of a client, opened (and labelled with the lab's names for it) on its first datagram. */
  get(address: string, port: number): Flow {
    // keyed by port: no string is built per datagram; another address on the same port
    // (a LAN client) replaces the flow, as a new conversation
    let flow = this.flows.get(port);
    if (flow && flow.address !== address) {
      this.end(flow);
      flow = undefined;
    }
    if (!flow) {
      const note = this.ctx.names.lookup(port);
      const conn = this.ctx.store.openConnection({
        transport: 'udp',
        service: this.owner.id,
        protocol: this.owner.protocol,
        client: endpoint(address, port, note?.client),
        server: endpoint(address.includes(':') ? LOOPBACK_V6 : this.ctx.bindAddress, this.owner.port, this.owner.ownEnd, note?.server),
      });
      flow = { conn, address, port };
      this.flows.set(port, flow);
      if (this.flows.size > MAX_FLOWS) this.end(this.flows.values().next().value as Flow);
    }
    return flow;
  }

  end(flow: Flow): void {
    if (this.flows.get(flow.port) === flow) this.flows.delete(flow.port);
    this.ctx.store.closeConnection(flow.conn);
  }

  endAll(): void {
    for (const flow of this.flows.values()) this.ctx.store.closeConnection(flow.conn);
    this.flows.clear();
  }
}

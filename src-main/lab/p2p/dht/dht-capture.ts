/**
 * DHT datagrams in the capture: one flow per (receiving peer, sender), named with the peers'
 * ids, so the inspector lists a lookup hop by hop — `LOOKUP 51 · hop 3 · q 9f…` on the flow
 * from peer 25 to peer 32. The table of flows is bounded; the oldest is closed past the cap.
 */
import type { ConnectionInfo } from '../../api';
import type { CaptureStore } from '../../capture/store';
import { HEAD_BYTES } from '../../capture/table';
import { endpointText, type DhtMessage, type Endpoint, type PeerRef } from './dht-codec';
import { DHT_PROTOCOL, describeDht } from './dht-decoder';

const MAX_FLOWS = 4096;

/**
 * A received row's summary is the decoder's (dht-decoder.ts), worked out from the bytes only
 * when someone looks: the same text, as `m` was read from these bytes, but not made for every
 * datagram of a busy ring.
 * A line longer than a row's head (a PUT of a long value) is the exception: once the capture's
 * arena has let its bytes go, the head alone would not read, so its summary is kept now.
 */
function summary(bytes: Buffer, m: DhtMessage | null): string | undefined {
  return m && bytes.length > HEAD_BYTES ? describeDht(m) : undefined;
}

export class DhtCapture {
  private flows = new Map<string, ConnectionInfo>();

  constructor(
    private store: CaptureStore,
    /** the ring's name for an endpoint: `peer 12`, or undefined for someone outside */
    private nameOf: (e: Endpoint) => string | undefined,
    readonly service = 'dht',
  ) {}

  received(to: PeerRef, from: Endpoint, bytes: Buffer, m: DhtMessage | null): void {
    if (!this.store.enabled) return;
    this.store.record({ conn: this.flow(to, from), dir: 'c2s', kind: 'message', bytes, summary: summary(bytes, m) });
  }

  sentOutside(from: PeerRef, to: Endpoint, bytes: Buffer, m: DhtMessage): void {
    if (!this.store.enabled) return;
    // rare (nc, the lab terminal), and its reasons may hold what latin1 cannot write: said as meant
    this.store.record({ conn: this.flow(from, to), dir: 's2c', kind: 'message', bytes, summary: describeDht(m) });
  }

  note(at: PeerRef, other: Endpoint, text: string): void {
    if (!this.store.enabled) return;
    this.store.note(this.flow(at, other), 'c2s', text);
  }

  /** a peer left: its flows end */
  closePeer(p: PeerRef): void {
    const suffix = `>${endpointText(p)}`;
    for (const [k, conn] of this.flows) {
      if (k.endsWith(suffix)) {
        this.store.closeConnection(conn);
        this.flows.delete(k);
      }
    }
  }

  closeAll(): void {
    for (const conn of this.flows.values()) this.store.closeConnection(conn);
    this.flows.clear();
  }

  /** the flow from `other` to the peer `at` (its server side) */
  private flow(at: PeerRef, other: Endpoint): ConnectionInfo {
    const k = `${endpointText(other)}>${endpointText(at)}`;
    let conn = this.flows.get(k);
    if (!conn) {
      conn = this.store.openConnection({
        transport: 'udp',
        service: this.service,
        protocol: DHT_PROTOCOL,
        client: { address: other.address, port: other.port, name: this.nameOf(other) ?? 'outside the ring' },
        server: { address: at.address, port: at.port, name: `peer ${at.id}` },
      });
      this.flows.set(k, conn);
      if (this.flows.size > MAX_FLOWS) {
        const [oldKey, old] = this.flows.entries().next().value as [string, ConnectionInfo];
        this.store.closeConnection(old);
        this.flows.delete(oldKey);
      }
    }
    return conn;
  }
}

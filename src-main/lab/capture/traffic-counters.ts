/**
 * Octets and messages per service and direction, counted as they cross the tap whether or
 * not the capture keeps them: the interface counters the SNMP agent serves (ifInOctets,
 * ifOutOctets, udpInDatagrams …) move with the lab's real traffic. TCP counts its reads
 * (what crossed the wire: chunks, and messages a read delivered whole, which stand for their
 * chunk), UDP its datagrams; notes are not traffic.
 */
import type { CaptureKind, Direction, Transport } from '../api';

export interface ServiceTraffic {
  inOctets: number;
  outOctets: number;
  inPkts: number;
  outPkts: number;
  /** connections (TCP) or flows (UDP) opened */
  opens: number;
  /** datagrams the link emulation lost on the way in / out (ifInDiscards, ifOutDiscards) */
  inDiscards: number;
  outDiscards: number;
}

export class TrafficCounters {
  private byService = new Map<string, ServiceTraffic>();
  readonly totals: Record<Transport, ServiceTraffic> = { tcp: empty(), udp: empty() };

  of(service: string): ServiceTraffic {
    let t = this.byService.get(service);
    if (!t) this.byService.set(service, (t = empty()));
    return t;
  }

  opened(service: ServiceTraffic, transport: Transport): void {
    service.opens++;
    this.totals[transport].opens++;
  }

  count(service: ServiceTraffic, transport: Transport, kind: CaptureKind, whole: boolean, dir: Direction, size: number): void {
    if (transport === 'tcp' ? kind === 'event' || (kind === 'message' && !whole) : kind !== 'message') return;
    const total = this.totals[transport];
    if (dir === 'c2s') {
      service.inOctets += size;
      service.inPkts++;
      total.inOctets += size;
      total.inPkts++;
    } else if (dir === 's2c') {
      service.outOctets += size;
      service.outPkts++;
      total.outOctets += size;
      total.outPkts++;
    }
  }
}

function empty(): ServiceTraffic {
  return { inOctets: 0, outOctets: 0, inPkts: 0, outPkts: 0, opens: 0, inDiscards: 0, outDiscards: 0 };
}

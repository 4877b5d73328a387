/**
 * The MIB the lab's agents serve, built from the lab's live state (net-snmp's habit: each
 * object a handler that reads the value when asked). MIB-II's system, interfaces, tcp, udp
 * and snmp groups (RFC 1213, RFC 3418) and the NetLab lab arc (oid.ts NETLAB): one interface
 * per lab service — its link, with counters that move with the traffic the capture tap
 * counts — and tables of the services' state and their links' settings, some writable.
 */
import type { LabService } from '../services/service';
import type { CaptureStore } from '../capture/store';
import { compareOid, NETLAB, type Oid } from './oid';
import type { SnmpValue, ValueType } from './snmp-message';
import type { SnmpStats } from './snmp-stats';

export interface Writable {
  type: ValueType;
  /** null when the value is acceptable, else why not (wrongValue / wrongLength) */
  check(v: SnmpValue): null | 'wrongValue' | 'wrongLength';
  apply(v: SnmpValue): void;
}

export interface MibObject {
  oid: number[];
  get(): SnmpValue;
  set?: Writable;
}

export interface MibSource {
  services(): readonly LabService[];
  store: CaptureStore;
  stats: SnmpStats;
  /** the lab host whose agent answers this request */
  hostName(): string;
  /** a host's sysContact and sysLocation, each host's own (a SET with the write community changes them) */
  sysText(host: string): { contact: string; location: string };
  startedAt: number;
}

const MIB2 = [1, 3, 6, 1, 2, 1];
const int = (value: number): SnmpValue => ({ type: 'Integer', value });
const str = (value: string): SnmpValue => ({ type: 'OctetString', value: Buffer.from(value) });
const c32 = (value: number): SnmpValue => ({ type: 'Counter32', value: value % 2 ** 32 });
const gauge = (value: number): SnmpValue => ({ type: 'Gauge32', value: Math.min(value, 2 ** 32 - 1) });

function textSetting(set: (v: string) => void): Writable {
  return {
    type: 'OctetString',
    check: (v) => (v.type === 'OctetString' && v.value.length <= 255 ? null : 'wrongLength'),
    apply: (v) => v.type === 'OctetString' && set(v.value.toString('utf8')),
  };
}

function integerSetting(min: number, max: number, set: (n: number) => void): Writable {
  return {
    type: 'Integer',
    check: (v) => (v.type === 'Integer' && v.value >= min && v.value <= max ? null : 'wrongValue'),
    apply: (v) => v.type === 'Integer' && set(v.value),
  };
}

function systemGroup(src: MibSource): MibObject[] {
  const sys = (arc: number): number[] => [...MIB2, 1, arc, 0];
  return [
    { oid: sys(1), get: () => str(`NetLab SNMP agent on ${src.hostName()} (a lab host; Node ${process.version})`) },
    { oid: sys(2), get: () => ({ type: 'OID', value: [...NETLAB, 1] }) },
    { oid: sys(3), get: () => ({ type: 'TimeTicks', value: Math.floor((performance.now() - src.startedAt) / 10) % 2 ** 32 }) },
    { oid: sys(4), get: () => str(src.sysText(src.hostName()).contact), set: textSetting((v) => (src.sysText(src.hostName()).contact = v)) },
    { oid: sys(5), get: () => str(src.hostName()) },
    { oid: sys(6), get: () => str(src.sysText(src.hostName()).location), set: textSetting((v) => (src.sysText(src.hostName()).location = v)) },
    // applications (layer 7) + end-to-end (layer 4): 0x40 + 0x08 (RFC 3418 sysServices)
    { oid: sys(7), get: () => int(72) },
  ];
}

/** one row per lab service: its link is the interface (RFC 1213 §6.4, ifTable) */
function interfaces(src: MibSource, services: readonly LabService[]): MibObject[] {
  const out: MibObject[] = [{ oid: [...MIB2, 2, 1, 0], get: () => int(services.length) }];
  const col = (c: number, i: number): number[] => [...MIB2, 2, 2, 1, c, i];
  services.forEach((s, n) => {
    const i = n + 1;
    const t = () => src.store.traffic.of(s.id);
    const up = () => int(s.state === 'running' ? 1 : 2);
    out.push(
      { oid: col(1, i), get: () => int(i) },
      { oid: col(2, i), get: () => str(`${s.id}: ${s.name}, ${s.transport.toUpperCase()} ${s.port}`) },
      // ethernetCsmacd(6): the lab's links stand for the access links of the textbook's hosts
      { oid: col(3, i), get: () => int(6) },
      { oid: col(4, i), get: () => int(1500) },
      { oid: col(5, i), get: () => gauge(s.link.rateKbps > 0 ? s.link.rateKbps * 1000 : 1_000_000_000) },
      { oid: col(6, i), get: () => ({ type: 'OctetString', value: Buffer.alloc(0) }) },
      { oid: col(7, i), get: up },
      { oid: col(8, i), get: up },
      { oid: col(9, i), get: () => ({ type: 'TimeTicks', value: 0 }) },
      { oid: col(10, i), get: () => c32(t().inOctets) },
      { oid: col(11, i), get: () => c32(t().inPkts) },
      { oid: col(12, i), get: () => c32(0) },
      // the link emulation's losses (datagrams only: a stream is never lost)
      { oid: col(13, i), get: () => c32(t().inDiscards) },
      { oid: col(14, i), get: () => c32(0) },
      { oid: col(15, i), get: () => c32(0) },
      { oid: col(16, i), get: () => c32(t().outOctets) },
      { oid: col(17, i), get: () => c32(t().outPkts) },
      { oid: col(18, i), get: () => c32(0) },
      { oid: col(19, i), get: () => c32(t().outDiscards) },
      { oid: col(20, i), get: () => c32(0) },
      { oid: col(21, i), get: () => gauge(0) },
      { oid: col(22, i), get: () => ({ type: 'OID', value: [0, 0] }) },
    );
  });
  return out;
}

const IPV4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/;

function tcpGroup(src: MibSource, services: readonly LabService[]): MibObject[] {
  const g = (arc: number): number[] => [...MIB2, 6, arc, 0];
  const totals = src.store.traffic.totals.tcp;
  const open = src.store.openConnections().filter((c) => c.transport === 'tcp');
  const out: MibObject[] = [
    { oid: g(1), get: () => int(4) }, // vanj: Jacobson's RTO
    { oid: g(2), get: () => int(200) },
    { oid: g(3), get: () => int(120_000) },
    { oid: g(4), get: () => int(-1) },
    { oid: g(5), get: () => c32(0) },
    { oid: g(6), get: () => c32(totals.opens) },
    { oid: g(7), get: () => c32(0) },
    { oid: g(8), get: () => c32(0) },
    { oid: g(9), get: () => gauge(services.filter((s) => s.transport === 'tcp').reduce((n, s) => n + s.connectionCount(), 0)) },
    { oid: g(10), get: () => c32(totals.inPkts) },
    { oid: g(11), get: () => c32(totals.outPkts) },
    { oid: g(12), get: () => c32(0) },
  ];
  // tcpConnTable, indexed by local address and port, remote address and port (IPv4 only, as RFC 1213's is)
  const rows = new Map<string, { index: number[]; local: string; lport: number; remote: string; rport: number }>();
  for (const c of open) {
    const l = IPV4.exec(c.server.address);
    const r = IPV4.exec(c.client.address);
    if (!l || !r) continue;
    const index = [...l.slice(1).map(Number), c.server.port, ...r.slice(1).map(Number), c.client.port];
    rows.set(index.join('.'), { index, local: l.slice(1).join('.'), lport: c.server.port, remote: r.slice(1).join('.'), rport: c.client.port });
  }
  const col = (c: number, index: number[]): number[] => [...MIB2, 6, 13, 1, c, ...index];
  for (const row of rows.values()) {
    out.push(
      { oid: col(1, row.index), get: () => int(5) }, // established
      { oid: col(2, row.index), get: () => ({ type: 'IpAddress', value: row.local }) },
      { oid: col(3, row.index), get: () => int(row.lport) },
      { oid: col(4, row.index), get: () => ({ type: 'IpAddress', value: row.remote }) },
      { oid: col(5, row.index), get: () => int(row.rport) },
    );
  }
  return out;
}

function udpGroup(src: MibSource): MibObject[] {
  const totals = src.store.traffic.totals.udp;
  const g = (arc: number): number[] => [...MIB2, 7, arc, 0];
  return [
    { oid: g(1), get: () => c32(totals.inPkts) },
    { oid: g(2), get: () => c32(0) },
    { oid: g(3), get: () => c32(src.stats.asnParseErrs) },
    { oid: g(4), get: () => c32(totals.outPkts) },
  ];
}

function snmpGroup(src: MibSource): MibObject[] {
  const s = src.stats;
  const g = (arc: number, read: () => number): MibObject => ({ oid: [...MIB2, 11, arc, 0], get: () => c32(read()) });
  return [
    g(1, () => s.inPkts), g(2, () => s.outPkts), g(3, () => s.badVersions), g(4, () => s.badCommunityNames), g(5, () => s.badCommunityUses),
    g(6, () => s.asnParseErrs), g(13, () => s.totalReqVars), g(14, () => s.totalSetVars), g(15, () => s.getRequests), g(16, () => s.getNexts),
    g(17, () => s.setRequests), g(20, () => s.tooBigs), g(28, () => s.getResponses), g(29, () => s.traps),
    { oid: [...MIB2, 11, 30, 0], get: () => int(2) }, // authentication-failure traps: disabled
    g(31, () => s.silentDrops),
  ];
}

/** the lab arc: services (start/stop by SET) and their links (delay, loss, rate, jitter by SET) */
function netlabArc(services: readonly LabService[]): MibObject[] {
  const out: MibObject[] = [];
  const svc = (c: number, i: number): number[] => [...NETLAB, 2, 1, c, i];
  const link = (c: number, i: number): number[] => [...NETLAB, 3, 1, c, i];
  const states: Record<string, number> = { running: 1, stopped: 2, starting: 1, error: 3 };
  services.forEach((s, n) => {
    const i = n + 1;
    out.push(
      { oid: svc(1, i), get: () => int(i) },
      { oid: svc(2, i), get: () => str(s.id) },
      { oid: svc(3, i), get: () => str(s.protocol) },
      { oid: svc(4, i), get: () => int(s.port) },
      {
        oid: svc(5, i),
        get: () => int(states[s.state] ?? 3),
        // after the response is sent: a SET that stops the SNMP service itself is still answered
        set: integerSetting(1, 2, (v) => setImmediate(() => void (v === 1 ? s.start() : s.stop()))),
      },
    );
  });
  services.forEach((s, n) => {
    const i = n + 1;
    const configure = (patch: Partial<LabService['link']>): void => void s.configure({ link: patch });
    out.push(
      { oid: link(1, i), get: () => int(i) },
      { oid: link(2, i), get: () => int(Math.round(s.link.delayMs)), set: integerSetting(0, 60_000, (v) => configure({ delayMs: v })) },
      // loss in parts per thousand: an INTEGER, as SMI has no fractions
      { oid: link(3, i), get: () => int(Math.round(s.link.lossRate * 1000)), set: integerSetting(0, 1000, (v) => configure({ lossRate: v / 1000 })) },
      { oid: link(4, i), get: () => int(s.link.rateKbps), set: integerSetting(0, 10_000_000, (v) => configure({ rateKbps: v })) },
      { oid: link(5, i), get: () => int(Math.round(s.link.jitterMs)), set: integerSetting(0, 60_000, (v) => configure({ jitterMs: v })) },
    );
  });
  return out;
}

/** The whole MIB, sorted for GetNext. Rebuilt when the lab's services or connections change. */
export function buildMib(src: MibSource): MibObject[] {
  const services = src.services();
  const all = [...systemGroup(src), ...interfaces(src, services), ...tcpGroup(src, services), ...udpGroup(src), ...snmpGroup(src), ...netlabArc(services)];
  return all.sort((a, b) => compareOid(a.oid, b.oid));
}

/** the index of the first object at or after `oid` (binary search) */
export function lowerBound(mib: readonly MibObject[], oid: Oid): number {
  let lo = 0;
  let hi = mib.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareOid(mib[mid].oid, oid) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

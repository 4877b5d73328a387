/**
 * Object identifiers as arrays of arcs: ordering (the lexicographic order GetNext walks,
 * RFC 3416 §4.2.2), text forms, and the names of the objects the lab's agent serves
 * (MIB-II, RFC 1213; SNMPv2-MIB, RFC 3418; the NetLab lab arc), so the terminal and the
 * inspector can say `sysName.0` as net-snmp does with its MIB files loaded.
 */

export type Oid = readonly number[];

export function compareOid(a: Oid, b: Oid): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function startsWith(oid: Oid, prefix: Oid): boolean {
  if (oid.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (oid[i] !== prefix[i]) return false;
  return true;
}

export function oidText(oid: Oid): string {
  return oid.join('.');
}

/**
 * The NetLab lab arc: 1.3.6.1.4.1.32473 is the enterprise number IANA set aside for
 * documentation and examples (RFC 5612), so the lab's private MIB can never be mistaken for
 * a real vendor's. .17 is NetLab under it.
 */
export const NETLAB = [1, 3, 6, 1, 4, 1, 32473, 17];

interface Named {
  name: string;
  module: string;
  oid: number[];
}

const MIB2 = [1, 3, 6, 1, 2, 1];
const table = (module: string, base: number[], names: Record<string, number>): Named[] =>
  Object.entries(names).map(([name, arc]) => ({ name, module, oid: [...base, arc] }));

const NAMES: Named[] = [
  { name: 'iso', module: 'SNMPv2-SMI', oid: [1] },
  { name: 'internet', module: 'SNMPv2-SMI', oid: [1, 3, 6, 1] },
  { name: 'enterprises', module: 'SNMPv2-SMI', oid: [1, 3, 6, 1, 4, 1] },
  { name: 'mib-2', module: 'SNMPv2-SMI', oid: MIB2 },
  { name: 'system', module: 'SNMPv2-MIB', oid: [...MIB2, 1] },
  ...table('SNMPv2-MIB', [...MIB2, 1], { sysDescr: 1, sysObjectID: 2, sysUpTime: 3, sysContact: 4, sysName: 5, sysLocation: 6, sysServices: 7 }),
  { name: 'interfaces', module: 'IF-MIB', oid: [...MIB2, 2] },
  { name: 'ifNumber', module: 'IF-MIB', oid: [...MIB2, 2, 1] },
  { name: 'ifTable', module: 'IF-MIB', oid: [...MIB2, 2, 2] },
  { name: 'ifEntry', module: 'IF-MIB', oid: [...MIB2, 2, 2, 1] },
  ...table('IF-MIB', [...MIB2, 2, 2, 1], {
    ifIndex: 1, ifDescr: 2, ifType: 3, ifMtu: 4, ifSpeed: 5, ifPhysAddress: 6, ifAdminStatus: 7, ifOperStatus: 8, ifLastChange: 9,
    ifInOctets: 10, ifInUcastPkts: 11, ifInNUcastPkts: 12, ifInDiscards: 13, ifInErrors: 14, ifInUnknownProtos: 15, ifOutOctets: 16,
    ifOutUcastPkts: 17, ifOutNUcastPkts: 18, ifOutDiscards: 19, ifOutErrors: 20, ifOutQLen: 21, ifSpecific: 22,
  }),
  { name: 'tcp', module: 'TCP-MIB', oid: [...MIB2, 6] },
  ...table('TCP-MIB', [...MIB2, 6], {
    tcpRtoAlgorithm: 1, tcpRtoMin: 2, tcpRtoMax: 3, tcpMaxConn: 4, tcpActiveOpens: 5, tcpPassiveOpens: 6, tcpAttemptFails: 7,
    tcpEstabResets: 8, tcpCurrEstab: 9, tcpInSegs: 10, tcpOutSegs: 11, tcpRetransSegs: 12, tcpConnTable: 13,
  }),
  { name: 'tcpConnEntry', module: 'TCP-MIB', oid: [...MIB2, 6, 13, 1] },
  ...table('TCP-MIB', [...MIB2, 6, 13, 1], { tcpConnState: 1, tcpConnLocalAddress: 2, tcpConnLocalPort: 3, tcpConnRemAddress: 4, tcpConnRemPort: 5 }),
  { name: 'udp', module: 'UDP-MIB', oid: [...MIB2, 7] },
  ...table('UDP-MIB', [...MIB2, 7], { udpInDatagrams: 1, udpNoPorts: 2, udpInErrors: 3, udpOutDatagrams: 4 }),
  { name: 'snmp', module: 'SNMPv2-MIB', oid: [...MIB2, 11] },
  ...table('SNMPv2-MIB', [...MIB2, 11], {
    snmpInPkts: 1, snmpOutPkts: 2, snmpInBadVersions: 3, snmpInBadCommunityNames: 4, snmpInBadCommunityUses: 5, snmpInASNParseErrs: 6,
    snmpInTotalReqVars: 13, snmpInTotalSetVars: 14, snmpInGetRequests: 15, snmpInGetNexts: 16, snmpInSetRequests: 17,
    snmpOutTooBigs: 20, snmpOutGetResponses: 28, snmpOutTraps: 29, snmpEnableAuthenTraps: 30, snmpSilentDrops: 31,
  }),
  { name: 'snmpTrapOID', module: 'SNMPv2-MIB', oid: [1, 3, 6, 1, 6, 3, 1, 1, 4, 1] },
  { name: 'netlab', module: 'NETLAB-MIB', oid: NETLAB },
  { name: 'netlabAgent', module: 'NETLAB-MIB', oid: [...NETLAB, 1] },
  { name: 'netlabServiceTable', module: 'NETLAB-MIB', oid: [...NETLAB, 2] },
  { name: 'netlabServiceEntry', module: 'NETLAB-MIB', oid: [...NETLAB, 2, 1] },
  ...table('NETLAB-MIB', [...NETLAB, 2, 1], { netlabServiceIndex: 1, netlabServiceName: 2, netlabServiceProtocol: 3, netlabServicePort: 4, netlabServiceState: 5 }),
  { name: 'netlabLinkTable', module: 'NETLAB-MIB', oid: [...NETLAB, 3] },
  { name: 'netlabLinkEntry', module: 'NETLAB-MIB', oid: [...NETLAB, 3, 1] },
  ...table('NETLAB-MIB', [...NETLAB, 3, 1], { netlabLinkIndex: 1, netlabLinkDelay: 2, netlabLinkLoss: 3, netlabLinkRate: 4, netlabLinkJitter: 5 }),
  { name: 'netlabServiceStopped', module: 'NETLAB-MIB', oid: [...NETLAB, 0, 1] },
];

const BY_NAME = new Map(NAMES.map((n) => [n.name.toLowerCase(), n]));
/** longest-prefix lookup: by the OID's text, shortest names first is wrong, so try from the longest */
const BY_OID = new Map(NAMES.map((n) => [oidText(n.oid), n]));

/** `SNMPv2-MIB::sysName.0` for a known object, else the numeric form */
export function oidName(oid: Oid, withModule = true): string {
  for (let n = oid.length; n > 0; n--) {
    const hit = BY_OID.get(oidText(oid.slice(0, n)));
    if (hit) {
      const rest = oid.slice(n);
      return `${withModule ? `${hit.module}::` : ''}${hit.name}${rest.length ? `.${rest.join('.')}` : ''}`;
    }
  }
  return oidText(oid);
}

/** What a user typed: `1.3.6.1.2.1.1.5.0`, `.1.3.6…`, `sysName.0`, `SNMPv2-MIB::sysName.0`, `system`. */
export function parseOid(text: string): number[] | string {
  const t = text.trim().replace(/^[A-Za-z0-9-]+::/, '');
  if (/^\.?\d+(\.\d+)+$/.test(t)) {
    const arcs = t.replace(/^\./, '').split('.').map(Number);
    if (arcs.some((a) => a > 0xffffffff)) return `${text}: a sub-identifier is past 4294967295`;
    if (arcs.length > 128) return `${text}: more than 128 sub-identifiers`;
    return arcs;
  }
  const m = /^([A-Za-z][A-Za-z0-9-]*)((?:\.\d+)*)$/.exec(t);
  const hit = m && BY_NAME.get(m[1].toLowerCase());
  if (!m || !hit) return `${text}: Unknown Object Identifier`;
  return [...hit.oid, ...(m[2] ? m[2].slice(1).split('.').map(Number) : [])];
}

/** Values and varbinds as net-snmp's tools print them (`STRING: …`, `Timeticks: (42) 0:00:00.42`). */
import { oidName, oidText } from './oid';
import { ERROR_NAMES, type SnmpValue, type VarBind } from './snmp-message';

function ticks(t: number): string {
  const cs = t % 100;
  const s = Math.floor(t / 100);
  const days = Math.floor(s / 86400);
  const hms = `${Math.floor((s % 86400) / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String(cs).padStart(2, '0')}`;
  return `(${t}) ${days ? `${days} day${days > 1 ? 's' : ''}, ` : ''}${hms}`;
}

function octets(b: Buffer): string {
  const printable = [...b].every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127));
  if (printable) return `STRING: ${b.length ? b.toString('latin1') : '""'}`;
  return `Hex-STRING: ${[...b].map((c) => c.toString(16).toUpperCase().padStart(2, '0')).join(' ')}`;
}

export function valueText(v: SnmpValue, numeric = false): string {
  switch (v.type) {
    case 'Integer':
      return `INTEGER: ${v.value}`;
    case 'OctetString':
      return octets(v.value);
    case 'Opaque':
      return `OPAQUE: ${v.value.toString('hex')}`;
    case 'Null':
      return 'NULL';
    case 'OID':
      return `OID: ${numeric ? `.${oidText(v.value)}` : oidName(v.value)}`;
    case 'IpAddress':
      return `IpAddress: ${v.value}`;
    case 'Counter32':
      return `Counter32: ${v.value}`;
    case 'Gauge32':
      return `Gauge32: ${v.value}`;
    case 'TimeTicks':
      return `Timeticks: ${ticks(v.value)}`;
    case 'Counter64':
      return `Counter64: ${v.value}`;
    case 'noSuchObject':
      return 'No Such Object available on this agent at this OID';
    case 'noSuchInstance':
      return 'No Such Instance currently exists at this OID';
    case 'endOfMibView':
      return 'No more variables left in this MIB View (It is past the end of the MIB tree)';
  }
}

export function varbindText(vb: VarBind, numeric = false): string {
  return `${numeric ? `.${oidText(vb.oid)}` : oidName(vb.oid)} = ${valueText(vb.value, numeric)}`;
}

export function errorName(status: number): string {
  return ERROR_NAMES[status] ?? `error ${status}`;
}

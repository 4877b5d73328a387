/**
 * The lab terminal's snmpget, snmpwalk, snmpbulkwalk and snmpset, with net-snmp's syntax
 * (`snmpget -v2c -c public gaia.cs.umass.edu sysName.0`). Pure parsing; snmp-client.ts
 * sends the requests.
 */
import { parseOid } from './oid';
import type { SnmpValue } from './snmp-message';

export type SnmpTool = 'snmpget' | 'snmpwalk' | 'snmpbulkwalk' | 'snmpset';

export interface SnmpCommand {
  kind: 'snmp';
  tool: SnmpTool;
  version: 0 | 1;
  community: string;
  host: string;
  port: number;
  numeric: boolean;
  timeoutMs: number;
  retries: number;
  maxRepetitions: number;
  oids: number[][];
  /** snmpset: the values, one per OID */
  values: SnmpValue[];
}

export const SNMP_HELP = [
  '  snmpget HOST OID...     SNMP GET from a lab host\'s agent (port 161); -v1|-v2c, -c public',
  '  snmpwalk HOST [OID]     GETNEXT through a subtree (snmpbulkwalk: GETBULK); OID: sysName.0, 1.3.6…',
  '  snmpset HOST OID T V    SET with -c private; T is i u t a o s x n (sysLocation.0 s "room 101")',
]

const usage = (tool: SnmpTool): string =>
  tool === 'snmpset' ? 'usage: snmpset [-v1|-v2c] [-c COMMUNITY] [-On] HOST[:PORT] OID TYPE VALUE [OID TYPE VALUE ...]' : `usage: ${tool} [-v1|-v2c] [-c COMMUNITY] [-On] [-t SECONDS] [-r RETRIES] HOST[:PORT] ${tool === 'snmpget' ? 'OID...' : '[OID]'}`;

/** net-snmp's snmpset TYPE letters */
export function parseSetValue(type: string, text: string): SnmpValue | string {
  switch (type) {
    case 'i':
      return /^-?\d+$/.test(text) && Math.abs(Number(text)) < 2 ** 31 ? { type: 'Integer', value: Number(text) } : `${text}: Bad value notation`;
    case 'u':
    case 't':
      return /^\d+$/.test(text) && Number(text) < 2 ** 32 ? { type: type === 'u' ? 'Gauge32' : 'TimeTicks', value: Number(text) } : `${text}: Bad value notation`;
    case 'a':
      return /^\d{1,3}(\.\d{1,3}){3}$/.test(text) ? { type: 'IpAddress', value: text } : `${text}: Bad value notation`;
    case 'o': {
      const oid = parseOid(text);
      return typeof oid === 'string' ? oid : { type: 'OID', value: oid };
    }
    case 's':
      return { type: 'OctetString', value: Buffer.from(text) };
    case 'x':
      return /^([0-9a-fA-F]{2}\s*)*$/.test(text) ? { type: 'OctetString', value: Buffer.from(text.replace(/\s/g, ''), 'hex') } : `${text}: Bad value notation`;
    case 'n':
      return { type: 'Null' };
    default:
      return `${type}: Bad object type (NetLab's snmpset knows i u t a o s x n)`;
  }
}

export function parseSnmpCommand(tool: SnmpTool, args: string[]): SnmpCommand | { kind: 'error'; message: string } {
  const cmd: SnmpCommand = { kind: 'snmp', tool, version: 1, community: 'public', host: '', port: 161, numeric: false, timeoutMs: 1000, retries: 1, maxRepetitions: 10, oids: [], values: [] };
  const rest: string[] = [];
  const err = (message: string) => ({ kind: 'error' as const, message });
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | undefined => (a.length > 2 ? a.slice(2) : args[++i]);
    if (a === '-On' || a === '-m' || a === '-M') {
      if (a === '-On') cmd.numeric = true;
      else i++; // MIB files: the lab knows its own objects' names
    } else if (a.startsWith('-v')) {
      const v = value();
      if (v === '1') cmd.version = 0;
      else if (v === '2c') cmd.version = 1;
      else return err(`${tool}: version ${v ?? '?'} is not served by NetLab's agents (use -v1 or -v2c)`);
    } else if (a.startsWith('-c')) {
      const c = value();
      if (c === undefined) return err(`${tool}: -c needs a community`);
      cmd.community = c;
    } else if (a.startsWith('-t') || a.startsWith('-r')) {
      const n = value();
      if (!n || !/^\d+(\.\d+)?$/.test(n)) return err(`${tool}: ${a.slice(0, 2)} needs a number`);
      if (a.startsWith('-t')) cmd.timeoutMs = Math.min(Number(n), 30) * 1000;
      else cmd.retries = Math.min(Number(n), 5);
    } else if (a.startsWith('-Cr')) {
      cmd.maxRepetitions = Math.min(Number(a.slice(3)) || 10, 1000);
    } else if (a.startsWith('-') && !/^-\d/.test(a)) {
      return err(`${tool}: unknown option ${a} (NetLab's ${tool} knows -v -c -On -t -r${tool === 'snmpbulkwalk' ? ' -Cr' : ''})`);
    } else rest.push(a);
  }
  const [target, ...objects] = rest;
  if (!target) return err(usage(tool));
  const m = /^(?:udp:)?([^:]+)(?::(\d{1,5}))?$/.exec(target);
  if (!m || (m[2] && (Number(m[2]) < 1 || Number(m[2]) > 65535))) return err(`${tool}: bad agent address ${target}`);
  cmd.host = m[1];
  if (m[2]) cmd.port = Number(m[2]);
  if (tool === 'snmpset') {
    if (objects.length === 0 || objects.length % 3) return err(usage(tool));
    for (let i = 0; i < objects.length; i += 3) {
      const oid = parseOid(objects[i]);
      if (typeof oid === 'string') return err(oid);
      const v = parseSetValue(objects[i + 1], objects[i + 2]);
      if (typeof v === 'string') return err(`${objects[i]}: ${v}`);
      cmd.oids.push(oid);
      cmd.values.push(v);
    }
    return cmd;
  }
  if (tool === 'snmpget' && objects.length === 0) return err(usage(tool));
  if (tool !== 'snmpget' && objects.length > 1) return err(usage(tool));
  for (const o of objects.length ? objects : ['1.3.6.1.2.1']) {
    const oid = parseOid(o);
    if (typeof oid === 'string') return err(oid);
    cmd.oids.push(oid);
  }
  return cmd;
}

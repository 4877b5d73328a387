/**
 * The terminal's SNMP manager: requests from its own UDP socket to a lab host's agent,
 * dialled through the lab internet (port 161 routes to the agents' socket), the socket
 * named first so the agent answers as that host and the inspector shows who asked. Output
 * as net-snmp's tools print it.
 */
import dgram from 'node:dgram';
import type { LabInternet } from '../internet/internet';
import type { ClientNames } from '../internet/names';
import { compareOid, startsWith } from './oid';
import { errorName, varbindText } from './snmp-format';
import type { SnmpCommand } from './snmp-command';
import { decodeMessage, encodeMessage, PDU, type Pdu, type PduTag, type VarBind } from './snmp-message';

export interface SnmpClientHost {
  internet: LabInternet;
  names: ClientNames;
}

/** a walk stops here even if the agent goes on (a table of open connections can grow as it is walked) */
const MAX_WALK = 5000;

const REASONS: Record<string, string> = {
  tooBig: 'The response would be too large to fit in a single packet',
  noSuchName: 'There is no such variable name in this MIB.',
  badValue: 'The value given has the wrong type or length.',
  readOnly: 'The two parties used do not have access to use the specified SNMP PDU.',
  noAccess: 'The requested variable can not be accessed.',
  wrongType: 'The set datatype does not match the data type the agent expects',
  wrongValue: 'The set value is illegal or unsupported in some way.',
  wrongLength: 'The set value has an illegal length from what the agent expects.',
  notWritable: 'That object does not support modification',
  noCreation: 'That table does not support row creation or that object can not ever be created',
};

class Timeout extends Error {}

export async function runSnmpCommand(host: SnmpClientHost, cmd: SnmpCommand, session: number): Promise<string[]> {
  const where = await host.internet.dial(cmd.host, cmd.port);
  if (!where.ok) return [`${cmd.tool}: ${where.error}`];
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  host.names.note(socket.address().port, {
    client: { name: `terminal ${session}` },
    server: { name: where.name, virtualAddress: where.virtualAddress, ...(where.port !== cmd.port ? { virtualPort: cmd.port } : {}) },
  });
  let requestId = Math.floor(Math.random() * 2 ** 30);
  const ask = async (type: PduTag, varbinds: VarBind[], bulk?: { nonRepeaters: number; maxRepetitions: number }): Promise<Pdu> => {
    const id = requestId++;
    const bytes = encodeMessage({
      version: cmd.version,
      community: Buffer.from(cmd.community),
      pdu: { type, requestId: id, errorStatus: bulk?.nonRepeaters ?? 0, errorIndex: bulk?.maxRepetitions ?? 0, varbinds },
    });
    for (let attempt = 0; attempt <= cmd.retries; attempt++) {
      const reply = await exchange(socket, bytes, where.address, where.port, id, cmd.timeoutMs);
      if (reply) return reply;
    }
    throw new Timeout();
  };
  const shown = cmd.host;
  try {
    if (cmd.tool === 'snmpwalk' || cmd.tool === 'snmpbulkwalk') return await walk(cmd, ask);
    const type = cmd.tool === 'snmpset' ? PDU.set : PDU.get;
    const varbinds: VarBind[] = cmd.oids.map((oid, i) => ({ oid, value: cmd.tool === 'snmpset' ? cmd.values[i] : { type: 'Null' } }));
    const r = await ask(type, varbinds);
    if (r.errorStatus) return errorLines(r, cmd.numeric);
    return r.varbinds.map((vb) => varbindText(vb, cmd.numeric));
  } catch (err) {
    if (err instanceof Timeout) return [`Timeout: No Response from ${shown}.`];
    return [`${cmd.tool}: ${(err as Error).message}`];
  } finally {
    host.names.forget(socket.address().port);
    socket.close();
  }
}

async function walk(cmd: SnmpCommand, ask: (type: PduTag, vbs: VarBind[], bulk?: { nonRepeaters: number; maxRepetitions: number }) => Promise<Pdu>): Promise<string[]> {
  const root = cmd.oids[0];
  const out: string[] = [];
  let cursor = root;
  for (;;) {
    const r =
      cmd.tool === 'snmpbulkwalk'
        ? await ask(PDU.getBulk, [{ oid: cursor, value: { type: 'Null' } }], { nonRepeaters: 0, maxRepetitions: cmd.maxRepetitions })
        : await ask(PDU.getNext, [{ oid: cursor, value: { type: 'Null' } }]);
    if (r.errorStatus) {
      // v1's noSuchName at the end of the MIB ends the walk, as net-snmp's does
      if (cmd.version === 0 && errorName(r.errorStatus) === 'noSuchName') break;
      return [...out, ...errorLines(r, cmd.numeric)];
    }
    let done = r.varbinds.length === 0;
    for (const vb of r.varbinds) {
      if (vb.value.type === 'endOfMibView' || !startsWith(vb.oid, root) || compareOid(vb.oid, cursor) <= 0) {
        done = true;
        break;
      }
      out.push(varbindText(vb, cmd.numeric));
      cursor = vb.oid;
    }
    if (done || out.length >= MAX_WALK) break;
  }
  if (out.length === 0) return [`${cmd.numeric ? `.${root.join('.')}` : root.join('.')} = No Such Object available on this agent at this OID`];
  return out;
}

function errorLines(r: Pdu, numeric: boolean): string[] {
  const name = errorName(r.errorStatus);
  const failed = r.varbinds[r.errorIndex - 1];
  return [
    'Error in packet.',
    `Reason: ${name}${REASONS[name] ? ` (${REASONS[name]})` : ''}`,
    ...(failed ? [`Failed object: ${varbindText(failed, numeric).split(' = ')[0]}`] : []),
  ];
}

/** one request, and the response with its request-id (others are ignored), or null after `ms` */
function exchange(socket: dgram.Socket, bytes: Buffer, address: string, port: number, id: number, ms: number): Promise<Pdu | null> {
  return new Promise((resolve) => {
    const done = (r: Pdu | null): void => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(r);
    };
    const onMessage = (msg: Buffer): void => {
      try {
        const m = decodeMessage(msg);
        if (m.pdu.type === PDU.response && m.pdu.requestId === id) done(m.pdu);
      } catch {
        // not an SNMP response: keep waiting
      }
    };
    const timer = setTimeout(() => done(null), ms);
    socket.on('message', onMessage);
    socket.send(bytes, port, address);
  });
}

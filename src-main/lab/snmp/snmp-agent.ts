/**
 * The agent's logic, without sockets: a datagram in, a response (or a reason to stay silent)
 * out. Community-based access as RFC 1157 §4.1 and RFC 3584 have it — a wrong community gets
 * no answer at all, only a counted snmpInBadCommunityNames — and the PDU handling of RFC
 * 3416 §4.2: Get, GetNext, GetBulk (v2c) and Set, each with v1's error-status (noSuchName,
 * badValue, readOnly) or v2c's exceptions and errors (noSuchObject, endOfMibView,
 * wrongType, notWritable …). A response never passes MAX_RESPONSE bytes: GetBulk is cut to
 * fit (§4.2.3), anything else becomes tooBig.
 */
import { BerError, BerReader, readSigned, TAG } from './ber';
import { buildMib, lowerBound, type MibObject, type MibSource } from './mib';
import { compareOid, startsWith } from './oid';
import {
  decodeMessage,
  encodeMessageWith,
  encodeVarBind,
  ERR,
  messageOverhead,
  PDU,
  VERSION_1,
  VERSION_2C,
  type Pdu,
  type SnmpMessage,
  type SnmpValue,
  type VarBind,
} from './snmp-message';

/** the largest response the agent sends: an Ethernet frame's UDP payload, as net-snmp's agent defaults to */
export const MAX_RESPONSE = 1472;

export interface Communities {
  read: string;
  write: string;
}

export interface AgentResult {
  reply?: Buffer;
  /** why nothing was answered, for a note in the capture */
  dropped?: string;
  request?: SnmpMessage;
}

export class SnmpAgent {
  private mib: MibObject[] = [];
  /** the capture's connection count when the object list was built (-1: build it again) */
  private builtFor = -1;
  private host = 'localhost';

  constructor(
    private src: Omit<MibSource, 'hostName'>,
    public communities: Communities,
    /** a lab host's canonical name, or undefined when the lab has no such host */
    private knownHost: (name: string) => string | undefined,
  ) {}

  get stats(): MibSource['stats'] {
    return this.src.stats;
  }

  /** the lab changed (a service started or stopped): rebuild the object list on the next request */
  invalidate(): void {
    this.builtFor = -1;
  }

  private objects(): MibObject[] {
    // values are read when asked; the list itself changes with the services and, for
    // tcpConnTable, with the connections
    const changes = this.src.store.connectionChanges;
    if (changes !== this.builtFor) {
      this.mib = buildMib({ ...this.src, hostName: () => this.host });
      this.builtFor = changes;
    }
    return this.mib;
  }

  /** `hostHint`: the lab host the client dialled (the terminal says so), when known */
  handle(datagram: Buffer, hostHint?: string): AgentResult {
    const s = this.src.stats;
    s.inPkts++;
    let msg: SnmpMessage;
    try {
      msg = decodeMessage(datagram);
    } catch (err) {
      const version = peekVersion(datagram);
      if (version !== undefined && version !== VERSION_1 && version !== VERSION_2C) {
        s.badVersions++;
        return { dropped: `dropped: SNMP version ${version} is not served here (v1 and v2c only; snmpInBadVersions)` };
      }
      s.asnParseErrs++;
      return { dropped: `dropped: ASN.1 parse error: ${(err as Error).message} (snmpInASNParseErrs)` };
    }
    if (msg.version !== VERSION_1 && msg.version !== VERSION_2C) {
      s.badVersions++;
      return { dropped: `dropped: SNMP version ${msg.version} is not served here (snmpInBadVersions)`, request: msg };
    }
    const { type } = msg.pdu;
    if (type === PDU.response || type === PDU.trapV2 || type === PDU.report || type === PDU.inform) {
      s.silentDrops++;
      return { dropped: 'dropped: not a request an agent answers', request: msg };
    }
    if (type === PDU.getBulk && msg.version === VERSION_1) {
      // RFC 3584 §4.1: a GetBulk in a v1 message is an unknown PDU
      s.asnParseErrs++;
      return { dropped: 'dropped: GetBulkRequest is not a v1 PDU (snmpInASNParseErrs)', request: msg };
    }
    // community indexing, net-snmp's `public@host` habit: one agent answers as each lab host
    const [community, at] = splitCommunity(msg.community.toString('latin1'));
    const host = at === undefined ? (hostHint ?? 'localhost') : this.knownHost(at);
    const access = community === this.communities.write ? 'write' : community === this.communities.read ? 'read' : null;
    if (!access || !host) {
      s.badCommunityNames++;
      return { dropped: `dropped: unknown community "${msg.community.toString('latin1')}" (snmpInBadCommunityNames; v1/v2c send no answer)`, request: msg };
    }
    this.host = host;
    const v1 = msg.version === VERSION_1;
    let out: { pdu: Omit<Pdu, 'varbinds'>; varbinds: VarBind[] };
    const ok = (varbinds: VarBind[]) => ({ pdu: { ...msg.pdu, type: PDU.response, errorStatus: 0, errorIndex: 0 }, varbinds });
    const fail = (status: number, index: number) => ({ pdu: { ...msg.pdu, type: PDU.response, errorStatus: status, errorIndex: index }, varbinds: msg.pdu.varbinds });
    if (type === PDU.set) {
      s.setRequests++;
      if (access !== 'write') {
        s.badCommunityUses++;
        out = fail(v1 ? ERR.noSuchName : ERR.noAccess, 1);
      } else {
        const e = this.set(msg.pdu.varbinds, v1);
        out = e ? fail(e.status, e.index) : ok(msg.pdu.varbinds);
        if (!e) s.totalSetVars += msg.pdu.varbinds.length;
      }
    } else {
      if (type === PDU.get) s.getRequests++;
      if (type === PDU.getNext) s.getNexts++;
      const r = type === PDU.getBulk ? { varbinds: this.bulk(msg.pdu) } : this.read(msg.pdu.varbinds, type === PDU.getNext, v1);
      out = 'status' in r ? fail(r.status, r.index) : ok(r.varbinds);
      if (!('status' in r)) s.totalReqVars += r.varbinds.length;
    }
    const reply = this.encode(msg, out.pdu, out.varbinds, type === PDU.getBulk);
    if (!reply) return { dropped: 'dropped: even an empty tooBig response does not fit', request: msg };
    s.outPkts++;
    s.getResponses++;
    return { reply, request: msg };
  }

  /** Encode within MAX_RESPONSE: GetBulk loses varbinds from the end, others become tooBig. */
  private encode(msg: SnmpMessage, pdu: Omit<Pdu, 'varbinds'>, varbinds: VarBind[], truncate: boolean): Buffer | undefined {
    const parts: Buffer[] = [];
    let bytes = 0;
    for (const vb of varbinds) {
      const b = encodeVarBind(vb);
      if (messageOverhead({ ...msg, pdu }, bytes + b.length) + bytes + b.length > MAX_RESPONSE) {
        if (truncate && parts.length > 0) break;
        this.src.stats.tooBigs++;
        const tooBig = { ...pdu, errorStatus: ERR.tooBig, errorIndex: 0 };
        const empty = encodeMessageWith({ ...msg, pdu: tooBig }, []);
        return empty.length <= MAX_RESPONSE ? empty : undefined;
      }
      parts.push(b);
      bytes += b.length;
    }
    return encodeMessageWith({ ...msg, pdu }, parts);
  }

  private exact(oid: readonly number[]): MibObject | undefined {
    const mib = this.objects();
    const i = lowerBound(mib, oid);
    return i < mib.length && compareOid(mib[i].oid, oid) === 0 ? mib[i] : undefined;
  }

  /** the first object after `oid`, or undefined at the end of the MIB view */
  private after(oid: readonly number[]): MibObject | undefined {
    const mib = this.objects();
    let i = lowerBound(mib, oid);
    if (i < mib.length && compareOid(mib[i].oid, oid) === 0) i++;
    return mib[i];
  }

  private read(varbinds: VarBind[], next: boolean, v1: boolean): { varbinds: VarBind[] } | { status: number; index: number } {
    const out: VarBind[] = [];
    for (let i = 0; i < varbinds.length; i++) {
      const { oid } = varbinds[i];
      const obj = next ? this.after(oid) : this.exact(oid);
      if (obj) {
        out.push({ oid: obj.oid, value: obj.get() });
        continue;
      }
      if (v1) return { status: ERR.noSuchName, index: i + 1 };
      out.push({ oid, value: next ? END : this.missing(oid) });
    }
    return { varbinds: out };
  }

  /** noSuchInstance when the object type exists (a table column, a scalar without .0), else noSuchObject */
  private missing(oid: readonly number[]): SnmpValue {
    const column = oid.slice(0, -1);
    const near = this.after(column);
    return near && startsWith(near.oid, column) && column.length > 7 ? NO_INSTANCE : NO_OBJECT;
  }

  /** RFC 3416 §4.2.3: non-repeaters once, then max-repetitions rounds of the rest; stops when every column ran off the end or the datagram is full */
  private bulk(pdu: Pdu): VarBind[] {
    const n = Math.min(Math.max(pdu.errorStatus, 0), pdu.varbinds.length);
    const m = Math.max(pdu.errorIndex, 0);
    const out: VarBind[] = [];
    const next = (oid: readonly number[]): VarBind => {
      const obj = this.after(oid);
      return obj ? { oid: obj.oid, value: obj.get() } : { oid: [...oid], value: END };
    };
    for (let i = 0; i < n; i++) out.push(next(pdu.varbinds[i].oid));
    let cursor = pdu.varbinds.slice(n).map((vb) => vb.oid);
    // a varbind takes at least 4 bytes: no more rounds than could ever fit
    const budget = Math.floor(MAX_RESPONSE / 4);
    for (let r = 0; r < m && cursor.length > 0 && out.length < budget; r++) {
      const round = cursor.map(next);
      out.push(...round);
      if (round.every((vb) => vb.value.type === 'endOfMibView')) break;
      cursor = round.map((vb) => vb.oid);
    }
    return out;
  }

  /** all or nothing (RFC 3416 §4.2.5): every varbind is checked before any is applied */
  private set(varbinds: VarBind[], v1: boolean): { status: number; index: number } | null {
    const targets: MibObject[] = [];
    for (let i = 0; i < varbinds.length; i++) {
      const { oid, value } = varbinds[i];
      const obj = this.exact(oid);
      const index = i + 1;
      if (!obj) return { status: v1 ? ERR.noSuchName : ERR.noCreation, index };
      if (!obj.set) return { status: v1 ? ERR.readOnly : ERR.notWritable, index };
      if (value.type !== obj.set.type) return { status: v1 ? ERR.badValue : ERR.wrongType, index };
      const bad = obj.set.check(value);
      if (bad) return { status: v1 ? ERR.badValue : ERR[bad], index };
      targets.push(obj);
    }
    targets.forEach((obj, i) => obj.set!.apply(varbinds[i].value));
    this.invalidate();
    return null;
  }
}

const END: SnmpValue = { type: 'endOfMibView' };
const NO_INSTANCE: SnmpValue = { type: 'noSuchInstance' };
const NO_OBJECT: SnmpValue = { type: 'noSuchObject' };

function splitCommunity(c: string): [string, string | undefined] {
  const at = c.lastIndexOf('@');
  return at < 0 ? [c, undefined] : [c.slice(0, at), c.slice(at + 1)];
}

function peekVersion(buf: Buffer): number | undefined {
  try {
    const r = new BerReader(buf);
    const seq = r.expect(TAG.SEQUENCE, 'message');
    return readSigned(buf, r.inside(seq).expect(TAG.INTEGER, 'version'));
  } catch (err) {
    if (err instanceof BerError) return undefined;
    throw err;
  }
}

/**
 * The lab's SNMP agents (Peterson & Davie §9.3.2) on UDP 1161, the lab's :161. One socket
 * answers as every lab host: a client that dialled a lab name through the lab internet
 * (the terminal's snmpget) reaches that host's agent, and an outside client names the host
 * in the community, net-snmp's `public@host` habit (plain `public` is localhost's agent).
 * When a lab service stops, an SNMPv2-Trap goes to the trap receiver the scenario names.
 */
import dgram from 'node:dgram';
import type { ConnectionInfo } from '../api';
import { registerDecoder } from '../capture/decoders';
import type { LabService, ServiceContext } from '../services/service';
import { UdpLabService, type Flow } from '../services/udp-service';
import { NETLAB } from './oid';
import { SnmpAgent, type Communities } from './snmp-agent';
import { snmpDecoder } from './snmp-decoder';
import { encodeMessage, PDU, VERSION_2C, type VarBind } from './snmp-message';
import { SnmpStats } from './snmp-stats';
import { parseReceiver, type SnmpSettings } from './snmp-settings';

export const SNMP_PROTOCOL = 'snmp';
export const SNMP_PORT = 1161;
export const SNMP_VIRTUAL_PORT = 161;
registerDecoder(SNMP_PROTOCOL, snmpDecoder);


const DEFAULT_COMMUNITIES: Communities = { read: 'public', write: 'private' };
const SYS_UPTIME_0 = [1, 3, 6, 1, 2, 1, 1, 3, 0];
const SNMP_TRAP_OID_0 = [1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0];

export class SnmpService extends UdpLabService {
  readonly id = 'snmp';
  readonly name = 'SNMP agents';
  readonly protocol = SNMP_PROTOCOL;
  readonly description = 'SNMP v1/v2c agent of every lab host (port 161 in the lab): MIB-II and the NetLab arc, GET, GETNEXT, GETBULK, SET, traps';
  private readonly stats = new SnmpStats();
  private readonly startedAt = performance.now();
  readonly agent: SnmpAgent;
  private withdraw: (() => void) | null = null;
  private trapReceiver: { address: string; port: number } | null = null;
  private trapSocket: dgram.Socket | null = null;
  private trapConn: ConnectionInfo | null = null;
  private watched = new Set<LabService>();
  private lastState = new Map<LabService, string>();
  private nextTrapId = 1;
  /** each lab host's sysContact and sysLocation */
  private sysTexts = new Map<string, { contact: string; location: string }>();

  constructor(
    ctx: ServiceContext,
    port: number,
    private services: () => readonly LabService[],
  ) {
    super(ctx, port);
    this.agent = new SnmpAgent(
      { services, store: ctx.store, stats: this.stats, sysText: (host) => this.sysText(host), startedAt: this.startedAt },
      { ...DEFAULT_COMMUNITIES },
      (name) => {
        const r = ctx.internet.known(name);
        return r.ok && r.virtualAddress ? (r.name ?? name.toLowerCase()) : name === 'localhost' ? name : undefined;
      },
    );
  }

  private sysText(host: string): { contact: string; location: string } {
    let t = this.sysTexts.get(host);
    if (!t) this.sysTexts.set(host, (t = { contact: 'NetLab lab instructor <instructor@someschool.edu>', location: `${host}, in the NetLab lab internet` }));
    return t;
  }

  /** the scenario's `snmp:` keys; what it leaves out goes back to the defaults */
  applySettings(s: SnmpSettings | undefined): void {
    this.agent.communities = { read: s?.readCommunity ?? DEFAULT_COMMUNITIES.read, write: s?.writeCommunity ?? DEFAULT_COMMUNITIES.write };
    this.trapReceiver = s?.trapReceiver ? parseReceiver(s.trapReceiver) : null;
    // a receiver of the other family (::1 after 127.0.0.1) needs a socket of its own
    this.closeTraps();
  }

  private closeTraps(): void {
    this.trapSocket?.close();
    this.trapSocket = null;
    if (this.trapConn) this.ctx.store.closeConnection(this.trapConn);
    this.trapConn = null;
  }

  protected override async listen(): Promise<void> {
    await super.listen();
    this.withdraw = this.ctx.internet.addRoute({ virtualAddress: '*', virtualPort: SNMP_VIRTUAL_PORT, realPort: this.port, service: this.id });
    this.watchServices();
  }

  protected override async close(): Promise<void> {
    this.withdraw?.();
    this.withdraw = null;
    this.closeTraps();
    await super.close();
  }

  protected handle(flow: Flow, message: Buffer): void {
    const r = this.agent.handle(message, flow.conn.server.virtualAddress ? flow.conn.server.name : undefined);
    if (r.reply) this.reply(flow, r.reply);
    else if (r.dropped) this.ctx.store.note(flow.conn, 'c2s', r.dropped);
  }

  /** a service that was running and stopped: the trap says so (from the next state change on) */
  private watchServices(): void {
    for (const s of this.services()) {
      this.lastState.set(s, s.state);
      if (this.watched.has(s) || s === this) continue;
      this.watched.add(s);
      s.onChange(() => {
        const before = this.lastState.get(s);
        this.lastState.set(s, s.state);
        this.agent.invalidate();
        if (before === 'running' && s.state === 'stopped') this.sendTrap(s);
      });
    }
  }

  private sendTrap(s: LabService): void {
    const to = this.trapReceiver;
    if (this.state !== 'running' || !to) return;
    const index = this.services().indexOf(s) + 1;
    const varbinds: VarBind[] = [
      { oid: SYS_UPTIME_0, value: { type: 'TimeTicks', value: Math.floor((performance.now() - this.startedAt) / 10) % 2 ** 32 } },
      { oid: SNMP_TRAP_OID_0, value: { type: 'OID', value: [...NETLAB, 0, 1] } },
      { oid: [...NETLAB, 2, 1, 2, index], value: { type: 'OctetString', value: Buffer.from(s.id) } },
      { oid: [...NETLAB, 2, 1, 5, index], value: { type: 'Integer', value: 2 } },
    ];
    const bytes = encodeMessage({
      version: VERSION_2C,
      community: Buffer.from(this.agent.communities.read),
      pdu: { type: PDU.trapV2, requestId: this.nextTrapId++, errorStatus: 0, errorIndex: 0, varbinds },
    });
    if (!this.trapSocket) {
      this.trapSocket = dgram.createSocket(to.address.includes(':') ? 'udp6' : 'udp4');
      this.trapSocket.on('error', () => undefined);
    }
    const socket = this.trapSocket;
    socket.send(bytes, to.port, to.address, (err) => {
      // closed meanwhile (the service stopped, the receiver changed): nothing to record
      if (err || this.trapSocket !== socket) return;
      this.trapConn ??= this.ctx.store.openConnection({
        transport: 'udp',
        service: this.id,
        protocol: this.protocol,
        client: { address: to.address, port: (socket.address() as { port: number }).port, name: 'SNMP agent (traps)' },
        server: { address: to.address, port: to.port, name: 'trap receiver', virtualPort: 162 },
      });
      this.stats.traps++;
      this.ctx.store.record({ conn: this.trapConn, dir: 'c2s', kind: 'message', bytes });
    });
  }
}

export function createSnmpServices(ctx: ServiceContext, port: number, services: () => readonly LabService[]): LabService[] {
  return [new SnmpService(ctx, port, services)];
}

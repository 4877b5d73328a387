/**
 * The DHT's side of the lab: the view's calls (state, scenario files, run, lookup) and the
 * terminal's `dht` command, both acting on the DHT service's ring.
 */
import dgram from 'node:dgram';
import { DHT_SCENARIO_FILE } from '../../scenarios/scenario-names';
import { ScenarioFiles } from '../scenario-files';
import { encodeMessage, parseMessage, type DhtMessage } from './dht-codec';
import { DHT_HELP, type DhtCommand } from './dht-command';
import type { DhtRing } from './dht-ring';
import { parseDhtScenario } from './dht-scenario';
import type { DhtService } from './dht-service';
import type { DhtLookup, DhtState } from './dht-types';
import { keyOf } from './ring-math';
import { keyedStatus } from '../lab-text';

const REPLY_MS = 3000;

export class DhtArea {
  readonly scenarios: ScenarioFiles;

  constructor(
    private service: () => DhtService | undefined,
    dirs: { resourcesDir: string; dataDir: string },
  ) {
    this.scenarios = new ScenarioFiles(dirs, DHT_SCENARIO_FILE, parseDhtScenario);
  }

  private ring(): { service: DhtService; ring: DhtRing } {
    const service = this.service();
    if (!service?.ring || service.state !== 'running') throw new Error('the DHT is not running: start "DHT ring" in the services rail');
    return { service, ring: service.ring };
  }

  state(): DhtState {
    return this.service()?.view() ?? { running: false, name: '', bits: 0, shortcuts: false, replication: 0, loopback: 'distinct', peers: [], lookups: [], textbook: { n: 0, successorsOnly: 0, shortcuts: 0 }, ...keyedStatus('no DHT service', { key: 'p2pLab.dht.noService' }) };
  }

  async run(text: string): Promise<DhtState> {
    const service = this.service();
    if (!service) throw new Error('no DHT service in this lab');
    await service.runScenario(text);
    return service.view();
  }

  async lookup(keyText: string, from?: number): Promise<DhtLookup> {
    const { service, ring } = this.ring();
    const key = keyOf(keyText, ring.options.bits);
    if (typeof key === 'string') throw new Error(key);
    const l = await ring.ask('LOOKUP', key, from);
    service.addLookup(l);
    return l;
  }

  /** the terminal's `dht …`: the lines to print */
  async command(cmd: DhtCommand): Promise<string[]> {
    if (cmd.action === 'help') return ['NetLab DHT (K&R §2.5.2):', ...DHT_HELP];
    let service: DhtService;
    let ring: DhtRing;
    try {
      ({ service, ring } = this.ring());
    } catch (err) {
      return [`dht: ${(err as Error).message}`];
    }
    try {
      switch (cmd.action) {
        case 'ring':
          return [
            `${ring.options.bits}-bit ring, ${ring.size} peers, shortcuts ${ring.options.shortcuts ? 'on' : 'off'}, replication ${ring.options.replication}`,
            'PEER        ADDRESS                PRED  SUCCESSORS  KEYS',
            ...ring.state().map((p) => `${String(p.id).padEnd(10)}  ${`${p.address}:${p.port}`.padEnd(21)}  ${String(p.pred ?? '-').padStart(4)}  ${p.succ.join(', ').padEnd(10)}  ${p.primary.join(' ')}${p.replicas ? ` (+${p.replicas} copies)` : ''}`),
          ];
        case 'join': {
          const e = await ring.join(cmd.id);
          service.stateChanged();
          return [`peer ${e.self.id} joined at ${e.self.address}:${e.self.port}: predecessor ${e.peer.pred?.id}, successors ${e.peer.succ.map((s) => s.id).join(', ')}, keys taken: ${e.peer.primaryKeys().join(' ') || 'none'}`];
        }
        case 'leave':
          ring.leave(cmd.id);
          service.stateChanged();
          return [`peer ${cmd.id} left abruptly; its predecessors notice within ${ring.options.misses} pings (${ring.options.misses * ring.options.pingMs} ms)`];
        case 'lookup': {
          const key = keyOf(cmd.key, ring.options.bits);
          if (typeof key === 'string') return [`dht: ${key}`];
          const l = await ring.ask('LOOKUP', key, cmd.from);
          service.addLookup(l);
          if (!l.ok) return [`dht: key ${key}: no answer`];
          return [`key ${key}${String(key) !== cmd.key ? ` (SHA-1 of '${cmd.key}')` : ''} → peer ${l.responsible}: ${l.hops} hops, ${l.messages} messages, ${l.ms.toFixed(2)} ms`, `path: ${l.path.join(' → ')}`];
        }
        case 'put':
        case 'get':
          return await this.byDatagram(ring, { ...cmd, action: cmd.action === 'put' ? 'put' : 'get' });
      }
    } catch (err) {
      return [`dht: ${(err as Error).message}`];
    }
  }

  /** put/get as a person with nc would: one datagram to a peer, its answer printed */
  private async byDatagram(ring: DhtRing, cmd: { action: 'put' | 'get'; key: string; value?: string; from?: number }): Promise<string[]> {
    const to = ring.peer(cmd.from ?? ring.sortedIds()[0]).self;
    const msg: DhtMessage = cmd.action === 'put' ? { type: 'PUT', key: cmd.key, value: cmd.value ?? '' } : { type: 'GET', key: cmd.key };
    const line = encodeMessage(msg);
    const socket = dgram.createSocket('udp4');
    try {
      const reply = await new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve(''), REPLY_MS);
        socket.once('message', (bytes) => {
          clearTimeout(timer);
          resolve(bytes.toString('latin1').trim());
        });
        socket.bind(0, '127.0.0.1', () => socket.send(line + '\n', to.port, to.address));
      });
      const out = [`→ ${to.address}:${to.port} (peer ${to.id}): ${line}`];
      if (!reply) return [...out, `no answer within ${REPLY_MS / 1000} s`];
      out.push(`← ${reply}`);
      const p = parseMessage(Buffer.from(reply, 'latin1'));
      if (p.ok && (p.msg.type === 'STORED' || p.msg.type === 'VALUE' || p.msg.type === 'NOVALUE')) {
        const what = p.msg.type === 'STORED' ? 'stored at' : p.msg.type === 'VALUE' ? `value '${p.msg.value}' from` : 'no value at';
        out.push(`key ${p.msg.key} ${what} peer ${p.msg.id}, ${p.msg.hops} hops after peer ${to.id}`);
      }
      return out;
    } finally {
      socket.close();
    }
  }
}

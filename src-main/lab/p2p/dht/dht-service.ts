/**
 * The DHT in the services rail: a ring of peers, each a UDP endpoint on its own loopback
 * address at the service's port (7400: `nc -u 127.0.0.2 7400`, then `LOOKUP 51`). It starts
 * with the shipped textbook scenario (resources/scenarios/dht-textbook.yaml) or the one the
 * DHT view last ran, stores its keys and runs its lookups; the ring stays up for the view,
 * the terminal's `dht` command and nc until the service stops.
 */
import type { ServiceContext } from '../../services/service';
import { ScenarioService } from '../scenario-service';
import type { DhtRing } from './dht-ring';
import { runDhtScenario } from './dht-run';
import { parseDhtScenario, type DhtScenario } from './dht-scenario';
import type { DhtLookup, DhtResult, DhtState } from './dht-types';
import './dht-decoder';
import { english, msg, type LabText } from '../../lab-text';
import { keyedStatus } from '../lab-text';

export const DHT_PORT = 7400;
export const DHT_DEFAULT_SCENARIO = 'dht-textbook.yaml';
const MAX_LOOKUPS_SHOWN = 40;

export class DhtService extends ScenarioService {
  readonly id = 'dht';
  readonly name = 'DHT ring';
  readonly protocol = 'dht';
  readonly transport = 'udp' as const;
  readonly description = 'A circular DHT (K&R §2.5.2): peers on 127.0.0.x, one text line per datagram (LOOKUP, PUT, GET, PING …)';
  // its peers ping their successors every few seconds: started by the student (rail, DHT tab), not with every lab
  override readonly startsWithLab = false;
  ring: DhtRing | null = null;
  scenario: DhtScenario | null = null;
  status = english(msg('p2pLab.dht.stopped'));
  /** `status` as a catalogue message; null for an error's own words */
  statusText: LabText | null = msg('p2pLab.dht.stopped');
  lookups: DhtLookup[] = [];
  result: DhtResult | null = null;
  protected readonly defaultScenario = DHT_DEFAULT_SCENARIO;

  constructor(ctx: ServiceContext, port: number) {
    super(ctx, port);
  }

  protected check(text: string): void {
    parseDhtScenario(text);
  }

  addLookup(l: DhtLookup): void {
    this.lookups.push(l);
    if (this.lookups.length > MAX_LOOKUPS_SHOWN) this.lookups.shift();
    this.stateChanged();
  }

  view(): DhtState {
    const s = this.scenario;
    return {
      running: this.state === 'running' && this.ring !== null,
      name: s?.name ?? '',
      bits: s?.bits ?? 0,
      shortcuts: s?.shortcuts ?? false,
      replication: s?.replication ?? 0,
      loopback: this.ring?.loopback ?? 'distinct',
      peers: this.ring?.state() ?? [],
      lookups: [...this.lookups],
      textbook: this.ring?.textbook() ?? { n: 0, successorsOnly: 0, shortcuts: 0 },
      ...(this.state === 'error' ? { status: this.error ?? 'error' } : keyedStatus(this.status, this.statusText)),
    };
  }

  connectionCount(): number {
    return this.ring?.peers.size ?? 0;
  }

  protected async listen(): Promise<void> {
    const scenario = parseDhtScenario(await this.scenarioText());
    this.scenario = scenario;
    this.lookups = [];
    this.result = null;
    await new Promise<void>((resolve, reject) => {
      runDhtScenario(scenario, {
        port: this.port,
        store: this.ctx.store,
        // the rail's link settings act on each hop of the ring (read at every datagram: a change applies at once)
        link: () => this.link,
        ring: (ring) => {
          this.ring = ring;
          this.addresses = [...new Set(ring.state().map((p) => p.address))];
          resolve();
        },
        status: (t, said) => {
          this.status = t;
          this.statusText = said ?? null;
          this.stateChanged();
        },
        lookup: (l) => this.addLookup(l),
      }).then(
        (r) => {
          this.result = r;
          this.stateChanged();
        },
        (err: unknown) => {
          this.status = (err as Error).message;
          this.statusText = null;
          reject(err);
        },
      );
    });
  }

  protected async close(): Promise<void> {
    this.ring?.close();
    this.ring = null;
    this.statusText = msg('p2pLab.dht.stopped');
    this.status = english(this.statusText);
    this.stateChanged();
  }
}

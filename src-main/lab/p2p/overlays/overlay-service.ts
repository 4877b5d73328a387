/**
 * The search overlays in the services rail: Napster's index server on the service's port
 * (8888: `nc 127.0.0.1 8888`, then `SEARCH song`), and the peers as Gnutella servents on their
 * own 127.0.0.x at 6346, Gnutella's port (KaZaA's super-nodes take their children's index
 * sessions there too). It starts with the shipped scenario (overlays-textbook.yaml) or the one
 * the Overlays view last ran, runs its queries, and stays up for the view, the terminal's
 * `overlay` command, nc and curl until the service stops.
 */
import type { ServiceContext } from '../../services/service';
import { ScenarioService } from '../scenario-service';
import type { OverlayNet } from './overlay-net';
import { runOverlayScenario } from './overlay-run';
import { parseOverlayScenario } from './overlay-scenario';
import type { OverlayQuery, OverlayResult, OverlayState } from './overlay-types';
import './gnutella-decoder';
import { english, msg, type LabText } from '../../lab-text';
import { keyedStatus } from '../lab-text';

export const INDEX_PORT = 8888;
export const SERVENT_PORT = 6346;
export const OVERLAY_DEFAULT_SCENARIO = 'overlays-textbook.yaml';
const MAX_ASKED = 40;

export class OverlayService extends ScenarioService {
  readonly id = 'overlays';
  readonly name = 'Search overlays';
  readonly protocol = 'gnutella';
  readonly transport = 'tcp' as const;
  readonly description = 'Napster\'s index (this port), Gnutella servents and KaZaA super-nodes on 127.0.0.x:6346 (K&R §2.5)';
  // a dozen peers and their floods: started by the student (rail, Overlays tab), not with every lab
  override readonly startsWithLab = false;
  net: OverlayNet | null = null;
  result: OverlayResult | null = null;
  status = english(msg('p2pLab.overlays.stopped'));
  /** `status` as a catalogue message; null for an error's own words */
  statusText: LabText | null = msg('p2pLab.overlays.stopped');
  asked: OverlayQuery[] = [];
  protected readonly defaultScenario = OVERLAY_DEFAULT_SCENARIO;

  constructor(
    ctx: ServiceContext,
    port: number,
    readonly serventPort: number,
  ) {
    super(ctx, port);
  }

  protected check(text: string): void {
    parseOverlayScenario(text);
  }

  addAsked(q: OverlayQuery): void {
    this.asked.push(q);
    if (this.asked.length > MAX_ASKED) this.asked.shift();
    this.stateChanged();
  }

  view(): OverlayState {
    return { running: this.state === 'running' && this.net !== null, ...(this.state === 'error' ? { status: this.error ?? 'error' } : keyedStatus(this.status, this.statusText)), loopback: this.net?.loopback ?? 'distinct', result: this.result, asked: [...this.asked] };
  }

  connectionCount(): number {
    return this.net?.peers.reduce((n, p) => n + p.router.links.size, 0) ?? 0;
  }

  protected async listen(): Promise<void> {
    const scenario = parseOverlayScenario(await this.scenarioText());
    this.result = null;
    this.asked = [];
    this.result = await runOverlayScenario(scenario, {
      port: this.serventPort,
      indexPort: this.port,
      store: this.ctx.store,
      // the rail's link settings act on each hop of a flood (read at every chunk: a change applies at once)
      link: () => this.link,
      net: (net) => {
        this.net = net;
        // port 0 (tests): the index's real port is the service's
        this.port = net.index.port;
        this.addresses = [net.index.address];
      },
      status: (t, said) => {
        this.status = t;
        this.statusText = said ?? null;
        this.stateChanged();
      },
    });
    this.stateChanged();
  }

  protected async close(): Promise<void> {
    this.net?.close();
    this.net = null;
    this.statusText = msg('p2pLab.overlays.stopped');
    this.status = english(this.statusText);
    this.stateChanged();
  }
}

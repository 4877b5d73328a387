/**
 * The overlays' side of the lab: the view's calls (state, scenario files, run, query) and the
 * terminal's `overlay` command, both acting on the rail service's peers.
 */
import { OVERLAY_SCENARIO_FILE } from '../../scenarios/scenario-names';
import { ScenarioFiles } from '../scenario-files';
import { OVERLAY_HELP, type OverlayCommand } from './overlay-command';
import type { OverlayNet } from './overlay-net';
import { askOverlay } from './overlay-run';
import { parseOverlayScenario } from './overlay-scenario';
import type { OverlayService } from './overlay-service';
import { keyedStatus } from '../lab-text';
import { OVERLAY_KINDS, type OverlayKind, type OverlayQuery, type OverlayState } from './overlay-types';

export class OverlayArea {
  readonly scenarios: ScenarioFiles;

  constructor(
    private service: () => OverlayService | undefined,
    dirs: { resourcesDir: string; dataDir: string },
  ) {
    this.scenarios = new ScenarioFiles(dirs, OVERLAY_SCENARIO_FILE, parseOverlayScenario);
  }

  private net(): { service: OverlayService; net: OverlayNet } {
    const service = this.service();
    if (!service?.net || service.state !== 'running') throw new Error('the overlays are not running: start "Search overlays" in the services rail');
    return { service, net: service.net };
  }

  state(): OverlayState {
    return this.service()?.view() ?? { running: false, ...keyedStatus('no overlays service', { key: 'p2pLab.overlays.noService' }), loopback: 'distinct', result: null, asked: [] };
  }

  async run(text: string): Promise<OverlayState> {
    const service = this.service();
    if (!service) throw new Error('no overlays service in this lab');
    await service.runScenario(text);
    return service.view();
  }

  /** one query of each overlay (or of one), from peer `from` */
  async query(file: string, from = 0, via?: OverlayKind, fetch = false): Promise<OverlayQuery[]> {
    const { service, net } = this.net();
    if (from >= net.peers.length) throw new Error(`no peer p${from} (p0 to p${net.peers.length - 1})`);
    const out: OverlayQuery[] = [];
    for (const kind of via ? [via] : OVERLAY_KINDS.filter((k) => net.scenario.overlays.includes(k))) {
      const q = await askOverlay(net, kind, from, file, fetch);
      service.addAsked(q);
      out.push(q);
    }
    return out;
  }

  /** a Ping flooded from peer pN with the scenario's TTL: who answered, how far */
  private async ping(net: OverlayNet, from: number): Promise<string[]> {
    const p = net.peers[from];
    if (!p) return [`overlay: no peer p${from} (p0 to p${net.peers.length - 1})`];
    await net.quiet();
    net.resetCounts();
    p.router.discovered.clear();
    p.router.ping(net.scenario.ttl);
    await net.quiet();
    const found = [...p.router.discovered.values()].sort((a, b) => a.hops - b.hops);
    return [
      `${p.name} pinged with TTL ${net.scenario.ttl}: ${found.length} Pongs, ${net.counts.query} Pings and ${net.counts.answer} Pongs on the links`,
      ...found.slice(0, 30).map((d) => `  ${(net.nameOf(d.ip, d.port) ?? '?').padEnd(5)} ${`${d.ip}:${d.port}`.padEnd(21)} ${d.hops} hop${d.hops === 1 ? '' : 's'} away, ${d.files} files`),
      ...(found.length > 30 ? [`  … ${found.length - 30} more`] : []),
    ];
  }

  /** the terminal's `overlay …`: the lines to print */
  async command(cmd: OverlayCommand): Promise<string[]> {
    if (cmd.action === 'help') return ['NetLab search overlays (K&R §2.5): Napster, Gnutella, KaZaA', ...OVERLAY_HELP];
    try {
      const { net } = this.net();
      if (cmd.action === 'peers') {
        return [
          `${net.peers.length} peers, TTL ${net.scenario.ttl}; Napster's index at ${net.index.address}:${net.index.port}`,
          'PEER  ADDRESS                FILES  NEIGHBOURS (Gnutella)        KAZAA',
          ...net.peers.map((p, i) => `${p.name.padEnd(4)}  ${`${p.address}:${p.port}`.padEnd(21)}  ${String(p.files.length).padStart(5)}  ${net.graph[i].map((j) => `p${j}`).join(' ').padEnd(27)}  ${p.superNode ? 'super-node' : `child of p${net.parent[i]}`}`),
        ];
      }
      if (cmd.action === 'ping') return await this.ping(net, cmd.from ?? 0);
      const qs = cmd.action === 'get' ? await this.query(cmd.file, cmd.from, 'gnutella', true) : cmd.action === 'query' ? await this.query(cmd.file, cmd.from, cmd.via) : [];
      const lines: string[] = [];
      for (const q of qs) {
        const formula = q.formula !== undefined ? ` (formula ${q.formula})` : '';
        lines.push(`${q.overlay.padEnd(8)} ${q.found ? `found ${q.hits.length}` : 'not found'}: ${q.messages} messages${formula}, ${q.hops} hop${q.hops === 1 ? '' : 's'}, busiest ${q.busiest.node} (${q.busiest.load})`);
        for (const h of q.hits.slice(0, 3)) lines.push(`         ${h.name} at ${h.peer} — curl http://${h.ip}:${h.port}/get/${h.index}/${h.name}`);
        if (q.downloaded !== undefined) lines.push(`         downloaded ${q.downloaded} bytes over HTTP from ${q.hits[0]?.peer}`);
      }
      return lines;
    } catch (err) {
      return [`overlay: ${(err as Error).message}`];
    }
  }
}

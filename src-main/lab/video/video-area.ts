/**
 * The video area put together (Kurose & Ross §2.6): the CDN clusters' services, the CDN's DNS
 * redirection (the kingcdn.com server answers with the cluster closest to the client's region),
 * the region map's delays on the clusters' links, the lab's DASH player and its run, and the
 * dash.js script the lab's web servers hand to a browser at /_netlab/dash.js. lab.ts delegates here.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { CaptureStore } from '../capture/store';
import type { LabDns } from '../dns/lab-dns';
import type { LabInternet } from '../internet/internet';
import type { ClientNames } from '../internet/names';
import type { LabService } from '../services/service';
import { errorPage } from '../web/pages';
import type { HttpResponse } from '../web/response';
import { HttpService } from '../web/server/http-service';
import { CDN_NAME, closestCluster, CLUSTERS, REGION_NAMES, regionDelayMs, VIDEO_HOST, type Region } from './cdn';
import { DashPlayer } from './player';
import type { VideoConfigure, VideoPlayOptions, VideoState } from './video-types';

export { videoMethods } from './video-methods';
export { runVideoCommand } from './video-command';

export interface VideoDeps {
  services: () => LabService[];
  internet: LabInternet;
  names: ClientNames;
  store: CaptureStore;
  dns: LabDns | undefined;
  emit: (state: VideoState) => void;
}

/** the most samples a run keeps (a looped trailer plays on) */
const MAX_SAMPLES = 600;
export const DEFAULT_REGION: Region = 'north-america';

export class VideoArea {
  private st: VideoState = { playing: false, rule: 'rate', region: DEFAULT_REGION, rateKbps: 0, samples: [], rateChanges: [], stalls: 0 };
  private player: DashPlayer | null = null;
  private run: Promise<void> | null = null;
  /** the clusters whose delay the last scenario set itself (the region map leaves them alone) */
  private fixed: Record<string, { link?: { delayMs?: number } }> = {};

  constructor(private deps: VideoDeps) {
    const cdnServer = deps.dns?.servers.find((s) => s.server.zones.includes('kingcdn.com'));
    if (cdnServer) {
      cdnServer.pick = (s, asker) => {
        const { sections, chosen } = closestCluster(s, this.st.region);
        if (chosen && sections !== s) {
          deps.store.note(asker.conn, 'none', `KingCDN: the local DNS server asking is in ${REGION_NAMES[this.st.region]}; the closest cluster is ${chosen.host} (${chosen.address}, ${REGION_NAMES[chosen.region]})`);
        }
        return sections;
      };
    }
    for (const s of deps.services()) if (s instanceof HttpService) s.extraRoutes = dashScript;
  }

  state(): VideoState {
    return { ...this.st, samples: [...this.st.samples], rateChanges: [...this.st.rateChanges] };
  }

  /** Start playing; answers once the manifest is read (or with the reason it could not be). */
  async play(opts: VideoPlayOptions = {}): Promise<VideoState> {
    this.stop();
    await this.run;
    if (opts.rule) this.st.rule = opts.rule;
    // the client plays from its region: each cluster as far as the region map says
    this.applyRegion();
    Object.assign(this.st, { playing: true, samples: [], rateChanges: [], stalls: 0, error: undefined, server: undefined, manifest: undefined });
    let ready!: () => void;
    const started = new Promise<void>((r) => (ready = r));
    const player = new DashPlayer({
      internet: this.deps.internet,
      names: this.deps.names,
      rule: () => this.st.rule,
      maxBufferSec: opts.maxBufferSec ?? 12,
      loop: opts.loop ?? false,
      started: ({ server, manifest }) => {
        const serving = this.serving(server.service);
        const rateKbps = serving?.link.rateKbps ?? 0;
        Object.assign(this.st, {
          server,
          rateKbps,
          rateChanges: [{ t: 0, rateKbps }],
          manifest: { bitratesKbps: manifest.video.map((r) => Math.round(r.bandwidth / 1000)), segments: manifest.segments, segmentSec: manifest.video[0].segmentSec },
        });
        this.changed();
        ready();
      },
      sample: (s) => {
        this.st.samples.push(s);
        if (this.st.samples.length > MAX_SAMPLES) this.st.samples.shift();
        this.changed();
      },
      stall: () => this.st.stalls++,
    });
    this.player = player;
    this.run = player.play().then(
      () => undefined,
      (err: Error) => {
        if (this.player === player && this.st.playing) this.st.error = err.message;
      },
    ).finally(() => {
      if (this.player !== player) return;
      this.st.playing = false;
      this.player = null;
      ready();
      this.changed();
    });
    await started;
    return this.state();
  }

  stop(): VideoState {
    const p = this.player;
    this.player = null;
    p?.stop();
    if (p) {
      this.st.playing = false;
      this.changed();
    }
    return this.state();
  }

  /** resolves when the current run ends (tests, the terminal's `video play`) */
  finished(): Promise<void> {
    return this.run ?? Promise.resolve();
  }

  async configure(patch: VideoConfigure): Promise<VideoState> {
    if (patch.rule) this.st.rule = patch.rule;
    if (patch.region && patch.region !== this.st.region) {
      this.st.region = patch.region;
      this.applyRegion();
      // the local server must ask the CDN again: the cached redirection was for the old region
      this.deps.dns?.flush(CDN_NAME);
      this.deps.dns?.flush(VIDEO_HOST);
    }
    if (patch.rateKbps !== undefined) await this.setRate(patch.rateKbps);
    this.changed();
    return this.state();
  }

  /**
   * A scenario's video keys. With them the clusters get the region map's delays at once (a
   * cluster whose delay the scenario sets itself keeps it); without them the links stay as the
   * scenario says until the video plays or a region is picked.
   */
  async applyScenario(video: VideoConfigure | undefined, services: Record<string, { link?: { delayMs?: number } }> = {}): Promise<void> {
    this.fixed = services;
    this.st.rule = video?.rule ?? 'rate';
    this.st.region = video?.region ?? DEFAULT_REGION;
    if (video) this.applyRegion();
    if (video?.rateKbps !== undefined) await this.setRate(video.rateKbps);
    this.changed();
  }

  /** The rate of the link the video comes over: the serving cluster's, or the one the CDN would pick. */
  private async setRate(rateKbps: number): Promise<void> {
    const t = this.player ? this.player.elapsed() : 0;
    const target = this.serving(this.st.server?.service) ?? this.serving(CLUSTERS.find((c) => c.region === this.st.region)?.id);
    await target?.configure({ link: { rateKbps } });
    this.st.rateKbps = rateKbps;
    if (this.st.playing) this.st.rateChanges.push({ t, rateKbps });
  }

  private serving(id: string | undefined): LabService | undefined {
    return id ? this.deps.services().find((s) => s.id === id) : undefined;
  }

  /** each cluster's link delay from the region map, seen from the client's region */
  private applyRegion(): void {
    for (const c of CLUSTERS) {
      if (this.fixed[c.id]?.link?.delayMs !== undefined) continue;
      const s = this.serving(c.id);
      if (s) s.link = { ...s.link, delayMs: regionDelayMs(this.st.region, c.region) };
    }
    for (const c of CLUSTERS) void this.serving(c.id)?.configure({});
  }

  private changed(): void {
    this.deps.emit(this.state());
  }
}

let dashBytes: Buffer | null | undefined;

/** dash.js (the DASH reference player, npm dashjs: its UMD build, what `require` resolves) for the test page a lab site serves. */
function dashScript(req: { path: string }): HttpResponse | null {
  if (req.path !== '/_netlab/dash.js') return null;
  if (dashBytes === undefined) {
    try {
      const require = createRequire(import.meta.url);
      dashBytes = readFileSync(require.resolve('dashjs'));
    } catch {
      dashBytes = null;
    }
  }
  if (!dashBytes) return errorPage(404, 'dash.js is not installed with this NetLab (npm package dashjs).');
  return { status: 200, headers: [['Content-Type', 'text/javascript; charset=utf-8'], ['Cache-Control', 'max-age=3600']], body: dashBytes, shared: true };
}

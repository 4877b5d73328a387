/**
 * The lab's DASH client (Kurose & Ross §2.6.2): it resolves video.netcinema.com through lab
 * DNS (a CNAME into the CDN, which picks a cluster), fetches the manifest, then one segment
 * after another over one persistent HTTP connection through the lab — every request in the
 * inspector — picking each segment's bitrate by its rule from the throughput it measured and
 * the seconds it holds in its buffer. Playback is modelled in real time: the buffer drains
 * while segments download and fills by a segment's duration when one arrives; a full buffer
 * makes the player wait, an empty one is a stall.
 */
import type { LabInternet } from '../internet/internet';
import type { ClientNames } from '../internet/names';
import { HttpClientConnection } from '../web/client';
import type { ParsedResponse } from '../web/response';
import { chooseBitrate, type AbrRule } from './abr';
import { clusterAt, MANIFEST_PATH, VIDEO_HOST } from './cdn';
import { parseMpd, segmentPath, type Manifest, type Representation } from './mpd';
import type { VideoSample } from './video-types';

export interface PlayerContext {
  internet: LabInternet;
  names: ClientNames;
  /** read before each segment: the rule may change while it plays */
  rule: () => AbrRule;
  maxBufferSec: number;
  loop: boolean;
  started: (info: { server: { name: string; address?: string; service?: string; region?: string }; manifest: Manifest }) => void;
  sample: (s: VideoSample) => void;
  stall: () => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class DashPlayer {
  private stopped = false;
  private conn: HttpClientConnection | null = null;
  private t0 = performance.now();
  /** settles when stopped: a request in flight is abandoned, not waited for */
  private halt: Promise<never>;
  private halted!: (err: Error) => void;

  constructor(private ctx: PlayerContext) {
    this.halt = new Promise<never>((_r, reject) => (this.halted = reject));
    this.halt.catch(() => undefined);
  }

  stop(): void {
    this.stopped = true;
    this.halted(new Error('stopped'));
    this.conn?.close();
  }

  /** Play to the end (or until stopped); rejects with a sentence a student can act on. */
  async play(): Promise<void> {
    const dialled = await this.ctx.internet.dial(VIDEO_HOST, 80);
    if (!dialled.ok) throw new Error(`${VIDEO_HOST}: ${dialled.error}`);
    const cluster = clusterAt(dialled.virtualAddress);
    const serverName = cluster?.host ?? dialled.name ?? VIDEO_HOST;
    this.conn = await HttpClientConnection.connect(dialled.port, {
      names: this.ctx.names,
      client: { name: 'video player (lab)' },
      server: { name: serverName, address: dialled.virtualAddress, port: 80 },
    }).catch((err: Error) => {
      throw new Error(`${serverName} (${dialled.virtualAddress}) port 80 does not answer: ${err.message}. Start its service in the rail.`);
    });
    const text = (await this.get(MANIFEST_PATH)).body.toString('utf8');
    const manifest = parseMpd(text);
    this.ctx.started({ server: { name: serverName, address: dialled.virtualAddress, service: dialled.service, region: cluster?.region }, manifest });
    const base = MANIFEST_PATH.slice(0, MANIFEST_PATH.lastIndexOf('/') + 1);
    const bitrates = manifest.video.map((r) => Math.round(r.bandwidth / 1000));
    const inited = new Set<string>();
    const throughputs: number[] = [];
    let buffer = 0;
    let playing = false;
    this.t0 = performance.now();
    for (let n = 0; !this.stopped; n++) {
      if (n >= manifest.segments && !this.ctx.loop) break;
      const segSec = manifest.video[0].segmentSec;
      // a full buffer: wait while playback drains it (the player is "ahead")
      const over = buffer + segSec - this.ctx.maxBufferSec;
      if (playing && over > 0) {
        await Promise.race([sleep(over * 1000), this.halt]).catch(() => undefined);
        buffer -= over;
        if (this.stopped) break;
      }
      const rule = this.ctx.rule();
      const rep: Representation = manifest.video[chooseBitrate(rule, { bitratesKbps: bitrates, throughputsKbps: throughputs, bufferSec: buffer })];
      const started = performance.now();
      if (!inited.has(rep.id)) {
        await this.get(base + segmentPath(rep.initialization, rep));
        inited.add(rep.id);
      }
      const path = base + segmentPath(rep.media, rep, rep.startNumber + (n % manifest.segments));
      const res = await this.get(path);
      const ms = Math.max(0.5, performance.now() - started);
      if (playing) {
        buffer -= ms / 1000;
        if (buffer < 0) {
          buffer = 0;
          this.ctx.stall();
        }
      }
      buffer += segSec;
      if (!playing && buffer >= segSec) playing = true;
      const throughputKbps = (res.body.length * 8) / ms;
      throughputs.push(throughputKbps);
      if (throughputs.length > 16) throughputs.shift();
      this.ctx.sample({
        segment: n + 1,
        t: (performance.now() - this.t0) / 1000,
        bitrateKbps: Math.round(rep.bandwidth / 1000),
        representation: rep.id,
        throughputKbps: Math.round(throughputKbps),
        bufferSec: Math.round(buffer * 100) / 100,
        bytes: res.body.length,
        ms: Math.round(ms),
        path,
        server: serverName,
        rule,
      });
    }
    this.conn.close();
  }

  /** seconds since the first segment was asked for */
  elapsed(): number {
    return (performance.now() - this.t0) / 1000;
  }

  private async get(path: string): Promise<ParsedResponse> {
    const conn = this.conn!;
    conn.send([{ method: 'GET', target: path, headers: [['Host', VIDEO_HOST], ['User-Agent', 'NetLab DASH player']] }]);
    const res = await Promise.race([conn.next(), this.halt]);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.reason}`);
    return res;
  }
}

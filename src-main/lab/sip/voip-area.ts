/**
 * The VoIP tab's side of the lab: two softphones, alice@crepes.fr and bob@hamburger.edu,
 * created when the SIP proxy runs, and what the tab asks of them (register, call, answer,
 * hang up, the playout buffer's mode). News for the tab at most every 250 ms, and once a
 * second while a call is up (a point of the plot each).
 */
import type { LabService } from '../services/service';
import type { CaptureStore } from '../capture/store';
import type { PlayoutSettings } from './playout';
import type { SipService } from './sip-service';
import { phoneName, Softphone } from './softphone';
import type { ClientNames } from '../internet/names';
import type { VoipState } from './voip-types';

export const PHONES = [
  { aor: 'alice@crepes.fr', name: 'Alice', freq: 440 },
  { aor: 'bob@hamburger.edu', name: 'Bob', freq: 660 },
] as const;

export class VoipArea {
  private phones: Softphone[] = [];
  private opening: Promise<Softphone[]> | null = null;
  private pending: NodeJS.Timeout | null = null;
  private ticker: NodeJS.Timeout | null = null;
  playout: PlayoutSettings = { mode: 'fixed', fixedMs: 80 };

  constructor(
    private service: () => SipService | undefined,
    private store: CaptureStore,
    private names: ClientNames,
    private emit: (s: VoipState) => void,
  ) {}

  private sip(): SipService {
    const s = this.service();
    if (!s || s.state !== 'running') throw new Error('the SIP proxy is not running: start "SIP proxy" in the services rail');
    return s;
  }

  private async open(): Promise<Softphone[]> {
    this.sip();
    this.opening ??= (async () => {
      const clock = (): number => performance.now();
      const made = PHONES.map(
        (p) =>
          new Softphone(p.aor, p.name, () => this.proxyAddress(), { store: this.store, link: () => this.service()!.link, clock }, this.playout, p.freq, () => this.changed()),
      );
      await Promise.all(made.map((p) => p.open()));
      for (const p of made) this.names.note(p.port, { client: { name: phoneName(p.aor) }, server: { name: 'SIP proxy' } });
      // the two phones share the lab's clock: each receiver reads the other's timestamp origin
      made[0].media.peerEpoch = () => made[1].media.epoch;
      made[1].media.peerEpoch = () => made[0].media.epoch;
      this.phones = made;
      this.ticker = setInterval(() => this.tick(), 1000);
      this.ticker.unref();
      return made;
    })();
    return this.opening;
  }

  private proxyAddress(): { address: string; port: number } | null {
    const s = this.service();
    return s && s.state === 'running' ? { address: '127.0.0.1', port: s.port } : null;
  }

  private async phone(aor: string): Promise<Softphone> {
    const p = (await this.open()).find((x) => x.aor === aor);
    if (!p) throw new Error(`no softphone for ${aor}`);
    return p;
  }

  state(): VoipState {
    const s = this.service();
    const running = s?.state === 'running';
    return {
      running,
      proxyPort: s?.port ?? 0,
      phones: this.phones.map((p) => p.view()),
      bindings: running ? (s.location?.view() ?? []) : [],
      link: { lossRate: s?.link.lossRate ?? 0, delayMs: s?.link.delayMs ?? 0, jitterMs: s?.link.jitterMs ?? 0 },
    };
  }

  async register(aor: string, on: boolean): Promise<VoipState> {
    (await this.phone(aor)).register(on ? 3600 : 0);
    return this.state();
  }

  async call(from: string, to: string): Promise<VoipState> {
    (await this.phone(from)).call(to);
    return this.state();
  }

  async answer(aor: string): Promise<VoipState> {
    (await this.phone(aor)).answer();
    return this.state();
  }

  async hangup(aor: string): Promise<VoipState> {
    (await this.phone(aor)).hangup();
    return this.state();
  }

  /** the receivers' playout: fixed delay q, or adaptive (K&R §9.3); applies from the next talkspurt */
  setPlayout(settings: PlayoutSettings): VoipState {
    this.playout.mode = settings.mode;
    this.playout.fixedMs = settings.fixedMs;
    this.changed();
    return this.state();
  }

  private tick(): void {
    let live = false;
    for (const p of this.phones) {
      if (p.state === 'in-call') {
        p.media.secondTick();
        live = true;
      }
    }
    if (live) this.changed();
  }

  changed(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      this.emit(this.state());
    }, 250);
    this.pending.unref();
  }

  close(): void {
    if (this.ticker) clearInterval(this.ticker);
    for (const p of this.phones) p.close();
    this.phones = [];
    this.opening = null;
  }
}

export function sipServiceOf(services: readonly LabService[]): SipService | undefined {
  return services.find((s): s is SipService => s.id === 'sip') as SipService | undefined;
}

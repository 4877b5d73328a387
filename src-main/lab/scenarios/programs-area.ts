/**
 * The socket chapter's programs as one piece of the lab: their files, the runner, and the
 * relays that put the lab's link in front of a server program. The composition root
 * delegates the `programs.*` calls here.
 */
import type { ProgramId, ProgramLanguage, ProgramOutput, ProgramState } from '../api';
import type { LabService, ServiceContext } from '../services/service';
import { findOnPath } from '../storage';
import { PROGRAM_RELAY_PORT, TcpProgramRelay, UdpProgramRelay } from './program-relay';
import { ProgramRunner } from './program-runner';
import { ProgramFiles, type CatalogEntry } from './programs';

export interface ProgramsAreaHost {
  ctx: ServiceContext;
  port: (id: string, fallback: number) => number;
  /** the lab's own services: a client program talks to the echo service of its transport */
  services: () => readonly LabService[];
  output: (out: ProgramOutput) => void;
  state: (state: ProgramState) => void;
}

export class ProgramsArea {
  readonly relays: { tcp: TcpProgramRelay; udp: UdpProgramRelay };
  readonly files: ProgramFiles;
  private runner: ProgramRunner;
  private pythonPath: Promise<string | null> | null = null;

  constructor(private host: ProgramsAreaHost) {
    const { ctx, port } = host;
    this.relays = {
      tcp: new TcpProgramRelay(ctx, port('program-tcp', PROGRAM_RELAY_PORT)),
      udp: new UdpProgramRelay(ctx, port('program-udp', PROGRAM_RELAY_PORT)),
    };
    this.files = new ProgramFiles(ctx.resourcesDir, ctx.dataDir);
    this.runner = new ProgramRunner({
      files: this.files,
      python: () => this.python(),
      clientTarget: (entry) => this.clientTarget(entry),
      env: (entry) => this.env(entry),
      serverStarted: async (t, backend) => {
        const relay = this.relays[t];
        relay.backendPort = backend;
        const info = await relay.start();
        return info.state === 'running' ? { port: info.port } : { error: info.error ?? 'the relay did not start' };
      },
      serverStopped: async (t) => {
        await this.relays[t].stop();
      },
      output: host.output,
      state: host.state,
    });
    // a connection from a port one of the programs holds is labelled as that program's
    ctx.names.setOwners((p) => {
      const name = this.runner.ownerOf(p);
      return name ? { client: { name }, server: {} } : undefined;
    });
  }

  /** absolute path of python3, or null when it is not on PATH (looked up once) */
  python(): Promise<string | null> {
    this.pythonPath ??= findOnPath(process.platform === 'win32' ? ['python3', 'python', 'py'] : ['python3']);
    return this.pythonPath;
  }

  private clientTarget(entry: CatalogEntry): { port: number; label: string } {
    const transport = entry.transport;
    if (entry.peer === 'mx') {
      const mx = this.host.services().find((s) => s.id === 'smtp-hamburger');
      return { port: mx?.port ?? 2527, label: "mail.hamburger.edu's mail server (MX), bob's" };
    }
    const relay = this.relays[transport];
    if (relay.state === 'running' && entry.peer !== 'lab-echo') return { port: relay.port, label: `your ${transport.toUpperCase()} server program, through the lab` };
    const echo = this.host.services().find((s) => s.protocol === 'echo' && s.transport === transport);
    return { port: echo?.port ?? 12000, label: `the lab's ${echo?.name ?? 'echo'} service` };
  }

  /** where the web server finds its files; where the proxy finds the origin (every lab site is on the lab's web server) */
  private async env(entry: CatalogEntry): Promise<Record<string, string>> {
    if (entry.id === 'web-server') return { NETLAB_WEB_ROOT: await this.files.webRoot() };
    if (entry.id === 'web-proxy') {
      const http = this.host.services().find((s) => s.id === 'http');
      return { NETLAB_ORIGIN_HOST: '127.0.0.1', NETLAB_ORIGIN_PORT: String(http?.port ?? 8080) };
    }
    if (entry.id === 'smtp-client') return { NETLAB_SERVER_NAME: 'mail.hamburger.edu' };
    return {};
  }

  list() {
    return this.files.list((id, lang) => this.runner.isRunning(id, lang));
  }
  read(id: ProgramId, language: ProgramLanguage) {
    return this.files.read(id, language);
  }
  save(id: ProgramId, language: ProgramLanguage, source: string) {
    return this.files.save(id, language, source);
  }
  reset(id: ProgramId, language: ProgramLanguage) {
    return this.files.reset(id, language);
  }
  /** `extra`: what a program check adds to the environment for its run (e.g. NETLAB_PINGS) */
  run(id: ProgramId, language: ProgramLanguage, extra: Record<string, string> = {}) {
    return this.runner.run(id, language, extra);
  }
  stop(id: ProgramId, language: ProgramLanguage) {
    return this.runner.stop(id, language);
  }
  stdin(id: ProgramId, language: ProgramLanguage, line: string): void {
    this.runner.stdin(id, language, line);
  }

  async shutdown(): Promise<void> {
    await this.runner.stopAll();
    await Promise.all([this.relays.tcp.stop(), this.relays.udp.stop()]);
  }
}

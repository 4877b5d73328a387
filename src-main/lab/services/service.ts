/**
 * What every lab service shares: a state, a port, a link profile, start/stop/restart, and
 * a clear sentence when it cannot start (a taken port names the port and what to do).
 * A service failing to start never stops the others.
 *
 * services/ holds only this base every area shares (TCP and UDP listeners, datagram flows,
 * the registry the rail lists); each protocol's own code lives in its area's folder.
 */
import type { Endpoint, LinkProfile, ServiceConfig, ServiceInfo, ServiceState, Transport } from '../api';
import type { CaptureStore } from '../capture/store';
import type { LabInternet } from '../internet/internet';
import type { ClientNames } from '../internet/names';
import { mergeLink, PERFECT_LINK } from '../link/profile';
import { hostEnd } from './host-end';

export interface ServiceContext {
  store: CaptureStore;
  names: ClientNames;
  /** names, virtual addresses and routes of the lab internet */
  internet: LabInternet;
  /** where the lab keeps what it writes (zones, sites, mailboxes, queues) */
  dataDir: string;
  /** the shipped defaults (read-only) */
  resourcesDir: string;
  /** the address servers bind: 127.0.0.1 unless the user opted into a LAN address */
  bindAddress: string;
}

export abstract class LabService {
  abstract readonly id: string;
  abstract readonly name: string;
  abstract readonly protocol: string;
  abstract readonly transport: Transport;
  /** a UDP service that also listens on TCP at its port */
  readonly alsoTcp: boolean = false;
  /** started with the lab unless a scenario says otherwise; a service that talks on its own
   *  (the DHT ring's pings) waits to be started, so it does not fill every student's inspector */
  readonly startsWithLab: boolean = true;
  abstract readonly description: string;
  state: ServiceState = 'stopped';
  error?: string;
  link: LinkProfile = { ...PERFECT_LINK };
  /** the lab host this service is (the proxy cache, the local DNS server, mail.crepes.fr) */
  protected hostName?: string;
  /** its server end in the capture, from hostName when it starts: a client's own name for the
   *  host it dialled (the terminal's `telnet gaia.cs.umass.edu 80`) still wins */
  ownEnd?: Partial<Endpoint>;
  /** the addresses listening now (127.0.0.1 and ::1 on loopback; set by the listener) */
  protected addresses: string[] = [];
  private listeners = new Set<() => void>();

  constructor(
    protected ctx: ServiceContext,
    public port: number,
  ) {}

  protected abstract listen(): Promise<void>;
  protected abstract close(): Promise<void>;
  abstract connectionCount(): number;

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  protected changed(): void {
    for (const l of this.listeners) l();
  }

  async start(): Promise<ServiceInfo> {
    if (this.state === 'running' || this.state === 'starting') return this.info();
    this.state = 'starting';
    this.error = undefined;
    this.changed();
    try {
      this.ownEnd = this.hostName ? hostEnd(this.ctx, this.hostName) : undefined;
      await this.listen();
      this.state = 'running';
    } catch (err) {
      this.state = 'error';
      this.error = listenErrorMessage(err, this);
      await this.close().catch(() => undefined);
    }
    this.changed();
    return this.info();
  }

  async stop(): Promise<ServiceInfo> {
    if (this.state !== 'stopped') {
      await this.close();
      this.state = 'stopped';
      this.error = undefined;
      this.changed();
    }
    return this.info();
  }

  async restart(): Promise<ServiceInfo> {
    await this.stop();
    return this.start();
  }

  /** Settings take effect at once; a new port restarts a running service on it. */
  async configure(config: ServiceConfig): Promise<ServiceInfo> {
    this.link = mergeLink(this.link, config.link);
    this.applyOptions(config);
    if (config.port !== undefined && config.port !== this.port) {
      this.port = config.port;
      if (this.state === 'running' || this.state === 'error') return this.restart();
    }
    this.changed();
    return this.info();
  }

  protected applyOptions(_config: ServiceConfig): void {}

  info(): ServiceInfo {
    return {
      id: this.id,
      name: this.name,
      protocol: this.protocol,
      transport: this.transport,
      ...(this.alsoTcp ? { alsoTcp: true as const } : {}),
      host: this.ctx.bindAddress,
      addresses: this.state === 'running' ? [...this.addresses] : [],
      port: this.port,
      state: this.state,
      ...(this.error ? { error: this.error } : {}),
      description: this.description,
      link: { ...this.link },
      connections: this.connectionCount(),
    };
  }
}

export function listenErrorMessage(err: unknown, s: { name: string; port: number; transport: Transport }): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  const where = `port ${s.port} (${s.transport.toUpperCase()})`;
  if (code === 'EADDRINUSE') {
    return `${where} is already in use by another program, so ${s.name} did not start. Stop that program, or give ${s.name} another port in its settings; the other services keep running.`;
  }
  if (code === 'EACCES') {
    return `${where} needs administrator rights on this system, so ${s.name} did not start. Give it a port above 1023.`;
  }
  if (code === 'EADDRNOTAVAIL') {
    return `the address to listen on is not available on this machine, so ${s.name} did not start on ${where}.`;
  }
  return `${s.name} could not listen on ${where}: ${(err as Error)?.message ?? String(err)}`;
}

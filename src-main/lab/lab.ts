/**
 * The composition root: owns the services, the capture, the terminals and the programs,
 * and implements the API both shells expose. Plain Node; nothing here knows of Electron.
 */
import fs from 'node:fs/promises';
import type {
  AreaMethods,
  LabApi,
  LabEventName,
  LabEvents,
  LabEventSource,
  ProgramId,
  ProgramLanguage,
  ServiceInfo,
  Transport,
  Unsubscribe,
} from './api';
import { exportJsonl } from './capture/export';
import { exportPcapng } from './capture/pcapng';
import { captureStatistics } from './capture/statistics';
import { dataDirUse } from './disk-use';
import { LabEventBus } from './events';
import { CaptureStore } from './capture/store';
import { CaptureFrameFeed, type CaptureFrameSource } from './capture/batch-frame-feed';
import { encodeFirstFrame, encodePageFrame, type ListQuery } from './capture/page-frame';
import { LabInternet } from './internet/internet';
import { ClientNames } from './internet/names';
import { ProgramsArea } from './scenarios/programs-area';
import type { Scenario } from './scenarios/scenario-file';
import { LabScenarios } from './scenarios/lab-scenarios';
import { runDnsCommand } from './dns/servers/dig-runner';
import { dnsArea, type LabDns } from './dns/lab-dns';
import { dnsMethods } from './dns/dns-methods';
import { createServices } from './services/registry';
import { MailApi } from './mail/mail-api';
import { mailSystemOf } from './mail/mail-services';
import { webMailBackend } from './mail/webmail-backend';
import { HttpService } from './web/server/http-service';
import { mailMethods } from './mail/mail-methods';
import type { LabService, ServiceContext } from './services/service';
import { SwarmController } from './p2p/swarm-controller';
import { swarmMethods } from './p2p/swarm-methods';
import { wireSearchAreas } from './p2p/search-areas';
import { trackerAnnounceUrl } from './p2p/tracker/tracker-service';
import { WebArea } from './web/web-area';
import { webMethods } from './web/web-methods';
import { TerminalManager } from './terminal/manager';
import type { LabsArea } from './labs/labs-area';
import { labsMethods } from './labs/labs-methods';
import type { ProgramCheckRunner } from './labs/program-check-types';
import { wireLabs } from './labs/labs-wiring';
import { Resender, resendMethods } from './resend/resend';
import { filesMethods } from './files/files-methods';
import { VERSION } from '../version';
import { TraceArea } from './trace/trace-area';
import { traceMethods } from './trace/trace-methods';
import { captureDownload, type Download } from './capture/download';
import { runSnmpCommand } from './snmp/snmp-client';
import { sipServiceOf, VoipArea } from './sip/voip-area';
import { voipMethods } from './sip/voip-methods';
import { runSipCommand } from './sip/sip-terminal';
import { runVideoCommand, VideoArea, videoMethods } from './video/video-area';

export { VERSION };

export interface LabOptions {
  dataDir: string;
  resourcesDir: string;
  shell: 'electron' | 'browser';
  /** override default ports, e.g. for tests: { 'echo-tcp': 0 } is not allowed, pass real ports */
  ports?: Partial<Record<string, number>>;
  captureLimit?: number;
  bindAddress?: string;
}

/** the methods the areas' own tables give each Lab (assigned in the constructor) */
export interface Lab extends AreaMethods<'dns'>, AreaMethods<'web'>, AreaMethods<'mail'>, AreaMethods<'swarm'>, AreaMethods<'dht'>, AreaMethods<'overlay'>, AreaMethods<'voip'>, AreaMethods<'labs'>, AreaMethods<'resend'>, AreaMethods<'trace'>, AreaMethods<'files'>, AreaMethods<'video'> {}

export class Lab implements LabApi, LabEventSource, CaptureFrameSource {
  readonly store: CaptureStore;
  readonly names = new ClientNames();
  readonly internet = new LabInternet();
  readonly services: LabService[];
  private bus: LabEventBus;
  private terminals: TerminalManager;
  /** the editor's programs (the program checks run them and address their relays) */
  readonly programs: ProgramsArea;
  private web: WebArea;
  readonly video: VideoArea;
  private dns: LabDns | undefined;
  readonly scenarios: LabScenarios;
  readonly labs: LabsArea;
  /** the VoIP tab's two softphones (sip/) */
  private voip: VoipArea;
  /** a trace file the inspector shows instead of the live capture */
  private trace = new TraceArea();

  constructor(private options: LabOptions) {
    this.store = new CaptureStore(options.captureLimit);
    this.bus = new LabEventBus(this.store);
    const ctx: ServiceContext = {
      store: this.store,
      names: this.names,
      internet: this.internet,
      dataDir: options.dataDir,
      resourcesDir: options.resourcesDir,
      bindAddress: options.bindAddress ?? '127.0.0.1',
    };
    const port = (id: string, fallback: number): number => options.ports?.[id] ?? fallback;
    this.services = createServices(ctx, port);
    // lab DNS is the resolver: every name a lab client dials is a real query to the local server
    this.dns = dnsArea(this.services);
    if (this.dns) this.internet.setResolver(this.dns.resolver());
    // web mail (§2.3.4): the web server shows each mail domain's server at http://mail.<domain>/
    const mailSystem = mailSystemOf(this.services);
    const httpServer = this.services.find((s): s is HttpService => s instanceof HttpService);
    if (mailSystem && httpServer) httpServer.webmail = webMailBackend(mailSystem);
    this.web = new WebArea(this.services, this.store, this.names, VERSION, (e) => this.emit('web.changed', e), (p) => this.emit('web.progress', p));
    this.programs = new ProgramsArea({
      ctx,
      port,
      services: () => this.services,
      output: (out) => this.emit('program.output', out),
      state: (state) => this.emit('program.state', state),
    });
    this.video = new VideoArea({ services: () => this.services, internet: this.internet, names: this.names, store: this.store, dns: this.dns, emit: (v) => this.emit('video.changed', v) });
    this.scenarios = new LabScenarios({ ...options, store: this.store, web: this.web, video: this.video, allServices: () => this.allServices(), railServices: () => this.services });
    // one list per burst of changes (the lab's start changes every service twice): each is the whole rail
    let listQueued = false;
    const listChanged = (): void => {
      if (listQueued) return;
      listQueued = true;
      queueMicrotask(() => {
        listQueued = false;
        this.emit('services.changed', this.serviceList());
      });
    };
    for (const s of this.services) s.onChange(listChanged);
    // a terminal or program said who is behind a port: label its open connection
    this.names.onNote((port, note, dialled) => this.store.labelClient(port, note, dialled));
    const search = wireSearchAreas(this.services, options, { dht: (s) => this.emit('dht.changed', s), overlay: (s) => this.emit('overlay.changed', s) });
    this.terminals = new TerminalManager(
      {
        store: this.store,
        names: this.names,
        isLabService: (p, t) => this.isLabService(p, t),
        internet: this.internet,
        hosts: () => this.dns?.hosts() ?? this.internet.hosts,
        services: () => this.serviceList(),
        dht: (cmd) => search.dht.command(cmd),
        overlay: (cmd) => search.overlays.command(cmd),
        snmp: (cmd, session) => runSnmpCommand({ internet: this.internet, names: this.names }, cmd, session),
        sip: (cmd, session) => runSipCommand(cmd, sipServiceOf(this.services)?.state === 'running' ? sipServiceOf(this.services)!.port : null, this.names, session),
        video: (cmd) => runVideoCommand(this.video, cmd),
        dnsLookup: (cmd, session, line) => (this.dns ? runDnsCommand(this.dns, cmd, session, line) : Promise.resolve([`${cmd.kind}: lab DNS is not running`])),
      },
      (out) => this.emit('terminal.output', out),
      (session) => this.emit('terminal.exit', { session }),
    );
    this.labs = wireLabs(
      {
        lab: this,
        api: this,
        store: this.store,
        resourcesDir: options.resourcesDir,
        dataDir: options.dataDir,
        applyScenario: (s) => this.scenarios.apply(s),
        fixedPorts: options.ports !== undefined,
        status: (s) => this.emit('labs.status', s),
        passed: (p) => this.emit('labs.passed', p),
      },
      this,
    );
    Object.assign(this, dnsMethods(this.dns, (what) => this.emit('dns.changed', { what })), webMethods(this.web), mailMethods(() => this.mail()), swarmMethods(() => this.swarm()), search.methods, labsMethods(() => this.labs), videoMethods(this.video));
    const resender = new Resender({ store: this.store, names: this.names, services: () => this.services });
    Object.assign(this, resendMethods(() => resender));
    // a trace file the inspector opens: a capture of its own, the live one untouched
    Object.assign(this, traceMethods(this.trace, `NetLab ${VERSION}`, () => this.hostAddress()));
    const railServices = (): string[] => this.services.map((s) => s.id);
    this.voip = new VoipArea(() => sipServiceOf(this.services), this.store, this.names, (s) => this.emit('voip.changed', s));
    Object.assign(this, voipMethods(() => this.voip));
    Object.assign(this, filesMethods({ scenarios: this.scenarios, railServices, api: this, emit: (f) => this.emit('files.offered', f) }));
  }

  /** program checks (labs/program-check.ts) are injected, so the engine runs without them */
  setProgramCheckRunner(r: ProgramCheckRunner | null): void {
    this.labs.setProgramCheckRunner(r);
  }

  /** Start every service the scenario does not disable; one that cannot start reports why and the others keep going. */
  async start(scenario: Scenario = {}): Promise<ServiceInfo[]> {
    await fs.mkdir(this.options.dataDir, { recursive: true });
    await this.scenarios.apply(scenario);
    return this.serviceList();
  }

  async shutdown(): Promise<void> {
    this.labs.close();
    await this.labs.flushed();
    this.terminals.closeAll();
    this.voip.close();
    await this.programs.shutdown();
    await this.swarmCtl?.shutdown();
    await Promise.all(this.services.map((s) => s.stop()));
    this.store.flush();
  }

  on<E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void): Unsubscribe {
    return this.bus.on(event, listener);
  }

  /** `capture.batch` for a browser tab as binary frames (batch-frame-feed.ts): the bridge's own */
  captureFrames(send: (frame: Buffer) => void, behind: () => boolean): Unsubscribe {
    const feed = new CaptureFrameFeed(this.store, send, behind);
    return () => feed.stop();
  }

  /** `capture.list` as a binary page frame for a browser tab (page-frame.ts): the bridge's own */
  captureListFrame(q: ListQuery, callId: number): Buffer {
    return encodePageFrame(this.store, q, callId);
  }
  captureFirstFrame(limit: number, callId: number): Buffer {
    return encodeFirstFrame(this.store, limit, callId);
  }

  private emit<E extends LabEventName>(event: E, payload: LabEvents[E]): void {
    this.bus.emit(event, payload);
  }

  private serviceList(): ServiceInfo[] {
    return this.services.map((s) => s.info());
  }

  private service(id: string): LabService {
    const s = this.services.find((x) => x.id === id);
    if (!s) throw new Error(`no service called ${id}`);
    return s;
  }

  private isLabService(port: number, transport: Transport): boolean {
    return this.allServices().some((s) => s.port === port && s.transport === transport && s.state === 'running');
  }

  /** the services of the rail plus the program relays (which start only with a server program) */
  private allServices(): LabService[] {
    return [...this.services, this.programs.relays.tcp, this.programs.relays.udp];
  }

  // ---------- LabApi ----------

  async 'lab.info'() {
    return {
      version: VERSION,
      dataDir: this.options.dataDir,
      shell: this.options.shell,
      python: await this.programs.python(),
      hosts: this.dns?.hosts() ?? [...this.internet.hosts],
    };
  }
  async 'lab.diskUse'() {
    return dataDirUse(this.options.dataDir);
  }
  async 'services.list'() {
    return this.serviceList();
  }
  async 'services.start'(id: string) {
    return this.service(id).start();
  }
  async 'services.stop'(id: string) {
    return this.service(id).stop();
  }
  async 'services.restart'(id: string) {
    return this.service(id).restart();
  }
  async 'services.configure'(id: string, config: Parameters<LabApi['services.configure']>[1]) {
    return this.service(id).configure(config);
  }
  async 'capture.list'(q: { afterId: number; limit: number } | { beforeId: number; limit: number }) {
    return 'beforeId' in q ? this.store.history(q.beforeId, q.limit) : this.store.list(q.afterId, q.limit);
  }
  async 'capture.connections'() {
    return this.store.allConnections();
  }
  async 'capture.first'({ limit }: { limit: number }) {
    return { settings: this.store.settings(), connections: this.store.allConnections(), messages: this.store.history(Number.MAX_SAFE_INTEGER, limit) };
  }
  async 'capture.detail'(id: number) {
    return this.store.detail(id);
  }
  async 'capture.settings'() {
    return this.store.settings();
  }
  async 'capture.configure'(patch: { enabled?: boolean; limit?: number }) {
    return this.store.configure(patch);
  }
  async 'capture.clear'() {
    const settings = this.store.clear();
    this.emit('capture.cleared', settings);
    return settings;
  }
  async 'capture.match'(query: Parameters<LabApi['capture.match']>[0], afterId: number) {
    return this.store.match(query, afterId);
  }
  async 'capture.exportJsonl'(query: Parameters<LabApi['capture.exportJsonl']>[0]) {
    return exportJsonl(this.store, query);
  }
  async 'capture.exportPcapng'(query: Parameters<LabApi['capture.exportPcapng']>[0]) {
    return exportPcapng(this.store, query, `NetLab ${VERSION}`, this.hostAddress()).toString('base64');
  }
  async 'capture.statistics'(query: Parameters<LabApi['capture.statistics']>[0]) {
    return captureStatistics(this.store, query, this.hostAddress());
  }
  /** A file the browser UI downloads by address (the bridge streams it): null for no such file. */
  download(path: string, params: URLSearchParams): Download | null {
    return captureDownload(path, params, { live: this.store, trace: () => this.trace.store() }, `NetLab ${VERSION}`, this.hostAddress());
  }
  /** A lab host's virtual address by name (for a trace's web connections named by Host). */
  hostAddress(): (name: string) => string | undefined {
    const hosts = new Map((this.dns?.hosts() ?? this.internet.hosts).map((h) => [h.name, h.virtualAddress]));
    return (name) => hosts.get(name);
  }
  async 'terminal.open'(_size: { cols: number; rows: number }) {
    return this.terminals.open();
  }
  async 'terminal.input'(session: number, data: string) {
    this.terminals.input(session, data);
  }
  async 'terminal.resize'(session: number, cols: number, _rows: number) {
    // line mode needs only the width, to list Tab completions in columns
    this.terminals.resize(session, cols);
  }
  async 'terminal.ack'(session: number, chars: number) {
    this.terminals.ack(session, chars);
  }
  async 'terminal.close'(session: number) {
    this.terminals.close(session);
  }
  async 'programs.list'() {
    return this.programs.list();
  }
  async 'scenarios.files'() {
    return this.scenarios.files();
  }
  async 'scenarios.save'(name: string, text: string) {
    return this.scenarios.save(name, text);
  }
  async 'scenarios.validate'(text: string) {
    return this.scenarios.check(text);
  }
  async 'scenarios.apply'(text: string) {
    await this.scenarios.apply(this.scenarios.parse(text));
    return this.serviceList();
  }
  async 'programs.read'(id: ProgramId, language: ProgramLanguage) {
    return this.programs.read(id, language);
  }
  async 'programs.save'(id: ProgramId, language: ProgramLanguage, source: string) {
    return this.programs.save(id, language, source);
  }
  async 'programs.reset'(id: ProgramId, language: ProgramLanguage) {
    return this.programs.reset(id, language);
  }
  async 'programs.run'(id: ProgramId, language: ProgramLanguage) {
    return this.programs.run(id, language);
  }
  async 'programs.stop'(id: ProgramId, language: ProgramLanguage) {
    return this.programs.stop(id, language);
  }
  async 'programs.stdin'(id: ProgramId, language: ProgramLanguage, line: string) {
    this.programs.stdin(id, language, line);
  }

  // ---------- the areas that bring their own method table (web/, mail/, p2p/, labs/ …-methods.ts) ----------

  private mailEvents: (() => void) | null = null;
  /** the mail area's API (mail/mail-api.ts); its change events are wired on first use */
  private mail(): MailApi {
    const system = mailSystemOf(this.services);
    if (!system) throw new Error('the mail services are not part of this lab');
    this.mailEvents ??= system.onChange((change) => this.emit('mail.changed', change));
    return new MailApi(system);
  }

  private swarmCtl: SwarmController | null = null;
  private swarm(): SwarmController {
    this.swarmCtl ??= new SwarmController({
      store: this.store,
      resourcesDir: this.options.resourcesDir,
      dataDir: this.options.dataDir,
      announceUrl: (protocol) => trackerAnnounceUrl(this.services, protocol),
      snapshot: (snap) => this.emit('swarm.snapshot', snap),
      result: (r) => this.emit('swarm.result', r),
    });
    return this.swarmCtl;
  }
}

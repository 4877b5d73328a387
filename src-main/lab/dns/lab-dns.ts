/**
 * The lab's DNS, put together: the local server and the hierarchy, their zones, the stub
 * resolver the rest of the lab resolves names with, and what the DNS view asks for. lab.ts
 * delegates here.
 */
import type { LabHost } from '../api';
import { registerDecoder } from '../capture/decoders';
import { dnsDecoder } from './decoder';
import { canonical, rrText, type RrType } from './records';
import { HIERARCHY, LOCAL_DNS_PORT, LOCAL_SERVER } from './hierarchy';
import fs from 'node:fs';
import path from 'node:path';
import type { DnsCacheRow, DnsGuide, DnsResolution, DnsResolutionRun, DnsServerInfo, DnsStep, DnsZoneSave } from './types';
import { removeConfined } from '../confined-fs';
import { writeFileAtomic } from '../storage';
import { fromAnswers, rcodeName } from './codec';
import { comBeforeRegistration, COMPANY_DAY_ONE, registrationSteps } from './guide';
import { LAB_HOSTS, LOOPBACK, type Resolution } from '../internet/hosts';
import type { LabResolver, MxRecord, SrvTarget } from '../internet/internet';
import type { LabService, ServiceContext } from '../services/service';
import { msg, say, type LabText } from '../lab-text';
import { AuthoritativeDnsService } from './servers/authoritative-service';
import { ask } from './servers/client';
import { LocalDnsService } from './servers/local-service';
import { DnsShared, type TracedResolution } from './servers/shared';
import { ZoneStore } from './servers/zone-store';

export type PortFor = (id: string, fallback: number) => number;

registerDecoder('dns', dnsDecoder);

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const STUB = { name: 'resolver (stub)' };

export class LabDns {
  readonly shared = new DnsShared();
  readonly zones: ZoneStore;
  readonly local: LocalDnsService;
  readonly servers: AuthoritativeDnsService[];

  constructor(
    readonly ctx: ServiceContext,
    port: PortFor,
  ) {
    this.zones = new ZoneStore(ctx.resourcesDir, ctx.dataDir);
    this.zones.loadAll();
    this.local = new LocalDnsService(ctx, port(LOCAL_SERVER.id, LOCAL_DNS_PORT), this.shared, LOCAL_SERVER);
    this.servers = HIERARCHY.map((s, i) => new AuthoritativeDnsService(ctx, port(s.id, LOCAL_DNS_PORT + 1 + i), this.shared, s));
    this.applyZones();
  }

  services(): LabService[] {
    return [this.local, ...this.servers];
  }

  private applyZones(): void {
    for (const s of this.servers) s.setZones(s.server.zones.map((z) => this.zones.zone(z)!).filter(Boolean));
  }

  // ---------- the lab's resolver ----------

  /** How every lab client resolves names: real queries to the local DNS server. */
  resolver(): LabResolver {
    return {
      resolve: (host) => this.resolveHost(host),
      known: (host) => this.fromZones(canonical(host.trim())),
      mx: (domain) => this.mx(domain),
      srv: (name) => this.srv(name),
    };
  }

  private localDown(): string | null {
    return this.local.state === 'running' ? null : `the lab's local DNS server (${this.local.name}) is ${this.local.state}: start it in the services rail`;
  }

  async resolveHost(input: string): Promise<Resolution> {
    const host = canonical(input.trim());
    if (!host) return { ok: false, error: 'no host given' };
    if (host === 'localhost' || host === '::1') return { ok: true, address: LOOPBACK, name: 'localhost' };
    if (IPV4.test(host)) {
      if (host.startsWith('127.')) return { ok: true, address: host };
      const known = this.zones.addresses().find((a) => a.address === host);
      if (known) return { ok: true, address: LOOPBACK, name: known.name, virtualAddress: host };
      return { ok: false, error: `${host} is outside the lab: NetLab reaches only its own hosts (type \`hosts\`)` };
    }
    // the local server is stopped (or its port taken by another lab): read the zones directly,
    // so the rest of the lab keeps working; dig and the DNS view say what is wrong
    if (this.localDown()) return this.fromZones(host);
    const r = await ask(this.ctx, this.shared, { port: this.local.port, name: host, type: 'A', rd: true, client: STUB, server: { name: LOCAL_SERVER.host } });
    if (!r.ok) return { ok: false, error: `could not resolve ${host}: lab DNS: ${r.error}` };
    const rrs = fromAnswers(r.reply.answers);
    const a = rrs.find((x) => x.type === 'A');
    if (!a || a.type !== 'A') {
      const rcode = rcodeName(r.reply.flags ?? 0);
      const why = rcode === 'NXDOMAIN' || rcode === 'NOERROR' ? 'Name or service not known' : `lab DNS answered ${rcode}`;
      return { ok: false, error: `could not resolve ${host}: ${why}` };
    }
    return { ok: true, address: LOOPBACK, name: host, virtualAddress: a.data };
  }

  private fromZones(host: string): Resolution {
    const a = this.zones.addresses().find((x) => x.name === host);
    return a ? { ok: true, address: LOOPBACK, name: host, virtualAddress: a.address } : { ok: false, error: `could not resolve ${host}: Name or service not known` };
  }

  async mx(domain: string): Promise<MxRecord[]> {
    if (this.localDown()) return this.zones.mx(canonical(domain));
    const r = await ask(this.ctx, this.shared, { port: this.local.port, name: canonical(domain), type: 'MX', rd: true, client: STUB, server: { name: LOCAL_SERVER.host } });
    if (!r.ok) return [];
    return fromAnswers(r.reply.answers)
      .flatMap((x) => (x.type === 'MX' ? [{ exchange: x.data.exchange, priority: x.data.preference }] : []))
      .sort((a, b) => a.priority - b.priority);
  }

  /** SRV records (RFC 2782), lowest priority first, then highest weight: the lab picks the first, no random draw */
  async srv(name: string): Promise<SrvTarget[]> {
    const qname = canonical(name);
    const order = (a: SrvTarget, b: SrvTarget): number => a.priority - b.priority || b.weight - a.weight;
    if (this.localDown()) return this.zones.srv(qname).sort(order);
    const r = await ask(this.ctx, this.shared, { port: this.local.port, name: qname, type: 'SRV', rd: true, client: STUB, server: { name: LOCAL_SERVER.host } });
    if (!r.ok) return [];
    return fromAnswers(r.reply.answers)
      .flatMap((x) => (x.type === 'SRV' && x.name === qname ? [x.data] : []))
      .sort(order);
  }

  /** The lab's hosts as the zones hold them (the terminal's `hosts`). */
  hosts(): LabHost[] {
    const described = new Map(LAB_HOSTS.map((h) => [h.name, h.description]));
    const seen = new Set<string>();
    const out: LabHost[] = [];
    for (const { name, address } of this.zones.addresses()) {
      if (seen.has(name)) continue;
      seen.add(name);
      out.push({ name, virtualAddress: address, description: described.get(name) ?? '' });
    }
    return out;
  }

  /** The loopback port of the lab DNS server at a virtual address, or null. */
  routeDns(address: string): number | null {
    const r = this.ctx.internet.route(address, 53);
    return r.service ? r.port : null;
  }

  // ---------- the DNS view ----------

  async resolution(name: string, type: RrType): Promise<DnsResolution> {
    const qname = canonical(name);
    // both runs start from the same cache; what they learn goes into the real one
    const forks = { iterative: this.local.cache.fork(), recursive: this.local.cache.fork() };
    const iterative = await this.run(qname, type, 'iterative', forks.iterative);
    const recursive = await this.run(qname, type, 'recursive', forks.recursive);
    return { name: qname, type, iterative, recursive };
  }

  private async run(name: string, type: RrType, mode: 'iterative' | 'recursive', cache: TracedResolution['cache']): Promise<DnsResolutionRun> {
    const started = Date.now();
    const traced: TracedResolution = { mode, trace: [], started, cache };
    const down = this.localDown();
    if (down) return { mode, steps: [], rcode: 'SERVFAIL', answers: [], ms: 0, error: down };
    const host = 'requesting host';
    const r = await ask(this.ctx, this.shared, {
      port: this.local.port,
      name,
      type,
      rd: true,
      timeoutMs: 8000,
      client: { name: host },
      server: { name: LOCAL_SERVER.host },
      onPort: (p) => this.shared.traced.set(p, traced),
    });
    const ms = Date.now() - started;
    const question = `${name} ${type}`;
    const steps: DnsStep[] = [
      { kind: 'query', from: host, to: LOCAL_SERVER.host, question, ...say(msg('dnsLab.step.queryRecursive', { question })), t: 0, transport: 'udp' },
      ...traced.trace,
    ];
    if (!r.ok) return { mode, steps: number(steps), rcode: 'SERVFAIL', answers: [], ms, ...runError(r) };
    steps[0].message = r.messages.query;
    const answers = fromAnswers(r.reply.answers);
    steps.push({
      kind: 'reply',
      from: LOCAL_SERVER.host,
      to: host,
      question,
      ...say(answers.length ? msg('dnsLab.reply.answer', { records: answers.map((a) => rrText(a).split('\t').slice(3).join(' ')).join(', ') }) : msg('dnsLab.reply.rcode', { rcode: rcodeName(r.reply.flags ?? 0) })),
      message: r.messages.reply,
      transport: r.transport,
      t: ms,
    });
    return { mode, steps: number(steps), rcode: rcodeName(r.reply.flags ?? 0), answers: answers.map(rrText), ms, ...(traced.error ? runError({ error: traced.error, errorText: traced.errorText }) : {}) };
  }

  cacheRows(): DnsCacheRow[] {
    return this.local.cache.rows();
  }

  flush(name?: string): number {
    return this.local.flush(name === undefined ? undefined : canonical(name));
  }

  async saveZone(zone: string, text: string): Promise<DnsZoneSave> {
    const r = await this.zones.save(canonical(zone), text);
    if (r.ok) this.zoneChanged();
    return r;
  }

  async resetZone(zone: string) {
    const r = await this.zones.reset(canonical(zone));
    this.zoneChanged();
    return r;
  }

  /** A zone changed: servers answer from the new data at once, and the local server forgets
   *  what it cached (in the real DNS old data would live on until its TTL ran out). */
  private zoneChanged(): void {
    this.applyZones();
    this.local.flush();
  }

  // ---------- the guided exercise (Kurose & Ross §2.4.3) ----------

  /** the exercise is under way from Start to Restore: a marker in the data directory */
  private get guideMarker(): string {
    return path.join(this.ctx.dataDir, 'dns-guide.json');
  }

  async guide(): Promise<DnsGuide> {
    const started = fs.existsSync(this.guideMarker);
    let resolved: string | null = null;
    if (started && !this.localDown()) {
      const r = await ask(this.ctx, this.shared, { port: this.local.port, name: 'www.networkutopia.com', type: 'A', rd: true, client: { name: 'guide' }, server: { name: LOCAL_SERVER.host } });
      const a = r.ok ? fromAnswers(r.reply.answers).find((x) => x.type === 'A') : undefined;
      resolved = a?.type === 'A' ? a.data : null;
    }
    return { started, steps: registrationSteps(this.zones.zone('com'), this.zones.zone('networkutopia.com'), resolved, started) };
  }

  /** Back to the day before the registration: com without the domain, the company's zone bare. */
  async guideStart(): Promise<DnsGuide> {
    await this.zones.reset('com');
    const com = comBeforeRegistration(this.zones.read('com').text);
    for (const [zone, text] of [['com', com], ['networkutopia.com', COMPANY_DAY_ONE]] as const) {
      const r = await this.zones.save(zone, text);
      if (!r.ok) throw new Error(`${zone}: line ${r.errors[0].line}: ${r.errors[0].message}`);
    }
    await writeFileAtomic(this.guideMarker, `${JSON.stringify({ started: new Date().toISOString() })}\n`, { base: this.ctx.dataDir });
    this.zoneChanged();
    return this.guide();
  }

  async guideRestore(): Promise<DnsGuide> {
    await this.zones.reset('com');
    await this.zones.reset('networkutopia.com');
    await removeConfined(this.guideMarker, { base: this.ctx.dataDir });
    this.zoneChanged();
    return this.guide();
  }

  serverList(): DnsServerInfo[] {
    const all = [{ s: LOCAL_SERVER, svc: this.local as LabService }, ...this.servers.map((svc) => ({ s: svc.server, svc: svc as LabService }))];
    return all.map(({ s, svc }) => ({ id: s.id, role: s.role, host: s.host, addresses: s.addresses, zones: s.zones, port: svc.port, state: svc.state, description: s.description }));
  }
}

/** A run's failure: its English, and its catalogue key and parameters when the lab wrote it (lab-text-error.ts). */
function runError(f: { error: string; errorText?: LabText }): Pick<DnsResolutionRun, 'error' | 'errorKey' | 'errorParams'> {
  if (!f.errorText) return { error: f.error };
  return { error: f.error, errorKey: f.errorText.key, ...(f.errorText.params ? { errorParams: f.errorText.params } : {}) };
}

/** Number the messages 1, 2, 3 … as the textbook's figures do; cache hits keep no number. */
function number(steps: DnsStep[]): DnsStep[] {
  let n = 0;
  return steps.map((s) => (s.kind === 'cache' ? s : { ...s, n: ++n }));
}

/** A zone name from the API ('.' or 'umass.edu.') as the store keys it. */
export function canonicalZone(zone: string): string {
  return canonical(zone);
}

const areas = new WeakMap<LabService, LabDns>();

/** The registry adds the DNS services; lab.ts finds their area again among them. */
export function dnsServices(ctx: ServiceContext, port: PortFor): LabService[] {
  const dns = new LabDns(ctx, port);
  areas.set(dns.local, dns);
  return dns.services();
}

export function dnsArea(services: readonly LabService[]): LabDns | undefined {
  for (const s of services) {
    const area = areas.get(s);
    if (area) return area;
  }
  return undefined;
}

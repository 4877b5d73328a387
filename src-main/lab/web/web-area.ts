/**
 * The web area behind the lab API: the web server's sites, settings and cookie table, the
 * proxy's cache, the experiments and the HAR export. lab.ts delegates here.
 */
import type { CaptureQuery, LabCaInfo } from '../api';
import { HttpsService } from './server/https-service';
import type { CaptureStore } from '../capture/store';
import type { ClientNames } from '../internet/names';
import { DEFAULT_WEB_SETTINGS, HttpService } from './server/http-service';
import { DEFAULT_PROXY_SETTINGS, ProxyService } from './proxy/proxy-service';
import type { LabService } from '../services/service';
import { runPersistence } from './experiments';
import { runCaching } from './caching-experiment';
import { exportHar } from './har';
import type { ExperimentProgress, ProxySettings, WebChanged, WebSettings } from './types';
import type { CachingOptions, PersistenceOptions } from './web-schemas';
import { compare } from './orders/compare';
import type { CompareRequest, CompareResult } from './orders/orders-types';
import { readSiteFile, resetSiteFile, saveSiteFile, siteInfo } from './server/site-editor';

export class WebArea {
  readonly http: HttpService;
  readonly proxy: ProxyService;
  readonly https: HttpsService;
  private running = false;

  constructor(
    services: LabService[],
    private store: CaptureStore,
    private names: ClientNames,
    private version: string,
    emit: (e: WebChanged) => void,
    private progress: (p: ExperimentProgress) => void = () => undefined,
  ) {
    const http = services.find((s): s is HttpService => s instanceof HttpService);
    const proxy = services.find((s): s is ProxyService => s instanceof ProxyService);
    const https = services.find((s): s is HttpsService => s instanceof HttpsService);
    if (!http || !proxy || !https) throw new Error('the web services are missing from the registry');
    this.http = http;
    this.proxy = proxy;
    this.https = https;
    // a browser fetching a page changes the cache and the cookie table many times a second:
    // the UI hears of it at most every 200 ms
    const throttled = new Map<WebChanged['what'], NodeJS.Timeout>();
    const tell = (what: WebChanged['what']): void => {
      if (what === 'sites' || what === 'settings') return emit({ what });
      if (throttled.has(what)) return;
      emit({ what });
      throttled.set(
        what,
        setTimeout(() => {
          throttled.delete(what);
          emit({ what });
        }, 200).unref(),
      );
    };
    http.onWebChange(tell);
    proxy.onCacheChange(() => tell('cache'));
  }

  settings(): WebSettings {
    return { ...this.http.settings };
  }
  configure(patch: Partial<WebSettings>): WebSettings {
    return this.http.configureWeb(patch);
  }
  async sites() {
    if (this.http.sites.all.length === 0) await this.http.sites.load();
    return siteInfo(this.http.sites);
  }
  async readFile(host: string, path: string) {
    return readSiteFile(this.http.sites, host, path);
  }
  async saveFile(host: string, path: string, text: string) {
    const saved = await saveSiteFile(this.http.sites, host, path, text);
    this.http.webChanged('sites');
    return saved;
  }
  async resetFile(host: string, path: string) {
    const file = await resetSiteFile(this.http.sites, host, path);
    this.http.webChanged('sites');
    return file;
  }
  cookies() {
    return this.http.cookies.list();
  }
  clearCookies() {
    this.http.cookies.clear();
    this.http.webChanged('cookies');
    return this.http.cookies.list();
  }
  proxyStatus() {
    return this.proxy.status();
  }
  proxyConfigure(patch: Partial<ProxySettings>) {
    return this.proxy.configureProxy(patch);
  }
  /** A scenario's `web:` keys over the defaults (a scenario says what the lab is, whatever was set before it). */
  applyScenario(web: { server?: Partial<WebSettings>; proxy?: Partial<ProxySettings> } = {}) {
    this.configure({ ...DEFAULT_WEB_SETTINGS, ...web.server });
    this.proxyConfigure({ ...DEFAULT_PROXY_SETTINGS, ...web.proxy });
  }
  proxyFlush() {
    return this.proxy.flush();
  }
  runPersistence(opts: PersistenceOptions) {
    return this.exclusive(() => runPersistence({ http: this.http, proxy: this.proxy, names: this.names }, opts, this.progress));
  }
  runCaching(opts: CachingOptions) {
    return this.exclusive(() => runCaching({ http: this.http, proxy: this.proxy, names: this.names }, opts, this.progress));
  }
  compareServices(req: CompareRequest): Promise<CompareResult> {
    if (this.http.state !== 'running') throw new Error(`the web server is ${this.http.state}: start it in the services rail, then compare`);
    return compare(req, { port: this.http.port, names: this.names, store: this.store, service: this.http.id });
  }
  labCa(): LabCaInfo {
    return this.https.labCa().info();
  }

  exportHar(query: CaptureQuery): string {
    return exportHar(this.store, query, this.version);
  }

  /** One experiment at a time: each changes the services' settings while it runs. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running) throw new Error('an experiment is already running');
    this.running = true;
    try {
      return await fn();
    } finally {
      this.running = false;
    }
  }
}

import { defineStore } from 'pinia';
import { ref } from 'vue';
import { lab, errorMessage } from '../api';
import { downloadText } from '../util/download';
import type {
  CachingOptions,
  CachingResult,
  CookieRow,
  ExperimentProgress,
  PersistenceOptions,
  PersistenceResult,
  ProxySettings,
  ProxyStatus,
  SiteFileContent,
  SiteInfo,
  WebSettings,
} from '../api/types';

export type WebPane = 'sites' | 'cookies' | 'proxy' | 'experiments' | 'services' | 'tls';

/** The Web view: sites and their files, server settings, the cookie table, the proxy cache, experiment results. */
export const useWebStore = defineStore('web', () => {
  const pane = ref<WebPane>('sites');
  const sites = ref<SiteInfo[]>([]);
  const settings = ref<WebSettings | null>(null);
  const cookies = ref<CookieRow[]>([]);
  const proxy = ref<ProxyStatus | null>(null);
  const open = ref<SiteFileContent | null>(null);
  const persistence = ref<PersistenceResult | null>(null);
  const caching = ref<CachingResult | null>(null);
  const running = ref<'persistence' | 'caching' | null>(null);
  /** the running experiment's phase and n/N (event web.progress) */
  const progress = ref<ExperimentProgress | null>(null);
  const error = ref<string | null>(null);
  let subscribed = false;
  let proxyTimer: ReturnType<typeof setTimeout> | undefined;

  async function guard<T>(fn: () => Promise<T>): Promise<T | undefined> {
    error.value = null;
    try {
      return await fn();
    } catch (err) {
      error.value = errorMessage(err);
      return undefined;
    }
  }

  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      lab.on('web.progress', (p) => {
        if (running.value === p.experiment) progress.value = p;
      });
      lab.on('web.changed', (e) => {
        if (e.what === 'cookies') void refreshCookies();
        else if (e.what === 'cache') {
          // a page with ten images changes the cache ten times: refresh once
          clearTimeout(proxyTimer);
          proxyTimer = setTimeout(() => void refreshProxy(), 150);
        } else if (e.what === 'sites') void refreshSites();
        else void guard(async () => (settings.value = await lab.call('web.settings')));
      });
    }
    await guard(async () => {
      [sites.value, settings.value, cookies.value, proxy.value] = await Promise.all([
        lab.call('web.sites'),
        lab.call('web.settings'),
        lab.call('web.cookies'),
        lab.call('web.proxyStatus'),
      ]);
    });
  }

  const refreshSites = () => guard(async () => (sites.value = await lab.call('web.sites')));
  const refreshCookies = () => guard(async () => (cookies.value = await lab.call('web.cookies')));
  const refreshProxy = () => guard(async () => (proxy.value = await lab.call('web.proxyStatus')));

  const openFile = (host: string, path: string) => guard(async () => (open.value = await lab.call('web.readFile', host, path)));
  const saveFile = (text: string) =>
    guard(async () => {
      if (!open.value) return;
      open.value = await lab.call('web.saveFile', open.value.host, open.value.path, text);
    });
  const resetFile = () =>
    guard(async () => {
      if (!open.value) return;
      const back = await lab.call('web.resetFile', open.value.host, open.value.path);
      open.value = back;
    });

  const configure = (patch: Partial<WebSettings>) => guard(async () => (settings.value = await lab.call('web.configure', patch)));
  const clearCookies = () => guard(async () => (cookies.value = await lab.call('web.clearCookies')));
  const configureProxy = (patch: Partial<ProxySettings>) => guard(async () => (proxy.value = await lab.call('web.proxyConfigure', patch)));
  const flush = () => guard(async () => (proxy.value = await lab.call('web.proxyFlush')));

  async function runPersistence(opts: PersistenceOptions): Promise<void> {
    running.value = 'persistence';
    progress.value = null;
    await guard(async () => (persistence.value = await lab.call('web.runPersistence', opts)));
    running.value = null;
    progress.value = null;
  }
  async function runCaching(opts: CachingOptions): Promise<void> {
    running.value = 'caching';
    progress.value = null;
    await guard(async () => (caching.value = await lab.call('web.runCaching', opts)));
    running.value = null;
    progress.value = null;
  }

  /** HAR of every captured HTTP exchange, downloaded as a file. */
  async function downloadHar(): Promise<void> {
    const text = await guard(() => lab.call('web.exportHar', {}));
    if (text === undefined) return;
    downloadText(`netlab-${new Date().toISOString().replace(/[:.]/g, '-')}.har`, text, 'application/json');
  }

  return {
    pane,
    sites,
    settings,
    cookies,
    proxy,
    open,
    persistence,
    caching,
    running,
    progress,
    error,
    load,
    refreshSites,
    refreshProxy,
    openFile,
    saveFile,
    resetFile,
    configure,
    clearCookies,
    configureProxy,
    flush,
    runPersistence,
    runCaching,
    downloadHar,
  };
});

import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { errorMessage, lab } from '../api';
import { t } from '../i18n';
import type { DnsCacheRow, DnsGuide, DnsResolution, DnsServerInfo, DnsZoneError, DnsZoneInfo, DnsZoneText } from '../api/types';

export type DnsPane = 'resolve' | 'cache' | 'zones' | 'hierarchy' | 'guide';
export const DNS_TYPES = ['A', 'AAAA', 'NS', 'CNAME', 'MX', 'SOA', 'PTR', 'TXT', 'SRV'] as const;
export type DnsType = (typeof DNS_TYPES)[number];

/** The DNS tab: resolutions, the local server's cache, the zone files, the hierarchy. */
export const useDnsStore = defineStore('dns', () => {
  const pane = ref<DnsPane>('resolve');
  const error = ref<string | null>(null);

  // ---------- resolution ----------
  const name = ref('gaia.cs.umass.edu');
  const type = ref<DnsType>('A');
  const resolution = ref<DnsResolution | null>(null);
  const resolving = ref(false);

  async function resolve(): Promise<void> {
    resolving.value = true;
    error.value = null;
    try {
      resolution.value = await lab.call('dns.resolve', name.value.trim(), type.value);
      void loadCache();
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      resolving.value = false;
    }
  }

  // ---------- cache ----------
  const cache = ref<DnsCacheRow[]>([]);
  async function loadCache(): Promise<void> {
    try {
      cache.value = await lab.call('dns.cache');
    } catch (e) {
      error.value = errorMessage(e);
    }
  }
  async function flush(): Promise<void> {
    try {
      cache.value = await lab.call('dns.flush');
    } catch (e) {
      error.value = errorMessage(e);
    }
  }

  // ---------- zones ----------
  const zones = ref<DnsZoneInfo[]>([]);
  const zone = ref<string>('umass.edu');
  const file = ref<DnsZoneText | null>(null);
  const draft = ref('');
  const zoneErrors = ref<DnsZoneError[]>([]);
  const saving = ref(false);
  /** what the last save or reset did, told in the UI's language when shown (it can change meanwhile) */
  const note = ref<{ key: 'saved' | 'savedWarnings' | 'shipped'; n?: number } | null>(null);
  const savedNote = computed(() => (note.value ? t(`dns.zones.${note.value.key}`, { n: note.value.n ?? 0 }, note.value.n ?? 1) : null));
  const dirty = computed(() => file.value !== null && draft.value !== file.value.text);
  /** what in the zone as saved is likely a slip (a name missing its trailing dot), at its line */
  const zoneWarnings = computed<DnsZoneError[]>(() => file.value?.warnings ?? []);

  async function loadZones(): Promise<void> {
    try {
      zones.value = await lab.call('dns.zones');
    } catch (e) {
      error.value = errorMessage(e);
    }
  }
  async function openZone(z: string): Promise<void> {
    zone.value = z;
    zoneErrors.value = [];
    note.value = null;
    try {
      const text = await lab.call('dns.readZone', z === '' ? '.' : z);
      if (zone.value !== z) return; // another zone was picked meanwhile
      file.value = text;
      draft.value = text.text;
    } catch (e) {
      error.value = errorMessage(e);
    }
  }
  async function saveZone(): Promise<boolean> {
    saving.value = true;
    note.value = null;
    try {
      const r = await lab.call('dns.saveZone', zone.value === '' ? '.' : zone.value, draft.value);
      if (!r.ok) {
        zoneErrors.value = r.errors;
        return false;
      }
      zoneErrors.value = [];
      file.value = r.zone;
      draft.value = r.zone.text;
      const w = r.zone.warnings.length;
      note.value = w ? { key: 'savedWarnings', n: w } : { key: 'saved' };
      await loadZones();
      return true;
    } catch (e) {
      error.value = errorMessage(e);
      return false;
    } finally {
      saving.value = false;
    }
  }
  async function resetZone(): Promise<void> {
    try {
      const r = await lab.call('dns.resetZone', zone.value === '' ? '.' : zone.value);
      file.value = r;
      draft.value = r.text;
      zoneErrors.value = [];
      note.value = { key: 'shipped' };
      await loadZones();
    } catch (e) {
      error.value = errorMessage(e);
    }
  }

  // ---------- hierarchy ----------
  const servers = ref<DnsServerInfo[]>([]);
  async function loadServers(): Promise<void> {
    try {
      servers.value = await lab.call('dns.servers');
    } catch (e) {
      error.value = errorMessage(e);
    }
  }

  // ---------- the guided exercise ----------
  const guide = ref<DnsGuide>({ started: false, steps: [] });
  const guideBusy = ref(false);
  async function runGuide(action: 'check' | 'start' | 'restore'): Promise<void> {
    guideBusy.value = true;
    try {
      guide.value = await lab.call('dns.guide', action);
      if (action !== 'check') {
        await loadZones();
        if (zone.value === 'com' || zone.value === 'networkutopia.com') await openZone(zone.value);
      }
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      guideBusy.value = false;
    }
  }

  let subscribed = false;
  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      lab.on('dns.changed', (c) => {
        if (c.what === 'zones') void loadZones();
        void loadCache();
      });
      lab.on('services.changed', () => void loadServers());
    }
    await Promise.all([loadZones(), loadServers(), loadCache()]);
    if (!file.value) await openZone(zone.value);
  }

  return {
    pane,
    error,
    name,
    type,
    resolution,
    resolving,
    resolve,
    cache,
    loadCache,
    flush,
    zones,
    zone,
    file,
    draft,
    dirty,
    zoneErrors,
    zoneWarnings,
    saving,
    savedNote,
    loadZones,
    openZone,
    saveZone,
    resetZone,
    servers,
    loadServers,
    guide,
    guideBusy,
    runGuide,
    load,
  };
});

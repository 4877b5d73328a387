import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef, watch } from 'vue';
import { lab, errorMessage } from '../api';
import type { CaptureBatch, CaptureSettings, CaptureSummary, ConnectionInfo } from '../api/types';
import { compileFilter, emptyFilter, toQuery, type CaptureFilter } from './captureFilter';

const DEFAULT_LIMIT = 100_000;

/** First index in an id-sorted array whose id is >= id. */
function lowerBound(rows: readonly CaptureSummary[], id: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The captured messages. Rows live in plain arrays (never deep-reactive) so that
 * 100,000 of them stay cheap; `version` ticks whenever they change.
 */
/** History is fetched newest first: one page to show at once, then older pages behind it. */
const FIRST_PAGE = 5_000;
const HISTORY_PAGE = 20_000;

export const useCaptureStore = defineStore('capture', () => {
  // Plain arrays held in shallowRefs: Vue tracks the ref, not the elements.
  const rows = shallowRef<CaptureSummary[]>([]);
  const filtered = shallowRef<CaptureSummary[]>([]);
  const connections = shallowRef(new Map<number, ConnectionInfo>());
  const version = ref(0);
  const connVersion = ref(0);

  const settings = ref<CaptureSettings | null>(null);
  const evictedHere = ref(0);
  const filter = reactive<CaptureFilter>(emptyFilter());
  const selectedId = ref<number | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);

  let subscribed = false;
  /** Services seen in the capture, for the filter dropdown (kept incrementally). */
  const seenServices = ref<string[]>([]);
  const serviceSet = new Set<string>();
  function noteService(name: string): void {
    if (serviceSet.has(name)) return;
    serviceSet.add(name);
    seenServices.value = [...serviceSet].sort();
  }
  let pendingBatches: CaptureBatch[] | null = null;

  const limit = computed(() => settings.value?.limit ?? DEFAULT_LIMIT);

  function findRow(id: number): CaptureSummary | undefined {
    const list = rows.value;
    const i = lowerBound(list, id);
    return list[i]?.id === id ? list[i] : undefined;
  }

  const selected = computed<CaptureSummary | undefined>(() => {
    void version.value;
    return selectedId.value === null ? undefined : findRow(selectedId.value);
  });

  /** The connection the list is narrowed to, if any. */
  const effectiveConn = computed<number | null>(() => {
    if (filter.followSelected) return selected.value && selected.value.conn > 0 ? selected.value.conn : null;
    return filter.conn;
  });

  function refilter(): void {
    const pred = compileFilter(filter, effectiveConn.value);
    filtered.value = rows.value.filter(pred);
    version.value++;
  }

  // Sources listed one by one so each is compared on its own (a fresh array always differs).
  watch(
    [() => filter.service, () => filter.kind, () => filter.text, () => filter.conn, () => filter.followSelected, effectiveConn],
    refilter,
  );

  function applyConnections(list: ConnectionInfo[]): void {
    if (list.length === 0) return;
    const map = connections.value;
    for (const c of list) map.set(c.id, c);
    connVersion.value++;
  }

  function append(messages: CaptureSummary[]): void {
    const list = rows.value;
    const lastId = list.length ? list[list.length - 1].id : 0;
    const fresh = messages.filter((m) => m.id > lastId);
    if (fresh.length === 0) return;
    const pred = compileFilter(filter, effectiveConn.value);
    const view = filtered.value;
    for (const m of fresh) {
      list.push(m);
      noteService(m.service);
      if (pred(m)) view.push(m);
    }
    const over = list.length - limit.value;
    if (over > 0) evict(over);
    version.value++;
  }

  function evict(count: number): void {
    const list = rows.value;
    const firstKept = list[count].id;
    list.splice(0, count);
    evictedHere.value += count;
    const view = filtered.value;
    const cut = lowerBound(view, firstKept);
    if (cut > 0) view.splice(0, cut);
    if (selectedId.value !== null && selectedId.value < firstKept) selectedId.value = null;
  }

  function onBatch(batch: CaptureBatch): void {
    if (pendingBatches) {
      pendingBatches.push(batch);
      return;
    }
    applyConnections(batch.connections);
    append(batch.messages);
  }

  function onCleared(s: CaptureSettings): void {
    settings.value = s;
    rows.value = [];
    filtered.value = [];
    evictedHere.value = 0;
    selectedId.value = null;
    version.value++;
  }

  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      lab.on('capture.batch', onBatch);
      lab.on('capture.cleared', onCleared);
    }
    loading.value = true;
    pendingBatches = [];
    let s: CaptureSettings | null = null;
    try {
      // the newest page first, shown at once; older history follows in pages (loadOlder)
      const [settingsNow, list, conns] = await Promise.all([
        lab.call('capture.settings'),
        lab.call('capture.list', { beforeId: Number.MAX_SAFE_INTEGER, limit: FIRST_PAGE }),
        lab.call('capture.connections'),
      ]);
      s = settingsNow;
      settings.value = s;
      evictedHere.value = 0;
      const map = new Map<number, ConnectionInfo>();
      for (const c of conns) map.set(c.id, c);
      connections.value = map;
      connVersion.value++;
      rows.value = list;
      for (const m of rows.value) noteService(m.service);
      error.value = null;
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      const queued = pendingBatches ?? [];
      pendingBatches = null;
      loading.value = false;
      refilter();
      for (const b of queued) onBatch(b);
    }
    if (s && rows.value.length === FIRST_PAGE) void loadOlder();
  }

  /** Older history, a page at a time, yielding between pages so the list stays responsive. */
  async function loadOlder(): Promise<void> {
    for (;;) {
      const oldest = rows.value[0]?.id;
      if (oldest === undefined || rows.value.length >= limit.value) return;
      let page: CaptureSummary[];
      try {
        page = await lab.call('capture.list', { beforeId: oldest, limit: Math.min(HISTORY_PAGE, limit.value - rows.value.length) });
      } catch {
        return;
      }
      // a clear while paging makes the page stale
      if (page.length === 0 || rows.value[0]?.id !== oldest) return;
      rows.value = page.concat(rows.value);
      for (const m of page) noteService(m.service);
      refilter();
      await new Promise((r) => setTimeout(r, 0));
    }
  }

  async function clear(): Promise<void> {
    try {
      onCleared(await lab.call('capture.clear'));
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  async function configure(patch: { enabled?: boolean; limit?: number }): Promise<void> {
    try {
      settings.value = await lab.call('capture.configure', patch);
      const over = rows.value.length - limit.value;
      if (over > 0) {
        evict(over);
        version.value++;
      }
      // the fresh settings already count what the lab dropped, these rows included
      evictedHere.value = 0;
      error.value = null;
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  async function exportJsonl(): Promise<string> {
    return lab.call('capture.exportJsonl', toQuery(filter, effectiveConn.value));
  }

  function select(id: number | null): void {
    selectedId.value = id;
  }

  function followConnection(conn: number): void {
    filter.followSelected = false;
    filter.conn = conn;
  }

  /** Messages of one connection, in capture order (for the ladder). */
  function messagesOf(conn: number): CaptureSummary[] {
    return rows.value.filter((m) => m.conn === conn);
  }

  const connection = (id: number): ConnectionInfo | undefined => connections.value.get(id);


  return {
    rows,
    filtered,
    connections,
    version,
    connVersion,
    settings,
    evictedHere,
    filter,
    selectedId,
    selected,
    effectiveConn,
    loading,
    error,
    limit,
    seenServices,
    load,
    clear,
    configure,
    exportJsonl,
    select,
    followConnection,
    messagesOf,
    connection,
    findRow,
  };
});

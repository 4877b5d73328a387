import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef, watch } from 'vue';
import { lab, errorMessage } from '../api';
import { captureOpening, captureRead, openedTrace } from './captureSource';
import type { CaptureBatch, CaptureSettings, CaptureStatistics, CaptureSummary, ConnectionInfo } from '../api/types';
import { compileFilter, emptyFilter, toQuery, type CaptureFilter } from './captureFilter';
import { useFieldMatch } from './fieldMatch';
import { Exchanges, groupedView, lowerBoundKey, placeGrouped } from '../components/inspector/exchanges';
import { lowerBound } from '../util/rows';
import { FIRST_PAGE, useHistoryPages } from './captureHistory';
import { useSeenServices } from './seenServices';
import { afterInspector } from '../util/firstDraw';

const DEFAULT_LIMIT = 100_000;

/**
 * The captured messages. Rows live in plain arrays (never deep-reactive) so that
 * 100,000 of them stay cheap; `version` ticks whenever they change.
 */

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
  /** request/response pairs, kept as rows arrive; `expanded`: pair rows showing their response */
  const exchanges = new Exchanges();
  const expanded = new Set<number>();
  const grouped = (): boolean => filter.pairs && filter.kind === 'message';
  const loading = ref(false);
  /** the first page of the capture is in (or the lab could not give it): util/firstDraw.ts */
  const loadedOnce = ref(false);
  const error = ref<string | null>(null);

  let subscribed = false;
  /** loads begun (a reconnect or a trace file loads again) */
  let loads = 0;
  const { seenServices, noteService } = useSeenServices();
  let pendingBatches: CaptureBatch[] | null = null;
  /** step mode's pause (stores/step.ts): batches wait here, the core goes on capturing */
  let heldBatches: CaptureBatch[] | null = null;
  const heldCount = ref(0);

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

  /** the display filter's matches, asked of the core (a summary search is matched here) */
  const fieldMatch = useFieldMatch(filter, () => refilter());

  /** ticks when the filtered rows are worked out afresh (see flowSource) */
  let flowEpoch = 0;
  function refilter(): void {
    flowEpoch++;
    const pred = compileFilter(filter, effectiveConn.value, fieldMatch.ids.value);
    filtered.value = grouped() ? groupedView(rows.value, exchanges, pred, expanded) : rows.value.filter(pred);
    version.value++;
  }

  // Sources listed one by one so each is compared on its own (a fresh array always differs).
  watch(
    [() => filter.service, () => filter.kind, () => filter.conn, () => filter.followSelected, () => filter.pairs, effectiveConn],
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
    const pred = compileFilter(filter, effectiveConn.value, fieldMatch.ids.value);
    const view = filtered.value;
    const group = grouped();
    for (const m of fresh) {
      list.push(m);
      noteService(m.service);
      exchanges.add(m);
      if (group) placeGrouped(view, exchanges, m, pred, expanded);
      else if (pred(m)) view.push(m);
    }
    const over = list.length - limit.value;
    if (over > 0) evict(over);
    fieldMatch.arrived(list[list.length - 1].id);
    version.value++;
  }

  function evict(count: number): void {
    const list = rows.value;
    const firstKept = list[count].id;
    const gone = list.splice(0, count);
    flowEpoch++;
    evictedHere.value += count;
    const view = filtered.value;
    // a grouped view sorts a response with its request: cut by that key, before forgetting pairs
    const cut = grouped() ? lowerBoundKey(view, exchanges, firstKept) : lowerBound(view, firstKept);
    if (cut > 0) view.splice(0, cut);
    for (const m of gone) expanded.delete(m.id);
    const orphans = exchanges.forget(gone);
    // a response whose request was evicted stands alone now
    if (orphans.length && grouped()) {
      const pred = compileFilter(filter, effectiveConn.value, fieldMatch.ids.value);
      for (const m of orphans) if (pred(m)) view.splice(lowerBoundKey(view, exchanges, m.id), 0, m);
    }
    if (selectedId.value !== null && selectedId.value < firstKept) selectedId.value = null;
  }

  function onBatch(batch: CaptureBatch): void {
    // a trace file is shown: the live capture goes on in the lab, read again on the way back
    if (openedTrace.value) return;
    if (heldBatches && !pendingBatches) {
      heldBatches.push(batch);
      heldCount.value += batch.messages.length;
      return;
    }
    if (pendingBatches) {
      pendingBatches.push(batch);
      return;
    }
    applyConnections(batch.connections);
    append(batch.messages);
    for (const c of batch.connections) if (c.closed !== undefined) exchanges.closed(c.id);
  }

  /** Hold the view where it is (new batches wait), or release it with what arrived meanwhile. */
  function hold(on: boolean): void {
    if (on) {
      heldBatches ??= [];
      return;
    }
    const queued = heldBatches ?? [];
    heldBatches = null;
    heldCount.value = 0;
    for (const b of queued) onBatch(b);
  }

  function onCleared(s: CaptureSettings): void {
    if (heldBatches) heldBatches = [];
    heldCount.value = 0;
    settings.value = s;
    if (openedTrace.value) return;
    rows.value = [];
    filtered.value = [];
    flowEpoch++;
    exchanges.clear();
    expanded.clear();
    evictedHere.value = 0;
    selectedId.value = null;
    history.stop();
    fieldMatch.cleared();
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
      // the newest page first, shown at once; older history follows in pages (captureHistory.ts)
      const { settings: settingsNow, messages: list, connections: conns } = await captureOpening(FIRST_PAGE);
      s = settingsNow;
      settings.value = s;
      evictedHere.value = 0;
      const map = new Map<number, ConnectionInfo>();
      for (const c of conns) map.set(c.id, c);
      connections.value = map;
      connVersion.value++;
      rows.value = list;
      // a trace file holds its own messages (the lab's settings are the live capture's)
      history.started(list.length, openedTrace.value ? openedTrace.value.messages : s.stored);
      for (const m of rows.value) noteService(m.service);
      exchanges.rebuild(list, closedConn);
      error.value = null;
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      const queued = pendingBatches ?? [];
      pendingBatches = null;
      loading.value = false;
      loadedOnce.value = true;
      if (fieldMatch.active.value) fieldMatch.restart(rows.value.at(-1)?.id ?? 0);
      refilter();
      for (const b of queued) onBatch(b);
    }
    // older pages once the first is drawn (their decoding would hold up the inspector's
    // mount), by the pager of the latest load only
    const mine = ++loads;
    if (s) void afterInspector(async () => (mine === loads ? history.older() : undefined))();
  }

  /** An older page in front of the rows: the filter's matches go in front of the view's, the
   *  page's own work only (the grouped view is worked out again only when the page's requests
   *  took responses that were already here). */
  function prepend(page: CaptureSummary[]): void {
    const newer = rows.value;
    rows.value = page.concat(newer);
    for (const m of page) noteService(m.service);
    // older requests may be answered by responses already here: stitched, not re-paired whole
    const repaired = exchanges.prepend(page, newer, closedConn);
    const group = grouped();
    if (group && repaired) return refilter();
    flowEpoch++;
    const pred = compileFilter(filter, effectiveConn.value, fieldMatch.ids.value);
    const front = group ? groupedView(page, exchanges, pred, expanded) : page.filter(pred);
    filtered.value = front.concat(filtered.value);
    version.value++;
  }
  const history = useHistoryPages({
    oldest: () => rows.value[0]?.id,
    room: () => limit.value - rows.value.length,
    read: (beforeId, count) => captureRead('list', { beforeId, limit: count }),
    put: prepend,
  });

  async function clear(): Promise<void> {
    // a trace file is read-only (Clear, Ctrl+Shift+L would clear the live capture behind it)
    if (openedTrace.value) return;
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
    return captureRead('exportJsonl', toQuery(filter, effectiveConn.value));
  }

  /** The connections the filter shows as a pcapng file for Wireshark, by address (`netlab serve`'s
   *  download, the desktop app's save): the lab writes it as it is read. */
  function pcapngAddress(): string {
    const params = new URLSearchParams(openedTrace.value ? { source: 'trace' } : {});
    for (const [key, value] of Object.entries(toQuery(filter, effectiveConn.value))) if (value !== undefined && value !== '') params.set(key, String(value));
    return `/export/capture.pcapng?${params}`;
  }

  /** The inspector's main view: the message list, or the flow graph of what the filter selects. */
  const mainView = ref<'list' | 'flow'>('list');
  /** the flow graph draws each TCP connection's open and close (SYN, FIN): Wireshark's "TCP flows" */
  const flowTcp = ref(false);
  /**
   * What the flow graph draws: the filter's rows, never folded into request/response pairs;
   * with SYN/FIN, every TCP connection note too (the graph draws those of the connections
   * whose messages it shows: a filter on protocol fields selects messages, not notes).
   * Beside the grouped list they are kept apart, appended to as rows arrive; `flowEpoch`
   * starts them over when the filter changes or rows are evicted.
   */
  let flowRows: { epoch: number; seen: number; tcp: boolean; out: CaptureSummary[] } | null = null;
  function flowSource(): CaptureSummary[] {
    const tcp = flowTcp.value;
    if (!grouped() && !tcp) return filtered.value;
    const list = rows.value;
    if (!flowRows || flowRows.epoch !== flowEpoch || flowRows.seen > list.length || flowRows.tcp !== tcp) flowRows = { epoch: flowEpoch, seen: 0, tcp, out: [] };
    const shown = compileFilter(filter, effectiveConn.value, fieldMatch.ids.value);
    const pred = tcp ? (m: CaptureSummary) => shown(m) || (m.kind === 'event' && m.transport === 'tcp') : shown;
    for (let i = flowRows.seen; i < list.length; i++) if (pred(list[i])) flowRows.out.push(list[i]);
    flowRows.seen = list.length;
    return flowRows.out;
  }

  /** The Statistics panel: open or not, and its figures over what the filter selects. */
  const statisticsOpen = ref(false);
  async function statistics(): Promise<CaptureStatistics> {
    return captureRead('statistics', toQuery(filter, effectiveConn.value));
  }

  function select(id: number | null): void {
    selectedId.value = id;
  }

  /** Select a message the lab just sent, once its batch has come (up to 5 s). */
  async function selectWhenHere(id: number): Promise<void> {
    for (let i = 0; i < 100 && !findRow(id); i++) await new Promise((ok) => setTimeout(ok, 50));
    if (findRow(id)) select(id);
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
  const closedConn = (id: number): boolean => connections.value.get(id)?.closed !== undefined;

  /** The request/response exchange a row belongs to (read `version` to track it). */
  function exchangeOf(id: number) {
    return exchanges.of(id);
  }

  /** Show or hide the response under a pair row. */
  function toggleExpanded(requestId: number): void {
    if (expanded.has(requestId)) expanded.delete(requestId);
    else expanded.add(requestId);
    refilter();
  }
  const isExpanded = (requestId: number): boolean => expanded.has(requestId);
  const isGrouped = (): boolean => grouped();


  return {
    rows,
    filtered,
    connections,
    version,
    connVersion,
    settings,
    evictedHere,
    filter,
    fieldMatch,
    selectedId,
    selected,
    effectiveConn,
    loading,
    loadedOnce,
    error,
    limit,
    olderPending: history.olderPending,
    seenServices,
    load,
    clear,
    configure,
    exportJsonl,
    pcapngAddress,
    statisticsOpen,
    statistics,
    mainView,
    flowTcp,
    flowSource,
    select,
    followConnection,
    selectWhenHere,
    messagesOf,
    connection,
    findRow,
    exchangeOf,
    toggleExpanded,
    isExpanded,
    isGrouped,
    hold,
    heldCount,
  };
});

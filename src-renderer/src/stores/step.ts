import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { CaptureSummary } from '../api/types';
import { compileFilter } from './captureFilter';
import { useCaptureStore } from './capture';
import { lowerBound } from '../util/rows';
import { playDelay, type SpeedId } from '../components/step/stepPace';

/**
 * Step mode, as Packet Tracer's simulation mode: the live view holds still (the lab goes on
 * capturing; what arrives waits), and the selection moves one message at a time through what
 * the filter shows, in capture order — by hand, or played back at a pace of the captured timing.
 * The list, the detail, the ladder and the DNS figure all follow the selection.
 */
export const useStepStore = defineStore('step', () => {
  const capture = useCaptureStore();
  const active = ref(false);
  const playing = ref(false);
  const speed = ref<SpeedId>('1x');
  let timer: ReturnType<typeof setTimeout> | null = null;

  /** the messages a step visits: what the filter selects, in capture order, without the capture's own notes */
  const sequence = computed<CaptureSummary[]>(() => {
    void capture.version;
    if (!active.value) return [];
    const pred = compileFilter(capture.filter, capture.effectiveConn, capture.fieldMatch.ids);
    return capture.rows.filter((m) => m.kind !== 'event' && pred(m));
  });

  /** the selection's place in the sequence (-1: none, or a message the sequence skips) */
  const index = computed(() => {
    const id = capture.selectedId;
    if (id === null) return -1;
    const list = sequence.value;
    const i = lowerBound(list, id);
    return list[i]?.id === id ? i : -1;
  });

  /** show message `i` of the sequence: selected, its pair opened when it is a response */
  function show(i: number): void {
    const m = sequence.value[i];
    if (!m) return;
    if (capture.isGrouped()) {
      const ex = capture.exchangeOf(m.id);
      if (ex && ex.request.id !== m.id && !capture.isExpanded(ex.request.id)) capture.toggleExpanded(ex.request.id);
    }
    capture.select(m.id);
  }

  function enter(): void {
    if (active.value) return;
    active.value = true;
    capture.hold(true);
    if (index.value < 0 && sequence.value.length) show(0);
  }

  function leave(): void {
    stop();
    active.value = false;
    capture.hold(false);
  }

  /** one message forward (+1) or back (-1); from no selection, forward starts at the first */
  function step(delta: 1 | -1): void {
    if (!active.value) enter();
    const list = sequence.value;
    if (list.length === 0) return;
    const i = index.value;
    show(i < 0 ? (delta > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, i + delta)));
  }

  function stop(): void {
    playing.value = false;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  function tick(): void {
    const list = sequence.value;
    const i = index.value;
    if (!playing.value || i < 0 || i >= list.length - 1) return stop();
    timer = setTimeout(() => {
      timer = null;
      if (!playing.value) return;
      show(index.value + 1);
      tick();
    }, playDelay(list[i], list[i + 1], speed.value));
  }

  /** play from the selection (from the first message when there is none, or from the start at the end) */
  function play(): void {
    if (!active.value) enter();
    const list = sequence.value;
    if (list.length === 0) return;
    if (index.value < 0 || index.value >= list.length - 1) show(0);
    playing.value = true;
    tick();
  }

  function togglePlay(): void {
    if (playing.value) stop();
    else play();
  }

  // a selection made by hand (a click in the list) while playing goes on from there
  watch(speed, () => {
    if (!playing.value) return;
    if (timer) clearTimeout(timer);
    tick();
  });

  return { active, playing, speed, sequence, index, enter, leave, step, play, stop, togglePlay, show };
});

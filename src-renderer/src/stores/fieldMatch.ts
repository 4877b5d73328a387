/**
 * The filter bar's display filter (`http.status == 304`): parsed here as the user types, so
 * a mistake is marked at its character at once; matched in the core, which holds the bytes
 * and the decoders (capture.match), for the whole capture and then for each new batch.
 */
import { computed, ref, shallowRef, watch } from 'vue';
import { errorMessage } from '../api';
import { captureRead } from './captureSource';
import { FilterError, looksLikeFilter, parseFilter } from '../../../src-main/lab/capture/field-filter';
import type { CaptureFilter } from './captureFilter';

export interface FilterProblem {
  message: string;
  /** 0-based character the mistake starts at */
  pos: number;
}

const CATCH_UP_MS = 150;

export function useFieldMatch(filter: CaptureFilter, changed: () => void) {
  const active = computed(() => looksLikeFilter(filter.text));
  const problem = computed<FilterProblem | null>(() => {
    if (!active.value) return null;
    try {
      parseFilter(filter.text);
      return null;
    } catch (e) {
      return e instanceof FilterError ? { message: e.message, pos: e.pos } : { message: errorMessage(e), pos: 0 };
    }
  });
  /** ids the core matched (null: not asked yet, or the filter has a mistake) */
  const ids = shallowRef<Set<number> | null>(null);
  const serverProblem = ref<string | null>(null);
  let asked = '';
  let checkedTo = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function ask(text: string, afterId: number, lastId: number): Promise<void> {
    try {
      const found = await captureRead('match', { filter: text }, afterId);
      if (asked !== text) return; // the user typed on meanwhile
      const set = afterId === 0 || !ids.value ? new Set<number>() : ids.value;
      for (const id of found) set.add(id);
      ids.value = set;
      checkedTo = Math.max(checkedTo, lastId, found.at(-1) ?? 0);
      serverProblem.value = null;
    } catch (e) {
      serverProblem.value = errorMessage(e);
    }
    changed();
  }

  /** the whole capture again, for a new filter text */
  function restart(lastId: number): void {
    asked = filter.text;
    ids.value = null;
    checkedTo = 0;
    if (!active.value || problem.value) return changed();
    void ask(asked, 0, lastId);
  }

  /** new messages arrived up to `lastId`: match them a little later, together */
  function arrived(lastId: number): void {
    if (!active.value || problem.value || timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (lastId > checkedTo) void ask(asked, checkedTo, lastId);
    }, CATCH_UP_MS);
  }

  function cleared(): void {
    ids.value = active.value && !problem.value ? new Set() : null;
    checkedTo = 0;
  }

  watch(() => filter.text, () => restart(0));

  return { active, problem, ids, serverProblem, restart, arrived, cleared };
}

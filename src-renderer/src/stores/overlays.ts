import { defineStore } from 'pinia';
import { ref } from 'vue';
import { lab, errorMessage } from '../api';
import type { OverlayKind, OverlayState } from '../api/types';
import { scenarioEditor } from './scenarioEditor';

/** The Overlays tab: scenario files and the edited text, the overlays of the rail's service, the comparison. */
export const useOverlaysStore = defineStore('overlays', () => {
  const ed = scenarioEditor({ validate: (t) => lab.call('overlay.validate', t), save: (n, t) => lab.call('overlay.save', n, t) }, 'overlays-textbook.yaml');
  const { files, selected, file, text, validation, dirty, pick, edit } = ed;
  const state = ref<OverlayState | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  let subscribed = false;

  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      lab.on('overlay.changed', (s) => {
        state.value = s;
      });
    }
    try {
      await ed.listFiles(() => lab.call('overlay.files'));
      state.value = await lab.call('overlay.state');
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  async function act(fn: () => Promise<unknown>): Promise<void> {
    error.value = null;
    busy.value = true;
    try {
      await fn();
      state.value = await lab.call('overlay.state');
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      busy.value = false;
    }
  }

  const run = (): Promise<void> => act(() => lab.call('overlay.run', text.value));
  /** ask the three overlays (or one) for a file, from peer pN */
  const ask = (file: string, from: number, via?: OverlayKind): Promise<void> => act(() => (via ? lab.call('overlay.query', file, from, via) : lab.call('overlay.query', file, from)));

  async function save(): Promise<void> {
    try {
      await ed.saveText();
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  return { files, selected, file, text, validation, dirty, pick, edit, state, busy, error, load, run, ask, save };
});

import { defineStore } from 'pinia';
import { ref } from 'vue';
import { lab, errorMessage } from '../api';
import type { DhtLookup, DhtState } from '../api/types';
import { scenarioEditor } from './scenarioEditor';

/** The DHT tab: scenario files and the edited text, the ring of the DHT service, its lookups. */
export const useDhtStore = defineStore('dht', () => {
  const ed = scenarioEditor({ validate: (t) => lab.call('dht.validate', t), save: (n, t) => lab.call('dht.save', n, t) }, 'dht-textbook.yaml');
  const { files, selected, file, text, validation, dirty, pick, edit } = ed;
  const state = ref<DhtState | null>(null);
  /** the lookup whose path the ring draws (the newest unless one is picked) */
  const shown = ref<DhtLookup | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  let subscribed = false;

  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      lab.on('dht.changed', (s) => {
        state.value = s;
      });
    }
    try {
      await ed.listFiles(() => lab.call('dht.files'));
      await refresh();
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  /** the pings move successors without an event: the view refreshes while it is shown */
  async function refresh(): Promise<void> {
    state.value = await lab.call('dht.state');
  }

  async function run(): Promise<void> {
    error.value = null;
    busy.value = true;
    shown.value = null;
    try {
      state.value = await lab.call('dht.run', text.value);
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      busy.value = false;
    }
  }

  async function lookup(key: string, from?: number): Promise<void> {
    error.value = null;
    try {
      // JSON has no undefined: an absent peer is no argument at all
      shown.value = await (from === undefined ? lab.call('dht.lookup', key) : lab.call('dht.lookup', key, from));
      await refresh();
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  async function save(): Promise<void> {
    try {
      await ed.saveText();
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  return { files, selected, file, text, validation, dirty, pick, edit, state, shown, busy, error, load, refresh, run, lookup, save };
});

import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { lab, errorMessage } from '../api';
import type { SwarmFile, SwarmHistoryEntry, SwarmResult, SwarmSnapshot, SwarmValidation } from '../api/types';

/** The Swarm tab: scenario files and the edited text, the running swarm's snapshots, results. */
export const useSwarmStore = defineStore('swarm', () => {
  const files = ref<SwarmFile[]>([]);
  const selected = ref<string>('swarm-textbook.yaml');
  const text = ref<string>('');
  const validation = ref<SwarmValidation>({ ok: true });
  const running = ref(false);
  const snapshot = ref<SwarmSnapshot | null>(null);
  const result = ref<SwarmResult | null>(null);
  const history = ref<SwarmHistoryEntry[]>([]);
  const torrent = ref<string | null>(null);
  const error = ref<string | null>(null);
  const dirty = ref(false);
  let subscribed = false;
  let validateTimer: ReturnType<typeof setTimeout> | null = null;

  const file = computed(() => files.value.find((f) => f.name === selected.value) ?? null);

  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      lab.on('swarm.snapshot', (s) => {
        snapshot.value = s;
        running.value = s.running;
      });
      lab.on('swarm.result', (r) => {
        result.value = r;
        running.value = false;
        void refreshState();
      });
    }
    try {
      files.value = await lab.call('swarm.files');
      if (!text.value) pick(files.value.some((f) => f.name === selected.value) ? selected.value : (files.value[0]?.name ?? selected.value));
      await refreshState();
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  async function refreshState(): Promise<void> {
    const s = await lab.call('swarm.state');
    running.value = s.running;
    snapshot.value = s.snapshot ?? snapshot.value;
    result.value = s.result ?? result.value;
    history.value = s.history;
    torrent.value = s.torrent;
  }

  function pick(name: string): void {
    selected.value = name;
    // a user copy wins over the shipped file of the same name
    const f = [...files.value].reverse().find((x) => x.name === name);
    text.value = f?.text ?? '';
    dirty.value = false;
    void validateNow();
  }

  function edit(t: string): void {
    if (t === text.value) return;
    text.value = t;
    const original = [...files.value].reverse().find((x) => x.name === selected.value)?.text;
    dirty.value = t !== original;
    if (validateTimer) clearTimeout(validateTimer);
    validateTimer = setTimeout(() => void validateNow(), 250);
  }

  async function validateNow(): Promise<void> {
    try {
      validation.value = await lab.call('swarm.validate', text.value);
    } catch (err) {
      validation.value = { ok: false, error: errorMessage(err) };
    }
  }

  async function start(): Promise<void> {
    error.value = null;
    try {
      result.value = null;
      const s = await lab.call('swarm.start', text.value);
      running.value = s.running;
      snapshot.value = s.snapshot;
      torrent.value = s.torrent;
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  async function stop(): Promise<void> {
    try {
      await lab.call('swarm.stop');
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  async function save(): Promise<void> {
    try {
      const f = await lab.call('swarm.save', selected.value, text.value);
      files.value = [...files.value.filter((x) => !(x.name === f.name && !x.shipped)), f];
      dirty.value = false;
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  return { files, selected, file, text, validation, running, snapshot, result, history, torrent, error, dirty, load, pick, edit, start, stop, save };
});

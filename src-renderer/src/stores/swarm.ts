import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { lab, errorMessage } from '../api';
import type { SwarmHistoryEntry, SwarmPhase, SwarmResult, SwarmSnapshot } from '../api/types';
import { scenarioEditor } from './scenarioEditor';

/** The Swarm tab: scenario files and the edited text, the running swarm's snapshots, results. */
export const useSwarmStore = defineStore('swarm', () => {
  const ed = scenarioEditor({ validate: (t) => lab.call('swarm.validate', t), save: (n, t) => lab.call('swarm.save', n, t) }, 'swarm-textbook.yaml');
  const { files, selected, file, text, validation, dirty, pick, edit } = ed;
  const running = ref(false);
  /** 'baseline': the swarm is over but the client-server baseline still runs — no new run yet */
  const phase = ref<SwarmPhase>('done');
  const busy = computed(() => running.value || phase.value !== 'done');
  const snapshot = ref<SwarmSnapshot | null>(null);
  const result = ref<SwarmResult | null>(null);
  const history = ref<SwarmHistoryEntry[]>([]);
  const torrent = ref<string | null>(null);
  const error = ref<string | null>(null);
  let subscribed = false;

  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      lab.on('swarm.snapshot', (s) => {
        snapshot.value = s;
        running.value = s.running;
        phase.value = s.phase;
      });
      lab.on('swarm.result', (r) => {
        result.value = r;
        running.value = false;
        phase.value = 'done';
        void refreshState();
      });
    }
    try {
      await ed.listFiles(() => lab.call('swarm.files'));
      await refreshState();
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  async function refreshState(): Promise<void> {
    const s = await lab.call('swarm.state');
    running.value = s.running;
    phase.value = s.phase;
    snapshot.value = s.snapshot ?? snapshot.value;
    result.value = s.result ?? result.value;
    history.value = s.history;
    torrent.value = s.torrent;
  }

  async function start(): Promise<void> {
    error.value = null;
    try {
      result.value = null;
      const s = await lab.call('swarm.start', text.value);
      running.value = s.running;
      phase.value = s.phase;
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
      await ed.saveText();
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  return { files, selected, file, text, validation, running, phase, busy, snapshot, result, history, torrent, error, dirty, load, pick, edit, start, stop, save };
});

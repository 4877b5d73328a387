import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { lab, errorMessage } from '../api';
import type { ScenarioCheck, ScenarioFile } from '../api/types';

/**
 * The Scenarios tab's lab scenarios: the files (shipped, and the user's copies, which win on
 * a shared name), the edited text checked as it is typed, Save (a user copy) and Apply.
 */
export const useLabScenariosStore = defineStore('labScenarios', () => {
  const files = ref<ScenarioFile[]>([]);
  const selected = ref('');
  const text = ref('');
  const validation = ref<ScenarioCheck>({ ok: true });
  const dirty = ref(false);
  const busy = ref(false);
  const notice = ref<{ kind: 'error' | 'info'; text: string } | null>(null);
  let validateTimer: ReturnType<typeof setTimeout> | null = null;

  /** the file the editor shows: the user's copy when there is one */
  const file = computed(() => [...files.value].reverse().find((f) => f.name === selected.value) ?? null);
  const names = computed(() => [...new Set(files.value.map((f) => f.name))]);

  async function load(): Promise<void> {
    try {
      files.value = await lab.call('scenarios.files');
      if (!selected.value && files.value.length) pick(files.value.some((f) => f.name === 'web-caching.yaml') ? 'web-caching.yaml' : files.value[0].name);
    } catch (err) {
      notice.value = { kind: 'error', text: errorMessage(err) };
    }
  }

  function pick(name: string): void {
    selected.value = name;
    text.value = file.value?.text ?? '';
    dirty.value = false;
    notice.value = null;
    void validateNow();
  }

  function edit(t: string): void {
    if (t === text.value) return;
    text.value = t;
    dirty.value = t !== file.value?.text;
    if (validateTimer) clearTimeout(validateTimer);
    validateTimer = setTimeout(() => void validateNow(), 250);
  }

  async function validateNow(): Promise<void> {
    try {
      validation.value = await lab.call('scenarios.validate', text.value);
    } catch (err) {
      validation.value = { ok: false, error: errorMessage(err) };
    }
  }

  /** Save the edited text as the user's copy — under its name (the shipped file stays as it is), or a new one. */
  async function save(as = selected.value): Promise<void> {
    busy.value = true;
    try {
      const f = await lab.call('scenarios.save', as, text.value);
      files.value = [...files.value.filter((x) => !(x.name === f.name && !x.shipped)), f];
      selected.value = f.name;
      dirty.value = false;
      notice.value = { kind: 'info', text: `Saved your copy: ${f.path}` };
    } catch (err) {
      notice.value = { kind: 'error', text: `Could not save: ${errorMessage(err)}` };
    } finally {
      busy.value = false;
    }
  }

  /** Make the lab what the edited text says (the services rail shows the result). */
  async function apply(): Promise<void> {
    busy.value = true;
    notice.value = null;
    try {
      const services = await lab.call('scenarios.apply', text.value);
      const stopped = services.filter((s) => s.state !== 'running').map((s) => s.name);
      const linked = services.filter((s) => s.link.delayMs || s.link.lossRate || s.link.rateKbps || s.link.reorderRate || s.link.jitterMs).map((s) => s.name);
      notice.value = {
        kind: 'info',
        text: `Applied ${selected.value}: ${services.length - stopped.length} of ${services.length} services running${stopped.length ? ` (not running: ${stopped.join(', ')})` : ''}${linked.length ? `; emulated links on ${linked.join(', ')}` : ''}.`,
      };
    } catch (err) {
      notice.value = { kind: 'error', text: `Not applied: ${errorMessage(err)}` };
    } finally {
      busy.value = false;
    }
  }

  return { files, names, selected, file, text, validation, dirty, busy, notice, load, pick, edit, save, apply };
});

import { computed, ref } from 'vue';
import { errorMessage } from '../api';
import type { ScenarioCheck, ScenarioFile } from '../api/types';

/**
 * Editing scenario files (the Swarm tab's and the Scenarios tab's lab scenarios): the files,
 * the one picked (the user's copy when there is one), the edited text checked 250 ms after
 * typing stops, and saving a user copy. `api`: the lab's check and save for that kind.
 */
export function scenarioEditor(api: { validate(text: string): Promise<ScenarioCheck>; save(name: string, text: string): Promise<ScenarioFile> }, first = '') {
  const files = ref<ScenarioFile[]>([]);
  const selected = ref(first);
  const text = ref('');
  const validation = ref<ScenarioCheck>({ ok: true });
  const dirty = ref(false);
  let validateTimer: ReturnType<typeof setTimeout> | null = null;

  const file = computed(() => [...files.value].reverse().find((f) => f.name === selected.value) ?? null);

  function pick(name: string): void {
    selected.value = name;
    text.value = file.value?.text ?? '';
    dirty.value = false;
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
      validation.value = await api.validate(text.value);
    } catch (err) {
      validation.value = { ok: false, error: errorMessage(err) };
    }
  }

  /** Save the edited text as the user's copy, under `name` (default: the picked file's). */
  async function saveText(name = selected.value): Promise<ScenarioFile> {
    const f = await api.save(name, text.value);
    files.value = [...files.value.filter((x) => !(x.name === f.name && !x.shipped)), f];
    selected.value = f.name;
    dirty.value = false;
    return f;
  }

  /** The files listed afresh; the first time, the one to edit picked (the default if it is there). */
  async function listFiles(list: () => Promise<ScenarioFile[]>): Promise<void> {
    files.value = await list();
    if (!text.value) pick(files.value.some((f) => f.name === selected.value) ? selected.value : (files.value[0]?.name ?? selected.value));
  }

  return { files, selected, file, text, validation, dirty, pick, edit, saveText, listFiles };
}

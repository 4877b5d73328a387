import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { lab, errorMessage } from '../api';
import type { LabOrigin, LabValidation } from '../api/types';
import { useLabsStore } from './labs';
import { t } from '../i18n';

// the rule the lab checks a name against (a module with no imports)
export { LAB_FILE_NAME as LAB_FILE } from '../../../src-main/lab/labs/lab-names';

/**
 * The Labs tab's editor, for instructors (with the scenario editor's habits): open a lab's
 * text, see it checked 250 ms after typing stops with the first mistake at its line, save it
 * as the user's copy (same name) or under a new name, and open it at once to try it.
 */
export const useLabEditorStore = defineStore('labEditor', () => {
  const origin = ref<LabOrigin | null>(null);
  const file = ref('');
  /** the text as read or last saved, to tell an unsaved edit */
  const saved = ref('');
  const text = ref('');
  const validation = ref<LabValidation>({ ok: true });
  const busy = ref(false);
  const notice = ref<{ kind: 'error' | 'info'; text: string } | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let checking = 0;

  const dirty = computed(() => text.value !== saved.value);
  const docKey = computed(() => `${origin.value ?? 'none'}/${file.value}`);

  async function pick(o: LabOrigin, f: string): Promise<void> {
    busy.value = true;
    notice.value = null;
    try {
      const t = await lab.call('labs.read', o, f);
      origin.value = t.origin;
      file.value = t.file;
      saved.value = t.text;
      text.value = t.text;
      await validateNow();
    } catch (err) {
      notice.value = { kind: 'error', text: t('labs.editor.couldNotOpen', { file: f, error: errorMessage(err) }) };
    } finally {
      busy.value = false;
    }
  }

  function edit(t: string): void {
    if (t === text.value) return;
    text.value = t;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void validateNow(), 250);
  }

  /** the latest check wins: an older answer arriving late is dropped */
  async function validateNow(): Promise<void> {
    const ticket = ++checking;
    let v: LabValidation;
    try {
      v = await lab.call('labs.validate', text.value);
    } catch (err) {
      v = { ok: false, error: { line: 1, message: errorMessage(err) } };
    }
    if (ticket === checking) validation.value = v;
  }

  /** Save the text as the user's lab `name` (default: the open file's name; a shipped file stays as it is). */
  async function save(name = file.value): Promise<boolean> {
    if (!name) return false;
    busy.value = true;
    try {
      const s = await lab.call('labs.save', name, text.value);
      origin.value = 'user';
      file.value = s.file;
      saved.value = text.value;
      notice.value = s.error
        ? { kind: 'error', text: t('labs.editor.savedBroken', { file: s.file, line: s.error.line, message: s.error.message }) }
        : { kind: 'info', text: t('labs.editor.saved', { file: s.file }) };
      void useLabsStore().loadList();
      return true;
    } catch (err) {
      notice.value = { kind: 'error', text: t('labs.editor.couldNotSave', { error: errorMessage(err) }) };
      return false;
    } finally {
      busy.value = false;
    }
  }

  /** Save (when edited or shipped) and open the user's copy in the Labs pane at once. */
  async function tryIt(): Promise<void> {
    if (!validation.value.ok) return;
    if ((dirty.value || origin.value !== 'user') && !(await save())) return;
    await useLabsStore().open('user', file.value);
  }

  return { origin, file, text, validation, dirty, busy, notice, docKey, pick, edit, save, tryIt };
});

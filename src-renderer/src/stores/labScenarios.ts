import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { lab, errorMessage } from '../api';
import { t } from '../i18n';
import { scenarioEditor } from './scenarioEditor';

/**
 * The Scenarios tab's lab scenarios: the files (shipped, and the user's copies, which win on
 * a shared name), the edited text checked as it is typed, Save (a user copy) and Apply.
 */
export const useLabScenariosStore = defineStore('labScenarios', () => {
  const ed = scenarioEditor({ validate: (t) => lab.call('scenarios.validate', t), save: (n, t) => lab.call('scenarios.save', n, t) });
  const { files, selected, file, text, validation, dirty, edit } = ed;
  const busy = ref(false);
  const notice = ref<{ kind: 'error' | 'info'; text: string } | null>(null);

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
    notice.value = null;
    ed.pick(name);
  }

  /** Save the edited text as the user's copy — under its name (the shipped file stays as it is), or a new one. */
  async function save(as = selected.value): Promise<void> {
    busy.value = true;
    try {
      const f = await ed.saveText(as);
      notice.value = { kind: 'info', text: t('scenarios.lab.saved', { path: f.path }) };
    } catch (err) {
      notice.value = { kind: 'error', text: t('scenarios.couldNotSave', { error: errorMessage(err) }) };
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
        text: t('scenarios.lab.applied', {
          name: selected.value,
          running: services.length - stopped.length,
          total: services.length,
          stopped: stopped.length ? t('scenarios.lab.notRunning', { names: stopped.join(', ') }) : '',
          linked: linked.length ? t('scenarios.lab.linked', { names: linked.join(', ') }) : '',
        }),
      };
    } catch (err) {
      notice.value = { kind: 'error', text: t('scenarios.lab.notApplied', { error: errorMessage(err) }) };
    } finally {
      busy.value = false;
    }
  }

  return { files, names, selected, file, text, validation, dirty, busy, notice, load, pick, edit, save, apply };
});

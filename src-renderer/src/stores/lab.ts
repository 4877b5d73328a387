import { defineStore } from 'pinia';
import { ref } from 'vue';
import { lab, errorMessage } from '../api';
import type { LabInfo } from '../api/types';

/** Facts about the running lab (version, data directory, python). */
export const useLabStore = defineStore('lab', () => {
  const info = ref<LabInfo | null>(null);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    try {
      info.value = await lab.call('lab.info');
      error.value = null;
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  return { info, error, load };
});

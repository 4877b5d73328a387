import { defineStore } from 'pinia';
import { ref } from 'vue';
import { lab, errorMessage } from '../api';
import type { DataDirUse, LabInfo } from '../api/types';

/** Facts about the running lab (version, data directory and what it holds, python). */
export const useLabStore = defineStore('lab', () => {
  const info = ref<LabInfo | null>(null);
  const diskUse = ref<DataDirUse | null>(null);
  const error = ref<string | null>(null);
  let subscribed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function load(): Promise<void> {
    try {
      info.value = await lab.call('lab.info');
      error.value = null;
    } catch (err) {
      error.value = errorMessage(err);
    }
    if (!subscribed) {
      subscribed = true;
      // what writes to the data directory: uploads and edits, zone saves, deliveries
      lab.on('web.changed', (e) => e.what === 'sites' && refreshDiskUse());
      lab.on('dns.changed', (e) => e.what === 'zones' && refreshDiskUse());
      lab.on('mail.changed', () => refreshDiskUse());
    }
    await measure();
  }

  async function measure(): Promise<void> {
    try {
      diskUse.value = await lab.call('lab.diskUse');
    } catch {
      // the figure is a convenience: the rest of the header stands without it
    }
  }

  /** a burst of changes (a page of uploads, a mail queue draining) measures once, a second later */
  function refreshDiskUse(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void measure(), 1000);
  }

  return { info, diskUse, error, load, refreshDiskUse };
});

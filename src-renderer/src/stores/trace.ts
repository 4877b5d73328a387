import { defineStore } from 'pinia';
import { ref } from 'vue';
import { lab, errorMessage } from '../api';
import { openedTrace } from './captureSource';
import { useCaptureStore } from './capture';
import { t } from '../i18n';

/** what one upload piece carries (the lab takes up to 1 MiB; base64 makes it a third larger) */
const PIECE = 768 * 1024;
/** the lab's cap (trace-area.ts): said here before a byte is read */
export const MAX_TRACE_BYTES = 200 * 1024 * 1024;

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 8192) bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(bin);
}

/** A pcap or pcapng file shown in the inspector in place of the live capture. */
export const useTraceStore = defineStore('trace', () => {
  /** bytes sent of the file being opened (null: none being opened) */
  const progress = ref<{ name: string; sent: number; size: number } | null>(null);
  const error = ref<string | null>(null);

  async function open(file: File): Promise<void> {
    error.value = null;
    if (file.size > MAX_TRACE_BYTES) {
      error.value = t('inspector.trace.tooBig', { name: file.name, size: (file.size / 1048576).toFixed(1), max: MAX_TRACE_BYTES / 1048576, command: 'editcap -c' });
      return;
    }
    progress.value = { name: file.name, sent: 0, size: file.size };
    try {
      const { upload } = await lab.call('trace.begin', file.name.slice(0, 255), file.size);
      for (let at = 0; at < file.size; at += PIECE) {
        const piece = new Uint8Array(await file.slice(at, at + PIECE).arrayBuffer());
        await lab.call('trace.piece', upload, at, toBase64(piece));
        progress.value = { name: file.name, sent: at + piece.length, size: file.size };
      }
      openedTrace.value = await lab.call('trace.open', upload);
      await reload();
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      progress.value = null;
    }
  }

  /** Back to the live capture (which went on recording meanwhile). */
  async function backToLive(): Promise<void> {
    openedTrace.value = null;
    error.value = null;
    await lab.call('trace.close').catch(() => undefined);
    await reload();
  }

  /** the list shows the other capture: no row of this one stays selected, no connection picked */
  async function reload(): Promise<void> {
    const capture = useCaptureStore();
    capture.select(null);
    capture.filter.conn = null;
    await capture.load();
  }

  return { info: openedTrace, progress, error, open, backToLive };
});

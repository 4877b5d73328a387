import { defineStore } from 'pinia';
import { ref } from 'vue';
import { lab, errorMessage } from '../api';
import type { ResendDraft, ResendRequest, ResendResult } from '../api/types';
import { useCaptureStore } from './capture';
import { useStepStore } from './step';

/** the protocols whose requests the inspector can edit and send again */
export const RESENDABLE = new Set(['http', 'dns', 'smtp', 'pop3']);

/**
 * Edit and resend (HTTP Toolkit's habit): the draft of a captured request, the user's edit,
 * and the lab's answer. The new exchange is selected in the inspector once it arrives.
 */
export const useResendStore = defineStore('resend', () => {
  const capture = useCaptureStore();
  const draft = ref<ResendDraft | null>(null);
  const opening = ref<number | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  const result = ref<ResendResult | null>(null);

  async function open(id: number): Promise<void> {
    opening.value = id;
    error.value = null;
    result.value = null;
    draft.value = null;
    try {
      const d = await lab.call('resend.draft', id);
      if (opening.value === id) draft.value = d;
    } catch (e) {
      if (opening.value === id) error.value = errorMessage(e);
    }
  }

  function close(): void {
    opening.value = null;
    draft.value = null;
    error.value = null;
    result.value = null;
  }

  /** Select the new exchange's first message once its batch has come (the view goes live for it). */
  async function selectWhenHere(r: ResendResult): Promise<void> {
    if (r.firstId === null) return;
    const step = useStepStore();
    if (step.active) step.leave();
    if (capture.filter.conn !== null && r.conn !== null) capture.followConnection(r.conn);
    await capture.selectWhenHere(r.firstId);
  }

  async function send(req: ResendRequest): Promise<void> {
    busy.value = true;
    error.value = null;
    result.value = null;
    try {
      const r = await lab.call('resend.send', req);
      await selectWhenHere(r);
      result.value = r;
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      busy.value = false;
    }
  }

  return { draft, opening, busy, error, result, open, close, send };
});

import { defineStore } from 'pinia';
import { ref } from 'vue';
import { lab, errorMessage } from '../api';
import type { PlayoutSettings, VoipState } from '../api/types';

/** The VoIP tab: the two softphones of the lab, their calls and their receivers' series. */
export const useVoipStore = defineStore('voip', () => {
  const state = ref<VoipState | null>(null);
  const error = ref<string | null>(null);
  let subscribed = false;

  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      lab.on('voip.changed', (s) => {
        state.value = s;
      });
    }
    await act(() => lab.call('voip.state'));
  }

  async function act(fn: () => Promise<VoipState>): Promise<void> {
    error.value = null;
    try {
      state.value = await fn();
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  type Aor = 'alice@crepes.fr' | 'bob@hamburger.edu';
  return {
    state,
    error,
    load,
    register: (aor: Aor, on: boolean) => act(() => lab.call('voip.register', aor, on)),
    call: (from: Aor, to: string) => act(() => lab.call('voip.call', from, to)),
    answer: (aor: Aor) => act(() => lab.call('voip.answer', aor)),
    hangup: (aor: Aor) => act(() => lab.call('voip.hangup', aor)),
    playout: (p: PlayoutSettings) => act(() => lab.call('voip.playout', p)),
    /** loss and jitter on the SIP service's link: RTP crosses it too */
    link: async (patch: { lossRate?: number; jitterMs?: number; delayMs?: number }) => {
      await lab.call('services.configure', 'sip', { link: patch });
      await load();
    },
  };
});

import { defineStore } from 'pinia';
import { ref } from 'vue';
import { lab, errorMessage } from '../api';
import type { VideoConfigure, VideoState } from '../api/types';

/** The Video tab: the lab DASH player's run (pushed by 'video.changed'), and what the user sets. */
export const useVideoStore = defineStore('video', () => {
  const state = ref<VideoState | null>(null);
  const error = ref<string | null>(null);
  const busy = ref(false);
  let subscribed = false;

  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      lab.on('video.changed', (s) => {
        state.value = s;
      });
    }
    try {
      state.value = await lab.call('video.state');
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  async function act(fn: () => Promise<VideoState>): Promise<void> {
    error.value = null;
    busy.value = true;
    try {
      state.value = await fn();
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      busy.value = false;
    }
  }

  const play = (loop: boolean): Promise<void> => act(() => lab.call('video.play', { loop }));
  const stop = (): Promise<void> => act(() => lab.call('video.stop'));
  const configure = (patch: VideoConfigure): Promise<void> => act(() => lab.call('video.configure', patch));

  return { state, error, busy, load, play, stop, configure };
});

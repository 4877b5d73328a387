import type { LabEventName } from './types';

type Listener = (payload: unknown) => void;

/** A tiny typed-by-name event hub shared by both transports. */
export class EventHub {
  private readonly listeners = new Map<string, Set<Listener>>();

  on(event: LabEventName | string, listener: Listener): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  emit(event: string, payload: unknown): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (err) {
        console.error(`listener for ${event} failed`, err);
      }
    }
  }
}

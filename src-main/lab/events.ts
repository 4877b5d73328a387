/**
 * The lab's event streams. The capture's batches are forwarded only while someone listens
 * (no UI open: no batch is built at all).
 */
import { EventEmitter } from 'node:events';
import type { LabEventName, LabEvents, LabEventSource, Unsubscribe } from './api';
import type { CaptureStore } from './capture/store';

export class LabEventBus implements LabEventSource {
  private events = new EventEmitter();
  private batchOff: (() => void) | null = null;

  constructor(private store: CaptureStore) {
    this.events.setMaxListeners(100);
  }

  on<E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void): Unsubscribe {
    this.events.on(event, listener);
    if (event === 'capture.batch' && !this.batchOff) {
      this.batchOff = this.store.onBatch((batch) => this.emit('capture.batch', batch));
    }
    return () => {
      this.events.off(event, listener);
      if (event === 'capture.batch' && this.events.listenerCount(event) === 0) {
        this.batchOff?.();
        this.batchOff = null;
      }
    };
  }

  emit<E extends LabEventName>(event: E, payload: LabEvents[E]): void {
    this.events.emit(event, payload);
  }
}

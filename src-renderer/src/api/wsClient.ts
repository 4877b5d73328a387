import type { LabClient, LabEventName, LabEvents, MethodArgs, MethodName, MethodResult } from './types';
import { EventHub } from './events';
import { linkState, notifyReconnect, retries } from './connection';
import { decodeBatchFrame, decodePageFrame, frameKind, FRAME_CAPTURE_PAGE } from '../../../src-main/lab/capture/batch-frame';
import { t } from '../i18n';

interface Pending {
  sent: boolean;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

const RETRY_MS = 2000;

/**
 * The browser transport: JSON frames over one WebSocket to `netlab serve`; the capture's
 * batches and pages of its history come as binary frames (src-main/lab/capture/batch-frame.ts).
 * Calls made while the socket is not open are queued and sent on open.
 */
export function createWsClient(url: string): LabClient {
  const hub = new EventHub();
  const pending = new Map<number, Pending>();
  const queue: { id: number; frame: string }[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let everOpened = false;

  function connect(): void {
    // Stay 'closed' (banner up) while retrying; only the first attempt is 'connecting'.
    if (linkState.value !== 'closed') linkState.value = 'connecting';
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onopen = () => {
      const reconnected = everOpened;
      everOpened = true;
      retries.value = 0;
      linkState.value = 'open';
      for (const { id, frame } of queue.splice(0)) {
        const p = pending.get(id);
        if (!p) continue;
        p.sent = true;
        ws.send(frame);
      }
      if (reconnected) notifyReconnect();
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (ev.data instanceof ArrayBuffer) {
        if (frameKind(ev.data) === FRAME_CAPTURE_PAGE) return answerPage(ev.data);
        let batch;
        try {
          batch = decodeBatchFrame(ev.data);
        } catch {
          return;
        }
        hub.emit('capture.batch', batch);
        return;
      }
      if (typeof ev.data !== 'string') return;
      let frame: unknown;
      try {
        frame = JSON.parse(ev.data);
      } catch {
        return;
      }
      handleFrame(frame);
    };
    ws.onclose = () => {
      socket = null;
      if (linkState.value === 'closed') retries.value++;
      linkState.value = 'closed';
      // Calls in flight will never be answered by this socket.
      for (const [id, p] of pending) {
        if (!p.sent) continue;
        pending.delete(id);
        p.reject(new Error(t('shell.disconnected')));
      }
      setTimeout(connect, RETRY_MS);
    };
    ws.onerror = () => {
      // onclose follows and schedules the retry
    };
  }

  /** a page of history, the answer to a `capture.list` call (batch-frame.ts) */
  function answerPage(data: ArrayBuffer): void {
    let page;
    try {
      page = decodePageFrame(data);
    } catch {
      return;
    }
    const p = pending.get(page.id);
    if (!p) return;
    pending.delete(page.id);
    p.resolve(page.messages);
  }

  function handleFrame(frame: unknown): void {
    if (typeof frame !== 'object' || frame === null) return;
    const f = frame as Record<string, unknown>;
    if (typeof f.event === 'string') {
      hub.emit(f.event, f.payload);
      return;
    }
    if (typeof f.id !== 'number') return;
    const p = pending.get(f.id);
    if (!p) return;
    pending.delete(f.id);
    if (typeof f.error === 'string') p.reject(new Error(f.error));
    else p.resolve(f.result);
  }

  connect();

  return {
    call<K extends MethodName>(name: K, ...args: MethodArgs<K>): Promise<MethodResult<K>> {
      const id = nextId++;
      // history comes back as a binary page frame, not JSON (src-main/lab/capture/page-frame.ts)
      const frame = JSON.stringify(name === 'capture.list' ? { id, method: name, args, frame: true } : { id, method: name, args });
      return new Promise<MethodResult<K>>((resolve, reject) => {
        const open = socket !== null && socket.readyState === WebSocket.OPEN;
        pending.set(id, { sent: open, resolve: resolve as (v: unknown) => void, reject });
        if (open) socket?.send(frame);
        else queue.push({ id, frame });
      });
    },
    on<E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void) {
      return hub.on(event, listener as (payload: unknown) => void);
    },
  };
}

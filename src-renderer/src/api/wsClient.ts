import type { CaptureFirst, LabClient, LabEventName, LabEvents, MethodArgs, MethodName, MethodResult } from './types';
import { EventHub } from './events';
import { linkState, notifyReconnect, retries } from './connection';
import type { EarlyLink } from './earlyLink';
import { decodeBatchFrame, decodeFirstFrame, decodePageFrame, frameKind, FRAME_CAPTURE_FIRST, FRAME_CAPTURE_PAGE } from '../../../src-main/lab/capture/batch-frame';
import { t } from '../i18n';

interface Pending {
  sent: boolean;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

const RETRY_MS = 2000;
/** history's calls, answered as binary frames (src-main/lab/capture/page-frame.ts) */
const FRAMED = new Set<MethodName>(['capture.list', 'capture.first']);

/**
 * The browser transport: JSON frames over one WebSocket to `netlab serve`; the capture's
 * batches and pages of its history come as binary frames (src-main/lab/capture/batch-frame.ts).
 * Calls made while the socket is not open are queued and sent on open. `early`: the socket the
 * page's first module opened (earlyLink.ts), taken over with what it received, and the answer
 * to the `capture.first` its address asked for, handed to the first such call instead of a
 * call sent.
 */
export function createWsClient(url: string, early: EarlyLink | null = null): LabClient {
  const hub = new EventHub();
  const pending = new Map<number, Pending>();
  const queue: { id: number; frame: string }[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let everOpened = false;
  /** the early socket's `capture.first` (call 0), until the app asks for it */
  let opening: { limit: number; answer: Promise<CaptureFirst> } | null = null;

  function connect(): void {
    // Stay 'closed' (banner up) while retrying; only the first attempt is 'connecting'.
    if (linkState.value !== 'closed') linkState.value = 'connecting';
    const link = early && !early.closed ? early : null;
    early = null;
    if (link) return adopt(link);
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    listen(ws);
  }

  function listen(ws: WebSocket): void {
    ws.onopen = () => opened(ws);
    ws.onmessage = (ev: MessageEvent) => receive(ev.data);
    ws.onclose = closed;
    ws.onerror = () => {
      // onclose follows and schedules the retry
    };
  }

  /** The early socket taken over: what it received is handled a task later, once the app has
   *  mounted and its stores listen; until then it keeps collecting, so the order holds. */
  function adopt(link: EarlyLink): void {
    socket = link.socket;
    const answer = new Promise<CaptureFirst>((resolve, reject) => pending.set(0, { sent: true, resolve: resolve as (v: unknown) => void, reject }));
    answer.catch(() => undefined);
    opening = { limit: link.first, answer };
    setTimeout(() => {
      listen(link.socket);
      if (link.opened) opened(link.socket);
      for (const data of link.received.splice(0)) receive(data);
      if (link.closed) closed();
    }, 0);
  }

  function opened(ws: WebSocket): void {
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
  }

  function closed(): void {
    socket = null;
    opening = null;
    if (linkState.value === 'closed') retries.value++;
    linkState.value = 'closed';
    // Calls in flight will never be answered by this socket.
    for (const [id, p] of pending) {
      if (!p.sent) continue;
      pending.delete(id);
      p.reject(new Error(t('shell.disconnected')));
    }
    setTimeout(connect, RETRY_MS);
  }

  function receive(data: unknown): void {
    if (data instanceof ArrayBuffer) {
      const kind = frameKind(data);
      if (kind === FRAME_CAPTURE_PAGE) return answerPage(data);
      if (kind === FRAME_CAPTURE_FIRST) return answerFirst(data);
      let batch;
      try {
        batch = decodeBatchFrame(data);
      } catch {
        return;
      }
      hub.emit('capture.batch', batch);
      return;
    }
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    handleFrame(frame);
  }

  /** a page of history, the answer to a `capture.list` call (batch-frame.ts) */
  function answerPage(data: ArrayBuffer): void {
    let page;
    try {
      page = decodePageFrame(data);
    } catch {
      return;
    }
    settle(page.id, page.messages);
  }

  /** the inspector's opening, the answer to a `capture.first` call (0: asked in the address) */
  function answerFirst(data: ArrayBuffer): void {
    let answer;
    try {
      answer = decodeFirstFrame(data);
    } catch {
      return;
    }
    settle(answer.id, answer.first);
  }

  function settle(id: number, result: unknown): void {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    p.resolve(result);
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
      if (name === 'capture.first' && opening && (args as unknown[] as [{ limit: number }])[0].limit === opening.limit) {
        const { answer } = opening;
        opening = null;
        return answer as unknown as Promise<MethodResult<K>>;
      }
      const id = nextId++;
      // history comes back as a binary frame, not JSON (src-main/lab/capture/page-frame.ts)
      const frame = JSON.stringify(FRAMED.has(name) ? { id, method: name, args, frame: true } : { id, method: name, args });
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

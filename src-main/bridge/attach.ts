/**
 * The bridge's WebSocket side: one browser tab's calls in, results and every lab event out.
 * Loaded with the lab, after the address is printed (ws and the API's schemas are not needed
 * to serve the page), so server.ts holds an accepted upgrade until both are here.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch, eventNames, type LabApi, type LabEventSource } from '../lab/api';
import { jsonDeeperThan } from './json-depth';
import { BEHIND_BYTES, type CaptureFrameSource } from '../lab/capture/batch-frame-feed';
import type { ListQuery } from '../lab/capture/page-frame';

export type BridgedLab = LabApi & LabEventSource & Partial<CaptureFrameSource>;

const MAX_FRAME = 2 * 1024 * 1024;
/** a call's JSON nests four levels at most (message, args, an options object, a list in it) */
const MAX_FRAME_DEPTH = 16;
/** a browser tab that stops reading: drop it rather than hold the lab's memory */
const MAX_BUFFERED = 64 * 1024 * 1024;

export interface TabSockets {
  /** complete an upgrade the server has already checked (Host, token, Origin) */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, lab: BridgedLab): void;
  close(): void;
}

export function tabSockets(): TabSockets {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  return {
    accept: (req, socket, head, lab) => wss.handleUpgrade(req, socket, head, (ws) => attach(ws, lab, openingAsked(req))),
    close: () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}

/** `/api?first=N`: the tab asks, as it opens the socket, for `capture.first` with a limit of N */
function openingAsked(req: IncomingMessage): string | null {
  return new URL(req.url ?? '/', 'http://x').searchParams.get('first');
}

/** One browser tab: calls in, results and every lab event out (the capture's batches as
 *  binary frames, batch-frame.ts, where the lab makes them). A tab that asked for the
 *  inspector's opening in its address (`first`) gets `capture.first`'s answer as call 0 at
 *  once, before any frame of the capture's batches: the page does not wait for its own code
 *  to load before asking (src-renderer/src/api/earlyLink.ts). */
function attach(ws: WebSocket, lab: BridgedLab, first: string | null): void {
  const open = (): boolean => {
    if (ws.readyState !== ws.OPEN) return false;
    if (ws.bufferedAmount > MAX_BUFFERED) {
      ws.close(1013, 'the page is not keeping up with the lab');
      return false;
    }
    return true;
  };
  const send = (msg: unknown): void => {
    if (open()) ws.send(JSON.stringify(msg));
  };
  // before the feed: what the opening holds, the feed's first frame follows on from
  if (first !== null) answer(0, 'capture.first', [{ limit: Number(first) }]);
  const frames = lab.captureFrames?.bind(lab);
  const unsubscribe = eventNames
    .filter((event) => !(frames && event === 'capture.batch'))
    .map((event) => lab.on(event, (payload) => send({ event, payload })));
  if (frames) {
    unsubscribe.push(
      frames(
        (frame) => {
          if (open()) ws.send(frame, { binary: true });
        },
        () => ws.bufferedAmount > BEHIND_BYTES,
      ),
    );
  }
  ws.on('close', () => unsubscribe.forEach((u) => u()));
  ws.on('message', (raw, isBinary) => {
    let id: unknown = null;
    try {
      if (isBinary) throw new Error('binary frames are not part of the API');
      const text = raw.toString();
      // parsing and checking deeply nested JSON costs the lab's event loop a second or more
      // (and printing it recurses): refuse it before JSON.parse sees it
      if (jsonDeeperThan(text, MAX_FRAME_DEPTH)) throw new Error(`a call nested more than ${MAX_FRAME_DEPTH} levels deep`);
      const msg = JSON.parse(text) as { id?: unknown; method?: unknown; args?: unknown; frame?: unknown };
      id = msg.id;
      if (typeof id !== 'number') throw new Error('a call needs a numeric id');
      answer(id, msg.method, msg.args ?? [], msg.frame === true);
    } catch (err) {
      send({ id, error: (err as Error).message });
    }
  });

  /** call `callId` answered: history (`capture.list`, `capture.first`) as a binary frame when
   *  asked so (page-frame.ts), the arguments checked as for JSON; anything else as JSON */
  function answer(callId: number, method: unknown, args: unknown, framed = true): void {
    const binary = framed && Number.isInteger(callId) && callId >= 0 && callId <= 0xffffffff;
    let target: LabApi = lab;
    if (binary && method === 'capture.list' && lab.captureListFrame) {
      target = { 'capture.list': async (q: ListQuery) => lab.captureListFrame!(q, callId) } as unknown as LabApi;
    } else if (binary && method === 'capture.first' && lab.captureFirstFrame) {
      target = { 'capture.first': async (q: { limit: number }) => lab.captureFirstFrame!(q.limit, callId) } as unknown as LabApi;
    }
    dispatch(target, method, args).then(
      (result) => {
        if (Buffer.isBuffer(result)) {
          if (open()) ws.send(result, { binary: true });
        } else send({ id: callId, result: result ?? null });
      },
      (err: Error) => send({ id: callId, error: err.message }),
    );
  }
}

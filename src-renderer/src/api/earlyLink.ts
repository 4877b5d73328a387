/**
 * The page's first move (boot.ts), before the app's code has loaded: in the browser the lab's
 * socket opens at once, asking in its address for the inspector's opening (`capture.first`:
 * the capture's settings, its connections and its newest page), which the lab sends as the
 * socket opens (src-main/bridge/attach.ts). Whatever the socket receives meanwhile waits here,
 * in order, until the app's client takes the socket over (wsClient.ts). The page's first chunk:
 * this module imports nothing.
 */

/** the inspector's first page: a screenful and more, in a few kB */
export const FIRST_PAGE = 1_000;

export interface EarlyLink {
  socket: WebSocket;
  /** the `limit` of the `capture.first` asked in the address: its answer comes as call 0 */
  first: number;
  /** what the socket received before the app took it, in order */
  received: unknown[];
  opened: boolean;
  closed: boolean;
}

let early: EarlyLink | null = null;

/** the lab's API socket of this page (`netlab serve` serves both) */
export function apiAddress(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
}

/** In the browser, open the lab's socket now; the desktop app talks over IPC instead. */
export function openEarly(): void {
  if (window.netlab) return;
  const socket = new WebSocket(`${apiAddress()}?first=${FIRST_PAGE}`);
  socket.binaryType = 'arraybuffer';
  const link: EarlyLink = { socket, first: FIRST_PAGE, received: [], opened: false, closed: false };
  socket.onopen = () => (link.opened = true);
  socket.onmessage = (ev: MessageEvent) => void link.received.push(ev.data);
  socket.onclose = () => (link.closed = true);
  early = link;
}

/** The socket opened early, for the app's client to take over (once; null if none). */
export function takeEarly(): EarlyLink | null {
  const link = early;
  early = null;
  return link;
}

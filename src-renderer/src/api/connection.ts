import { ref } from 'vue';

/** Whether the renderer can reach the lab. Electron is always connected. */
export type LinkState = 'connecting' | 'open' | 'closed';

export const linkState = ref<LinkState>('connecting');
/** Failed reconnection attempts since the link last dropped. */
export const retries = ref(0);

type ReconnectListener = () => void;
const reconnectListeners = new Set<ReconnectListener>();

/** Called after the WebSocket comes back following a drop, so stores can reload. */
export function onReconnect(listener: ReconnectListener): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

export function notifyReconnect(): void {
  for (const l of reconnectListeners) l();
}

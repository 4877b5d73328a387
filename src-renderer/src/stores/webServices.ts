import { defineStore } from 'pinia';
import { ref } from 'vue';
import { errorMessage, lab } from '../api';
import type { ComparedExchange, CompareRequest, CompareResult, Order } from '../api/types';
import { useCaptureStore } from './capture';
import { useLayoutStore } from './layout';

export type Operation = CompareRequest['operation'];

/** The Web tab's "Web services" pane: the order book and one operation done with REST and with SOAP. */
export const useWebServicesStore = defineStore('webServices', () => {
  const orders = ref<Order[]>([]);
  const result = ref<CompareResult | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);

  async function refresh(): Promise<void> {
    try {
      orders.value = await lab.call('web.orders');
    } catch (e) {
      error.value = errorMessage(e);
    }
  }

  async function compare(req: CompareRequest): Promise<void> {
    busy.value = true;
    error.value = null;
    try {
      result.value = await lab.call('web.compareServices', req);
      await refresh();
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      busy.value = false;
    }
  }

  /** Open one exchange in the inspector: its connection followed, its request selected once its batch is here. */
  async function show(x: ComparedExchange): Promise<void> {
    if (x.conn === null) return;
    const layout = useLayoutStore();
    const capture = useCaptureStore();
    if (layout.collapsed) layout.toggleInspector();
    capture.followConnection(x.conn);
    if (x.firstId !== null) await capture.selectWhenHere(x.firstId);
  }

  return { orders, result, busy, error, refresh, compare, show };
});

import { defineStore } from 'pinia';
import { ref } from 'vue';
import { lab, errorMessage } from '../api';
import type { ServiceConfig, ServiceInfo } from '../api/types';

/** The lab's services, kept in step with 'services.changed'. */
export const useServicesStore = defineStore('services', () => {
  const list = ref<ServiceInfo[]>([]);
  const loaded = ref(false);
  /** last failure of an action, per service id */
  const actionError = ref<Record<string, string>>({});
  const busy = ref<Record<string, boolean>>({});
  let subscribed = false;

  function replace(services: ServiceInfo[]): void {
    list.value = services;
    loaded.value = true;
  }

  function upsert(service: ServiceInfo): void {
    const i = list.value.findIndex((s) => s.id === service.id);
    if (i >= 0) list.value.splice(i, 1, service);
    else list.value.push(service);
  }

  async function load(): Promise<void> {
    if (!subscribed) {
      subscribed = true;
      lab.on('services.changed', replace);
    }
    replace(await lab.call('services.list'));
  }

  async function run(id: string, action: () => Promise<ServiceInfo>): Promise<void> {
    busy.value = { ...busy.value, [id]: true };
    const { [id]: _dropped, ...rest } = actionError.value;
    actionError.value = rest;
    try {
      upsert(await action());
    } catch (err) {
      actionError.value = { ...actionError.value, [id]: errorMessage(err) };
    } finally {
      busy.value = { ...busy.value, [id]: false };
    }
  }

  const start = (id: string) => run(id, () => lab.call('services.start', id));
  const stop = (id: string) => run(id, () => lab.call('services.stop', id));
  const restart = (id: string) => run(id, () => lab.call('services.restart', id));
  const configure = (id: string, config: ServiceConfig) => run(id, () => lab.call('services.configure', id, config));

  function byId(id: string): ServiceInfo | undefined {
    return list.value.find((s) => s.id === id);
  }

  return { list, loaded, actionError, busy, load, start, stop, restart, configure, byId };
});

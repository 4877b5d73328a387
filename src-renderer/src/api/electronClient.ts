import type { LabClient, LabEventName, LabEvents, MethodArgs, MethodName, MethodResult } from './types';
import { linkState } from './connection';
import { t } from '../i18n';

/** Wraps the preload's `window.netlab` object (one async function per method name). */
export function createElectronClient(bridge: NetlabBridge): LabClient {
  linkState.value = 'open';
  return {
    call<K extends MethodName>(name: K, ...args: MethodArgs<K>): Promise<MethodResult<K>> {
      const fn = bridge[name];
      if (typeof fn !== 'function') return Promise.reject(new Error(t('shell.noMethod', { method: name })));
      return (fn as (...a: unknown[]) => Promise<MethodResult<K>>)(...(args as unknown[]));
    },
    on<E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void) {
      return bridge.on(event, listener as (payload: unknown) => void);
    },
  };
}

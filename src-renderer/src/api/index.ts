import type { LabClient } from './types';
import { createElectronClient } from './electronClient';
import { createWsClient } from './wsClient';

function pickTransport(): LabClient {
  if (window.netlab && window.netlab.shell === 'electron') return createElectronClient(window.netlab);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createWsClient(`${scheme}://${location.host}/api`);
}

/** The one lab client of this window. */
export const lab: LabClient = pickTransport();

export const shell: 'electron' | 'browser' = window.netlab ? 'electron' : 'browser';

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.replace(/^Error invoking remote method '[^']*': (Error: )?/, '');
  return String(err);
}

import type { LabClient } from './types';
import { createElectronClient } from './electronClient';
import { createWsClient } from './wsClient';
import { apiAddress, takeEarly } from './earlyLink';

function pickTransport(): LabClient {
  if (window.netlab && window.netlab.shell === 'electron') return createElectronClient(window.netlab);
  // the socket the page's first module opened (boot.ts), the inspector's opening on its way
  return createWsClient(apiAddress(), takeEarly());
}

/** The one lab client of this window. */
export const lab: LabClient = pickTransport();

export const shell: 'electron' | 'browser' = window.netlab ? 'electron' : 'browser';

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.replace(/^Error invoking remote method '[^']*': (Error: )?/, '');
  return String(err);
}

/**
 * The overlays' traffic in the capture: each TCP connection recorded once, on the side that
 * accepted it (a lab servent, the index server), so a flood is not shown twice. Nothing is
 * recorded without a store (headless runs) or while capture is off.
 */
import type { ConnectionInfo, Direction } from '../../api';
import type { CaptureStore } from '../../capture/store';

export const OVERLAY_SERVICE = 'overlays';
/** the name of a client no lab peer stands behind (nc, curl, the lab terminal) */
export const OUTSIDE = 'outside the lab';

export interface Named {
  address: string;
  port: number;
  name: string;
}

export class OverlayCapture {
  constructor(private store: CaptureStore | null) {}

  open(protocol: string, client: Named, server: Named): ConnectionInfo | null {
    if (!this.store?.enabled) return null;
    // unnamed, an outside client is told apart by the lab checks (and named by the terminal that dialled)
    return this.store.openConnection({ transport: 'tcp', service: OVERLAY_SERVICE, protocol, client: { address: client.address, port: client.port, ...(client.name === OUTSIDE ? {} : { name: client.name }) }, server: { ...server } });
  }

  record(conn: ConnectionInfo | null, dir: Direction, bytes: Buffer, summary?: string): void {
    if (conn && this.store?.enabled) this.store.record({ conn, dir, kind: 'message', bytes, summary, keep: 2048 });
  }

  note(conn: ConnectionInfo | null, text: string): void {
    if (conn && this.store?.enabled) this.store.note(conn, 'c2s', text);
  }

  close(conn: ConnectionInfo | null): void {
    if (conn) this.store?.closeConnection(conn);
  }
}

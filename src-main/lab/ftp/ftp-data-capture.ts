/**
 * Data connections in the capture, each a connection of its own, labelled with the control
 * command that opened it and linked to its control connection by notes on both. Like the
 * peer wire's piece blocks, only the first bytes of bulk data are kept: a listing shows,
 * a 100 MiB RETR costs a few records, and the closing note gives the full count.
 */
import type net from 'node:net';
import type { ConnectionInfo, Endpoint } from '../api';
import type { CaptureStore } from '../capture/store';
import { endpoint } from '../capture/endpoint';
import type { ClientNames } from '../internet/names';
import { FTP_DATA_PROTOCOL } from './ftp-decoder';
import type { DataMode } from './ftp-data';

/** bytes kept per direction of a data connection */
export const DATA_KEEP_BYTES = 1024;
/** the lab's port 20: where an active-mode data connection comes from in the textbook */
const FTP_DATA_PORT = 20;

export function captureDataConnection(
  store: CaptureStore,
  names: ClientNames,
  control: ConnectionInfo,
  socket: net.Socket,
  label: string,
  mode: DataMode,
): void {
  if (!store.enabled) return;
  const local: Endpoint = { address: (socket.localAddress ?? '?').replace(/^::ffff:/, ''), port: socket.localPort ?? 0 };
  const remote: Endpoint = { address: (socket.remoteAddress ?? '?').replace(/^::ffff:/, ''), port: socket.remotePort ?? 0 };
  // a lab client (the terminal's ftp) said who is behind its port; active mode: the client listens
  const known = names.lookup(remote.port);
  const conn = store.openConnection({
    transport: 'tcp',
    service: 'ftp',
    protocol: FTP_DATA_PROTOCOL,
    client: endpoint(remote.address, remote.port, known?.client ?? { name: control.client.name }),
    server: endpoint(
      local.address,
      local.port,
      { name: `FTP data for ${label} (control connection ${control.id})` },
      control.server.virtualAddress ? { virtualAddress: control.server.virtualAddress } : undefined,
      mode === 'active' ? { virtualPort: FTP_DATA_PORT } : undefined,
    ),
  });
  const opener = mode === 'passive' ? `the client connected to the passive port ${local.port}` : `the server connected to the client's port ${remote.port} (active mode, from the lab's :20)`;
  store.note(conn, 'none', `data connection for ${label} on control connection ${control.id}: ${opener}`);
  store.note(control, 'none', `data connection ${conn.id} opened for ${label} (${mode})`);
  const total = { c2s: 0, s2c: 0 };
  const record = (dir: 'c2s' | 's2c', chunk: Buffer | string): void => {
    const before = total[dir];
    total[dir] += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    // the store copies what it keeps, there and then: a RETR's 1 MiB buffer is not copied whole
    if (before < DATA_KEEP_BYTES) store.record({ conn, dir, kind: 'message', bytes: typeof chunk === 'string' ? Buffer.from(chunk) : chunk, keep: DATA_KEEP_BYTES - before });
  };
  socket.on('data', (chunk: Buffer) => record('c2s', chunk));
  // what the server sends goes through write (a pipeline from the file): seen on its way out
  const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
  socket.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (Buffer.isBuffer(chunk) || typeof chunk === 'string') record('s2c', chunk);
    return write(chunk, ...rest);
  }) as typeof socket.write;
  socket.once('close', () => {
    const bytes = `${total.s2c} bytes server → client, ${total.c2s} bytes client → server`;
    store.note(conn, 'none', `data connection closed: ${bytes}${total.s2c > DATA_KEEP_BYTES || total.c2s > DATA_KEEP_BYTES ? ` (the capture kept the first ${DATA_KEEP_BYTES} of each direction)` : ''}`);
    store.closeConnection(conn);
    store.note(control, 'none', `data connection ${conn.id} for ${label} closed: ${bytes}`);
  });
}

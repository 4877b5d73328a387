/**
 * The terminal's sockets: a TCP connection (telnet, nc) or a UDP socket (nc -u) to a lab
 * host. Each tells the lab who it is (terminal tab, host name dialled) so the server's tap
 * can label both ends; when the far end is not a lab service the capture is taken here.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { Endpoint, Transport } from '../api';
import type { CaptureStore } from '../capture/store';
import { TcpTap } from '../capture/tcp-tap';
import type { ClientNames } from '../internet/names';
import { PERFECT_LINK } from '../link/profile';

export interface RemoteHost {
  store: CaptureStore;
  names: ClientNames;
  /** a running lab service listens on this port and transport (it captures the traffic) */
  isLabService(port: number, transport: Transport): boolean;
}

export interface RemoteTarget {
  address: string;
  port: number;
  /** the lab name and virtual address the user typed or that the name maps to */
  server: Partial<Endpoint>;
  client: Partial<Endpoint>;
}

export interface RemoteEvents {
  connected(local: { address: string; port: number }): void;
  data(bytes: Buffer): void;
  /** the connection ended; `error` says why when it was not a clean close */
  closed(error?: NodeJS.ErrnoException): void;
}

export interface Remote {
  send(bytes: Buffer): void;
  close(): void;
  /** stop reading from the peer until resume() (TCP pushes back; UDP cannot) */
  pause(): void;
  resume(): void;
}

const CONNECT_TIMEOUT_MS = 10_000;

export function openTcp(host: RemoteHost, target: RemoteTarget, on: RemoteEvents): Remote {
  const socket = net.connect({ host: target.address, port: target.port });
  let tap: TcpTap | null = null;
  let failed: NodeJS.ErrnoException | undefined;
  socket.setTimeout(CONNECT_TIMEOUT_MS, () => {
    if (socket.connecting) {
      failed = Object.assign(new Error('Connection timed out'), { code: 'ETIMEDOUT' });
      socket.destroy();
    }
  });
  socket.once('connect', () => {
    socket.setTimeout(0);
    const local = { address: socket.localAddress ?? '127.0.0.1', port: socket.localPort ?? 0 };
    host.names.note(local.port, { client: target.client, server: target.server });
    if (!host.isLabService(target.port, 'tcp')) {
      tap = new TcpTap(
        socket,
        {
          store: host.store,
          names: host.names,
          service: 'terminal',
          protocol: 'text',
          link: () => PERFECT_LINK,
          side: 'client',
          endpoints: { client: target.client, server: target.server },
        },
        (chunk) => on.data(chunk),
      );
    } else {
      socket.on('data', (chunk: Buffer) => on.data(chunk));
    }
    on.connected(local);
  });
  socket.on('error', (err: NodeJS.ErrnoException) => {
    failed = failed ?? err;
  });
  socket.on('close', () => {
    if (socket.localPort) host.names.forget(socket.localPort);
    on.closed(failed);
  });
  return {
    send(bytes) {
      if (tap) tap.send(bytes);
      else if (socket.writable) socket.write(bytes);
    },
    close() {
      socket.end();
      socket.destroySoon();
    },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
  };
}

/** `nc -u`: a connected UDP socket, so an ICMP port unreachable comes back as ECONNREFUSED. */
export function openUdp(host: RemoteHost, target: RemoteTarget, on: RemoteEvents): Remote {
  const socket = dgram.createSocket('udp4');
  let open = true;
  const finish = (err?: NodeJS.ErrnoException): void => {
    if (!open) return;
    open = false;
    try {
      socket.close();
    } catch {
      /* already closed */
    }
    on.closed(err);
  };
  socket.on('message', (msg) => on.data(msg));
  socket.on('error', (err: NodeJS.ErrnoException) => {
    // a refused datagram is what UDP reports, not the end of the socket: say so and go on
    if (err.code === 'ECONNREFUSED') on.data(Buffer.from(`\r\n[nc: no UDP service at port ${target.port}: the datagram was refused (ICMP port unreachable)]\r\n`));
    else finish(err);
  });
  socket.bind(0, '127.0.0.1', () => {
    const port = socket.address().port;
    host.names.note(port, { client: target.client, server: target.server });
    socket.connect(target.port, target.address, () => on.connected({ address: '127.0.0.1', port }));
  });
  return {
    send(bytes) {
      if (open) socket.send(bytes);
    },
    close() {
      finish();
    },
    pause: () => undefined,
    resume: () => undefined,
  };
}

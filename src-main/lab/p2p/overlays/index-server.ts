/**
 * The sockets of the index protocol (index-protocol.ts): Napster's central index server on its
 * own port, and a KaZaA super-node's index of its children (on the super-node's servent port,
 * after the first line tells it is not a Gnutella handshake). Lines are capped; a bad line gets
 * its 5xx reply and the session goes on; too many in a row close it; the server keeps serving.
 */
import net from 'node:net';
import { FileIndex, hitLine, IndexSession, MAX_LINE, type IndexEntry } from './index-protocol';
import { OUTSIDE, type OverlayCapture } from './overlay-capture';
import type { Meter } from './overlay-types';

export interface IndexHost {
  /** the node's name in the lab ("index" or a super-node's) and its address */
  name: string;
  address: string;
  port: number;
  meter: Meter;
  capture: OverlayCapture;
  /** who is behind an address:port (a lab peer), or undefined for someone outside */
  nameOf(address: string, port: number): string | undefined;
  /** a search: Napster's answers at once, a super-node floods its overlay first */
  search(words: string, handled: () => void): Promise<IndexEntry[]>;
}

export const INDEX_GREETING = '200 NetLab index (Napster-style, K&R 2.5): LOGIN name port | ADD index size name | SEARCH words | QUIT';

/** serve one connection (`first`: bytes already read by a listener that looked at them) */
export function serveIndex(socket: net.Socket, index: FileIndex, host: IndexHost, first: Buffer = Buffer.alloc(0), greet = true): void {
  const ip = (socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const session = new IndexSession(index, ip);
  const clientName = (): string => session.peer?.name ?? host.nameOf(ip, socket.remotePort ?? 0) ?? OUTSIDE;
  const conn = host.capture.open('napster', { address: ip, port: socket.remotePort ?? 0, name: clientName() }, { address: host.address, port: host.port, name: host.name });
  let buf = Buffer.alloc(0);
  let busy: Promise<void> = Promise.resolve();
  const write = (lines: string[], metered: boolean): void => {
    if (socket.destroyed) return;
    const bytes = Buffer.from(lines.map((l) => l + '\r\n').join(''), 'latin1');
    host.capture.record(conn, 's2c', bytes);
    if (metered) host.meter.sent(host.name, session.peer && host.nameOf(ip, session.peer.port) ? session.peer.name : null, 'answer');
    socket.write(bytes);
  };
  const handle = async (line: string): Promise<void> => {
    host.capture.record(conn, 'c2s', Buffer.from(line + '\r\n', 'latin1'));
    const r = session.line(line);
    if ('search' in r) {
      const fromLab = session.peer !== null && host.nameOf(ip, session.peer.port) !== undefined;
      // the SEARCH counts as handled once its flood (if any) is sent; the answer is one more message
      const found = await host.search(r.search, () => fromLab && host.meter.received(host.name));
      write([...found.map(hitLine), `211 ${found.length} hits`], fromLab);
      return;
    }
    if (r.lines[0].startsWith('5')) host.capture.note(conn, `${host.name} refused a line: ${r.lines[0]}`);
    write(r.lines, false);
    if (r.close) socket.end();
  };
  const tooLong = (): void => {
    const r = session.tooLong();
    host.capture.note(conn, `${host.name} dropped a line past ${MAX_LINE} bytes`);
    busy = busy.then(() => {
      if ('lines' in r) write(r.lines, false);
      if ('close' in r && r.close) socket.end();
    });
  };
  let skipping = false;
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (let nl = buf.indexOf(10); ; nl = buf.indexOf(10)) {
      if (nl < 0) {
        // a line past the cap is answered once and its rest skipped up to its end
        if (buf.length > MAX_LINE) {
          buf = Buffer.alloc(0);
          if (!skipping) tooLong();
          skipping = true;
        }
        break;
      }
      const line = buf.toString('latin1', 0, nl).replace(/\r$/, '');
      buf = buf.subarray(nl + 1);
      if (skipping || line.length > MAX_LINE) {
        if (!skipping) tooLong();
        skipping = false;
        continue;
      }
      busy = busy.then(() => handle(line)).catch(() => undefined);
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    if (session.peer) index.removePeer(ip, session.peer.port);
    host.capture.close(conn);
  });
  if (greet) write([INDEX_GREETING], false);
  if (first.length) socket.emit('data', first);
}

/** Napster's central index server: a listener of its own */
export class IndexServer {
  readonly index = new FileIndex();
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  port = 0;

  constructor(private host: Omit<IndexHost, 'port' | 'search'>) {}

  get address(): string {
    return this.host.address;
  }

  async listen(port: number): Promise<void> {
    const h: IndexHost = { ...this.host, port, search: async (words, handled) => {
        handled();
        return this.index.search(words);
      },
    };
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      serveIndex(socket, this.index, h);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host.address, () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    h.port = this.port;
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server?.close();
  }
}

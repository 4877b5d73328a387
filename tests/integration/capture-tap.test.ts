/** The capture tap on a real TCP connection: reads as chunks, framed messages, one record when they coincide. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureStore } from '../../src-main/lab/capture/store';
import { TcpTap } from '../../src-main/lab/capture/tcp-tap';
import { ClientNames } from '../../src-main/lab/internet/names';
import { PERFECT_LINK } from '../../src-main/lab/link/profile';
import { waitFor } from '../helpers/lab';

let server: net.Server | null = null;
afterEach(() => server?.close());

/** A silent server behind a tap: it reads and never answers, so framing depends on the client alone. */
async function tappedServer(store: CaptureStore): Promise<number> {
  server = net.createServer((socket) => {
    new TcpTap(socket, { store, names: new ClientNames(), service: 'test', protocol: 'text', link: () => PERFECT_LINK }, () => undefined);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return (server!.address() as net.AddressInfo).port;
}

async function send(port: number, parts: string[]): Promise<void> {
  const s = net.connect(port, '127.0.0.1');
  await new Promise((r) => s.once('connect', r));
  for (const p of parts) {
    s.write(p);
    await new Promise((r) => setTimeout(r, 60));
  }
  s.end();
  await new Promise((r) => s.once('close', r).resume());
}

const shape = (store: CaptureStore) =>
  store.list(0, 100).filter((m) => m.kind !== 'event').map((m) => `${m.kind}${m.whole ? '(whole)' : ''} ${m.summary}`);

describe('capture tap', () => {
  it('a line that arrived in two reads: two chunks, one framed message', async () => {
    const store = new CaptureStore();
    await send(await tappedServer(store), ['ab', 'c\n']);
    await waitFor(() => store.list(0, 100).some((m) => m.summary === 'connection closed'), 'close');
    expect(shape(store)).toEqual(['chunk ab', 'chunk c\\n', 'message abc\\n']);
  });

  it('a read that is exactly one line: one record stands for the chunk and the message', async () => {
    const store = new CaptureStore();
    await send(await tappedServer(store), ['hello\r\n']);
    await waitFor(() => store.list(0, 100).some((m) => m.summary === 'connection closed'), 'close');
    expect(shape(store)).toEqual(['message(whole) hello\\r\\n']);
  });

  it('a closed connection keeps none of the lab on its socket: the listeners (holding the tap and what it serves) are gone', async () => {
    // Node keeps a socket that has read through every young-generation collection until the next
    // full one; what its listeners hold would be copied along (an SMTP session, a TLS layer)
    const store = new CaptureStore();
    const sockets: net.Socket[] = [];
    server = net.createServer((socket) => {
      sockets.push(socket);
      new TcpTap(socket, { store, names: new ClientNames(), service: 'test', protocol: 'text', link: () => PERFECT_LINK }, () => undefined);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    await send((server!.address() as net.AddressInfo).port, ['hello\r\n']);
    await waitFor(() => store.list(0, 100).some((m) => m.summary === 'connection closed'), 'close');
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.eventNames()).toEqual(['error']);
    // an error after the close (none is expected) still has a listener: it cannot crash the lab
    expect(() => sockets[0]!.emit('error', new Error('late'))).not.toThrow();
  });

  it('a read holding two lines: one chunk, two messages', async () => {
    const store = new CaptureStore();
    await send(await tappedServer(store), ['one\ntwo\n']);
    await waitFor(() => store.list(0, 100).some((m) => m.summary === 'connection closed'), 'close');
    expect(shape(store)).toEqual(['chunk one\\ntwo\\n', 'message one\\n', 'message two\\n']);
  });
});

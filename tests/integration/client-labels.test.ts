/**
 * The inspector's names for a lab client's connection when one local port carries two
 * connections at once to two servers (the relay dialling two MX hosts can get the same
 * ephemeral port from the system): each connection gets the note meant for it, whichever
 * of the note and the connection came first.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionInfo } from '../../src-main/lab/api';
import { CaptureStore } from '../../src-main/lab/capture/store';
import { TcpTap } from '../../src-main/lab/capture/tcp-tap';
import { ClientNames } from '../../src-main/lab/internet/names';
import { PERFECT_LINK } from '../../src-main/lab/link/profile';
import { waitFor } from '../helpers/lab';
import { freePort } from '../helpers/ports';

const servers: net.Server[] = [];
const clients: net.Socket[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) s.close();
});

async function tapped(store: CaptureStore, names: ClientNames, service: string): Promise<number> {
  const server = net.createServer((socket) => {
    new TcpTap(socket, { store, names, service, protocol: 'text', link: () => PERFECT_LINK }, () => undefined);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as net.AddressInfo).port;
}

/** a client bound to `localPort` (libuv sets SO_REUSEADDR, so two may share it towards two servers) */
async function dial(port: number, localPort: number): Promise<net.Socket> {
  const s = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.1', localPort });
  clients.push(s);
  await new Promise((r) => s.once('connect', r));
  return s;
}

/** a capture store and the lab's client names, wired as the Lab wires them */
function labParts(): { store: CaptureStore; names: ClientNames } {
  const store = new CaptureStore();
  const names = new ClientNames();
  names.onNote((port, note, dialled) => store.labelClient(port, note, dialled));
  return { store, names };
}

const named = (store: CaptureStore, service: string): ConnectionInfo | undefined => store.openConnections().find((c) => c.service === service);

describe('client labels on a shared local port', () => {
  it('a note given before the connection is accepted labels only the connection to the port it dialled', async () => {
    const { store, names } = labParts();
    const [a, b] = [await tapped(store, names, 'mx-a'), await tapped(store, names, 'mx-b')];
    const local = await freePort();
    names.note(local, { client: { name: 'relay to A' }, server: { name: 'mail.a.example' } }, a);
    names.note(local, { client: { name: 'relay to B' }, server: { name: 'mail.b.example' } }, b);
    await dial(a, local);
    await dial(b, local);
    await waitFor(() => named(store, 'mx-a') && named(store, 'mx-b'), 'both connections');
    expect(named(store, 'mx-a')?.server.name).toBe('mail.a.example');
    expect(named(store, 'mx-b')?.server.name).toBe('mail.b.example');
    expect(named(store, 'mx-b')?.client.name).toBe('relay to B');
  });

  it('a note given once both are open labels the right one, and its forget leaves the other', async () => {
    const { store, names } = labParts();
    const [a, b] = [await tapped(store, names, 'mx-a'), await tapped(store, names, 'mx-b')];
    const local = await freePort();
    await dial(a, local);
    await dial(b, local);
    await waitFor(() => named(store, 'mx-a') && named(store, 'mx-b'), 'both connections');
    const forget = names.note(local, { client: { name: 'relay to B' }, server: { name: 'mail.b.example' } }, b);
    expect(named(store, 'mx-b')?.server.name).toBe('mail.b.example');
    expect(named(store, 'mx-a')?.server.name).toBeUndefined();
    names.note(local, { client: { name: 'relay to A' }, server: { name: 'mail.a.example' } }, a);
    forget();
    expect(names.lookup(local, b)).toBeUndefined();
    expect(names.lookup(local, a)?.server.name).toBe('mail.a.example');
  });
});

/**
 * What the lab knows about its own client sockets: the terminal tab or program behind a
 * local port, and the lab host name it dialled. A server tap asks here so the inspector
 * can show both the virtual and the real endpoint.
 */
import type { Endpoint } from '../api';

export interface ClientNote {
  client: Partial<Endpoint>;
  server: Partial<Endpoint>;
}

export class ClientNames {
  private byPort = new Map<number, ClientNote>();
  private listeners = new Set<(port: number, note: ClientNote) => void>();
  /** asked for a port no lab client named: a program run from the editor may own it */
  private owners: ((port: number) => ClientNote | undefined) | null = null;

  setOwners(find: ((port: number) => ClientNote | undefined) | null): void {
    this.owners = find;
  }

  note(localPort: number, note: ClientNote): void {
    this.byPort.set(localPort, note);
    for (const l of this.listeners) l(localPort, note);
  }

  forget(localPort: number): void {
    this.byPort.delete(localPort);
  }

  lookup(port: number): ClientNote | undefined {
    return this.byPort.get(port) ?? this.owners?.(port);
  }

  onNote(listener: (port: number, note: ClientNote) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

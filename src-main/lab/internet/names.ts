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
  /** notes that name the port the client dialled, by "local>dialled" */
  private byPair = new Map<string, ClientNote>();
  private byPort = new Map<number, ClientNote>();
  private listeners = new Set<(port: number, note: ClientNote, dialled?: number) => void>();
  /** asked for a port no lab client named: a program run from the editor may own it */
  private owners: ((port: number) => ClientNote | undefined) | null = null;

  setOwners(find: ((port: number) => ClientNote | undefined) | null): void {
    this.owners = find;
  }

  /**
   * `dialled`: the real port the client connected to. Give it where it is known: one local
   * port can carry two connections at once to two servers (a relay to two MX hosts), and
   * without it a note meant for one would label the other. Returns the note's own forget.
   */
  note(localPort: number, note: ClientNote, dialled?: number): () => void {
    if (dialled) this.byPair.set(`${localPort}>${dialled}`, note);
    else this.byPort.set(localPort, note);
    for (const l of this.listeners) l(localPort, note, dialled);
    return () => {
      const key = `${localPort}>${dialled}`;
      if (dialled && this.byPair.get(key) === note) this.byPair.delete(key);
      else if (!dialled && this.byPort.get(localPort) === note) this.byPort.delete(localPort);
    };
  }

  forget(localPort: number, dialled?: number): void {
    if (dialled) this.byPair.delete(`${localPort}>${dialled}`);
    else this.byPort.delete(localPort);
  }

  /** who is behind a client's port, seen by the server listening on `serverPort` */
  lookup(port: number, serverPort?: number): ClientNote | undefined {
    return (serverPort !== undefined && this.byPair.size > 0 ? this.byPair.get(`${port}>${serverPort}`) : undefined) ?? this.byPort.get(port) ?? this.owners?.(port);
  }

  onNote(listener: (port: number, note: ClientNote, dialled?: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

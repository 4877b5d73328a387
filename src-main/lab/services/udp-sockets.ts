/**
 * A UDP service's sockets: one per address it listens on (127.0.0.1 and ::1 on loopback),
 * all at one port. A reply leaves by the socket of the client's family. UdpLabService and
 * the DNS servers bind through it.
 */
import dgram from 'node:dgram';
import dns, { type LookupOneOptions } from 'node:dns';
import net from 'node:net';
import { addressUnavailable } from './addresses';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/** replies go to the address a datagram came from, always a literal: no lookup (and no tick) per send */
function literalLookup(host: string, family: unknown, callback: LookupCallback): void {
  const literal = net.isIP(host);
  if (literal) callback(null, host, literal);
  else dns.lookup(host, family as LookupOneOptions, callback);
}

export type DatagramHandler = (msg: Buffer, rinfo: dgram.RemoteInfo) => void;

/** A socket setup giving each socket `bytes` of receive and send buffer: a burst of queries or
 *  calls (dnsperf's 100 outstanding, sipp's 400 open calls) must not overflow the default. */
export function bigBuffers(bytes: number): (socket: dgram.Socket) => void {
  return (socket) => {
    try {
      socket.setRecvBufferSize(bytes);
      socket.setSendBufferSize(bytes);
    } catch {
      /* the system caps it: keep its size */
    }
  };
}

export class UdpSockets {
  private v4: dgram.Socket | null = null;
  private v6: dgram.Socket | null = null;
  /** the addresses bound (::1 is left out on a machine without IPv6) */
  addresses: string[] = [];

  constructor(
    private onMessage: DatagramHandler,
    /** called on each socket once bound (buffer sizes) */
    private setup: (socket: dgram.Socket) => void = () => undefined,
  ) {}

  /** Bind every address at one port (the first address chooses it when port is 0); resolves with the port. */
  async bind(port: number, hosts: string[]): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const chosen = await this.bindOne(port, hosts[0]);
      try {
        for (const host of hosts.slice(1)) {
          try {
            await this.bindOne(chosen, host);
          } catch (err) {
            if (!addressUnavailable(err)) throw err;
          }
        }
        return chosen;
      } catch (err) {
        await this.close();
        if (port !== 0 || attempt >= 5) throw err;
      }
    }
  }

  /** the socket to answer an address from (its family's), or null when closed */
  socketFor(address: string): dgram.Socket | null {
    return address.includes(':') ? this.v6 : this.v4;
  }

  close(): Promise<void> {
    const sockets = [this.v4, this.v6].filter((s): s is dgram.Socket => s !== null);
    this.v4 = this.v6 = null;
    this.addresses = [];
    return Promise.all(
      sockets.map(
        (s) =>
          new Promise<void>((resolve) => {
            try {
              s.close(() => resolve());
            } catch {
              resolve();
            }
          }),
      ),
    ).then(() => undefined);
  }

  private bindOne(port: number, host: string): Promise<number> {
    const v6 = host.includes(':');
    const socket = dgram.createSocket({ type: v6 ? 'udp6' : 'udp4', ipv6Only: v6, lookup: literalLookup });
    socket.on('message', this.onMessage);
    return new Promise((resolve, reject) => {
      socket.once('error', (err) => {
        try {
          socket.close();
        } catch {
          /* never bound */
        }
        reject(err);
      });
      socket.bind(port, host, () => {
        socket.removeAllListeners('error');
        socket.on('error', () => undefined);
        if (v6) this.v6 = socket;
        else this.v4 = socket;
        this.addresses.push(host);
        this.setup(socket);
        resolve(socket.address().port);
      });
    });
  }
}

/**
 * A small HTTP/1.1 client on one TCP connection, for the lab's experiments: write requests
 * (one at a time or pipelined), read the responses in order with our own parser. It tells
 * the lab who it is so the inspector labels the connection.
 */
import net from 'node:net';
import type { Endpoint } from '../api';
import type { ClientNames } from '../internet/names';
import type { Header } from './head';
import { encodeRequest, parseResponse, type ParsedResponse } from './response';

export interface ClientLabel {
  names: ClientNames;
  client: Partial<Endpoint>;
  server: Partial<Endpoint>;
}

export class HttpClientConnection {
  private buf: Buffer = Buffer.alloc(0);
  private methods: string[] = [];
  private waiting: { resolve: (r: ParsedResponse) => void; reject: (e: Error) => void }[] = [];
  private ready: ParsedResponse[] = [];
  private closed = false;
  private failure: Error | null = null;

  private constructor(private socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.parse();
    });
    socket.on('end', () => {
      this.closed = true;
      this.parse();
      this.fail(new Error('the server closed the connection'));
    });
    socket.on('error', (err) => this.fail(err));
  }

  static connect(port: number, label?: ClientLabel, address = '127.0.0.1'): Promise<HttpClientConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, address);
      socket.setNoDelay(true);
      socket.once('connect', () => {
        if (label) label.names.note(socket.localPort ?? 0, { client: label.client, server: label.server });
        resolve(new HttpClientConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  /** the client end's port: the capture knows the connection by it */
  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  /** Send one or more requests at once (more than one is pipelining); gives back the bytes sent. */
  send(requests: { method: string; target: string; headers: Header[]; body?: Buffer }[]): Buffer {
    const bytes = requests.map((r) => {
      this.methods.push(r.method);
      return encodeRequest(r.method, r.target, r.headers, r.body);
    });
    const all = Buffer.concat(bytes);
    this.socket.write(all);
    return all;
  }

  next(): Promise<ParsedResponse> {
    const ready = this.ready.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  close(): void {
    this.socket.end();
    this.socket.destroySoon();
  }

  private parse(): void {
    while (this.buf.length && this.methods.length) {
      const r = parseResponse(this.buf, 0, this.methods[0], this.closed);
      if (!r.ok) {
        if (!r.incomplete) this.fail(r.error);
        return;
      }
      this.methods.shift();
      this.buf = this.buf.subarray(r.response.rawLength);
      const res = { ...r.response, body: Buffer.from(r.response.body) };
      const w = this.waiting.shift();
      if (w) w.resolve(res);
      else this.ready.push(res);
    }
  }

  private fail(err: Error): void {
    this.failure = this.failure ?? err;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}

/**
 * TLS on a lab server's connection, with the lab at both ends of what it shows: Node's TLS
 * engine (tls.TLSSocket) runs over a stream the tap feeds, so the capture records the
 * records as they crossed the wire (ClientHello, ServerHello, encrypted records with their
 * sizes) and, beside them on the same connection, the plaintext the server end decrypted,
 * marked "inside TLS". The link emulation stays on the wire bytes, where it belongs.
 *
 * Used from the first byte (HTTPS) or from an upgrade in the middle of a plaintext session
 * (STARTTLS, RFC 3207; STLS, RFC 2595; IMAP STARTTLS, RFC 3501 §6.2.1).
 */
import tls from 'node:tls';
import type { ConnectionInfo } from '../api';
import type { Framer } from '../capture/framer';
import type { CaptureStore } from '../capture/store';
import { SummaryPrefix, type SummaryText } from '../capture/table';
import { recordRead } from '../capture/read-record';
import { TlsWireStream } from './wire-stream';

export interface TlsWire {
  /** send ciphertext to the peer (through the link); `then` once it is taken */
  send(bytes: Buffer, then: () => void): void;
  /** the wire closed its sending side (after close_notify) */
  end(): void;
  note(text: string): void;
}

export interface TlsCapture {
  store: CaptureStore;
  /** the records: the connection as the wire carries it, with the TLS record framer */
  raw: { conn: ConnectionInfo; framer: Framer };
  /** the plaintext inside: the same connection id, with the application protocol's framer */
  inner: { conn: ConnectionInfo; framer: Framer };
}

/** A second view of a connection, the same id under another protocol (its rows decode as that). */
export function connectionAs(conn: ConnectionInfo, protocol: string): ConnectionInfo {
  // not a spread: the store caches the row channel on the object under a symbol key
  const { id, transport, service, client, server, opened } = conn;
  return { id, transport, service, protocol, client, server, opened };
}

export class TlsLayer {
  readonly socket: tls.TLSSocket;
  private wire: TlsWireStream;
  private handshaken = false;
  /** the TLS engine wrote to the wire (a ServerHello, an alert of its own) */
  private spoke = false;

  constructor(
    options: tls.TLSSocketOptions,
    private capture: TlsCapture,
    out: TlsWire,
    plain: (chunk: Buffer) => void,
  ) {
    const toWire = (bytes: Buffer, cb: () => void): void => {
      this.spoke = true;
      this.record(this.capture.raw, 's2c', bytes);
      out.send(bytes, () => cb());
    };
    this.wire = new TlsWireStream(toWire, () => out.end());
    this.socket = new tls.TLSSocket(this.wire as unknown as import('node:net').Socket, { ...options, isServer: true });
    this.socket.on('secure', () => {
      this.handshaken = true;
      const s = this.socket;
      const cipher = s.getCipher();
      const how = s.isSessionReused() ? 'a resumed session (no certificate sent)' : s.servername ? `certificate for ${s.servername}` : 'certificate for localhost (no SNI)';
      out.note(`TLS handshake done: ${s.getProtocol()}, ${cipher.standardName ?? cipher.name}, ${how}; what follows is encrypted on the wire`);
    });
    this.socket.on('data', (chunk: Buffer) => {
      this.record(this.capture.inner, 'c2s', chunk, true);
      plain(chunk);
    });
    this.socket.on('error', (err: Error & { code?: string }) => {
      out.note(`TLS ${this.handshaken ? 'error' : 'handshake failed'}: ${err.message}`);
      // bytes that are no ClientHello (a plain HTTP request): the engine closes without a word,
      // the lab answers with a fatal alert as RFC 8446 §6 asks, so the client learns why
      if (!this.spoke) {
        this.spoke = true;
        const alert = Buffer.from([21, 3, 3, 0, 2, 2, /^.*wrong version|http request|unsupported protocol/i.test(err.message) ? 70 : 10]);
        this.record(this.capture.raw, 's2c', alert);
        out.send(alert, () => undefined);
      }
    });
  }

  /** Bytes from the peer, as the wire delivered them. */
  fromWire(chunk: Buffer): void {
    this.record(this.capture.raw, 'c2s', chunk);
    this.wire.push(chunk);
  }

  /** The peer closed its side. */
  wireEnded(): void {
    this.wire.push(null);
  }

  /** Plaintext for the peer: encrypted and sent. */
  send(bytes: Buffer, then?: () => void): void {
    if (this.socket.destroyed) return;
    this.record(this.capture.inner, 's2c', bytes, true);
    if (then) this.socket.write(bytes, () => then());
    else this.socket.write(bytes);
  }

  end(): void {
    if (!this.socket.destroyed) this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
    this.wire.destroy();
  }

  /** what is still framed in either direction (the connection closed) */
  flush(): void {
    for (const side of [this.capture.raw, this.capture.inner]) {
      for (const dir of ['c2s', 's2c'] as const) {
        for (const f of side.framer.flush(dir)) this.capture.store.record({ conn: side.conn, dir, kind: 'message', bytes: f.bytes, summary: side === this.capture.inner ? insideSummary(f.summary) : undefined });
      }
    }
  }

  private record(side: TlsCapture['raw'], dir: 'c2s' | 's2c', bytes: Buffer, inner = false): void {
    const store = this.capture.store;
    if (!store.enabled) return;
    if (!inner) return recordRead(store, side.conn, side.framer, dir, bytes);
    // the plaintext never crossed the wire as such: messages only, never a read (a chunk)
    for (const f of side.framer.push(dir, bytes)) {
      store.record({ conn: side.conn, dir: f.dir, kind: 'message', bytes: f.bytes, summary: insideSummary(f.summary) });
    }
  }
}

const INSIDE = 'inside TLS · ';
const INSIDE_TLS = new SummaryPrefix(INSIDE);

/** the framer's own summary, or the protocol's worked out from the stored bytes when asked:
 *  no closure per message holding the decrypted chunk while the row is in the capture */
function insideSummary(known: string | undefined): SummaryText {
  return known === undefined ? INSIDE_TLS : INSIDE + known;
}

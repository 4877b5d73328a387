/**
 * The stream Node's TLS engine runs over on a lab connection, with the real engine on both
 * ends over a real loopback socket: a server that stops reading mid-upload (the engine stops
 * its stream, bytes wait) gets every byte in order once it reads again, then the client's end.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { labCa } from '../../src-main/lab/tls/lab-ca';
import { TlsWireStream } from '../../src-main/lab/tls/wire-stream';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlab-wire-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('TlsWireStream under the TLS engine', () => {
  it('holds what arrives while the server is not reading, then delivers it all in order, then the end', async () => {
    const ca = labCa(dataDir);
    await ca.prepare();
    const upload = crypto.randomBytes(3 * 1024 * 1024);
    let paused = 0;
    // half-open, as the lab's listeners: the client's FIN does not close the server's side
    const server = net.createServer({ allowHalfOpen: true }, (raw) => {
      const wire = new TlsWireStream(
        (bytes, then) => raw.write(bytes, () => then()),
        () => raw.end(),
      );
      const pause = wire.pause.bind(wire);
      wire.pause = () => {
        paused++;
        return pause();
      };
      raw.on('data', (d) => wire.push(d));
      raw.on('end', () => wire.push(null));
      raw.on('close', () => wire.destroy());
      const s = new tls.TLSSocket(wire as unknown as net.Socket, { isServer: true, secureContext: ca.contextFor(undefined) });
      const got: Buffer[] = [];
      let size = 0;
      let stopped = false;
      s.on('data', (d: Buffer) => {
        got.push(d);
        size += d.length;
        if (!stopped && size > 1024 * 1024) {
          // the reader stops: the engine stops its stream, and what comes meanwhile must wait
          stopped = true;
          s.pause();
          setTimeout(() => s.resume(), 300);
        }
      });
      s.on('end', () => s.end(crypto.createHash('sha256').update(Buffer.concat(got)).digest('hex')));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const answer = await new Promise<string>((resolve, reject) => {
        const c = tls.connect({ port, host: '127.0.0.1', ca: ca.info().pem, servername: 'localhost' }, () => {
          c.end(upload);
        });
        let text = '';
        c.on('data', (d) => (text += d));
        c.on('end', () => resolve(text));
        c.on('error', reject);
      });
      expect(answer).toBe(crypto.createHash('sha256').update(upload).digest('hex'));
      // once when the engine wraps the stream, and at least once more when the reader stopped
      expect(paused).toBeGreaterThanOrEqual(2);
    } finally {
      server.close();
    }
  });
});

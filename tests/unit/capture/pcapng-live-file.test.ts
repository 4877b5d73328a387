/** The live pcapng file's writes off the event loop: many batches, each written while the
 *  previous may still be in flight, make one whole trace tshark reads frame for frame; a
 *  disk that fills is reported once and the lab goes on. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureStore } from '../../../src-main/lab/capture/store';
import { writePcapngLive } from '../../../src-main/lab/capture/pcapng';
import { run } from '../../helpers/proc';
import { tempDir } from '../../helpers/lab';

const endpoint = (port: number) => ({ address: '127.0.0.1', port });

describe('live pcapng file', () => {
  it('batch after batch, written asynchronously, is one trace with every datagram in order', async () => {
    const file = path.join(await tempDir('netlab-live-file-'), 'live.pcapng');
    const store = new CaptureStore(100_000);
    const errors: Error[] = [];
    const live = writePcapngLive(store, file, { application: 'test', onError: (e) => errors.push(e) });
    const conn = store.openConnection({ transport: 'udp', service: 'echo-udp', protocol: 'echo', client: endpoint(40000), server: endpoint(12000) });
    const N = 4000;
    for (let i = 0; i < N; i++) {
      store.record({ conn, dir: 'c2s', kind: 'message', bytes: Buffer.from(`datagram ${i}\n`), whole: true });
      // a batch every 100 records, without waiting for the writes: they overlap
      if (i % 100 === 99) store.flush();
      if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
    }
    live.close();
    expect(errors).toEqual([]);
    const r = await run('tshark', ['-r', file, '-T', 'fields', '-e', 'udp.payload']);
    expect(r.code, r.stderr).toBe(0);
    const payloads = r.stdout.trim().split('\n').map((hex) => Buffer.from(hex.replace(/:/g, ''), 'hex').toString());
    expect(payloads).toEqual(Array.from({ length: N }, (_, i) => `datagram ${i}\n`));
  });

  it('a disk that fills is said once, and recording goes on', () => {
    const store = new CaptureStore(1000);
    const errors: NodeJS.ErrnoException[] = [];
    const live = writePcapngLive(store, '/dev/full', { application: 'test', onError: (e) => errors.push(e) });
    const conn = store.openConnection({ transport: 'udp', service: 'echo-udp', protocol: 'echo', client: endpoint(40000), server: endpoint(12000) });
    for (let i = 0; i < 10; i++) {
      store.record({ conn, dir: 'c2s', kind: 'message', bytes: Buffer.from(`d${i}\n`), whole: true });
      store.flush();
    }
    live.close();
    expect(errors.map((e) => e.code)).toEqual(['ENOSPC']);
    expect(store.settings().stored).toBe(10);
  });
});

/** The capture's batches as binary frames for the browser UI: what the page decodes is the
 *  rows the API lists, and a tab that is behind gets the rows coalesced, none lost. */
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureStore } from '../../../src-main/lab/capture/store';
import { CaptureFrameFeed, encodeBatchFrame } from '../../../src-main/lab/capture/batch-frame-feed';
import { decodeBatchFrame } from '../../../src-main/lab/capture/batch-frame';
import { decodeBatchFrame as benchDecode } from '../../../bench/lib/batch-frame.mjs';
import type { CaptureBatch } from '../../../src-main/lab/api';

const b = (s: string): Buffer => Buffer.from(s);
const endpoint = (port: number) => ({ address: '127.0.0.1', port });

function filled(): CaptureStore {
  const store = new CaptureStore(1000);
  const echo = store.openConnection({ transport: 'tcp', service: 'echo-tcp', protocol: 'echo', client: endpoint(5000), server: endpoint(12000) });
  const udp = store.openConnection({ transport: 'udp', service: 'echo-udp', protocol: 'echo', client: endpoint(5001), server: endpoint(12000) });
  const http = store.openConnection({ transport: 'tcp', service: 'http', protocol: 'http', client: endpoint(5002), server: endpoint(8080) });
  store.record({ conn: echo, dir: 'c2s', kind: 'chunk', bytes: b('hello\n') });
  store.record({ conn: echo, dir: 'c2s', kind: 'message', bytes: b('hello\n'), whole: true });
  store.record({ conn: udp, dir: 's2c', kind: 'message', bytes: b('ÜBER ✓ 𝄞 naïve\n'), whole: true });
  store.record({ conn: http, dir: 'c2s', kind: 'message', bytes: b('GET /index.html HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n') });
  store.note(http, 'none', 'connection closed — ÜBER ✓ 𝄞 naïve');
  // a summary longer than a frame's length field: cut, the rows after it still in place
  store.record({ conn: echo, dir: 's2c', kind: 'message', bytes: b('x'.repeat(70_000)), summary: 'y'.repeat(70_000) });
  store.record({ conn: echo, dir: 's2c', kind: 'message', bytes: b('after\n') });
  return store;
}

const cut = (rows: CaptureBatch['messages']) => rows.map((r) => ({ ...r, summary: r.summary.slice(0, 0xffff) }));

describe('capture batch frames', () => {
  const feeds: CaptureFrameFeed[] = [];
  afterEach(() => feeds.splice(0).forEach((f) => f.stop()));

  it('decode to the rows the API lists, flags, channels, non-ASCII summaries and all', () => {
    const store = filled();
    const listed = store.list(0, 100);
    const conns = store.allConnections();
    const frame = encodeBatchFrame(store, listed[0].id, listed.at(-1)!.id + 1, conns);
    const batch = decodeBatchFrame(frame);
    expect(batch.messages).toEqual(cut(listed));
    expect(batch.connections).toEqual(JSON.parse(JSON.stringify(conns)));
    expect(batch.messages.some((m) => m.summary.includes('𝄞'))).toBe(true);
    expect(batch.messages.filter((m) => m.whole).length).toBe(2);
    // the bench's stand-in for the page reads the same rows
    expect(benchDecode(frame).messages).toEqual(batch.messages);
    // a frame of ~30 bytes a row plus its summary, not ~150 bytes of JSON
    const small = store.list(0, 5);
    expect(encodeBatchFrame(store, small[0].id, small.at(-1)!.id + 1, []).length).toBeLessThan(JSON.stringify(small).length);
  });

  it('refuses a frame that is not one, or is cut short', () => {
    const store = filled();
    const frame = encodeBatchFrame(store, 1, 100, []);
    expect(() => decodeBatchFrame(Buffer.from('{"event":"x"}'))).toThrow(/not a capture batch/);
    expect(() => decodeBatchFrame(frame.subarray(0, 60))).toThrow();
  });

  it('sends each row once, in order; while the tab is behind, rows wait and then come in one frame', async () => {
    const store = new CaptureStore(1000);
    const frames: CaptureBatch[] = [];
    let behind = false;
    feeds.push(new CaptureFrameFeed(store, (f) => frames.push(decodeBatchFrame(f)), () => behind));
    const conn = store.openConnection({ transport: 'udp', service: 'echo-udp', protocol: 'echo', client: endpoint(5001), server: endpoint(12000) });
    store.record({ conn, dir: 'c2s', kind: 'message', bytes: b('one\n') });
    store.flush();
    expect(frames).toHaveLength(1);
    expect(frames[0].connections.map((c) => c.id)).toEqual([conn.id]);
    expect(frames[0].messages.map((m) => m.summary)).toEqual(['one\\n']);
    behind = true;
    for (let i = 0; i < 5; i++) {
      store.record({ conn, dir: 'c2s', kind: 'message', bytes: b(`n${i}\n`) });
      store.flush();
    }
    expect(frames).toHaveLength(1);
    behind = false;
    await new Promise((r) => setTimeout(r, 120));
    expect(frames).toHaveLength(2);
    expect(frames[1].messages.map((m) => m.summary)).toEqual(['n0\\n', 'n1\\n', 'n2\\n', 'n3\\n', 'n4\\n']);
    const ids = frames.flatMap((f) => f.messages.map((m) => m.id));
    expect(ids).toEqual(store.list(0, 100).map((m) => m.id));
  });

  it('a capture cleared while the tab was behind: the cleared rows are not sent', async () => {
    const store = new CaptureStore(1000);
    const frames: CaptureBatch[] = [];
    let behind = true;
    feeds.push(new CaptureFrameFeed(store, (f) => frames.push(decodeBatchFrame(f)), () => behind));
    const conn = store.openConnection({ transport: 'udp', service: 'echo-udp', protocol: 'echo', client: endpoint(5001), server: endpoint(12000) });
    store.record({ conn, dir: 'c2s', kind: 'message', bytes: b('old\n') });
    store.flush();
    store.clear();
    store.record({ conn, dir: 'c2s', kind: 'message', bytes: b('new\n') });
    store.flush();
    behind = false;
    await new Promise((r) => setTimeout(r, 120));
    expect(frames.flatMap((f) => f.messages.map((m) => m.summary))).toEqual(['new\\n']);
  });
});

/**
 * HAR timings as dev tools split them: `wait` up to the response's first captured write,
 * `receive` from there to its last. The tap records a write when the emulated link has
 * carried all of it, so through a 4 Mbit/s link a 94 KB page shows its ~190 ms
 * transmission time in the exchange's time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src-main/lab/lab';
import { startLab, waitFor } from '../../helpers/lab';
import { run } from '../../helpers/proc';

let lab: Lab;
let port: (id: string) => number;
beforeAll(async () => {
  ({ lab, port } = await startLab());
});
afterAll(() => lab.shutdown());

interface Entry {
  request: { url: string };
  response: { status: number };
  time: number;
  timings: { send: number; wait: number; receive: number };
}

describe('HAR export', () => {
  it('splits each exchange into wait (to the first byte) and receive (first to last byte)', async () => {
    await lab['services.configure']('http', { link: { rateKbps: 4000 } });
    const base = `http://127.0.0.1:${port('http')}`;
    const r = await run('curl', ['-s', '-o', '/dev/null', '-o', '/dev/null', '-H', 'Host: www.someschool.edu', `${base}/long.html`, `${base}/news.html`]);
    expect(r.code).toBe(0);
    const entries = await waitFor(async () => {
      lab.store.flush();
      const har = JSON.parse(await lab['web.exportHar']({ kind: 'message' })) as { log: { entries: Entry[] } };
      const got = har.log.entries.filter((e) => e.response.status === 200);
      return got.length >= 2 && got;
    }, 'two exchanges in the HAR');
    const long = entries.find((e) => e.request.url.endsWith('/long.html'))!;
    const news = entries.find((e) => e.request.url.endsWith('/news.html'))!;
    for (const e of [long, news]) {
      expect(e.timings.wait).toBeGreaterThanOrEqual(0);
      expect(e.timings.receive).toBeGreaterThanOrEqual(0);
      expect(e.time).toBeCloseTo(e.timings.send + e.timings.wait + e.timings.receive, 2);
    }
    // 94 KB at 4 Mbit/s: about 190 ms on the link (a lower bound the emulation sets)
    expect(long.time).toBeGreaterThan(150);
    expect(news.time).toBeLessThan(long.time);
  });
});

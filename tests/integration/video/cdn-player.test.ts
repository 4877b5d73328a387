/**
 * KingCDN's DNS redirection (Kurose & Ross §2.6.3) seen with dig, and the lab's DASH player
 * (§2.6.2) reacting to the real lab link: the rate-based rule settles on the highest bitrate
 * under the link's rate within three segments after the rate changes.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { labForFile, waitFor } from '../../helpers/lab';
import { openTerminal } from '../../helpers/terminal';

const run = promisify(execFile);
const held = labForFile();

async function dig(name: string): Promise<string[]> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(held.port('dns-local')), name, 'A', '+noall', '+answer', '+tries=1', '+time=5']);
  return stdout.trim().split('\n').map((l) => l.split(/\s+/).filter(Boolean)).map((f) => `${f[0]} ${f[3]} ${f[4]}`);
}

describe('KingCDN: DNS redirection to the closest cluster', () => {
  it('dig follows the CNAME into kingcdn.com and gets the cluster of the client\'s region; a new region, the other cluster', async () => {
    const { lab } = held;
    await lab['video.configure']({ region: 'north-america' });
    expect(await dig('video.netcinema.com')).toEqual(['video.netcinema.com. CNAME a1105.kingcdn.com.', 'a1105.kingcdn.com. A 198.51.100.10']);
    await lab['video.configure']({ region: 'europe' });
    expect(await dig('video.netcinema.com')).toEqual(['video.netcinema.com. CNAME a1105.kingcdn.com.', 'a1105.kingcdn.com. A 203.0.113.10']);
    // asked again and again, the answer stays the closest cluster (no round robin between regions)
    for (let i = 0; i < 3; i++) expect((await dig('a1105.kingcdn.com'))[0]).toBe('a1105.kingcdn.com. A 203.0.113.10');
    // the region map gives the near cluster the short delay
    expect(lab.services.find((s) => s.id === 'cdn-a')!.link.delayMs).toBeLessThan(lab.services.find((s) => s.id === 'cdn-b')!.link.delayMs);
  });
});

describe('the lab DASH player', () => {
  it('streams from the cluster the CDN chose, every segment a GET in the capture', async () => {
    const { lab } = held;
    await lab['video.configure']({ region: 'europe', rule: 'rate', rateKbps: 0 });
    const started = await lab['video.play']({ maxBufferSec: 60 });
    expect(started.server?.name).toBe('a.kingcdn.com');
    expect(started.manifest?.bitratesKbps.length).toBeGreaterThanOrEqual(3);
    await lab.video.finished();
    const st = await lab['video.state']();
    expect(st.error).toBeUndefined();
    expect(st.samples.length).toBe(st.manifest!.segments);
    lab.store.flush();
    const gets = (await lab['capture.list']({ afterId: 0, limit: 100_000 })).filter((m) => m.service === 'cdn-a' && m.dir === 'c2s' && /GET \/trailer\/seg-/.test(m.summary));
    expect(gets.length).toBe(st.samples.length);
  });

  it('the rate-based rule converges to the highest bitrate under the link rate within 3 segments after a change', { timeout: 60_000 }, async () => {
    const { lab } = held;
    await lab['video.configure']({ region: 'europe', rule: 'rate', rateKbps: 2400 });
    const first = await lab['video.play']({ maxBufferSec: 60, loop: true });
    const rates = first.manifest!.bitratesKbps;
    const under = (link: number): number => Math.max(...rates.filter((r) => r < link));
    try {
      await waitFor(async () => (await lab['video.state']()).samples.length >= 4, 'four segments at 2400 kbit/s', 20_000);
      let st = await lab['video.state']();
      expect(st.samples.at(-1)!.bitrateKbps).toBe(under(2400));
      await lab['video.configure']({ rateKbps: 600 });
      const changedAt = st.samples.length;
      st = await waitFor(async () => {
        const s = await lab['video.state']();
        return s.samples.length >= changedAt + 4 && s;
      }, 'four segments after the change', 30_000);
      // segments asked for after the change: the third already at the new highest-under-the-rate bitrate, and it stays
      const after = st.samples.slice(changedAt + 1);
      expect(after.slice(2).every((s) => s.bitrateKbps === under(600))).toBe(true);
      expect(st.rateChanges.at(-1)?.rateKbps).toBe(600);
      expect(lab.services.find((s) => s.id === 'cdn-a')!.link.rateKbps).toBe(600);
    } finally {
      lab['video.stop']();
      await lab.video.finished();
    }
  });

  it('stopped while a segment is on a slow link, the player lets go at once and plays again', async () => {
    const { lab } = held;
    await lab['video.configure']({ region: 'europe', rateKbps: 400 });
    await lab['video.play']({ maxBufferSec: 60 });
    lab['video.stop']();
    await lab.video.finished();
    expect((await lab['video.state']()).playing).toBe(false);
    await lab['video.configure']({ rateKbps: 0 });
    const again = await lab['video.play']({ maxBufferSec: 60 });
    expect(again.server?.name).toBe('a.kingcdn.com');
    await lab.video.finished();
    expect((await lab['video.state']()).error).toBeUndefined();
  });

  it('`video play` in the lab terminal prints the bitrate of each segment; a typo gets its usage', async () => {
    const { lab } = held;
    await lab['video.configure']({ region: 'north-america', rateKbps: 0 });
    const t = await openTerminal(lab);
    await t.expect('netlab>');
    const from = t.mark();
    await t.type('video play buffer\r');
    await waitFor(() => /GET \/trailer\/seg-\d-010\.m4s/.test(t.screen().slice(from)), 'the tenth segment listed', 20_000);
    const out = t.screen().slice(from);
    expect(out).toContain('video.netcinema.com → b.kingcdn.com (198.51.100.10, North America)');
    // the buffer rule starts in its reservoir: the first segment at the lowest bitrate
    expect(out).toMatch(/\n1\s+100 kbit\/s/);
    const again = t.mark();
    await t.type('video play fast\r');
    await t.expect('usage: video play [rate|buffer]', again);
    await t.close();
  });
});

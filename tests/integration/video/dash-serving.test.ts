/**
 * The video on the lab web server (Kurose & Ross §2.6.2) read by real clients: ffprobe reads the
 * MPD and its segments over HTTP, curl fetches segments and ranges; bad requests get HTTP's
 * answers (404, 416) and the server keeps serving.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { captured, labForFile } from '../../helpers/lab';

const run = promisify(execFile);
const held = labForFile();

async function curl(args: string[]): Promise<{ status: number; headers: string; body: string }> {
  const { stdout } = await run('curl', ['-s', '-D', '-', '-H', 'Host: video.netcinema.com', ...args], { maxBuffer: 8 * 1024 * 1024, encoding: 'latin1' });
  const split = stdout.indexOf('\r\n\r\n');
  const headers = stdout.slice(0, split);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]), headers, body: stdout.slice(split + 4) };
}

describe('the trailer served by the lab web server', () => {
  it('ffprobe reads the manifest and its three video bitrates, fetching segments over HTTP', async () => {
    const url = `http://127.0.0.1:${held.port('http')}/trailer/manifest.mpd`;
    const { stdout } = await run('ffprobe', ['-v', 'error', '-headers', 'Host: video.netcinema.com\r\n', '-show_entries', 'stream=codec_name,width,height:format=duration', '-of', 'json', url], { timeout: 20_000 });
    const info = JSON.parse(stdout) as { streams: { codec_name: string; width?: number }[]; format: { duration: string } };
    const widths = info.streams.filter((s) => s.codec_name === 'h264').map((s) => s.width);
    expect(widths.sort((a, b) => a! - b!)).toEqual([320, 480, 640]);
    expect(info.streams.some((s) => s.codec_name === 'aac')).toBe(true);
    expect(Number(info.format.duration)).toBeGreaterThan(15);
  });

  it('serves the manifest as application/dash+xml, an init segment as video/mp4 and a media segment as video/iso.segment', async () => {
    const base = `http://127.0.0.1:${held.port('http')}`;
    const mpd = await curl([`${base}/trailer/manifest.mpd`]);
    expect(mpd.status).toBe(200);
    expect(mpd.headers).toMatch(/Content-Type: application\/dash\+xml/i);
    expect(mpd.body).toContain('<MPD');
    const init = await curl([`${base}/trailer/init-2.mp4`]);
    expect(init.status).toBe(200);
    expect(init.headers).toMatch(/Content-Type: video\/mp4/i);
    // an ISO BMFF file: its first box is ftyp
    expect(init.body.slice(4, 8)).toBe('ftyp');
    const seg = await curl([`${base}/trailer/seg-2-003.m4s`]);
    expect(seg.status).toBe(200);
    expect(seg.headers).toMatch(/Content-Type: video\/iso\.segment/i);
    expect(seg.headers).toMatch(/Accept-Ranges: bytes/i);
  });

  it('answers a segment that does not exist with 404 and a range past the end with 416, and keeps serving', async () => {
    const base = `http://127.0.0.1:${held.port('http')}`;
    expect((await curl([`${base}/trailer/seg-2-999.m4s`])).status).toBe(404);
    const whole = await curl([`${base}/trailer/seg-0-002.m4s`]);
    const length = Buffer.from(whole.body, 'latin1').length;
    const past = await curl(['-H', `Range: bytes=${length}-`, `${base}/trailer/seg-0-002.m4s`]);
    expect(past.status).toBe(416);
    expect(past.headers).toMatch(new RegExp(`Content-Range: bytes \\*/${length}`, 'i'));
    const part = await curl(['-H', 'Range: bytes=100-199', `${base}/trailer/seg-0-002.m4s`]);
    expect(part.status).toBe(206);
    expect(part.headers).toMatch(new RegExp(`Content-Range: bytes 100-199/${length}`, 'i'));
    expect(Buffer.from(part.body, 'latin1')).toEqual(Buffer.from(whole.body, 'latin1').subarray(100, 200));
    const tail = await curl(['-H', 'Range: bytes=-10', `${base}/trailer/seg-0-002.m4s`]);
    expect(Buffer.from(tail.body, 'latin1')).toEqual(Buffer.from(whole.body, 'latin1').subarray(length - 10));
    // still serving after the refusals
    expect((await curl([`${base}/trailer/manifest.mpd`])).status).toBe(200);
  });

  it('a segment goes out in one write on an unemulated link (one capture record of its full size), in 16 KB pieces on a paced one', async () => {
    const lab = held.lab;
    const seg = `http://127.0.0.1:${held.port('http')}/trailer/seg-2-005.m4s`;
    const fetched = async (): Promise<{ total: number; rows: Awaited<ReturnType<typeof captured>> }> => {
      await lab['capture.clear']();
      const r = await curl([seg]);
      expect(r.status).toBe(200);
      lab.store.flush();
      return { total: r.headers.length + 4 + Buffer.from(r.body, 'latin1').length, rows: (await captured(lab)).filter((m) => m.protocol === 'http' && m.dir === 's2c') };
    };
    const fast = await fetched();
    const res = fast.rows.find((m) => m.kind === 'message')!;
    expect(fast.total).toBeGreaterThan(100_000);
    // the capture says exactly what was sent: one record, the response's full length
    expect(res.size).toBe(fast.total);
    expect(fast.rows.filter((m) => m.kind === 'chunk' && m.conn === res.conn)).toHaveLength(0);
    await lab['services.configure']('http', { link: { rateKbps: 200_000 } });
    try {
      const paced = await fetched();
      const chunks = paced.rows.filter((m) => m.kind === 'chunk');
      expect(chunks.length).toBeGreaterThan(5);
      expect(chunks.reduce((n, c) => n + c.size, 0)).toBe(paced.total);
    } finally {
      await lab['services.configure']('http', { link: { rateKbps: 0 } });
    }
  });

  it('each CDN cluster serves the same video at its own port', async () => {
    for (const id of ['cdn-a', 'cdn-b']) {
      const r = await curl([`http://127.0.0.1:${held.port(id)}/trailer/manifest.mpd`]);
      expect(r.status).toBe(200);
      expect(r.body).toContain('<MPD');
    }
  });
});

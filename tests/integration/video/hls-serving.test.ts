/**
 * The trailer's HLS playlists (RFC 8216) on the lab web server: served as
 * application/vnd.apple.mpegurl, read by ffprobe and decoded by ffmpeg as a player would (the
 * master playlist, then each variant's media playlist, its fMP4 init segment and .m4s segments —
 * the files the DASH manifest names too — all from the lab), shown in the inspector.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { DecodedField } from '../../../src-main/lab/api';
import { captured, labForFile } from '../../helpers/lab';

const run = promisify(execFile);
const held = labForFile();

async function curl(url: string): Promise<{ status: number; headers: string; body: string }> {
  const { stdout } = await run('curl', ['-s', '-D', '-', '-H', 'Host: video.netcinema.com', url], { encoding: 'latin1' });
  const split = stdout.indexOf('\r\n\r\n');
  const headers = stdout.slice(0, split);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]), headers, body: stdout.slice(split + 4) };
}

describe('the HLS playlists on the lab web server', () => {
  it('ffprobe reads master.m3u8 from the lab: three H.264 variants and the AAC audio, every request a GET in the capture', async () => {
    const url = `http://127.0.0.1:${held.port('http')}/trailer/master.m3u8`;
    // no -allowed_segment_extensions: .mp4 and .m4s are among the extensions Debian's ffmpeg takes for HLS
    const { stdout } = await run('ffprobe', ['-v', 'error', '-headers', 'Host: video.netcinema.com\r\n', '-show_entries', 'stream=codec_name,width,height:format=duration', '-of', 'json', url], { timeout: 30_000 });
    const info = JSON.parse(stdout) as { streams: { codec_name: string; width?: number }[]; format: { duration: string } };
    const widths = info.streams.filter((s) => s.codec_name === 'h264').map((s) => s.width);
    expect(widths.sort((a, b) => a! - b!)).toEqual([320, 480, 640]);
    expect(info.streams.some((s) => s.codec_name === 'aac')).toBe(true);
    expect(Number(info.format.duration)).toBeCloseTo(20, 0);
    held.lab.store.flush();
    const gets = (await captured(held.lab)).filter((m) => m.protocol === 'http' && m.dir === 'c2s' && m.kind === 'message').map((m) => m.summary);
    for (const p of ['master.m3u8', 'video-2.m3u8', 'audio-3.m3u8', 'init-2.mp4', 'seg-2-001.m4s']) expect(gets.some((s) => s.startsWith(`GET /trailer/${p}`)), p).toBe(true);
  });

  it('ffmpeg decodes every frame of every variant and the audio from master.m3u8, segment after segment from the lab', async () => {
    const url = `http://127.0.0.1:${held.port('http')}/trailer/master.m3u8`;
    await held.lab['capture.clear']();
    // -v verbose: at the end ffmpeg counts, per input stream, the packets read and the frames decoded
    const { stderr } = await run('ffmpeg', ['-nostdin', '-v', 'verbose', '-headers', 'Host: video.netcinema.com\r\n', '-i', url, '-map', '0:v', '-map', '0:a', '-f', 'null', '-'], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    const decoded = [...stderr.matchAll(/Input stream #0:\d+ \((video|audio)\): \d+ packets read \(\d+ bytes\); (\d+) frames decoded/g)].map((m) => ({ type: m[1], frames: Number(m[2]) }));
    // 20 s at 24 frames/s in each of the three variants
    expect(decoded.filter((d) => d.type === 'video').map((d) => d.frames)).toEqual([480, 480, 480]);
    // AAC: 1024 samples a frame at 48 kHz, 20 s ≈ 938 frames
    expect(decoded.find((d) => d.type === 'audio')!.frames).toBeGreaterThan(900);
    expect(stderr).not.toMatch(/error while decoding|Invalid data found/i);
    held.lab.store.flush();
    const gets = (await captured(held.lab)).filter((m) => m.protocol === 'http' && m.dir === 'c2s' && m.kind === 'message').map((m) => m.summary);
    // every segment of every representation came from the lab
    for (const rep of [0, 1, 2, 3]) {
      expect(gets.some((s) => s.startsWith(`GET /trailer/init-${rep}.mp4`)), `init-${rep}.mp4`).toBe(true);
      for (let n = 1; n <= 10; n++) {
        const seg = `seg-${rep}-${String(n).padStart(3, '0')}.m4s`;
        expect(gets.some((s) => s.startsWith(`GET /trailer/${seg}`)), seg).toBe(true);
      }
    }
  });

  it('serves a playlist as application/vnd.apple.mpegurl; the inspector shows its variants', async () => {
    const res = await curl(`http://127.0.0.1:${held.port('http')}/trailer/master.m3u8`);
    expect(res.status).toBe(200);
    expect(res.headers).toMatch(/\r\nContent-Type: application\/vnd\.apple\.mpegurl\r?\n/i);
    expect(res.body).toMatch(/^#EXTM3U\n/);
    held.lab.store.flush();
    const row = (await captured(held.lab)).reverse().find((m) => m.protocol === 'http' && m.dir === 's2c' && m.kind === 'message' && m.summary.startsWith('HTTP/1.1 200'));
    const fields = (await held.lab['capture.detail'](row!.id))!.fields as DecodedField[];
    const hls = fields.find((f) => f.name === 'HLS master playlist')!;
    expect(hls.value).toBe('3 variant(s)');
  });

  it('a playlist that does not exist is 404, and the server keeps serving', async () => {
    const base = `http://127.0.0.1:${held.port('http')}/trailer`;
    expect((await curl(`${base}/video-9.m3u8`)).status).toBe(404);
    expect((await curl(`${base}/video-0.m3u8`)).status).toBe(200);
  });
});

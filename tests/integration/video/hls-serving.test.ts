/**
 * The trailer's HLS playlists (RFC 8216) on the lab web server: served as
 * application/vnd.apple.mpegurl, read by ffprobe as a player would (the master playlist, then a
 * media playlist, its init segment and segments, all from the lab), decoded in the inspector.
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
  it('ffprobe reads master.m3u8 from the lab: three VP9 variants and the Opus audio, every request a GET in the capture', async () => {
    const url = `http://127.0.0.1:${held.port('http')}/trailer/master.m3u8`;
    // Debian's ffmpeg takes HLS segments only with the extensions it lists (a security fix of
    // 5.1.x); WebM is not among them, as RFC 8216 §3 does not list it: allowed by name here
    const { stdout } = await run('ffprobe', ['-v', 'error', '-allowed_segment_extensions', 'webm', '-headers', 'Host: video.netcinema.com\r\n', '-show_entries', 'stream=codec_name,width,height:format=duration', '-of', 'json', url], { timeout: 30_000 });
    const info = JSON.parse(stdout) as { streams: { codec_name: string; width?: number }[]; format: { duration: string } };
    const widths = info.streams.filter((s) => s.codec_name === 'vp9').map((s) => s.width);
    expect(widths.sort((a, b) => a! - b!)).toEqual([320, 480, 640]);
    expect(info.streams.some((s) => s.codec_name === 'opus')).toBe(true);
    expect(Number(info.format.duration)).toBeCloseTo(20, 0);
    held.lab.store.flush();
    const gets = (await captured(held.lab)).filter((m) => m.protocol === 'http' && m.dir === 'c2s' && m.kind === 'message').map((m) => m.summary);
    for (const p of ['master.m3u8', 'video-2.m3u8', 'audio-3.m3u8', 'init-2.webm', 'seg-2-001.webm']) expect(gets.some((s) => s.startsWith(`GET /trailer/${p}`)), p).toBe(true);
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

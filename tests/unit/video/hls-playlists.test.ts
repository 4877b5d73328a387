/**
 * The trailer's HLS playlists (RFC 8216): the shipped files are what scripts/make-hls.mjs writes
 * from the shipped manifest.mpd (the DASH and HLS descriptions cannot drift apart), each has the
 * tags a player needs and names files the site has; the inspector's reader of a playlist.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hlsPlaylists } from '../../../scripts/make-hls.mjs';
import { playlistStructure } from '../../../src-main/lab/video/hls';

const DIR = path.resolve(__dirname, '../../../resources/sites/video.netcinema.com/trailer');
const MPD = fs.readFileSync(path.join(DIR, 'manifest.mpd'), 'utf8');
const read = (name: string): string => fs.readFileSync(path.join(DIR, name), 'utf8');
const sizeOf = (name: string): number | undefined => (fs.existsSync(path.join(DIR, name)) ? fs.statSync(path.join(DIR, name)).size : undefined);

describe('the HLS playlists beside the DASH manifest', () => {
  it('are what make-hls.mjs writes from manifest.mpd and the segments\' sizes', () => {
    const files = hlsPlaylists(MPD, sizeOf);
    expect(Object.keys(files).sort()).toEqual(['audio-3.m3u8', 'master.m3u8', 'video-0.m3u8', 'video-1.m3u8', 'video-2.m3u8']);
    for (const [name, text] of Object.entries(files)) expect(read(name), name).toBe(text);
  });

  it('the master playlist names one variant per bitrate (video + audio bandwidth, resolution, codecs) and the audio rendition', () => {
    const lines = read('master.m3u8').trim().split('\n');
    expect(lines[0]).toBe('#EXTM3U');
    const inf = lines.filter((l) => l.startsWith('#EXT-X-STREAM-INF:'));
    expect(inf).toEqual([
      '#EXT-X-STREAM-INF:BANDWIDTH=149112,AVERAGE-BANDWIDTH=140430,RESOLUTION=320x180,FRAME-RATE=24.000,CODECS="avc1.4d400c,mp4a.40.2",AUDIO="audio"',
      '#EXT-X-STREAM-INF:BANDWIDTH=375204,AVERAGE-BANDWIDTH=345584,RESOLUTION=480x270,FRAME-RATE=24.000,CODECS="avc1.4d4015,mp4a.40.2",AUDIO="audio"',
      '#EXT-X-STREAM-INF:BANDWIDTH=799740,AVERAGE-BANDWIDTH=759614,RESOLUTION=640x360,FRAME-RATE=24.000,CODECS="avc1.4d401e,mp4a.40.2",AUDIO="audio"',
    ]);
    // §4.3.4.2: BANDWIDTH is at least the peak segment bit rate of the variant's video plus its audio
    const peak = (name: string): number =>
      Math.max(...read(name).split('\n').filter((l) => l && !l.startsWith('#')).map((uri) => (sizeOf(uri)! * 8) / 2));
    for (const l of inf) {
      const uri = lines[lines.indexOf(l) + 1];
      expect(Number(/BANDWIDTH=(\d+)/.exec(l)![1]), uri).toBeGreaterThanOrEqual(Math.floor(peak(uri) + peak('audio-3.m3u8')));
    }
    // each STREAM-INF is followed by its URI (§4.3.4.2)
    for (const l of inf) expect(lines[lines.indexOf(l) + 1]).toMatch(/^video-\d\.m3u8$/);
    expect(lines).toContain('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="mp4a.40.2",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="1",URI="audio-3.m3u8"');
  });

  it('each media playlist: version, target duration over every EXTINF, the init segment, files the site has, ENDLIST', () => {
    for (const name of ['video-0.m3u8', 'video-1.m3u8', 'video-2.m3u8', 'audio-3.m3u8']) {
      const lines = read(name).trim().split('\n');
      expect(lines[0]).toBe('#EXTM3U');
      expect(lines).toContain('#EXT-X-VERSION:7');
      const target = Number(lines.find((l) => l.startsWith('#EXT-X-TARGETDURATION:'))!.split(':')[1]);
      const durations = lines.filter((l) => l.startsWith('#EXTINF:')).map((l) => Number.parseFloat(l.slice(8)));
      expect(durations).toHaveLength(10);
      // §4.3.3.1: each EXTINF rounded to the nearest integer is at most the target duration
      for (const d of durations) expect(Math.round(d)).toBeLessThanOrEqual(target);
      expect(durations.reduce((a, b) => a + b, 0)).toBeCloseTo(20, 3);
      const init = /^#EXT-X-MAP:URI="([^"]+)"$/.exec(lines.find((l) => l.startsWith('#EXT-X-MAP:'))!)![1];
      expect(fs.existsSync(path.join(DIR, init)), init).toBe(true);
      for (const uri of lines.filter((l) => l && !l.startsWith('#'))) expect(fs.existsSync(path.join(DIR, uri)), uri).toBe(true);
      expect(lines[lines.length - 1]).toBe('#EXT-X-ENDLIST');
    }
  });
});

describe('the inspector’s reading of a playlist', () => {
  it('a master playlist: its variants and renditions', () => {
    const f = playlistStructure(Buffer.from(read('master.m3u8')));
    expect(f.name).toBe('HLS master playlist');
    const variants = f.children!.find((c) => c.name === 'Variants')!;
    expect(variants.children!.map((c) => `${c.name}: ${c.value}`)).toEqual([
      'video-0.m3u8: 149.112 kbit/s, 320x180, codecs avc1.4d400c,mp4a.40.2',
      'video-1.m3u8: 375.204 kbit/s, 480x270, codecs avc1.4d4015,mp4a.40.2',
      'video-2.m3u8: 799.74 kbit/s, 640x360, codecs avc1.4d401e,mp4a.40.2',
    ]);
    expect(f.children!.find((c) => c.name === 'Renditions')!.children![0]).toEqual({ name: 'audio-3.m3u8', value: 'AUDIO "mp4a.40.2", group audio' });
  });

  it('a media playlist: target duration, init segment, segments, the end', () => {
    const f = playlistStructure(Buffer.from(read('video-2.m3u8')));
    expect(f).toMatchObject({ name: 'HLS media playlist', value: '10 segment(s), 20 s' });
    const by = Object.fromEntries(f.children!.map((c) => [c.name, c.value]));
    expect(by['Target duration']).toBe('2 s');
    expect(by['Init segment']).toBe('init-2.mp4');
    expect(by.Ends).toMatch(/^yes/);
    expect(f.children!.find((c) => c.name === 'Segments')!.children![0]).toEqual({ name: 'seg-2-001.m4s', value: '2 s' });
  });

  it('a body that is no playlist says so; a live playlist says it has no end', () => {
    expect(playlistStructure(Buffer.from('<html></html>')).value).toMatch(/not a playlist: the first line is not #EXTM3U/);
    const live = playlistStructure(Buffer.from('#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\na.ts\n'));
    expect(live.children!.find((c) => c.name === 'Ends')!.value).toMatch(/live playlist/);
  });
});

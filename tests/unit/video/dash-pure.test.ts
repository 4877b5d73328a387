/** The video area's pure parts: the MPD reader, the two bitrate rules, Range parsing, the CDN's choice. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseBitrate, CUSHION_SEC, RESERVOIR_SEC } from '../../../src-main/lab/video/abr';
import { closestCluster } from '../../../src-main/lab/video/cdn';
import { isoDuration, parseMpd, segmentPath } from '../../../src-main/lab/video/mpd';
import { parseRange } from '../../../src-main/lab/web/server/range';
import { HttpFramer } from '../../../src-main/lab/web/framer';
import { keepOfMedia, MEDIA_KEEP_BYTES } from '../../../src-main/lab/web/server/http-service';
import type { Sections } from '../../../src-main/lab/dns/authority';

const MPD = fs.readFileSync(path.resolve(__dirname, '../../../resources/sites/video.netcinema.com/trailer/manifest.mpd'), 'utf8');

describe('the MPD reader', () => {
  it('reads the shipped manifest: three video representations, lowest first, and their segment names', () => {
    const m = parseMpd(MPD);
    expect(m.video.map((r) => r.bandwidth)).toEqual([100_000, 300_000, 700_000]);
    expect(m.segments).toBe(10);
    expect(m.video[0].segmentSec).toBe(2);
    expect(segmentPath(m.video[2].media, m.video[2], 7)).toBe('seg-2-007.m4s');
    expect(segmentPath(m.video[1].initialization, m.video[1])).toBe('init-1.mp4');
    // every segment the manifest names is shipped
    const dir = path.resolve(__dirname, '../../../resources/sites/video.netcinema.com/trailer');
    for (const r of m.video) for (let n = 1; n <= m.segments; n++) expect(fs.existsSync(path.join(dir, segmentPath(r.media, r, n)))).toBe(true);
  });

  it('refuses what it cannot play, saying why', () => {
    expect(() => parseMpd('<html></html>')).toThrow(/not a DASH manifest/);
    expect(() => parseMpd('<MPD type="dynamic"></MPD>')).toThrow(/mediaPresentationDuration/);
    expect(() => parseMpd('<MPD mediaPresentationDuration="PT10S"></MPD>')).toThrow(/no video/);
    expect(() => parseMpd(`<MPD mediaPresentationDuration="PT10S">${' '.repeat(300_000)}</MPD>`)).toThrow(/over/);
    expect(() => isoDuration('ten seconds')).toThrow(/ISO 8601/);
    expect(isoDuration('PT1M4.5S')).toBe(64.5);
  });
});

describe('bitrate rules', () => {
  const rates = [100, 300, 700];
  it('rate-based: the highest bitrate under the recent throughput, with a margin; the lowest before any measure', () => {
    expect(chooseBitrate('rate', { bitratesKbps: rates, throughputsKbps: [], bufferSec: 0 })).toBe(0);
    expect(chooseBitrate('rate', { bitratesKbps: rates, throughputsKbps: [2000, 2000], bufferSec: 0 })).toBe(2);
    expect(chooseBitrate('rate', { bitratesKbps: rates, throughputsKbps: [2000, 500, 500], bufferSec: 30 })).toBe(1);
    expect(chooseBitrate('rate', { bitratesKbps: rates, throughputsKbps: [90], bufferSec: 30 })).toBe(0);
  });
  it('buffer-based: lowest in the reservoir, highest past the cushion, climbing in between, throughput ignored', () => {
    expect(chooseBitrate('buffer', { bitratesKbps: rates, throughputsKbps: [10_000], bufferSec: RESERVOIR_SEC })).toBe(0);
    expect(chooseBitrate('buffer', { bitratesKbps: rates, throughputsKbps: [10], bufferSec: RESERVOIR_SEC + CUSHION_SEC })).toBe(2);
    const mid = chooseBitrate('buffer', { bitratesKbps: rates, throughputsKbps: [], bufferSec: RESERVOIR_SEC + CUSHION_SEC / 2 });
    expect(mid).toBe(1);
  });
});

describe('Range (RFC 9110 §14)', () => {
  it('parses one range, a suffix, an open end; a start past the end is unsatisfiable; the rest is ignored', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ first: 0, last: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ first: 900, last: 999 });
    expect(parseRange('bytes=-10', 1000)).toEqual({ first: 990, last: 999 });
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ first: 990, last: 999 });
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 1000)).toBe('whole');
    expect(parseRange('bytes=0-1,5-6', 1000)).toBe('whole');
    expect(parseRange('items=0-1', 1000)).toBe('whole');
  });
});

describe("KingCDN's choice", () => {
  const a = (data: string) => ({ name: 'a1105.kingcdn.com', type: 'A' as const, class: 'IN' as const, ttl: 20, data });
  const s: Sections = { rcode: 'NOERROR', aa: true, answers: [a('203.0.113.10'), a('198.51.100.10')], authorities: [], additionals: [], kind: 'answer' };
  it('keeps the one cluster closest to the region', () => {
    expect(closestCluster(s, 'europe').sections.answers.map((r) => r.data)).toEqual(['203.0.113.10']);
    expect(closestCluster(s, 'north-america').sections.answers.map((r) => r.data)).toEqual(['198.51.100.10']);
    expect(closestCluster(s, 'north-america').chosen?.host).toBe('b.kingcdn.com');
  });
  it('leaves an answer naming fewer than two clusters as it is', () => {
    const one = { ...s, answers: [a('203.0.113.10')] };
    expect(closestCluster(one, 'north-america').sections).toBe(one);
  });
});

describe('the capture framing a segment sent in pieces', () => {
  it('one message, byte for byte, when the last piece arrives (with the next response behind it); a cut one at the close', () => {
    const body = Buffer.alloc(50_000, 7);
    const res = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: video/webm\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
    const next = Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    const f = new HttpFramer();
    f.push('c2s', Buffer.from('GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n'));
    const frames = [];
    for (let at = 0; at < res.length; at += 16_384) {
      const piece = res.subarray(at, Math.min(at + 16_384, res.length));
      frames.push(...f.push('s2c', at + 16_384 >= res.length ? Buffer.concat([piece, next]) : piece));
    }
    expect(frames.map((x) => x.bytes.length)).toEqual([res.length, next.length]);
    expect(frames[0].bytes.equals(res)).toBe(true);
    // the chunk records of a video response's later pieces keep their start only; an HTML page's keep all
    const keeps = (type: string): number[] => {
      const page = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
      const g = new HttpFramer();
      g.push('c2s', Buffer.from('GET /a HTTP/1.1\r\n\r\n'));
      const out: number[] = [];
      for (let at = 0; at < page.length; at += 16_384) {
        g.push('s2c', page.subarray(at, at + 16_384));
        out.push(g.chunkKeep('s2c'));
      }
      return out;
    };
    expect(keeps('video/webm')).toEqual([Infinity, 256, 256, 256]);
    expect(keeps('text/html')).toEqual([Infinity, Infinity, Infinity, Infinity]);
    const cut = new HttpFramer();
    cut.push('c2s', Buffer.from('GET /a HTTP/1.1\r\n\r\n'));
    expect(cut.push('s2c', res.subarray(0, 20_000))).toEqual([]);
    expect(cut.push('s2c', res.subarray(20_000, 30_000))).toEqual([]);
    expect(cut.flush('s2c').map((x) => x.bytes.length)).toEqual([30_000]);
  });
});

describe('what the capture keeps of a media response', () => {
  it('the head and 4 KiB of a large video or audio body; everything of anything else', () => {
    const big = (type: string) => Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: 40000\r\n\r\n`), Buffer.alloc(40_000)]);
    const head = `HTTP/1.1 200 OK\r\nContent-Type: video/webm\r\nContent-Length: 40000\r\n\r\n`.length;
    expect(keepOfMedia('message', big('video/webm'))).toBe(head + MEDIA_KEEP_BYTES);
    expect(keepOfMedia('message', big('text/html'))).toBe(Infinity);
    expect(keepOfMedia('chunk', Buffer.alloc(40_000, 0x41))).toBe(Infinity);
    expect(keepOfMedia('message', Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: video/webm\r\n\r\nsmall'))).toBe(Infinity);
  });
});

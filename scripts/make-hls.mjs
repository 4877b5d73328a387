#!/usr/bin/env node
/**
 * The HLS playlists beside the trailer's DASH manifest (RFC 8216), for the same segments: a
 * master playlist (master.m3u8) naming one media playlist per video bitrate (video-<id>.m3u8,
 * #EXT-X-STREAM-INF with BANDWIDTH, RESOLUTION, CODECS) and the audio rendition they share
 * (audio-<id>.m3u8, #EXT-X-MEDIA TYPE=AUDIO); each media playlist lists its segments with
 * #EXTINF, the init segment with #EXT-X-MAP, and ends with #EXT-X-ENDLIST (a VOD stream).
 *
 * Read from manifest.mpd (its SegmentTemplate, bandwidths, sizes, codecs and duration), so the
 * two descriptions of the video cannot disagree; make-video.sh runs it after ffmpeg.
 * The segments are fragmented MP4 (H.264 + AAC, CMAF style): one set of files for both
 * manifests. RFC 8216 §3.3 lists fragmented MPEG-4 as a segment format, with its Media
 * Initialization Section named by EXT-X-MAP (§4.3.2.5); Safari, hls.js, AVPlayer and ffmpeg play
 * them. EXT-X-MAP with a playlist that is not I-frames only needs version 6 (§7); 7 is written,
 * as Apple's authoring guide asks for fMP4 playlists.
 *
 * Usage: node scripts/make-hls.mjs [trailer folder]. Pure part: hlsPlaylists(mpdText).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const attrs = (tag) => Object.fromEntries([...tag.matchAll(/([A-Za-z:]+)\s*=\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]));

/** ISO 8601 durations as MPDs write them (PT20.0S, PT1M4S) */
function seconds(iso) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(iso.trim());
  if (!m) throw new Error(`not an ISO 8601 duration: ${iso}`);
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
}

/** $RepresentationID$ and $Number%03d$ filled in (ISO/IEC 23009-1 §5.3.9.4.4) */
const fill = (template, id, n) =>
  template.replace(/\$(RepresentationID|Number)(?:%0(\d)d)?\$/g, (_a, name, width) => {
    const v = name === 'RepresentationID' ? id : String(n);
    return width ? v.padStart(Number(width), '0') : v;
  });

/** every representation of the MPD with its adaptation set's content type */
function representations(mpd) {
  const out = [];
  for (const set of mpd.matchAll(/<AdaptationSet\b([^>]*)>([\s\S]*?)<\/AdaptationSet>/g)) {
    const s = attrs(set[1]);
    for (const rep of set[2].matchAll(/<Representation\b([^>]*)>([\s\S]*?)<\/Representation>/g)) {
      const r = attrs(rep[1]);
      const t = attrs((/<SegmentTemplate\b[^>]*>/.exec(rep[2]) ?? /<SegmentTemplate\b[^>]*>/.exec(set[2]))[0]);
      const channels = /<AudioChannelConfiguration\b[^>]*value="(\d+)"/.exec(rep[2])?.[1];
      out.push({ ...r, type: s.contentType ?? (r.mimeType ?? '').split('/')[0], frameRate: s.frameRate, channels, template: t });
    }
  }
  return out;
}

/**
 * One representation's media playlist — its init segment, then every segment the MPD's duration
 * covers — and the bit rates its segments make: the peak (the largest segment's bits over its
 * duration; each segment is one target duration long, RFC 8216 §4.3.4.2's window) and the
 * average, from `sizeOf` (bytes of a file by name); without sizes, the MPD's bandwidth for both.
 */
function mediaPlaylist(rep, totalSec, what, sizeOf) {
  const t = rep.template;
  const segSec = Number(t.duration) / Number(t.timescale ?? 1);
  const count = Math.ceil(totalSec / segSec - 1e-9);
  const start = Number(t.startNumber ?? 1);
  let peak = 0;
  let bits = 0;
  let sized = Boolean(sizeOf);
  const lines = ['#EXTM3U', `# ${what}: the same segments as representation ${rep.id} of manifest.mpd`, '#EXT-X-VERSION:7', `#EXT-X-TARGETDURATION:${Math.ceil(segSec)}`, `#EXT-X-MEDIA-SEQUENCE:${start}`, '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-INDEPENDENT-SEGMENTS', `#EXT-X-MAP:URI="${fill(t.initialization, rep.id, start)}"`];
  for (let i = 0; i < count; i++) {
    const d = Math.min(segSec, totalSec - i * segSec);
    const uri = fill(t.media, rep.id, start + i);
    lines.push(`#EXTINF:${d.toFixed(3)},`, uri);
    const size = sizeOf?.(uri);
    if (size === undefined) sized = false;
    else {
      peak = Math.max(peak, (size * 8) / d);
      bits += size * 8;
    }
  }
  lines.push('#EXT-X-ENDLIST');
  const declared = Number(rep.bandwidth);
  return { text: lines.join('\n') + '\n', peak: sized ? Math.ceil(peak) : declared, average: sized ? Math.ceil(bits / totalSec) : declared };
}

/** file name → playlist text, for the MPD's text; `sizeOf`: the segments' sizes in bytes by file name */
export function hlsPlaylists(mpd, sizeOf) {
  const mpdTag = attrs(/<MPD\b[^>]*>/.exec(mpd)[0]);
  const total = seconds(mpdTag.mediaPresentationDuration);
  const reps = representations(mpd);
  const video = reps.filter((r) => r.type === 'video').sort((a, b) => Number(a.bandwidth) - Number(b.bandwidth));
  const audio = reps.find((r) => r.type === 'audio');
  const files = {};
  const master = ['#EXTM3U', '# Netcinema\'s trailer in HLS (RFC 8216), beside manifest.mpd (DASH): the same fMP4 segments', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  let sound = { peak: 0, average: 0 };
  if (audio) {
    const name = `audio-${audio.id}.m3u8`;
    sound = mediaPlaylist(audio, total, `audio, ${audio.codecs}, ${Number(audio.bandwidth) / 1000} kbit/s`, sizeOf);
    files[name] = sound.text;
    master.push(`#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="${audio.codecs}",DEFAULT=YES,AUTOSELECT=YES${audio.channels ? `,CHANNELS="${audio.channels}"` : ''},URI="${name}"`);
  }
  for (const v of video) {
    const name = `video-${v.id}.m3u8`;
    const kbps = Number(v.bandwidth) / 1000;
    const media = mediaPlaylist(v, total, `video, ${v.width}x${v.height}, ${kbps} kbit/s`, sizeOf);
    files[name] = media.text;
    // BANDWIDTH is the peak segment bit rate of everything played together, the video and the
    // audio beside it, measured on the segments when they exist (a MUST of §4.3.4.2: a
    // constant-rate encoder's segments still run a little over its target, and a player picking
    // by BANDWIDTH must not be told less); AVERAGE-BANDWIDTH the average of the same
    const bandwidth = media.peak + sound.peak;
    const average = media.average + sound.average;
    const [num, den] = (v.frameRate ?? '').split('/').map(Number);
    const rate = num ? `,FRAME-RATE=${(num / (den || 1)).toFixed(3)}` : '';
    const codecs = [v.codecs, audio?.codecs].filter(Boolean).join(',');
    master.push(`#EXT-X-STREAM-INF:BANDWIDTH=${bandwidth},AVERAGE-BANDWIDTH=${average},RESOLUTION=${v.width}x${v.height}${rate},CODECS="${codecs}"${audio ? ',AUDIO="audio"' : ''}`, name);
  }
  files['master.m3u8'] = master.join('\n') + '\n';
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'sites', 'video.netcinema.com', 'trailer');
  const sizeOf = (name) => (fs.existsSync(path.join(dir, name)) ? fs.statSync(path.join(dir, name)).size : undefined);
  const files = hlsPlaylists(fs.readFileSync(path.join(dir, 'manifest.mpd'), 'utf8'), sizeOf);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  console.log(`wrote ${Object.keys(files).join(', ')} to ${dir}`);
}

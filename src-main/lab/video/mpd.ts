/**
 * The DASH manifest (MPD, ISO/IEC 23009-1), read as far as the lab's player needs it: the
 * video's representations (one per bitrate: its id, bandwidth and size) and how to name their
 * segments (a SegmentTemplate with $RepresentationID$ and $Number$). Pure; the text is a
 * peer's, so lengths and counts are capped and a manifest the player cannot use is an Error
 * that says why.
 */

export interface Representation {
  id: string;
  /** bits per second, as the manifest declares it */
  bandwidth: number;
  width?: number;
  height?: number;
  mimeType: string;
  codecs?: string;
  /** the init segment's path and the media template, relative to the manifest */
  initialization: string;
  media: string;
  startNumber: number;
  /** one segment's duration in seconds */
  segmentSec: number;
}

export interface Manifest {
  durationSec: number;
  /** the video's representations, lowest bandwidth first */
  video: Representation[];
  segments: number;
}

const MAX_MPD_BYTES = 256 * 1024;
const MAX_REPRESENTATIONS = 32;
const MAX_SEGMENTS = 10_000;

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([A-Za-z:]+)\s*=\s*"([^"]{0,2000})"/g)) out[m[1]] = m[2];
  return out;
}

/** ISO 8601 durations as MPDs write them: PT20.0S, PT1M4S, PT1H2M3.5S */
export function isoDuration(text: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(text.trim());
  if (!m) throw new Error(`the duration ${text.slice(0, 40)} is not an ISO 8601 duration`);
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
}

export function parseMpd(text: string): Manifest {
  if (text.length > MAX_MPD_BYTES) throw new Error(`the manifest is over ${MAX_MPD_BYTES} bytes`);
  const mpdTag = /<MPD\b[^>]*>/.exec(text);
  if (!mpdTag) throw new Error('no <MPD> element: this is not a DASH manifest');
  const mpd = attrs(mpdTag[0]);
  if (!mpd.mediaPresentationDuration) throw new Error('the MPD has no mediaPresentationDuration (a live stream?): the lab plays static ones');
  const durationSec = isoDuration(mpd.mediaPresentationDuration);
  const video: Representation[] = [];
  for (const set of text.matchAll(/<AdaptationSet\b([^>]*)>([\s\S]*?)<\/AdaptationSet>/g)) {
    const setAttrs = attrs(set[1]);
    const isVideo = setAttrs.contentType === 'video' || (setAttrs.mimeType ?? '').startsWith('video/');
    for (const rep of set[2].matchAll(/<Representation\b([^>]*)>([\s\S]*?)<\/Representation>/g)) {
      const r = attrs(rep[1]);
      const mime = r.mimeType ?? setAttrs.mimeType ?? '';
      if (!isVideo && !mime.startsWith('video/')) continue;
      const tplTag = /<SegmentTemplate\b[^>]*>/.exec(rep[2]) ?? /<SegmentTemplate\b[^>]*>/.exec(set[2]);
      if (!tplTag) throw new Error(`representation ${r.id} has no SegmentTemplate`);
      const t = attrs(tplTag[0]);
      const timescale = Number(t.timescale ?? 1);
      const duration = Number(t.duration);
      const bandwidth = Number(r.bandwidth);
      if (!r.id || !(bandwidth > 0) || !(duration > 0) || !(timescale > 0) || !t.media || !t.initialization) {
        throw new Error(`representation ${r.id ?? '?'} lacks an id, a bandwidth or a segment template with a duration`);
      }
      video.push({
        id: r.id,
        bandwidth,
        width: r.width ? Number(r.width) : undefined,
        height: r.height ? Number(r.height) : undefined,
        mimeType: mime,
        codecs: r.codecs,
        initialization: t.initialization,
        media: t.media,
        startNumber: Number(t.startNumber ?? 1),
        segmentSec: duration / timescale,
      });
      if (video.length > MAX_REPRESENTATIONS) throw new Error(`more than ${MAX_REPRESENTATIONS} representations`);
    }
  }
  if (!video.length) throw new Error('the MPD has no video representation');
  video.sort((a, b) => a.bandwidth - b.bandwidth);
  const segments = Math.ceil(durationSec / video[0].segmentSec - 1e-9);
  if (!(segments > 0) || segments > MAX_SEGMENTS) throw new Error(`${segments} segments: the lab plays 1 to ${MAX_SEGMENTS}`);
  return { durationSec, video, segments };
}

/** A template filled in: $RepresentationID$, $Bandwidth$, $Number$ and $Number%05d$ (§5.3.9.4.4). */
export function segmentPath(template: string, rep: Representation, number?: number): string {
  return template.replace(/\$(RepresentationID|Bandwidth|Number)(%0(\d)d)?\$/g, (_all, name: string, _fmt, width?: string) => {
    const value = name === 'RepresentationID' ? rep.id : name === 'Bandwidth' ? String(rep.bandwidth) : String(number ?? rep.startNumber);
    return width ? value.padStart(Number(width), '0') : value;
  });
}

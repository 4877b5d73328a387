/**
 * An HLS playlist (RFC 8216) as the inspector shows it: a master playlist's variants (each
 * #EXT-X-STREAM-INF's BANDWIDTH, RESOLUTION and CODECS and the URI after it) and renditions
 * (#EXT-X-MEDIA), or a media playlist's target duration, init segment (#EXT-X-MAP), segments
 * (#EXTINF) and whether it ends (#EXT-X-ENDLIST: video on demand). Pure; the text is a peer's,
 * so what is listed is capped, and a body that does not start with #EXTM3U (§4.3.1.1) says so.
 */
import type { DecodedField } from '../api';

export const HLS_TYPES = new Set(['application/vnd.apple.mpegurl', 'application/x-mpegurl', 'audio/mpegurl', 'audio/x-mpegurl']);

const MAX_LISTED = 30;

/** an attribute list (§4.2): NAME=value, quoted strings keep their commas */
export function attributeList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([A-Z0-9-]{1,40})=("[^"\r\n]*"|[^,]*)/g)) out[m[1]] = m[2].startsWith('"') ? m[2].slice(1, -1) : m[2];
  return out;
}

const kbps = (bps: string | undefined): string => (bps && /^\d+$/.test(bps) ? `${Number(bps) / 1000} kbit/s` : (bps ?? '?'));

export function playlistStructure(body: Buffer): DecodedField {
  const lines = body.toString('utf8', 0, Math.min(body.length, 64 * 1024)).split(/\r?\n/).map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') return { name: 'HLS playlist', value: 'not a playlist: the first line is not #EXTM3U (RFC 8216 §4.3.1.1)' };
  const tag = (name: string): string | undefined => lines.find((l) => l.startsWith(`#${name}:`))?.slice(name.length + 2);
  const version = tag('EXT-X-VERSION');
  const children: DecodedField[] = [];
  if (version) children.push({ name: 'Version', value: version });
  const variants: DecodedField[] = [];
  const renditions: DecodedField[] = [];
  const segments: DecodedField[] = [];
  let duration = 0;
  let segmentCount = 0;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    const uri = (): string => lines.slice(i + 1).find((x) => x !== '' && !x.startsWith('#')) ?? '(no URI)';
    if (l.startsWith('#EXT-X-STREAM-INF:')) {
      const a = attributeList(l.slice(18));
      if (variants.length < MAX_LISTED) {
        const parts = [kbps(a.BANDWIDTH), a.RESOLUTION, a.CODECS ? `codecs ${a.CODECS}` : undefined].filter(Boolean).join(', ');
        variants.push({ name: uri(), value: parts });
      }
    } else if (l.startsWith('#EXT-X-MEDIA:')) {
      const a = attributeList(l.slice(13));
      if (renditions.length < MAX_LISTED) renditions.push({ name: a.URI ?? '(in the variant)', value: `${a.TYPE ?? '?'} "${a.NAME ?? ''}", group ${a['GROUP-ID'] ?? '?'}` });
    } else if (l.startsWith('#EXTINF:')) {
      const d = Number.parseFloat(l.slice(8));
      if (Number.isFinite(d)) duration += d;
      segmentCount++;
      if (segments.length < MAX_LISTED) segments.push({ name: uri(), value: `${Number.isFinite(d) ? d : '?'} s` });
    }
  }
  if (variants.length || renditions.length) {
    children.push({ name: 'Variants', value: String(variants.length), children: variants });
    if (renditions.length) children.push({ name: 'Renditions', value: String(renditions.length), children: renditions });
    return { name: 'HLS master playlist', value: `${variants.length} variant(s)`, children };
  }
  const target = tag('EXT-X-TARGETDURATION');
  if (target) children.push({ name: 'Target duration', value: `${target} s` });
  const map = tag('EXT-X-MAP');
  if (map) children.push({ name: 'Init segment', value: attributeList(map).URI ?? map });
  children.push({ name: 'Segments', value: `${segmentCount}, ${Math.round(duration * 1000) / 1000} s`, children: segments });
  const ended = lines.includes('#EXT-X-ENDLIST');
  children.push({ name: 'Ends', value: ended ? 'yes: #EXT-X-ENDLIST (video on demand)' : 'no #EXT-X-ENDLIST: a live playlist, asked for again' });
  return { name: 'HLS media playlist', value: `${segmentCount} segment(s), ${Math.round(duration * 10) / 10} s`, children };
}

/**
 * `video …` at the lab terminal's prompt: the lab's DASH player run from the keyboard, one line
 * per segment it fetched (its bitrate, the throughput it measured, its buffer). Parsing is pure;
 * running hands over to the VideoArea.
 */
import { REGION_NAMES } from './cdn';
import type { VideoArea } from './video-area';

export type VideoCommand = { kind: 'video'; action: 'help' | 'status' } | { kind: 'video'; action: 'play'; rule?: 'rate' | 'buffer' };

export const VIDEO_HELP = [
  '  video play [rate|buffer] stream video.netcinema.com\'s trailer (DASH, §2.6) with that',
  '                          bitrate rule; prints each segment\'s bitrate, throughput, buffer',
  '  video                   who serves the video and the player\'s last run',
];

export function parseVideoCommand(args: string[]): VideoCommand | { kind: 'error'; message: string } {
  const [action, ...rest] = args;
  if (action === undefined || action === 'status') return rest.length ? { kind: 'error', message: 'usage: video [play [rate|buffer]]' } : { kind: 'video', action: 'status' };
  if (action === 'help') return { kind: 'video', action: 'help' };
  if (action === 'play') {
    if (rest.length > 1 || (rest[0] !== undefined && rest[0] !== 'rate' && rest[0] !== 'buffer')) return { kind: 'error', message: 'usage: video play [rate|buffer]' };
    return { kind: 'video', action: 'play', ...(rest[0] ? { rule: rest[0] as 'rate' | 'buffer' } : {}) };
  }
  return { kind: 'error', message: `video: unknown action '${action}' (video play, video)` };
}

export async function runVideoCommand(video: VideoArea, cmd: VideoCommand): Promise<string[]> {
  if (cmd.action === 'help') return VIDEO_HELP;
  if (cmd.action === 'play') {
    // segments back to back (a buffer as long as the trailer): the terminal waits for the whole run
    const started = await video.play({ maxBufferSec: 600, ...(cmd.rule ? { rule: cmd.rule } : {}) });
    if (started.error) return [`video: ${started.error}`];
    await video.finished();
  }
  const s = video.state();
  const lines: string[] = [];
  if (s.error) lines.push(`video: ${s.error}`);
  if (!s.server) return [...lines, `no run yet: type \`video play\` (your region: ${REGION_NAMES[s.region]}, rule: ${s.rule})`];
  lines.push(`video.netcinema.com → ${s.server.name} (${s.server.address}${s.server.region ? `, ${REGION_NAMES[s.server.region as keyof typeof REGION_NAMES]}` : ''}); bitrates ${s.manifest?.bitratesKbps.join(', ')} kbit/s; link ${s.rateKbps ? `${s.rateKbps} kbit/s` : 'not limited'}`);
  lines.push('SEGMENT  BITRATE      THROUGHPUT     BUFFER  REQUEST');
  for (const x of s.samples) {
    lines.push(`${String(x.segment).padEnd(9)}${`${x.bitrateKbps} kbit/s`.padEnd(13)}${`${x.throughputKbps} kbit/s`.padEnd(15)}${`${x.bufferSec.toFixed(1)} s`.padEnd(8)}GET ${x.path}`);
  }
  if (s.stalls) lines.push(`${s.stalls} stall(s): the buffer ran dry`);
  return lines;
}

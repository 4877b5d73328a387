/** The video area's data contract (Kurose & Ross §2.6): the lab player's run and the CDN's setting. */
import { z } from 'zod';
import { REGIONS } from './cdn';

export const abrRuleSchema = z.enum(['rate', 'buffer']);
export const regionSchema = z.enum(REGIONS);

export const videoPlaySchema = z
  .object({
    rule: abrRuleSchema,
    /** play the trailer again and again until stopped */
    loop: z.boolean(),
    /** the most seconds of video the player buffers ahead */
    maxBufferSec: z.number().min(2).max(600),
  })
  .partial()
  .strict();
export type VideoPlayOptions = z.infer<typeof videoPlaySchema>;

export const videoConfigureSchema = z
  .object({
    rule: abrRuleSchema,
    /** where the lab's client (and its local DNS server) is: the CDN picks the cluster by it */
    region: regionSchema,
    /** the serving link's rate, kbit/s (0: no limit) */
    rateKbps: z.number().min(0).max(10_000_000),
  })
  .partial()
  .strict();
export type VideoConfigure = z.infer<typeof videoConfigureSchema>;

/** one segment the player fetched */
export interface VideoSample {
  /** its number in the stream (1, 2, …; a looped trailer keeps counting) */
  segment: number;
  /** seconds since play, when it arrived */
  t: number;
  bitrateKbps: number;
  representation: string;
  /** what the download achieved, kbit/s */
  throughputKbps: number;
  /** seconds of video buffered once it arrived */
  bufferSec: number;
  bytes: number;
  ms: number;
  path: string;
  /** the server that sent it (a CDN cluster's host, or the origin) */
  server: string;
  rule: 'rate' | 'buffer';
}

export interface VideoState {
  playing: boolean;
  rule: 'rate' | 'buffer';
  region: (typeof REGIONS)[number];
  /** the rate of the link the video comes over (0: no limit) */
  rateKbps: number;
  /** who serves the video now: the name the CDN's DNS chose and the rail's service */
  server?: { name: string; address?: string; service?: string; region?: string };
  manifest?: { bitratesKbps: number[]; segments: number; segmentSec: number };
  samples: VideoSample[];
  /** link rate changes during the run, seconds since play */
  rateChanges: { t: number; rateKbps: number }[];
  /** times playback ran dry (rebuffering) */
  stalls: number;
  error?: string;
}

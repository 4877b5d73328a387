/**
 * How a DASH client picks each segment's bitrate (Kurose & Ross §2.6.2: "the client
 * selects ... the highest rate the current bandwidth allows"). Two rules, pure:
 *
 * - rate-based: the harmonic mean of the last three segments' throughputs, a safety margin
 *   off, and the highest bitrate under that (the harmonic mean lets one slow segment count:
 *   a drop is followed within two segments);
 * - buffer-based (Huang et al., "A Buffer-Based Approach to Rate Adaptation", SIGCOMM 2014):
 *   below a reservoir of buffered seconds the lowest bitrate, above reservoir + cushion the
 *   highest, in between a bitrate that grows with the buffer; throughput is not consulted.
 */

export type AbrRule = 'rate' | 'buffer';

export interface AbrInput {
  /** the representations' bitrates, kbit/s, lowest first */
  bitratesKbps: number[];
  /** measured throughput of the segments so far, kbit/s, oldest first */
  throughputsKbps: number[];
  /** seconds of video buffered */
  bufferSec: number;
}

export const RATE_WINDOW = 3;
/** the share of the estimate the rate rule dares to spend */
export const SAFETY = 0.9;
export const RESERVOIR_SEC = 4;
export const CUSHION_SEC = 6;

export function harmonicMean(values: number[]): number {
  if (!values.length) return 0;
  return values.length / values.reduce((sum, v) => sum + 1 / Math.max(v, 1e-6), 0);
}

/** The index of the bitrate to fetch next. */
export function chooseBitrate(rule: AbrRule, input: AbrInput): number {
  const rates = input.bitratesKbps;
  if (rule === 'buffer') {
    const b = input.bufferSec;
    if (b <= RESERVOIR_SEC) return 0;
    if (b >= RESERVOIR_SEC + CUSHION_SEC) return rates.length - 1;
    // the rate map: a straight line from the lowest to the highest bitrate across the cushion
    const target = rates[0] + ((b - RESERVOIR_SEC) / CUSHION_SEC) * (rates[rates.length - 1] - rates[0]);
    return highestUnder(rates, target);
  }
  // nothing measured yet: start low, as players do, and learn
  if (!input.throughputsKbps.length) return 0;
  const estimate = harmonicMean(input.throughputsKbps.slice(-RATE_WINDOW)) * SAFETY;
  return highestUnder(rates, estimate);
}

function highestUnder(rates: number[], limit: number): number {
  let pick = 0;
  for (let i = 0; i < rates.length; i++) if (rates[i] <= limit) pick = i;
  return pick;
}

/**
 * The DASH player's run over time (uPlot, as the Web tab's experiments): the bitrate of each
 * segment and the throughput its download measured, with the link's rate as a dashed step,
 * on a log scale of kbit/s; the buffer's seconds on the right-hand axis.
 */
import uPlot from 'uplot';
import type { VideoState } from '../../api/types';
import { t } from '../../i18n';

export interface VideoColors {
  bitrate: string;
  throughput: string;
  link: string;
  buffer: string;
  fg: string;
  grid: string;
}

const axis = (c: VideoColors, extra: Partial<uPlot.Axis> = {}): uPlot.Axis => ({ stroke: c.fg, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 }, ...extra });

/** the link's rate at time t (0, no limit, is drawn as nothing) */
function rateAt(s: VideoState, t: number): number | null {
  let rate = 0;
  for (const c of s.rateChanges) if (c.t <= t) rate = c.rateKbps;
  return rate > 0 ? rate : null;
}

export function videoChart(s: VideoState, c: VideoColors): { data: uPlot.AlignedData; options: (w: number) => uPlot.Options } {
  const xs = s.samples.map((x) => x.t);
  const stepped = uPlot.paths.stepped!({ align: -1 });
  return {
    data: [xs, s.samples.map((x) => x.bitrateKbps), s.samples.map((x) => x.throughputKbps), xs.map((t) => rateAt(s, t)), s.samples.map((x) => x.bufferSec)],
    options: (width) => ({
      width,
      height: 260,
      scales: { x: { time: false }, kbps: { distr: 3, log: 10 }, sec: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] } },
      axes: [
        axis(c, { label: t('video.chart.time') }),
        axis(c, { scale: 'kbps', label: 'kbit/s', size: 60 }),
        axis(c, { scale: 'sec', side: 1, label: t('video.chart.bufferAxis'), grid: { show: false } }),
      ],
      series: [
        {},
        { label: t('video.chart.bitrate'), scale: 'kbps', stroke: c.bitrate, width: 2.5, paths: stepped, points: { show: true, size: 5, fill: c.bitrate } },
        { label: t('video.chart.throughput'), scale: 'kbps', stroke: c.throughput, width: 1.5, points: { show: true, size: 4, fill: c.throughput } },
        { label: t('video.chart.linkRate'), scale: 'kbps', stroke: c.link, width: 1, dash: [6, 4], paths: stepped, points: { show: false } },
        { label: t('video.chart.buffer'), scale: 'sec', stroke: c.buffer, width: 1.5, fill: `${c.buffer}22`, points: { show: false } },
      ],
      legend: { show: true, live: false },
      cursor: { show: false },
    }),
  };
}

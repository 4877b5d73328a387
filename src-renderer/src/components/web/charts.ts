/** uPlot options for the two experiments' charts: bars per fetch mode, delay per request. */
import uPlot from 'uplot';
import type { CachingResult, PersistenceResult } from '../../api/types';

interface Colors {
  measured: string;
  formula: string;
  other: string;
  fg: string;
  grid: string;
}

const axis = (c: Colors, extra: Partial<uPlot.Axis> = {}): uPlot.Axis => ({ stroke: c.fg, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 }, ...extra });

export function persistenceChart(r: PersistenceResult, c: Colors): { data: uPlot.AlignedData; options: (w: number) => uPlot.Options } {
  const labels = r.runs.map((x) => x.mode);
  const bars = (align: -1 | 1) => uPlot.paths.bars!({ size: [0.3, 80], align });
  return {
    data: [r.runs.map((_, i) => i), r.runs.map((x) => x.measuredMs), r.runs.map((x) => x.formulaMs)],
    options: (width) => ({
      width,
      height: 220,
      scales: { x: { time: false, range: [-0.6, r.runs.length - 0.4] }, y: { range: (_u, _min, max) => [0, max * 1.1] } },
      axes: [axis(c, { splits: () => r.runs.map((_, i) => i), values: (_u, splits) => splits.map((i) => labels[i] ?? '') }), axis(c, { label: 'ms', values: (_u, v) => v.map((x) => `${x}`) })],
      series: [
        {},
        { label: 'measured', fill: c.measured, stroke: c.measured, paths: bars(-1), points: { show: false } },
        { label: 'textbook formula', fill: c.formula, stroke: c.formula, paths: bars(1), points: { show: false } },
      ],
      // no cursor, so no live values: the legend names the bars (not 'Value: -- measured: --')
      legend: { show: true, live: false },
      cursor: { show: false },
    }),
  };
}

export function cachingChart(r: CachingResult, c: Colors): { data: uPlot.AlignedData; options: (w: number) => uPlot.Options } {
  const [withCache, without] = r.runs;
  const n = Math.max(withCache?.samplesMs.length ?? 0, without?.samplesMs.length ?? 0);
  const xs = Array.from({ length: n }, (_, i) => i + 1);
  return {
    data: [xs, withCache?.samplesMs ?? [], without?.samplesMs ?? [], xs.map(() => withCache?.formulaMs ?? null), xs.map(() => without?.formulaMs ?? null)],
    options: (width) => ({
      width,
      height: 220,
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max * 1.1] } },
      axes: [axis(c, { label: 'request #' }), axis(c, { label: 'ms' })],
      series: [
        {},
        { label: 'with cache', stroke: c.measured, width: 2, points: { show: true, size: 6 } },
        { label: 'without cache', stroke: c.other, width: 2, points: { show: true, size: 6 } },
        { label: 'formula (with)', stroke: c.measured, dash: [6, 4], points: { show: false } },
        { label: 'formula (without)', stroke: c.other, dash: [6, 4], points: { show: false } },
      ],
      legend: { show: true },
    }),
  };
}

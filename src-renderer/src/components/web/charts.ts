/** uPlot options for the two experiments' charts: bars per fetch mode, delay per request over time. */
import uPlot from 'uplot';
import type { CachingResult, PersistenceResult } from '../../api/types';
import { t } from '../../i18n';
import { labText } from '../../i18n/lab-text';

/** a fetch mode's name in the UI's language: non-persistent, parallel (with its m), persistent, pipelined */
export function modeName(mode: string, m: number, long = true): string {
  if (mode === 'parallel') return t(long ? 'webExperiments.modes.parallel' : 'webExperiments.modes.parallelShort', { m });
  if (mode === 'non-persistent') return t('webExperiments.modes.nonPersistent');
  if (mode === 'persistent') return t('webExperiments.modes.persistent');
  if (mode === 'pipelined') return t('webExperiments.modes.pipelined');
  return mode;
}

interface Colors {
  measured: string;
  formula: string;
  other: string;
  fg: string;
  grid: string;
}

const axis = (c: Colors, extra: Partial<uPlot.Axis> = {}): uPlot.Axis => ({ stroke: c.fg, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 }, ...extra });

export function persistenceChart(r: PersistenceResult, c: Colors): { data: uPlot.AlignedData; options: (w: number) => uPlot.Options } {
  const labels = r.runs.map((x) => modeName(x.mode, x.parallel, false));
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
        { label: t('webExperiments.measured'), fill: c.measured, stroke: c.measured, paths: bars(-1), points: { show: false } },
        { label: t('webExperiments.chart.formula'), fill: c.formula, stroke: c.formula, paths: bars(1), points: { show: false } },
      ],
      // no cursor, so no live values: the legend names the bars (not 'Value: -- measured: --')
      legend: { show: true, live: false },
      cursor: { show: false },
    }),
  };
}

/**
 * The caching example: each request's delay against when it was made (textbook seconds), one
 * line per option, with the textbook's 2.01 s and 1.21 s as dashed lines. The 15 Mbps line
 * climbs through the run when La/R ≈ 1: the queue at the access link grows.
 */
export function cachingChart(r: CachingResult, c: Colors & { third: string }): { data: uPlot.AlignedData; options: (w: number) => uPlot.Options } {
  // 15 Mbps, 100 Mbps, the cache; each textbook line in the colour of its option
  const colors = [c.other, c.third, c.measured];
  const constant = (v: number | null) => r.timesS.map(() => v);
  const fast = r.options.find((o) => o.id === 'access-100');
  const cache = r.options.find((o) => o.id === 'cache');
  const fmt = (v: number | null | undefined) => (v == null ? '' : ` (${v.toFixed(2)} s)`);
  return {
    data: [r.timesS, ...r.options.map((o) => o.delaysS), constant(fast?.textbookS ?? null), constant(cache?.textbookS ?? null)],
    options: (width) => ({
      width,
      height: 240,
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(2.5, max * 1.05)] } },
      axes: [axis(c, { label: t('webExperiments.chart.madeAt') }), axis(c, { label: t('webExperiments.chart.delay'), values: (_u, v) => v.map((x) => `${x}`) })],
      series: [
        {},
        ...r.options.map((o, i): uPlot.Series => ({ label: `${labText(o.label, o.labelText)}, La/R ${o.intensity.toFixed(2)}`, stroke: colors[i], width: 1.5, points: { show: true, size: 4, fill: colors[i] } })),
        { label: t('webExperiments.chart.textbookLine', { option: fast ? labText(fast.label, fast.labelText) : '', value: fmt(fast?.textbookS) }), stroke: colors[1], dash: [6, 4], width: 1, points: { show: false } },
        { label: t('webExperiments.chart.textbookLine', { option: cache ? labText(cache.label, cache.labelText) : '', value: fmt(cache?.textbookS) }), stroke: colors[2], dash: [6, 4], width: 1, points: { show: false } },
      ],
      // no cursor, so no live values: the legend names the lines (not 'Value: --'); a measured
      // line's marker is filled like its points, a textbook line's is dashed like the line
      legend: {
        show: true,
        live: false,
        markers: {
          fill: (_u, i) => (i >= 1 && i <= r.options.length ? colors[i - 1] : 'transparent'),
          dash: (_u, i) => (i > r.options.length ? 'dashed' : 'solid'),
        },
      },
      cursor: { show: false },
    }),
  };
}

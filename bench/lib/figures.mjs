/** The benches' arithmetic and number format: medians and percentiles of samples, figures as text. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
export function pct(xs, p) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
export const dist = (xs) => ({ n: xs.length, p50: pct(xs, 50), p95: pct(xs, 95), p99: pct(xs, 99), max: Math.max(...xs) });
export const r1 = (x) => Math.round(x * 10) / 10;
export const fmt = (x, unit = '', digits = 1) => (Number.isFinite(x) ? `${x.toLocaleString('en-US', { maximumFractionDigits: digits })}${unit}` : 'n/a');

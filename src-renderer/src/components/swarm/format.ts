/** Rates and sizes as the Swarm tab shows them. */
export function rate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return bytesPerSecond === 0 ? '0' : '∞';
  if (bytesPerSecond >= 1024 * 1024) return `${(bytesPerSecond / 1024 / 1024).toFixed(1)} MiB/s`;
  return `${(bytesPerSecond / 1024).toFixed(0)} KiB/s`;
}

export function seconds(s: number | null | undefined): string {
  return s === null || s === undefined ? '—' : `${s.toFixed(2)} s`;
}

export function bytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MiB`;
  return `${(n / 1024).toFixed(0)} KiB`;
}

export function progress(have: string): number {
  if (!have.length) return 0;
  let n = 0;
  for (let i = 0; i < have.length; i++) if (have.charCodeAt(i) === 49) n++;
  return n / have.length;
}

import type { Direction } from '../api/types';

/** ms since lab start → "12.345" seconds. */
export function formatTime(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function directionArrow(dir: Direction): string {
  return dir === 'c2s' ? '→' : dir === 's2c' ? '←' : '·';
}

export function directionTitle(dir: Direction): string {
  return dir === 'c2s' ? 'client → server' : dir === 's2c' ? 'server → client' : 'capture event';
}

/** epoch ms → the time of day on the viewer's clock, "14:03:27" (when a lab's check passed) */
export function formatClock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

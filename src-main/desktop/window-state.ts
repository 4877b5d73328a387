/**
 * The window's size, position and maximized state, remembered per user in a small JSON file in
 * the user-data directory. What is read back is validated, and a position that would put the
 * window off every display (a projector since unplugged) is moved back onto the nearest one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_SIZE = { width: 1400, height: 900 };
const MIN = { width: 640, height: 480 };

const stateSchema = z
  .object({
    x: z.number().int().min(-100_000).max(100_000),
    y: z.number().int().min(-100_000).max(100_000),
    width: z.number().int().min(1).max(100_000),
    height: z.number().int().min(1).max(100_000),
    maximized: z.boolean(),
  })
  .strict();
export type WindowState = z.infer<typeof stateSchema>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Fit the saved bounds onto a display: the one it overlaps most, else the first (primary). */
export function correctBounds(state: WindowState, workAreas: readonly Rect[]): WindowState {
  if (workAreas.length === 0) return state;
  const best = workAreas.reduce((a, b) => (overlap(state, b) > overlap(state, a) ? b : a), workAreas[0]);
  const area = overlap(state, best) >= Math.min(state.width * state.height, 100 * 100) ? best : workAreas[0];
  const width = Math.max(Math.min(state.width, area.width), Math.min(MIN.width, area.width));
  const height = Math.max(Math.min(state.height, area.height), Math.min(MIN.height, area.height));
  const x = Math.min(Math.max(state.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(state.y, area.y), area.y + area.height - height);
  return { x, y, width, height, maximized: state.maximized };
}

export function loadWindowState(userData: string): WindowState | null {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(fs.readFileSync(path.join(userData, WINDOW_STATE_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** atomic: a crash mid-write leaves the previous state, never half a file */
export function saveWindowState(userData: string, state: WindowState): void {
  const file = path.join(userData, WINDOW_STATE_FILE);
  fs.mkdirSync(userData, { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state));
  fs.renameSync(`${file}.tmp`, file);
}

export interface TrackedWindow {
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  on(event: 'close', listener: () => void): unknown;
}

/** Save the window's normal (unmaximized) bounds and maximized state as it closes. */
export function rememberWindowState(win: TrackedWindow, userData: string): void {
  win.on('close', () => {
    const b = win.getNormalBounds();
    saveWindowState(userData, { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height), maximized: win.isMaximized() });
  });
}

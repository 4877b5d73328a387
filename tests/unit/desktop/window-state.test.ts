/**
 * The remembered window: what is saved reads back, a damaged or hand-edited file is ignored
 * (the default size), and bounds off every display are moved back onto one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { correctBounds, loadWindowState, rememberWindowState, saveWindowState, WINDOW_STATE_FILE } from '../../../src-main/desktop/window-state';

const laptop = { x: 0, y: 0, width: 1366, height: 728 };
const monitor = { x: 1366, y: -200, width: 2560, height: 1400 };

describe('window state', () => {
  it('a window closed maximized on the second monitor reads back as it was', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlab-ws-'));
    let onClose: () => void = () => undefined;
    rememberWindowState({ getNormalBounds: () => ({ x: 1500.4, y: -100, width: 1200, height: 900 }), isMaximized: () => true, on: (_e, fn) => (onClose = fn) }, dir);
    expect(loadWindowState(dir)).toBeNull();
    onClose();
    const saved = loadWindowState(dir)!;
    expect(saved).toEqual({ x: 1500, y: -100, width: 1200, height: 900, maximized: true });
    expect(correctBounds(saved, [laptop, monitor])).toEqual(saved);
  });

  it('the monitor unplugged: the window comes back onto the laptop, shrunk to fit', () => {
    const back = correctBounds({ x: 1500, y: -100, width: 1600, height: 900, maximized: false }, [laptop]);
    expect(back).toEqual({ x: 0, y: 0, width: 1366, height: 728, maximized: false });
    // mostly on screen, a little past the right edge: pulled in, size kept
    expect(correctBounds({ x: 900, y: 100, width: 700, height: 500, maximized: false }, [laptop])).toEqual({ x: 666, y: 100, width: 700, height: 500, maximized: false });
    // a title bar above the top of the screen cannot be grabbed: moved down
    expect(correctBounds({ x: 10, y: -300, width: 800, height: 600, maximized: false }, [laptop]).y).toBe(0);
    // a window saved tiny grows to a usable size
    expect(correctBounds({ x: 10, y: 10, width: 50, height: 20, maximized: false }, [laptop])).toMatchObject({ width: 640, height: 480 });
  });

  it('a damaged or hand-edited file is ignored, not trusted', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netlab-ws-'));
    const file = path.join(dir, WINDOW_STATE_FILE);
    for (const text of ['{"x":1,', '[]', '{"x":"0","y":0,"width":800,"height":600,"maximized":false}', '{"x":0,"y":0,"width":800,"height":600,"maximized":false,"evil":1}', '{"x":1e9,"y":0,"width":800,"height":600,"maximized":false}']) {
      fs.writeFileSync(file, text);
      expect(loadWindowState(dir), text).toBeNull();
    }
    saveWindowState(dir, { x: 5, y: 6, width: 800, height: 600, maximized: false });
    expect(loadWindowState(dir)).toEqual({ x: 5, y: 6, width: 800, height: 600, maximized: false });
    expect(fs.readdirSync(dir)).toEqual([WINDOW_STATE_FILE]);
  });
});

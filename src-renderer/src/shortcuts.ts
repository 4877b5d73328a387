import { onBeforeUnmount, onMounted } from 'vue';

export interface Shortcut {
  /** e.g. 'Ctrl+`', 'Ctrl+Shift+I', 'Alt+1' (Ctrl also matches ⌘ on macOS) */
  keys: string;
  description: string;
  run: () => void;
}

function matches(e: KeyboardEvent, keys: string): boolean {
  const parts = keys.split('+');
  const key = parts[parts.length - 1].toLowerCase();
  const wantCtrl = parts.includes('Ctrl');
  const wantShift = parts.includes('Shift');
  const wantAlt = parts.includes('Alt');
  if ((e.ctrlKey || e.metaKey) !== wantCtrl || e.shiftKey !== wantShift || e.altKey !== wantAlt) return false;
  const k = e.key.toLowerCase();
  if (k === key) return true;
  // e.code survives keyboard layouts and Shift (Backquote, Digit1, KeyI ...)
  if (key === '`') return e.code === 'Backquote';
  if (key === '.' || key === ',') return e.code === (key === '.' ? 'Period' : 'Comma');
  if (/^[0-9]$/.test(key)) return e.code === `Digit${key}`;
  if (/^[a-z]$/.test(key)) return e.code === `Key${key.toUpperCase()}`;
  return false;
}

/** Window-wide shortcuts, caught in the capture phase so a focused xterm doesn't swallow them. */
export function useShortcuts(list: Shortcut[]): void {
  const handler = (e: KeyboardEvent) => {
    for (const s of list) {
      if (matches(e, s.keys)) {
        e.preventDefault();
        e.stopPropagation();
        s.run();
        return;
      }
    }
  };
  onMounted(() => window.addEventListener('keydown', handler, true));
  onBeforeUnmount(() => window.removeEventListener('keydown', handler, true));
}

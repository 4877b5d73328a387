import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { Theme } from '../protocolColors';

export type MainTab = 'terminal' | 'scenarios' | 'web' | 'dns' | 'swarm' | 'dht' | 'overlays' | 'mail' | 'voip' | 'video' | 'labs';
export type DockSide = 'bottom' | 'right';

const KEY = 'netlab.layout.v1';

interface Saved {
  theme: Theme;
  tab: MainTab;
  inspectorSize: number;
  dock: DockSide;
  collapsed: boolean;
  railWidth: number;
  railCollapsed: boolean;
}

function load(): Partial<Saved> {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Partial<Saved>) : {};
  } catch {
    return {};
  }
}

function systemTheme(): Theme {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * The inspector's first size: at the bottom, 40 % of the window while the views keep 420 px
 * (a 1024×700 projector keeps a usable terminal); on the right, 42 % of the width.
 */
function defaultInspectorSize(dock: DockSide): number {
  const h = window.innerHeight;
  return Math.round(dock === 'right' ? window.innerWidth * 0.42 : Math.max(200, Math.min(h * 0.4, h - 420)));
}

/** Window layout and theme, remembered across runs in localStorage. */
export const useLayoutStore = defineStore('layout', () => {
  const saved = load();
  const theme = ref<Theme>(saved.theme === 'dark' || saved.theme === 'light' ? saved.theme : systemTheme());
  const tab = ref<MainTab>(saved.tab === 'scenarios' || saved.tab === 'web' || saved.tab === 'dns' || saved.tab === 'swarm' || saved.tab === 'dht' || saved.tab === 'overlays' || saved.tab === 'mail' || saved.tab === 'voip' || saved.tab === 'video' || saved.tab === 'labs' ? saved.tab : 'terminal');
  const dock = ref<DockSide>(saved.dock === 'right' ? 'right' : 'bottom');
  const inspectorSize = ref<number>(typeof saved.inspectorSize === 'number' ? saved.inspectorSize : defaultInspectorSize(dock.value));
  const collapsed = ref<boolean>(saved.collapsed === true);
  const railWidth = ref<number>(typeof saved.railWidth === 'number' ? saved.railWidth : 270);
  /** the services rail folded to a strip of status dots, giving its width to the views */
  const railCollapsed = ref<boolean>(saved.railCollapsed === true);

  watch(
    [theme, tab, inspectorSize, dock, collapsed, railWidth, railCollapsed],
    () => {
      const s: Saved = {
        theme: theme.value,
        tab: tab.value,
        inspectorSize: inspectorSize.value,
        dock: dock.value,
        collapsed: collapsed.value,
        railWidth: railWidth.value,
        railCollapsed: railCollapsed.value,
      };
      try {
        localStorage.setItem(KEY, JSON.stringify(s));
      } catch {
        // storage may be unavailable (private mode); layout just isn't remembered
      }
    },
    { flush: 'post' },
  );

  watch(
    theme,
    (t) => {
      document.documentElement.dataset.theme = t;
    },
    { immediate: true },
  );

  function toggleTheme(): void {
    theme.value = theme.value === 'dark' ? 'light' : 'dark';
  }
  function toggleInspector(): void {
    collapsed.value = !collapsed.value;
  }
  function toggleRail(): void {
    railCollapsed.value = !railCollapsed.value;
  }
  function toggleDock(): void {
    dock.value = dock.value === 'bottom' ? 'right' : 'bottom';
    inspectorSize.value = defaultInspectorSize(dock.value);
  }

  return { theme, tab, inspectorSize, dock, collapsed, railWidth, railCollapsed, toggleTheme, toggleInspector, toggleDock, toggleRail };
});

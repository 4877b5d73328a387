import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { Theme } from '../protocolColors';

export type MainTab = 'terminal' | 'scenarios' | 'web' | 'dns' | 'swarm' | 'mail' | 'labs';
export type DockSide = 'bottom' | 'right';

const KEY = 'netlab.layout.v1';

interface Saved {
  theme: Theme;
  tab: MainTab;
  inspectorSize: number;
  dock: DockSide;
  collapsed: boolean;
  railWidth: number;
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

/** Window layout and theme, remembered across runs in localStorage. */
export const useLayoutStore = defineStore('layout', () => {
  const saved = load();
  const theme = ref<Theme>(saved.theme === 'dark' || saved.theme === 'light' ? saved.theme : systemTheme());
  const tab = ref<MainTab>(saved.tab === 'scenarios' || saved.tab === 'web' || saved.tab === 'dns' || saved.tab === 'swarm' || saved.tab === 'mail' || saved.tab === 'labs' ? saved.tab : 'terminal');
  const inspectorSize = ref<number>(typeof saved.inspectorSize === 'number' ? saved.inspectorSize : Math.round(window.innerHeight * 0.4));
  const dock = ref<DockSide>(saved.dock === 'right' ? 'right' : 'bottom');
  const collapsed = ref<boolean>(saved.collapsed === true);
  const railWidth = ref<number>(typeof saved.railWidth === 'number' ? saved.railWidth : 270);

  watch(
    [theme, tab, inspectorSize, dock, collapsed, railWidth],
    () => {
      const s: Saved = {
        theme: theme.value,
        tab: tab.value,
        inspectorSize: inspectorSize.value,
        dock: dock.value,
        collapsed: collapsed.value,
        railWidth: railWidth.value,
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
  function toggleDock(): void {
    dock.value = dock.value === 'bottom' ? 'right' : 'bottom';
    inspectorSize.value = Math.round(dock.value === 'right' ? window.innerWidth * 0.42 : window.innerHeight * 0.4);
  }

  return { theme, tab, inspectorSize, dock, collapsed, railWidth, toggleTheme, toggleInspector, toggleDock };
});

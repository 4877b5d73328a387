/**
 * A bar of tabs as the ARIA tabs pattern (WAI-ARIA APG "Tabs with automatic activation"):
 * the tab list is one stop of the Tab key (only the selected tab has tabindex 0), ← → (or
 * ↑ ↓ in a vertical list), Home and End move to a tab and select it; each tab names the
 * panel it controls and the panel is labelled by its tab. Every tab bar of the UI (the main
 * views, an area's sub-tabs, the inspector's detail, the terminals) uses it, and so can a
 * new view's.
 *
 *   const tabs = useTablist('dns', () => panes.map((p) => p.id), () => dns.pane, (id) => (dns.pane = id));
 *   <nav v-bind="tabs.list('DNS views')"><button v-for="p in panes" v-bind="tabs.tab(p.id)">…</button></nav>
 *   <div v-bind="tabs.panel()">…</div>           (one panel whose content follows the tab)
 *   <div v-for="p in panes" v-bind="tabs.panel(p.id)">…</div>   (a panel per tab)
 */
import { nextTick } from 'vue';

export interface Tablist<Id extends string | number> {
  /** attributes of the tab list element, and its key handler */
  list: (label: string, orientation?: 'horizontal' | 'vertical') => Record<string, unknown>;
  /** attributes of the tab for `id` */
  tab: (id: Id) => Record<string, unknown>;
  /** attributes of the panel of `id`, or of the one panel every tab controls when no id */
  panel: (id?: Id) => Record<string, unknown>;
  /** the element id of the tab for `id` (to focus it) */
  tabId: (id: Id) => string;
}

const NEXT: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

export function useTablist<Id extends string | number>(prefix: string, ids: () => readonly Id[], selected: () => Id, select: (id: Id) => void, onePanel = false): Tablist<Id> {
  const tabId = (id: Id): string => `${prefix}-tab-${id}`;
  const panelId = (id?: Id): string => (onePanel || id === undefined ? `${prefix}-panel` : `${prefix}-panel-${id}`);

  function onKeydown(e: KeyboardEvent, orientation: 'horizontal' | 'vertical'): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const all = ids();
    const at = all.indexOf(selected());
    let next = -1;
    const step = NEXT[e.key];
    const along = orientation === 'horizontal' ? e.key === 'ArrowLeft' || e.key === 'ArrowRight' : e.key === 'ArrowUp' || e.key === 'ArrowDown';
    if (step && along) next = (at + step + all.length) % all.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = all.length - 1;
    if (next < 0 || !all.length) return;
    // only when a tab itself has the focus (a tab may hold a close button)
    if (!(e.target as HTMLElement | null)?.closest?.('[role="tab"]')) return;
    e.preventDefault();
    select(all[next]);
    void nextTick(() => document.getElementById(tabId(all[next]))?.focus());
  }

  return {
    tabId,
    list: (label, orientation = 'horizontal') => ({
      role: 'tablist',
      'aria-label': label,
      'aria-orientation': orientation,
      onKeydown: (e: KeyboardEvent) => onKeydown(e, orientation),
    }),
    tab: (id) => ({
      role: 'tab',
      id: tabId(id),
      'aria-selected': selected() === id ? 'true' : 'false',
      'aria-controls': panelId(id),
      tabindex: selected() === id ? 0 : -1,
    }),
    panel: (id) => ({
      role: 'tabpanel',
      id: panelId(id),
      'aria-labelledby': tabId(id ?? selected()),
    }),
  };
}

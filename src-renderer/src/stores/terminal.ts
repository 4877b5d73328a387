import { defineStore } from 'pinia';
import { ref } from 'vue';
import { lab } from '../api';
import type { TerminalOutput } from '../api/types';

export interface TerminalTab {
  /** local key, stable for the life of the tab */
  key: number;
  /** lab session, once opened */
  session: number | null;
  ended: boolean;
  /** opened by the user (a new tab, a shortcut), not the one the page opens with */
  byUser: boolean;
}

/** Writes output to an xterm and calls `written` once xterm has processed it. */
type Sink = (data: string, written: () => void) => void;

/** Flow control: the lab pauses a terminal's connection while too much output is unacknowledged;
 *  acknowledge what xterm has written, in batches of at least this many characters. */
const ACK_BATCH_CHARS = 5_000;

/**
 * Terminal tabs and the routing of 'terminal.output' to the xterm of each session.
 * Output that arrives before a pane has registered is held and replayed.
 */
export const useTerminalStore = defineStore('terminal', () => {
  const tabs = ref<TerminalTab[]>([]);
  const activeKey = ref<number | null>(null);
  let nextKey = 1;
  let subscribed = false;

  // Not reactive: plumbing between events and xterm instances.
  const sinks = new Map<number, Sink>();
  const held = new Map<number, string[]>();
  const unacked = new Map<number, number>();

  function written(session: number, chars: number): void {
    const total = (unacked.get(session) ?? 0) + chars;
    if (total < ACK_BATCH_CHARS) {
      unacked.set(session, total);
      return;
    }
    unacked.set(session, 0);
    void lab.call('terminal.ack', session, total).catch(() => undefined);
  }

  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    lab.on('terminal.output', (out: TerminalOutput) => {
      const sink = sinks.get(out.session);
      if (sink) sink(out.data, () => written(out.session, out.data.length));
      else {
        const list = held.get(out.session) ?? [];
        list.push(out.data);
        held.set(out.session, list);
      }
    });
    lab.on('terminal.exit', ({ session }) => {
      const tab = tabs.value.find((t) => t.session === session);
      if (tab) tab.ended = true;
    });
  }

  function add(byUser = true): TerminalTab {
    subscribe();
    const key = nextKey++;
    tabs.value.push({ key, session: null, ended: false, byUser });
    activeKey.value = key;
    return tabs.value[tabs.value.length - 1];
  }

  /** Called by a pane once its xterm exists; returns the session. */
  async function open(key: number, cols: number, rows: number, sink: Sink): Promise<number> {
    subscribe();
    const { session } = await lab.call('terminal.open', { cols, rows });
    sinks.set(session, sink);
    const tab = tabs.value.find((t) => t.key === key);
    if (tab) tab.session = session;
    else {
      // the tab was closed while opening
      void lab.call('terminal.close', session).catch(() => undefined);
    }
    for (const data of held.get(session) ?? []) sink(data, () => written(session, data.length));
    held.delete(session);
    return session;
  }

  function input(session: number, data: string): void {
    void lab.call('terminal.input', session, data).catch(() => undefined);
  }

  function resize(session: number, cols: number, rows: number): void {
    void lab.call('terminal.resize', session, cols, rows).catch(() => undefined);
  }

  function close(key: number): void {
    const i = tabs.value.findIndex((t) => t.key === key);
    if (i < 0) return;
    const [tab] = tabs.value.splice(i, 1);
    if (tab.session !== null) {
      sinks.delete(tab.session);
      if (!tab.ended) void lab.call('terminal.close', tab.session).catch(() => undefined);
    }
    if (activeKey.value === key) {
      const next = tabs.value[Math.min(i, tabs.value.length - 1)];
      activeKey.value = next ? next.key : null;
    }
  }

  /** After the bridge dropped and came back, the old sessions are gone. */
  function markAllEnded(): void {
    for (const t of tabs.value) t.ended = true;
  }

  return { tabs, activeKey, add, open, input, resize, close, markAllEnded };
});

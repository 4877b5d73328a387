/**
 * The app's commands that the native menu (Electron) sends to the page, dispatched to the part
 * of the UI that owns each; in a browser the same moves are the UI's own buttons and keys.
 */
import { onBeforeUnmount, onMounted } from 'vue';
import type { UiCommand } from '../../src-main/desktop/ui-commands';

const handlers = new Map<UiCommand, Set<() => void>>();

export function runCommand(command: UiCommand): void {
  for (const fn of handlers.get(command) ?? []) fn();
}

/** a component handles a command while it is mounted */
export function useCommand(command: UiCommand, run: () => void): void {
  onMounted(() => {
    if (!handlers.has(command)) handlers.set(command, new Set());
    handlers.get(command)!.add(run);
  });
  onBeforeUnmount(() => handlers.get(command)?.delete(run));
}

// the preload validates the command names before they get here
window.netlab?.onCommand?.((command) => runCommand(command as UiCommand));

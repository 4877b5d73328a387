import type { Shortcut } from '../../shortcuts';
import type { useStepStore } from '../../stores/step';

/**
 * Step mode's keys: Alt with a key a browser leaves to the page (Alt+← and Alt+→ are its
 * history), the same in Electron. , and . carry < and >: back and forward.
 */
export function stepShortcuts(step: ReturnType<typeof useStepStore>): Shortcut[] {
  return [
    { keys: 'Alt+P', description: 'Step mode: pause the live view / back to live', run: () => (step.active ? step.leave() : step.enter()) },
    { keys: 'Alt+.', description: 'Step mode: next message', run: () => step.step(1) },
    { keys: 'Alt+,', description: 'Step mode: previous message', run: () => step.step(-1) },
    { keys: 'Alt+K', description: 'Step mode: play / stop', run: () => step.togglePlay() },
  ];
}

import type { Shortcut } from '../../shortcuts';
import type { useStepStore } from '../../stores/step';
import { t } from '../../i18n';

/**
 * Step mode's keys: Alt with a key a browser leaves to the page (Alt+← and Alt+→ are its
 * history), the same in Electron. , and . carry < and >: back and forward.
 */
export function stepShortcuts(step: ReturnType<typeof useStepStore>): Shortcut[] {
  return [
    // getters: the help lists them in the language of the moment
    { keys: 'Alt+P', get description() { return t('step.keys.pause'); }, run: () => (step.active ? step.leave() : step.enter()) },
    { keys: 'Alt+.', get description() { return t('step.keys.next'); }, run: () => step.step(1) },
    { keys: 'Alt+,', get description() { return t('step.keys.previous'); }, run: () => step.step(-1) },
    { keys: 'Alt+K', get description() { return t('step.keys.play'); }, run: () => step.togglePlay() },
  ];
}

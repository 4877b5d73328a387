/**
 * A passed lab check while NetLab is in the background (the student is in their editor or a
 * terminal) is a system notification; in front, the Labs tab shows it and nothing pops up.
 */
import type { LabCheckPassed, LabEventSource, LabStatus } from '../lab/api';
import { desktopText, type DesktopText } from './desktop-text';

export interface Notifier {
  notify(title: string, body: string): void;
}

/** `text`: the shell's words in the UI's language at the time of the notification */
export function notifyPassedChecks(lab: LabEventSource, focused: () => boolean, notifier: Notifier, text: () => DesktopText = () => desktopText('en')): () => void {
  let status: LabStatus | null = null;
  const offStatus = lab.on('labs.status', (s) => (status = s));
  const offPassed = lab.on('labs.passed', (p: LabCheckPassed) => {
    if (focused()) return;
    const task = status?.tasks.find((t) => t.id === p.task);
    const check = task?.checks.find((c) => c.id === p.check);
    notifier.notify(text().checkPassed(status ? status.title : null), `✓ ${check?.label ?? p.check}${task ? ` (${task.title})` : ''}`);
  });
  return () => {
    offStatus();
    offPassed();
  };
}

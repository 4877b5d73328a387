/**
 * What a screen reader should say when something happens out of its reader's sight ("Saved",
 * "Applied …", an error, a lab check passed): two live regions that are always in the page
 * (LiveRegions.vue, in App.vue), since a region added together with its text is often not
 * read. `polite` waits for the reader to pause; `assertive` (errors) interrupts.
 */
import { nextTick, reactive, watch } from 'vue';

export type Urgency = 'polite' | 'assertive';

export const liveText = reactive<Record<Urgency, string>>({ polite: '', assertive: '' });

/** Say `text` (the same text twice is said twice: the region is emptied first). */
export function announce(text: string, urgency: Urgency = 'polite'): void {
  liveText[urgency] = '';
  void nextTick(() => (liveText[urgency] = text));
}

/**
 * Say what a getter shows whenever it changes to a new text: a notice bar, a saved note, an
 * error. `urgency` may follow the value (an error notice interrupts, an info one waits).
 */
export function useAnnounced<T>(source: () => T | null | undefined, say: (v: T) => { text: string; urgency?: Urgency } | string | null): void {
  watch(source, (v) => {
    if (v === null || v === undefined) return;
    const s = say(v);
    if (!s) return;
    if (typeof s === 'string') announce(s);
    else announce(s.text, s.urgency ?? 'polite');
  });
}

/** A notice { kind, text } as the live regions say it: errors interrupt. */
export const noticeSaid = (n: { kind: string; text: string }): { text: string; urgency: Urgency } => ({ text: n.text, urgency: n.kind === 'error' ? 'assertive' : 'polite' });

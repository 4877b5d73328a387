/**
 * Text the lab core sends with a catalogue key beside its English (src-main/lab/lab-text.ts):
 * shown in the UI's language when the catalogues have the key, else the lab's English as sent.
 * Call inside a computed or a template (the language can change at run time).
 */
import type { LabParam, LabText } from '../api/types';
import { t, te } from '.';

function params(p: Record<string, LabParam> | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p ?? {})) out[k] = typeof v === 'object' ? translated(v) : v;
  return out;
}

function translated(m: LabText): string {
  return te(m.key) ? t(m.key, params(m.params)) : m.key;
}

/** `text` in the UI's language: its key's message when the catalogue has it (and its nested keys), else `text` */
export function labText(text: string, m: LabText | undefined | null): string {
  if (!m || !te(m.key)) return text;
  const nestedKnown = (x: LabText): boolean => te(x.key) && Object.values(x.params ?? {}).every((v) => typeof v !== 'object' || nestedKnown(v));
  return nestedKnown(m) ? translated(m) : text;
}

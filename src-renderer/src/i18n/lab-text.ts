/**
 * Text the lab core writes (a DNS resolution's steps …) comes with its catalogue key and
 * parameters beside the English text (src-main/lab/dns/lab-text.ts): shown in the UI's
 * language when the catalogues know the key (and every nested message's), else as sent.
 */
import type { LabText, TextParams } from '../api/types';
import { t, te } from './index';

function translated(key: string, params: TextParams | undefined): string | null {
  if (!te(key)) return null;
  const p: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    if (typeof v !== 'object') p[k] = v;
    else {
      const inner = translated(v.key, v.params);
      if (inner === null) return null;
      p[k] = inner;
    }
  }
  return t(key, p);
}

/** `text` in the UI's language: `t(key, params)` when the key is known, else `text` as the lab wrote it. */
export function labText(m: { text: string; textKey?: string; textParams?: TextParams }): string {
  const shown = m.textKey ? translated(m.textKey, m.textParams) : null;
  return shown ?? m.text;
}

export type { LabText };

/** A zone checker's message (its English is `message`) in the UI's language. */
export function zoneText(e: { message: string; textKey?: string; textParams?: TextParams }): string {
  return labText({ text: e.message, textKey: e.textKey, textParams: e.textParams });
}

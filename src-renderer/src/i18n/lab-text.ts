/**
 * Text the lab core writes comes with a catalogue key and parameters beside its English
 * (src-main/lab/lab-text.ts lists every key, gathered from the areas' files): shown in the UI's
 * language when the catalogues know the key and every nested message's, else the lab's English
 * as sent. A message travels either beside its text (`detail` + `detailText`: labText) or spread
 * into it (`text`, `textKey`, `textParams`: keyedText). Call inside a computed or a template (the
 * language can change at run time).
 */
import { t, te } from '.';

/** a lab message: a key, and parameters that are values or messages of their own */
interface Keyed {
  key: string;
  params?: Params;
}
type Params = Record<string, string | number | Keyed>;

function translated(key: string, params: Params | undefined): string | null {
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

/** `text` in the UI's language: its key's message when the catalogue has it (and its nested keys), else `text` */
export function labText(text: string, m: Keyed | undefined | null): string {
  return (m && translated(m.key, m.params)) ?? text;
}

/** the same for a message that carries its key beside its text (`textKey`, `textParams`) */
export function keyedText(m: { text: string; textKey?: string; textParams?: Params }): string {
  return (m.textKey && translated(m.textKey, m.textParams)) ?? m.text;
}

/** A zone checker's message (its English is `message`) in the UI's language. */
export function zoneText(e: { message: string; textKey?: string; textParams?: Params }): string {
  return keyedText({ text: e.message, textKey: e.textKey, textParams: e.textParams });
}

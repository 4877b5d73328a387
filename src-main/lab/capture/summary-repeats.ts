/**
 * Summaries of repeated short messages: a command sent again, the same reply, the echo's
 * "hello" every round trip. Decoders are pure (bytes in, summary out), so a short message
 * whose bytes, channel, kind and direction are those of the last one summarized gets that
 * summary back: no decoder run and no new string per row when the inspector is open.
 */
import type { MessageTable } from './table';

/** messages up to this long may reuse the summary of the same bytes just before */
export const REPEAT_BYTES = 64;

export class SummaryRepeats {
  /** per channel, kind and direction: the last short message summarized, and its summary */
  private last: { n: number; bytes: Uint8Array; text: string }[] = [];

  /** the row's key (-1: too long to be looked up) */
  key(table: MessageTable, slot: number): number {
    return table.keptOf(slot) <= REPEAT_BYTES ? table.channelIndexAt(slot) * 16 + (table.flagsAt(slot) & 15) : -1;
  }

  /** the summary of the same bytes just before, if the row repeats them */
  get(table: MessageTable, slot: number, key: number): string | undefined {
    const last = key >= 0 ? this.last[key] : undefined;
    const kept = table.keptOf(slot);
    return last && last.n === kept && table.sameHead(slot, last.bytes, kept) ? last.text : undefined;
  }

  remember(table: MessageTable, slot: number, key: number, text: string): void {
    if (key < 0) return;
    const r = (this.last[key] ??= { n: 0, bytes: new Uint8Array(REPEAT_BYTES), text });
    r.n = table.copyHead(slot, r.bytes, 0);
    r.text = text;
  }
}

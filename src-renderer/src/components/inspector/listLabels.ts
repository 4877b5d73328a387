/** How the message list words a row: its columns' names, a row's kind and size, in the UI's language. */
import { computed } from 'vue';
import type { CaptureSummary, Direction } from '../../api/types';
import { directionTitle } from '../../util/format';
import { t } from '../../i18n';
import type { Exchange } from './exchanges';
import { COLUMNS } from './listGrid';

export interface VisibleRow {
  m: CaptureSummary;
  /** the exchange a row of the grouped view stands for (pair) or sits under (part) */
  ex?: Exchange;
  role?: 'pair' | 'part';
}

/** the columns' names in the UI's language */
export const columnLabels = computed((): Record<(typeof COLUMNS)[number]['id'], string> => ({
  id: '#',
  time: t('inspector.list.col.time'),
  service: t('inspector.list.col.service'),
  conn: t('inspector.list.col.conn'),
  dir: t('inspector.list.col.dir'),
  kind: t('inspector.list.col.kind'),
  size: t('inspector.list.col.size'),
  summary: t('inspector.list.col.summary'),
}));
/**
 * The words every row repeats (a direction's name, a kind), looked up once per language:
 * the list draws dozens of rows a frame while it scrolls, and a catalogue lookup is not free.
 */
export const rowWords = computed(() => ({
  dir: { c2s: directionTitle('c2s'), s2c: directionTitle('s2c'), none: directionTitle('none') } as Record<Direction, string>,
  kind: {
    whole: t('inspector.list.kind.whole'),
    chunk: t('inspector.list.kind.chunk'),
    message: t('inspector.list.kind.message'),
    event: t('inspector.list.kind.event'),
  } as Record<string, string>,
  wholeTitle: t('inspector.list.wholeTitle'),
}));
/** a row's kind in the UI's language (message* when one read delivered exactly the message) */
export const kindWord = (words: { kind: Record<string, string> }, m: CaptureSummary): string => (m.whole ? words.kind.whole : (words.kind[m.kind] ?? m.kind));

export function rowSize(r: VisibleRow): string {
  if (r.m.kind === 'event') return '';
  if (r.role === 'pair' && r.ex?.response) return String(r.ex.response.size);
  return String(r.m.size);
}
export function sizeTitle(r: VisibleRow): string | undefined {
  if (r.role !== 'pair' || !r.ex) return undefined;
  return r.ex.response ? t('inspector.list.sizeBoth', { req: r.ex.request.size, res: r.ex.response.size }) : t('inspector.list.sizeRequest', { req: r.ex.request.size });
}

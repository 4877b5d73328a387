/** How the message list words a row: its columns' names, a row's kind and size, in the UI's language. */
import { computed } from 'vue';
import type { CaptureSummary } from '../../api/types';
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
/** a row's kind in the UI's language (message* when one read delivered exactly the message) */
export function kindLabel(m: CaptureSummary): string {
  if (m.whole) return t('inspector.list.kind.whole');
  if (m.kind === 'chunk') return t('inspector.list.kind.chunk');
  if (m.kind === 'message') return t('inspector.list.kind.message');
  if (m.kind === 'event') return t('inspector.list.kind.event');
  return m.kind;
}

export function rowSize(r: VisibleRow): string {
  if (r.m.kind === 'event') return '';
  if (r.role === 'pair' && r.ex?.response) return String(r.ex.response.size);
  return String(r.m.size);
}
export function sizeTitle(r: VisibleRow): string | undefined {
  if (r.role !== 'pair' || !r.ex) return undefined;
  return r.ex.response ? t('inspector.list.sizeBoth', { req: r.ex.request.size, res: r.ex.response.size }) : t('inspector.list.sizeRequest', { req: r.ex.request.size });
}

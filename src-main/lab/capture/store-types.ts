/**
 * What the capture store takes and hands out per row: a record to store, a row with its
 * bytes (a query), a light row for aggregation (statistics).
 */
import type { CaptureKind, CaptureSummary, ConnectionInfo, Direction } from '../api';
import type { SummaryText } from './table';

export interface MessageWithBytes extends CaptureSummary {
  bytes: Buffer;
  truncated: boolean;
}

/** A stored row as aggregation reads it: its bytes on demand. */
export interface ScanRow extends Pick<CaptureSummary, 't' | 'conn' | 'service' | 'protocol' | 'transport' | 'dir' | 'kind' | 'size'> {
  whole: boolean;
  bytes: () => Buffer;
}

export interface RecordInput {
  conn: ConnectionInfo;
  dir: Direction;
  kind: CaptureKind;
  bytes: Buffer;
  /** a summary that replaces the decoder's (capture notes); a function is called only if
   *  someone looks at the message */
  summary?: SummaryText;
  /** a message that one read delivered exactly: it stands for its chunk too */
  whole?: boolean;
  /** keep at most this many of its bytes (its size still says how long it was) */
  keep?: number;
}

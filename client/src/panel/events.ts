// The growth panel's events table as rows, with no DOM (unit-tested in test/panel-events.test.ts).
// A large swiss map splits its tables thousands of times (16,392 splits at 10 million entries), so
// runs of splits are folded into one row each, as the server folds runs of classic overflow
// buckets; a run ends where a split doubles the directory, so each row reads "the directory grew
// to N tables, and these splits followed". The table shows the first rows and offers the rest.
import type { TimelineEvent } from '../../../common/protocol';
import { describeEvent } from './chart';

export interface EventRow {
  /** The first event's insert, and the last one's when the row folds several. */
  insert: number;
  lastInsert?: number;
  kind: TimelineEvent['kind'];
  /** Events this row stands for (folded overflow buckets count each bucket). */
  count: number;
  bytes: number;
  capacityBefore: number;
  capacityAfter: number;
  what: string;
}

/** Rows shown before "Show all". */
export const ROW_LIMIT = 40;

const DIRECTORY = /directory (\d+)→(\d+)/;

/** One row per event, except that runs of splits fold into one row per directory doubling. */
export function groupEvents(events: readonly TimelineEvent[]): EventRow[] {
  const rows: EventRow[] = [];
  let run: { row: EventRow; from?: string; to?: string } | undefined;
  for (const e of events) {
    const directory = e.kind === 'split' ? DIRECTORY.exec(e.detail) : null;
    if (e.kind === 'split' && run && !directory) {
      const r = run.row;
      r.count++;
      r.lastInsert = e.insert;
      r.bytes += e.bytes;
      r.capacityAfter = e.capacityAfter;
      r.what = `${r.count} table splits${run.to ? `, the first doubling the directory ${run.from}→${run.to}` : ''}`;
      continue;
    }
    const row = rowOf(e);
    rows.push(row);
    run = e.kind === 'split' ? { row, ...(directory ? { from: directory[1], to: directory[2] } : {}) } : undefined;
  }
  return rows;
}

/** Every event as it is, one row each (folded overflow buckets stay folded, as the server sends them). */
export function eventRows(events: readonly TimelineEvent[]): EventRow[] {
  return events.map(rowOf);
}

function rowOf(e: TimelineEvent): EventRow {
  return {
    insert: e.insert,
    ...(e.lastInsert !== undefined ? { lastInsert: e.lastInsert } : {}),
    kind: e.kind,
    count: e.count ?? 1,
    bytes: e.bytes,
    capacityBefore: e.capacityBefore,
    capacityAfter: e.capacityAfter,
    what: describeEvent(e),
  };
}

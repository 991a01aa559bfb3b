import type { SnapshotVersionInfo } from '../schedule/snapshots-repository.ts';
import type { Db } from '../store/db.ts';
import { statement } from '../store/statements.ts';

/**
 * What the store publisher reads of day_snapshots to sync incrementally. Rows are only ever appended (migration
 * 002: a republish inserts the next version, nothing updates or deletes one), so a row's rowid says whether it is
 * newer than the last sync: a seek in the rowid b-tree, whatever the length of the history.
 */
export interface DayVersionRow extends SnapshotVersionInfo {
  row: number;
}

/** Up to `limit` day versions inserted after row `after` up to row `upTo`, in insertion order (keys, never a body). */
export function dayVersionsBetween(db: Db, after: number, upTo: number, limit: number): DayVersionRow[] {
  return statement(
    db,
    `SELECT rowid AS row, channel_id AS channelId, date, version, published_at AS publishedAt,
            start_ms AS startMs, end_ms AS endMs
       FROM day_snapshots WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?`,
  ).all(after, upTo, limit) as DayVersionRow[];
}

/** The highest rowid of day_snapshots (0 when empty): lower than one seen before only if rows were deleted. */
export function lastDayVersionRow(db: Db): number {
  return statement(db, 'SELECT COALESCE(MAX(rowid), 0) FROM day_snapshots').pluck().get() as number;
}

import type { DaySnapshot, Instant } from '../../playlists/model.ts';
import type { Db } from '../store/db.ts';
import { statement } from '../store/statements.ts';

/**
 * Published day snapshots. Rows are only ever inserted: a republish that changes a day writes the
 * next version, and the latest version of (channel, date) is the one that airs.
 */

export interface SnapshotVersionInfo {
  channelId: string;
  date: string;
  version: number;
  publishedAt: Instant;
  startMs: Instant;
  endMs: Instant;
}

/** Latest published version of a channel-day, with its body parsed, or undefined. */
export function latestSnapshot(db: Db, channelId: string, date: string): DaySnapshot | undefined {
  const body = statement(
    db,
    'SELECT body FROM day_snapshots WHERE channel_id = ? AND date = ? ORDER BY version DESC LIMIT 1',
  )
    .pluck()
    .get(channelId, date) as string | undefined;
  return body === undefined ? undefined : (JSON.parse(body) as DaySnapshot);
}

/** Number of day versions ever published for a channel (its immutable history). */
export function publishedVersionCount(db: Db, channelId: string): number {
  return db.prepare('SELECT COUNT(*) FROM day_snapshots WHERE channel_id = ?').pluck().get(channelId) as number;
}

/** First and last published broadcast dates of a channel (its published chain), or undefined if none. */
export function publishedDateRange(db: Db, channelId: string): { first: string; last: string } | undefined {
  const row = db
    .prepare('SELECT MIN(date) AS first, MAX(date) AS last FROM day_snapshots WHERE channel_id = ?')
    .get(channelId) as {
    first: string | null;
    last: string | null;
  };
  return row.first && row.last ? { first: row.first, last: row.last } : undefined;
}

/** Inserts a snapshot as a new version (its `version` must be the next one). Run inside the caller's transaction. */
export function insertSnapshot(
  db: Db,
  snapshot: DaySnapshot,
  publishedAt: Instant,
  body = JSON.stringify(snapshot),
): void {
  statement(
    db,
    'INSERT INTO day_snapshots (channel_id, date, version, published_at, start_ms, end_ms, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(snapshot.channelId, snapshot.date, snapshot.version, publishedAt, snapshot.startMs, snapshot.endMs, body);
}

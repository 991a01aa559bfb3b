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

const LATEST_FILTER =
  'version = (SELECT MAX(l.version) FROM day_snapshots l WHERE l.channel_id = s.channel_id AND l.date = s.date)';

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

/** A given version of a channel-day (history stays readable). */
export function snapshotVersion(db: Db, channelId: string, date: string, version: number): DaySnapshot | undefined {
  const body = db
    .prepare('SELECT body FROM day_snapshots WHERE channel_id = ? AND date = ? AND version = ?')
    .pluck()
    .get(channelId, date, version) as string | undefined;
  return body === undefined ? undefined : (JSON.parse(body) as DaySnapshot);
}

/** Every version of a channel-day, oldest first, without bodies. */
export function snapshotVersions(db: Db, channelId: string, date: string): SnapshotVersionInfo[] {
  return db
    .prepare(
      `SELECT channel_id AS channelId, date, version, published_at AS publishedAt, start_ms AS startMs, end_ms AS endMs
       FROM day_snapshots WHERE channel_id = ? AND date = ? ORDER BY version`,
    )
    .all(channelId, date) as SnapshotVersionInfo[];
}

/** First and last published broadcast dates of a channel (its published chain), or undefined if none. */
/** Number of day versions ever published for a channel (its immutable history). */
export function publishedVersionCount(db: Db, channelId: string): number {
  return db.prepare('SELECT COUNT(*) FROM day_snapshots WHERE channel_id = ?').pluck().get(channelId) as number;
}

export function publishedDateRange(db: Db, channelId: string): { first: string; last: string } | undefined {
  const row = db
    .prepare('SELECT MIN(date) AS first, MAX(date) AS last FROM day_snapshots WHERE channel_id = ?')
    .get(channelId) as {
    first: string | null;
    last: string | null;
  };
  return row.first && row.last ? { first: row.first, last: row.last } : undefined;
}

/** Published dates of a channel within [fromDate, toDate] (inclusive), ascending. */
export function publishedDates(db: Db, channelId: string, fromDate: string, toDate: string): string[] {
  return db
    .prepare('SELECT DISTINCT date FROM day_snapshots WHERE channel_id = ? AND date BETWEEN ? AND ? ORDER BY date')
    .pluck()
    .all(channelId, fromDate, toDate) as string[];
}

/**
 * The latest versions of a channel's published days that overlap [fromMs, toMs), in time order.
 * This is what the live origin and the guides read.
 */
export function publishedDaysOverlapping(db: Db, channelId: string, fromMs: Instant, toMs: Instant): DaySnapshot[] {
  const bodies = db
    .prepare(
      `SELECT body FROM day_snapshots s
       WHERE channel_id = ? AND end_ms > ? AND start_ms < ? AND ${LATEST_FILTER}
       ORDER BY start_ms`,
    )
    .pluck()
    .all(channelId, fromMs, toMs) as string[];
  return bodies.map((b) => JSON.parse(b) as DaySnapshot);
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

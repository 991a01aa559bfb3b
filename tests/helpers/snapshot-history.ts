import type { DaySnapshot, Instant } from '../../playlists/model.ts';
import type { SnapshotVersionInfo } from '../../scheduler/schedule/snapshots-repository.ts';
import type { Db } from '../../scheduler/store/db.ts';

/** Reads of the published snapshot history that only tests need (the service reads through snapshots-repository.ts). */

const LATEST_FILTER =
  'version = (SELECT MAX(l.version) FROM day_snapshots l WHERE l.channel_id = s.channel_id AND l.date = s.date)';

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

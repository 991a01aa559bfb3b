import type { SnapshotVersionInfo } from '../schedule/snapshots-repository.ts';
import type { Db } from '../store/db.ts';

/**
 * The statements guide-store.ts reads with, prepared once per store: the change markers (SQLite's
 * `data_version` and this connection's `total_changes()`), channels, latest day keys and bodies, suspensions.
 */
export function guideStatements(db: Db) {
  const latestDay = `SELECT d.channel_id AS channelId, d.date AS date, d.version AS version, d.published_at AS publishedAt,
            d.start_ms AS startMs, d.end_ms AS endMs
       FROM day_snapshots d`;
  const isLatest =
    'd.version = (SELECT MAX(version) FROM day_snapshots l WHERE l.channel_id = d.channel_id AND l.date = d.date)';
  return {
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    totalChanges: db.prepare('SELECT total_changes()').pluck(),
    channelRows: db.prepare<[], { body: string }>('SELECT body FROM channels ORDER BY number'),
    dayKeys: db.prepare<[string, number, number], SnapshotVersionInfo>(
      `${latestDay} WHERE d.channel_id = ? AND d.start_ms < ? AND d.end_ms > ? AND ${isLatest} ORDER BY d.start_ms`,
    ),
    dayKeysOnDates: db.prepare<[string, string], SnapshotVersionInfo>(
      `${latestDay} WHERE d.channel_id = ? AND d.date IN (SELECT value FROM json_each(?)) AND ${isLatest}
       ORDER BY d.start_ms`,
    ),
    body: db
      .prepare<[string, string, number], string>(
        'SELECT body FROM day_snapshots WHERE channel_id = ? AND date = ? AND version = ?',
      )
      .pluck(),
    suspensionRows: db.prepare<[string, string], { body: string }>(
      'SELECT body FROM suspensions WHERE from_date <= ? AND to_date >= ? ORDER BY from_date, id',
    ),
  };
}
export type GuideStatements = ReturnType<typeof guideStatements>;

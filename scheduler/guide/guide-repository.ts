import type { SnapshotVersionInfo } from '../schedule/snapshots-repository.ts';
import type { Db } from '../store/db.ts';

/**
 * The statements guide-store.ts reads with, prepared once per store: the change counters of the channels and the
 * catalog (kept by triggers, migration 011), channels, latest day keys, bodies and notices, suspensions.
 */
export function guideStatements(db: Db) {
  const latestDay = `SELECT d.channel_id AS channelId, d.date AS date, d.version AS version, d.published_at AS publishedAt,
            d.start_ms AS startMs, d.end_ms AS endMs
       FROM day_snapshots d`;
  const isLatest =
    'd.version = (SELECT MAX(version) FROM day_snapshots l WHERE l.channel_id = d.channel_id AND l.date = d.date)';
  return {
    changeCounter: db
      .prepare<[ChangeCounted], number>('SELECT counter FROM guide_change_counters WHERE name = ?')
      .pluck(),
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
    /** Bytes [start, start + length) of a body's UTF-8 (1-based start), one slice of a day too big for one unit. */
    bodyBytes: db
      .prepare<[number, number, string, string, number], Buffer>(
        `SELECT substr(CAST(body AS BLOB), ?, ?) FROM day_snapshots WHERE channel_id = ? AND date = ? AND version = ?`,
      )
      .pluck(),
    // A day's notice alone (`/api/notices`), kept apart from its body (migration 012): no row, no notice.
    notice: db
      .prepare<[string, string, number], string>(
        'SELECT notice FROM day_notices WHERE channel_id = ? AND date = ? AND version = ?',
      )
      .pluck(),
    suspensionRows: db.prepare<[string, string], { body: string }>(
      'SELECT body FROM suspensions WHERE from_date <= ? AND to_date >= ? ORDER BY from_date, id',
    ),
  };
}
/** The contents whose changes migration 011's triggers count. */
export type ChangeCounted = 'catalog' | 'channels';

export type GuideStatements = ReturnType<typeof guideStatements>;

import type { Db } from '../store/db.ts';
import { statement } from '../store/statements.ts';

/**
 * What the origin reads of the published schedule (tables of migration 002), as few and as cheap reads
 * as possible: the keys of the latest version of every channel-day (index only, never a body), a day's
 * body when a channel timeline is (re)built, and two counters that say whether anything changed since
 * the last look — `PRAGMA data_version` (commits by other connections, i.e. other processes) and
 * `total_changes()` (rows this connection changed).
 */

export interface LatestDayKey {
  channelId: string;
  date: string;
  version: number;
  startMs: number;
  endMs: number;
}

export interface ChangeCounters {
  dataVersion: number;
  ownChanges: number;
}

/**
 * The latest version of every channel-day, by channel then start. Answered from the indexes alone
 * (day_snapshots_channel_time carries every key column; day_snapshots_key gives each date's latest
 * version in one seek): reading a row would pull in its (possibly multi-megabyte) JSON body.
 */
export function latestDayKeys(db: Db): LatestDayKey[] {
  return statement(
    db,
    `SELECT d.channel_id AS channelId, d.date AS date, d.version AS version, d.start_ms AS startMs, d.end_ms AS endMs
       FROM day_snapshots d INDEXED BY day_snapshots_channel_time
      WHERE d.version = (SELECT MAX(l.version) FROM day_snapshots l INDEXED BY day_snapshots_key
                          WHERE l.channel_id = d.channel_id AND l.date = d.date)
      ORDER BY d.channel_id, d.start_ms`,
  ).all() as LatestDayKey[];
}

/** Configured channel ids in channel-number order. */
export function channelIdsByNumber(db: Db): string[] {
  return statement(db, 'SELECT id FROM channels ORDER BY number').pluck().all() as string[];
}

export function channelBody(db: Db, channelId: string): string | undefined {
  return statement(db, 'SELECT body FROM channels WHERE id = ?').pluck().get(channelId) as string | undefined;
}

export function daySnapshotBody(db: Db, channelId: string, date: string, version: number): string | undefined {
  return statement(db, 'SELECT body FROM day_snapshots WHERE channel_id = ? AND date = ? AND version = ?')
    .pluck()
    .get(channelId, date, version) as string | undefined;
}

/** Microseconds: neither reads a table. */
export function changeCounters(db: Db): ChangeCounters {
  return {
    dataVersion: db.pragma('data_version', { simple: true }) as number,
    ownChanges: statement(db, 'SELECT total_changes()').pluck().get() as number,
  };
}

import type { BuildWarning, DaySnapshot, Instant } from '../../playlists/model.ts';
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

/** The latest published version of a channel-day, with the warnings its build gave. */
export interface PublishedDayWarnings {
  date: string;
  version: number;
  publishedAtMs: Instant;
  startMs: Instant;
  endMs: Instant;
  warnings: BuildWarning[];
}

/**
 * The latest version of each of a channel's days that has not ended at `nowMs` (the day airing first), at most
 * `limit`, with its build warnings. SQLite extracts the warnings from the JSON body: the (possibly multi-MB) body
 * is never handed to JavaScript.
 */
export function latestDaysWarnings(db: Db, channelId: string, nowMs: Instant, limit: number): PublishedDayWarnings[] {
  const rows = statement(
    db,
    `SELECT d.date AS date, d.version AS version, d.published_at AS publishedAtMs, d.start_ms AS startMs,
            d.end_ms AS endMs, json_extract(d.body, '$.warnings') AS warnings
       FROM day_snapshots d
      WHERE d.channel_id = ? AND d.end_ms > ?
        AND d.version = (SELECT MAX(l.version) FROM day_snapshots l WHERE l.channel_id = d.channel_id AND l.date = d.date)
      ORDER BY d.start_ms LIMIT ?`,
  ).all(channelId, nowMs, limit) as (Omit<PublishedDayWarnings, 'warnings'> & { warnings: string | null })[];
  return rows.map((r) => ({ ...r, warnings: r.warnings ? (JSON.parse(r.warnings) as BuildWarning[]) : [] }));
}

/** When anything of a channel was last published (epoch ms), or null when nothing was. */
export function lastPublishedAt(db: Db, channelId: string): Instant | null {
  return statement(db, 'SELECT MAX(published_at) FROM day_snapshots WHERE channel_id = ?')
    .pluck()
    .get(channelId) as Instant | null;
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
  // Its notice on its own as well (migration 012): /api/notices reads it by key, never parsing the programmes.
  if (snapshot.notice) {
    statement(db, 'INSERT INTO day_notices (channel_id, date, version, notice) VALUES (?, ?, ?, ?)').run(
      snapshot.channelId,
      snapshot.date,
      snapshot.version,
      JSON.stringify(snapshot.notice),
    );
  }
}

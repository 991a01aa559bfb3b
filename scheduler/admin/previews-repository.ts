import type { Db } from '../store/db.ts';

/**
 * The `build_previews` table, and the raw rows a preview's input fingerprint covers (schedule-changes.ts
 * hashes them: when any of them changes between preview and publish, the publish is refused).
 */

export interface PreviewRow {
  id: string;
  createdAt: number;
  createdBy: string;
  /** JSON of the resolved request. */
  request: string;
  fingerprint: string;
  content: string;
  /** JSON of the preview answer. */
  result: string;
}

export function insertPreview(db: Db, row: PreviewRow): void {
  db.prepare(
    'INSERT INTO build_previews (id, created_at, created_by, request, fingerprint, content, result) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(row.id, row.createdAt, row.createdBy, row.request, row.fingerprint, row.content, row.result);
}

export function findPreviewResult(db: Db, id: string): { result: string; published_at: number | null } | undefined {
  return db.prepare('SELECT result, published_at FROM build_previews WHERE id = ?').get(id) as
    { result: string; published_at: number | null } | undefined;
}

export function findPreviewForPublish(
  db: Db,
  id: string,
): { request: string; fingerprint: string; content: string; published_at: number | null } | undefined {
  return db.prepare('SELECT request, fingerprint, content, published_at FROM build_previews WHERE id = ?').get(id) as
    { request: string; fingerprint: string; content: string; published_at: number | null } | undefined;
}

export function markPreviewPublished(db: Db, id: string, atMs: number): void {
  db.prepare('UPDATE build_previews SET published_at = ? WHERE id = ?').run(atMs, id);
}

/** `[date, latest version]` of every published day of a channel, by date. */
export function latestVersionRows(db: Db, channelId: string): Iterable<unknown[]> {
  return db
    .prepare('SELECT date, MAX(version) FROM day_snapshots WHERE channel_id = ? GROUP BY date ORDER BY date')
    .raw()
    .iterate(channelId) as Iterable<unknown[]>;
}

/** Every lesson's curriculum columns, status and asset, by id. */
export function lessonRows(db: Db): Iterable<unknown[]> {
  return db
    .prepare(
      'SELECT id, grade, subject, edition, volume, unit, lesson, title_zh, title_en, unit_title_zh, unit_title_en, status, asset_id FROM lessons ORDER BY id',
    )
    .raw()
    .iterate() as Iterable<unknown[]>;
}

/** Every asset's titles, ladder and timing, by id. */
export function assetRows(db: Db): Iterable<unknown[]> {
  return db
    .prepare('SELECT id, kind, title_zh, title_en, ladder, duration_ms, segment_ms FROM assets ORDER BY id')
    .raw()
    .iterate() as Iterable<unknown[]>;
}

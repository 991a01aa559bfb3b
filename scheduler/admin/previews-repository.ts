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

/**
 * Every lesson's curriculum columns, status and asset, by id, as one text (a JSON array per lesson, one a line):
 * SQLite serializes them in one statement, a few milliseconds for thousands of lessons where a row-by-row loop in
 * JavaScript held the event loop for tens.
 */
export function lessonRowsText(db: Db): string {
  return rowsText(
    db,
    'lessons',
    'id, grade, subject, edition, volume, unit, lesson, title_zh, title_en, unit_title_zh, unit_title_en, status, asset_id',
  );
}

/** Every asset's identity, ladder and timing, by id, as one text (as lessonRowsText). */
export function assetRowsText(db: Db): string {
  return rowsText(db, 'assets', 'id, kind, title_zh, title_en, ladder, duration_ms, segment_ms');
}

function rowsText(db: Db, table: 'lessons' | 'assets', columns: string): string {
  const row = db
    .prepare(`SELECT group_concat(json_array(${columns}), char(10) ORDER BY id) AS text FROM ${table}`)
    .get() as { text: string | null };
  return row.text ?? '';
}

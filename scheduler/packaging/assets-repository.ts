import type { PackagedAsset } from '../../packaging/package-asset.ts';
import type { Db } from '../store/db.ts';

export type AssetKind = 'lesson' | 'filler' | 'slate';

export interface AssetTitle {
  zh: string;
  en?: string;
}

export interface LessonToPackage {
  id: string;
  title_zh: string;
  title_en: string | null;
  source: string | null;
  status: 'registered' | 'packaged' | 'failed';
  asset_id: string | null;
  /** Caption languages the catalog lists, in catalog order. */
  captions: string[];
}

type LessonRow = Omit<LessonToPackage, 'captions'> & { captions: string };

function lessonFromRow(row: LessonRow): LessonToPackage {
  return { ...row, captions: JSON.parse(row.captions) as string[] };
}

/** SQL for packaged assets and the packaging side of lessons; every write is one transaction. */

export function assetExists(db: Db, id: string): boolean {
  return db.prepare('SELECT 1 FROM assets WHERE id = ?').get(id) !== undefined;
}

export function assetKind(db: Db, id: string): AssetKind | undefined {
  const row = db.prepare('SELECT kind FROM assets WHERE id = ?').get(id) as { kind: AssetKind } | undefined;
  return row?.kind;
}

export function lessonToPackage(db: Db, id: string): LessonToPackage | undefined {
  const row = db
    .prepare('SELECT id, title_zh, title_en, source, status, asset_id, captions FROM lessons WHERE id = ?')
    .get(id) as LessonRow | undefined;
  return row && lessonFromRow(row);
}

/** Lessons waiting for media: a source to package and no asset yet (optionally retrying failed ones). */
export function pendingLessons(db: Db, includeFailed: boolean): LessonToPackage[] {
  const statuses = includeFailed ? "('registered', 'failed')" : "('registered')";
  const rows = db
    .prepare(
      `SELECT id, title_zh, title_en, source, status, asset_id, captions FROM lessons
       WHERE status IN ${statuses} AND source IS NOT NULL AND asset_id IS NULL
       ORDER BY grade, subject, edition, volume, unit, lesson`,
    )
    .all() as LessonRow[];
  return rows.map(lessonFromRow);
}

function insertAsset(
  db: Db,
  asset: PackagedAsset,
  kind: AssetKind,
  title: AssetTitle,
  lessonId: string | null,
  packagedAt: number,
): void {
  db.prepare(
    `INSERT INTO assets (id, kind, lesson_id, title_zh, title_en, ladder, canonical_rendition, segment_count, duration_ms, segment_ms, packaged_at, poster)
       VALUES (@id, @kind, @lessonId, @titleZh, @titleEn, @ladder, @canonical, @segmentCount, @durationMs, @segmentMs, @packagedAt, @poster)`,
  ).run({
    id: asset.assetId,
    kind,
    lessonId,
    titleZh: title.zh,
    titleEn: title.en ?? null,
    ladder: asset.ladder,
    canonical: asset.canonicalRendition,
    segmentCount: asset.segmentMs.length,
    durationMs: asset.durationMs,
    segmentMs: JSON.stringify(asset.segmentMs),
    packagedAt,
    poster: JSON.stringify(asset.poster),
  });
  const insertRendition = db.prepare(
    `INSERT INTO asset_renditions (asset_id, name, position, type, width, height, frame_rate, bandwidth, average_bandwidth, codecs, segment_durations)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  asset.renditions.forEach((r, position) => {
    insertRendition.run(
      asset.assetId,
      r.name,
      position,
      r.type,
      r.width ?? null,
      r.height ?? null,
      r.frameRate ?? null,
      r.bandwidth,
      r.averageBandwidth,
      r.codecs,
      JSON.stringify(r.segmentDurations),
    );
  });
  const insertCaption = db.prepare(
    'INSERT INTO asset_captions (asset_id, language, name, position) VALUES (?, ?, ?, ?)',
  );
  asset.captions.forEach((c, position) => insertCaption.run(asset.assetId, c.language, c.name, position));
}

/**
 * Asset + renditions + caption tracks + lesson status `packaged`, all or nothing. An asset already recorded
 * (same content id) is linked, not rewritten.
 */
export function recordPackagedLesson(
  db: Db,
  lessonId: string,
  source: string,
  asset: PackagedAsset,
  title: AssetTitle,
  packagedAt: number,
): void {
  db.transaction(() => {
    if (!assetExists(db, asset.assetId)) insertAsset(db, asset, 'lesson', title, lessonId, packagedAt);
    linkLesson(db, lessonId, source, asset.assetId);
  })();
}

export function linkLesson(db: Db, lessonId: string, source: string, assetId: string): void {
  db.prepare(
    "UPDATE lessons SET status = 'packaged', failure_reason = NULL, asset_id = ?, source = ? WHERE id = ?",
  ).run(assetId, source, lessonId);
}

export function recordLessonFailure(db: Db, lessonId: string, source: string, reason: string): void {
  db.prepare(
    "UPDATE lessons SET status = 'failed', failure_reason = ?, source = ? WHERE id = ? AND status <> 'packaged'",
  ).run(reason, source, lessonId);
}

export function recordFiller(
  db: Db,
  asset: PackagedAsset,
  kind: 'filler' | 'slate',
  title: AssetTitle,
  packagedAt: number,
): void {
  db.transaction(() => insertAsset(db, asset, kind, title, null, packagedAt))();
}

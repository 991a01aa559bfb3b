import type { Db } from '../store/db.ts';
import { statement } from '../store/statements.ts';

/** The `assets`, `asset_renditions` and `asset_captions` rows asset-timelines.ts turns into playlist media. */

interface AssetRow {
  id: string;
  kind: 'lesson' | 'filler' | 'slate';
  lesson_id: string | null;
  ladder: string;
  canonical_rendition: string;
  segment_ms: string;
  segment_count: number;
}

export interface RenditionRow {
  name: string;
  type: 'video' | 'audio';
  width: number | null;
  height: number | null;
  frame_rate: number | null;
  bandwidth: number;
  average_bandwidth: number;
  codecs: string;
  segment_durations: string;
}

export function assetRow(db: Db, assetId: string): AssetRow | undefined {
  return statement<[string], AssetRow>(
    db,
    'SELECT id, kind, lesson_id, ladder, canonical_rendition, segment_ms, segment_count FROM assets WHERE id = ?',
  ).get(assetId);
}

/** An asset's renditions in ladder order. */
export function assetRenditionRows(db: Db, assetId: string): RenditionRow[] {
  return statement<[string], RenditionRow>(
    db,
    `SELECT name, type, width, height, frame_rate, bandwidth, average_bandwidth, codecs, segment_durations
       FROM asset_renditions WHERE asset_id = ? ORDER BY position, name`,
  ).all(assetId);
}

/** An asset's caption tracks in catalog order. */
export function assetCaptionRows(db: Db, assetId: string): Array<{ language: string; name: string }> {
  return statement<[string], { language: string; name: string }>(
    db,
    'SELECT language, name FROM asset_captions WHERE asset_id = ? ORDER BY position, language',
  ).all(assetId);
}

/** The asset a lesson was packaged into, if the lesson is packaged. */
export function packagedLessonAssetId(db: Db, lessonId: string): string | undefined {
  const row = statement<[string], { asset_id: string | null }>(
    db,
    "SELECT asset_id FROM lessons WHERE id = ? AND status = 'packaged'",
  ).get(lessonId);
  return row?.asset_id ?? undefined;
}

/** Every packaged lesson and its asset, by lesson id (the edge origins' VOD lookup, written to the store). */
export function packagedLessonAssets(db: Db): Array<{ lessonId: string; assetId: string }> {
  return statement<[], { lessonId: string; assetId: string }>(
    db,
    "SELECT id AS lessonId, asset_id AS assetId FROM lessons WHERE status = 'packaged' AND asset_id IS NOT NULL ORDER BY id",
  ).all();
}

/** Every packaged asset's id (the store gets each one's media and timeline once). */
export function packagedAssetIds(db: Db): string[] {
  return statement(db, 'SELECT id FROM assets ORDER BY id').pluck().all() as string[];
}

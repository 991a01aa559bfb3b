import type { AssetSummary } from '../schedule/build-types.ts';
import type { Db } from '../store/db.ts';

/** The catalog as the schedule build reads it (catalog-view.ts): every lesson and asset, timelines left unparsed. */

export interface LessonViewRow {
  id: string;
  grade: number;
  subject: string;
  edition: string;
  volume: number;
  unit: number;
  lesson: number;
  title_zh: string;
  title_en: string | null;
  unit_title_zh: string;
  unit_title_en: string | null;
  status: string;
  asset_id: string | null;
}

export interface AssetViewRow {
  id: string;
  kind: AssetSummary['kind'];
  title_zh: string;
  title_en: string | null;
  ladder: string;
  segment_ms: string;
  duration_ms: number;
}

/** Every lesson in textbook order (from the index, so courses fill in that order). */
export function lessonViewRows(db: Db): LessonViewRow[] {
  return db
    .prepare<[], LessonViewRow>(
      `SELECT id, grade, subject, edition, volume, unit, lesson, title_zh, title_en, unit_title_zh, unit_title_en, status, asset_id
       FROM lessons ORDER BY grade, subject, edition, volume, unit, lesson`,
    )
    .all();
}

/** Every asset, its segment timeline as stored JSON. */
export function assetViewRows(db: Db): IterableIterator<AssetViewRow> {
  return db
    .prepare<[], AssetViewRow>('SELECT id, kind, title_zh, title_en, ladder, segment_ms, duration_ms FROM assets')
    .iterate();
}

export interface FillerRow {
  id: string;
  title_zh: string;
  title_en: string | null;
  duration_ms: number;
}

/** Packaged filler assets (eye exercises, idents, public-health messages…), by id. */
export function fillerRows(db: Db): FillerRow[] {
  return assetRowsOfKind(db, 'filler');
}

/** Packaged stills that off-air time shows (`kind: slate`: the slate and the off-air cards), by id. */
export function cardRows(db: Db): FillerRow[] {
  return assetRowsOfKind(db, 'slate');
}

function assetRowsOfKind(db: Db, kind: 'filler' | 'slate'): FillerRow[] {
  return db
    .prepare<[string], FillerRow>('SELECT id, title_zh, title_en, duration_ms FROM assets WHERE kind = ? ORDER BY id')
    .all(kind);
}

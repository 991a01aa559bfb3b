import type { LocalizedText } from '../../playlists/model.ts';
import type { AssetSummary, CatalogView, CourseLesson } from '../schedule/build-types.ts';
import type { Db } from '../store/db.ts';
import { assetViewRows, lessonViewRows, type AssetViewRow } from './catalog-repository.ts';

/**
 * The schedule build's read-only, in-memory view of the catalog. Everything is read in two queries
 * when the view is made; the build then never touches storage. Asset timelines (hundreds of numbers per
 * asset) are kept as their stored JSON and parsed on first use, since a build only needs the assets
 * it actually schedules.
 */

function localized(zh: string, en: string | null): LocalizedText {
  return en === null ? { zh } : { zh, en };
}

function courseKey(grade: number, subject: string, edition: string): string {
  return `${grade}/${subject}/${edition}`;
}

export function loadCatalogView(db: Db): CatalogView {
  const assetRows = new Map<string, AssetViewRow>();
  for (const row of assetViewRows(db)) assetRows.set(row.id, row);

  const lessons = new Map<string, CourseLesson>();
  const courses = new Map<string, CourseLesson[]>();
  // Textbook order comes from the index; courses fill in that order.
  for (const row of lessonViewRows(db)) {
    const lesson: CourseLesson = {
      id: row.id,
      grade: row.grade,
      subject: row.subject,
      edition: row.edition,
      volume: row.volume,
      unit: row.unit,
      lesson: row.lesson,
      title: localized(row.title_zh, row.title_en),
      unitTitle: localized(row.unit_title_zh, row.unit_title_en),
    };
    // Only a verified, present asset counts: a lesson marked packaged whose asset row is gone cannot air.
    if (row.status === 'packaged' && row.asset_id !== null && assetRows.has(row.asset_id))
      lesson.assetId = row.asset_id;
    Object.freeze(lesson);
    lessons.set(lesson.id, lesson);
    const key = courseKey(row.grade, row.subject, row.edition);
    let course = courses.get(key);
    if (!course) courses.set(key, (course = []));
    course.push(lesson);
  }
  for (const course of courses.values()) Object.freeze(course);

  const assets = new Map<string, AssetSummary>();
  const noLessons: readonly CourseLesson[] = Object.freeze([]);
  return {
    courseLessons: (grade, subject, edition) => courses.get(courseKey(grade, subject, edition)) ?? noLessons,
    lesson: (id) => lessons.get(id),
    asset: (id) => {
      const cached = assets.get(id);
      if (cached) return cached;
      const row = assetRows.get(id);
      if (!row) return undefined;
      const summary: AssetSummary = Object.freeze({
        id: row.id,
        kind: row.kind,
        title: localized(row.title_zh, row.title_en),
        ladder: row.ladder,
        segmentMs: Object.freeze(JSON.parse(row.segment_ms) as number[]) as number[],
        durationMs: row.duration_ms,
      });
      assets.set(id, summary);
      return summary;
    },
  };
}

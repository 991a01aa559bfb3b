import { z } from 'zod';
import { cardRows, fillerRows, type FillerRow } from '../catalog/catalog-repository.ts';
import { EDITIONS, subjectByCode, subjectRank, volumeName } from '../catalog/subjects.ts';
import {
  countLessons,
  listLessons,
  volumeSummaries,
  type PackagingStatus,
  type StoredLesson,
} from '../catalog/lessons-repository.ts';
import type { LessonRecord } from '../catalog/lesson-record.ts';
import type { Db } from '../store/db.ts';
import { parseQuery } from './validation.ts';

/**
 * The catalog as a broadcaster browses it: every lesson (packaged or not) with its packaging state and
 * failure reason, filtered by course and text, and the course tree (grade → subject → edition → volume)
 * with packaging counts. The public `/api/lessons` lists packaged lessons only; this is the editor's view.
 */

const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'a whole number')
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `between 1 and ${max}`);

export const MAX_BROWSE_LIMIT = 500;

export const catalogBrowseQuerySchema = z.strictObject({
  grade: wholeNumber(12).optional(),
  subject: z.string().min(1).optional(),
  edition: z.string().min(1).optional(),
  volume: wholeNumber(99).optional(),
  status: z.enum(['registered', 'packaged', 'failed']).optional(),
  q: z.string().max(100, 'at most 100 characters').optional(),
  offset: z.string().regex(/^\d+$/, 'a whole number ≥ 0').transform(Number).optional(),
  limit: wholeNumber(MAX_BROWSE_LIMIT).optional(),
});

/** A lesson of the catalog with its packaging state (`failureReason` when the last packaging failed). */
export type CatalogLesson = LessonRecord & { status: PackagingStatus; failureReason?: string; assetId?: string };

export interface CatalogPage {
  lessons: CatalogLesson[];
  total: number;
  offset: number;
  limit: number;
}

function catalogLesson(stored: StoredLesson): CatalogLesson {
  const { posterSizes: _posters, ...lesson } = stored;
  return lesson;
}

/** One page of lessons in textbook order matching the query string (a bad parameter is an InputError naming it). */
export function browseCatalog(db: Db, query: unknown): CatalogPage {
  const q = parseQuery(catalogBrowseQuerySchema, query);
  const filter = {
    ...(q.grade !== undefined ? { grade: q.grade } : {}),
    ...(q.subject !== undefined ? { subject: q.subject } : {}),
    ...(q.edition !== undefined ? { edition: q.edition } : {}),
    ...(q.volume !== undefined ? { volume: q.volume } : {}),
    ...(q.status !== undefined ? { status: q.status } : {}),
    ...(q.q !== undefined ? { query: q.q } : {}),
  };
  const offset = q.offset ?? 0;
  const limit = q.limit ?? 100;
  return {
    lessons: listLessons(db, { ...filter, offset, limit }).map(catalogLesson),
    total: countLessons(db, filter),
    offset,
    limit,
  };
}

interface Named {
  zh: string;
  en?: string;
}

export interface CatalogVolume {
  grade: number;
  subject: string;
  subjectName: Named;
  edition: string;
  editionName: Named;
  volume: number;
  volumeName: Named;
  lessons: number;
  registered: number;
  packaged: number;
  failed: number;
}

/** Every volume of every course, grade by grade, subjects in the guides' order, with packaging counts. */
export function catalogVolumes(db: Db): CatalogVolume[] {
  return volumeSummaries(db)
    .map((v) => {
      const subject = subjectByCode(v.subject);
      const edition = EDITIONS.find((e) => e.code === v.edition);
      return {
        ...v,
        subjectName: subject ? { zh: subject.zh, en: subject.en } : { zh: v.subject },
        editionName: edition ? { zh: edition.zh, en: edition.en } : { zh: v.edition },
        volumeName: volumeName(v.grade, v.volume),
      };
    })
    .sort(
      (a, b) =>
        a.grade - b.grade ||
        subjectRank(a.subject) - subjectRank(b.subject) ||
        a.edition.localeCompare(b.edition) ||
        a.volume - b.volume,
    );
}

export interface CatalogFiller {
  id: string;
  title: Named;
  durationMs: number;
}

/** The packaged fillers a timetable slot or an override may name (`kind: filler`, `asset: id`). */
export function catalogFillers(db: Db): CatalogFiller[] {
  return fillerRows(db).map(toCatalogFiller);
}

/** The packaged stills an off-air slot may show (`kind: off-air`, `card: id`): the slate and the off-air cards. */
export function catalogCards(db: Db): CatalogFiller[] {
  return cardRows(db).map(toCatalogFiller);
}

function toCatalogFiller(row: FillerRow): CatalogFiller {
  return {
    id: row.id,
    title: row.title_en === null ? { zh: row.title_zh } : { zh: row.title_zh, en: row.title_en },
    durationMs: row.duration_ms,
  };
}

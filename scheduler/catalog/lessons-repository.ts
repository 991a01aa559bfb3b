import type { PosterSize } from '../../playlists/media-layout.ts';
import type { Db } from '../store/db.ts';
import { statement } from '../store/statements.ts';
import { normalizeRecord, orderingKey, sameRecord, type LessonRecord } from './lesson-record.ts';

/** The only module that reads or writes the `lessons` table's curriculum columns. */

export type PackagingStatus = 'registered' | 'packaged' | 'failed';

export interface StoredLesson extends LessonRecord {
  status: PackagingStatus;
  failureReason?: string;
  assetId?: string;
  /** Sizes of the poster frames of its asset, smallest first (absent: no asset, or packaged before posters). */
  posterSizes?: PosterSize[];
}

export interface LessonFilter {
  grade?: number;
  subject?: string;
  edition?: string;
  volume?: number;
  status?: PackagingStatus;
  /** Case-insensitive (ASCII) substring of id, titles, unit titles or teacher. */
  query?: string;
  /** Case-insensitive (ASCII) substring of the zh/en title or unit title only (the public guide's search). */
  titleQuery?: string;
  limit?: number;
  offset?: number;
}

export interface UpsertSummary {
  added: string[];
  updated: string[];
  unchanged: string[];
  /** Updated lessons whose `source` changed, so their packaging status went back to registered. */
  packagingReset: string[];
}

export interface OrderingConflict {
  /** Index of the record in the batch. */
  index: number;
  /** The lesson already in the catalog at that textbook position. */
  existingId: string;
}

/** A batch would put two lessons at the same textbook position. Nothing was written. */
export class OrderingConflictError extends Error {
  constructor(readonly conflicts: OrderingConflict[]) {
    super(`${conflicts.length} lesson(s) would take a textbook position already held by another lesson`);
    this.name = 'OrderingConflictError';
  }
}

interface LessonRow {
  id: string;
  grade: number;
  subject: string;
  edition: string;
  volume: number;
  unit: number;
  unit_title_zh: string;
  unit_title_en: string | null;
  lesson: number;
  title_zh: string;
  title_en: string | null;
  teacher: string | null;
  duration_s: number | null;
  captions: string;
  source: string | null;
  status: PackagingStatus;
  failure_reason: string | null;
  asset_id: string | null;
  /** assets.poster of the lesson's asset (JSON, packaging/poster.ts PosterSet). */
  poster: string | null;
}

/** Every lesson column, and the poster of its asset (a subquery: a join would make title columns ambiguous). */
const LESSON_SELECT = 'SELECT *, (SELECT poster FROM assets WHERE assets.id = lessons.asset_id) AS poster FROM lessons';

/** Textbook order; subjects by code so the order is total and uses the `lessons_course` index. */
const TEXTBOOK_ORDER = 'ORDER BY grade, subject, edition, volume, unit, lesson, id';

function rowToLesson(row: LessonRow): StoredLesson {
  const record = normalizeRecord({
    id: row.id,
    grade: row.grade,
    subject: row.subject,
    edition: row.edition,
    volume: row.volume,
    unit: row.unit,
    unitTitleZh: row.unit_title_zh,
    unitTitleEn: row.unit_title_en ?? undefined,
    lesson: row.lesson,
    titleZh: row.title_zh,
    titleEn: row.title_en ?? undefined,
    teacher: row.teacher ?? undefined,
    durationS: row.duration_s ?? undefined,
    captions: JSON.parse(row.captions) as string[],
    source: row.source ?? undefined,
  });
  const stored: StoredLesson = { ...record, status: row.status };
  if (row.failure_reason !== null) stored.failureReason = row.failure_reason;
  if (row.asset_id !== null) stored.assetId = row.asset_id;
  if (row.poster !== null) {
    const { sizes } = JSON.parse(row.poster) as { sizes: PosterSize[] };
    stored.posterSizes = [...sizes].sort((a, b) => a.width - b.width);
  }
  return stored;
}

const TITLE_COLUMNS = ['title_zh', 'title_en', 'unit_title_zh', 'unit_title_en'];
const QUERY_COLUMNS = ['id', ...TITLE_COLUMNS, 'teacher'];

/** A case-insensitive (ASCII) substring match of `text` on any of `columns`, LIKE wildcards escaped. */
function substringMatch(columns: readonly string[], param: string, text: string): { sql: string; pattern: string } {
  return {
    sql: `(${columns.map((c) => `${c} LIKE @${param} ESCAPE '\\'`).join(' OR ')})`,
    pattern: `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
  };
}

/** WHERE clause (empty when unfiltered) and its named parameters; paging is left to the caller. */
function whereOf(filter: LessonFilter): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.grade !== undefined) {
    where.push('grade = @grade');
    params.grade = filter.grade;
  }
  if (filter.subject !== undefined) {
    where.push('subject = @subject');
    params.subject = filter.subject;
  }
  if (filter.edition !== undefined) {
    where.push('edition = @edition');
    params.edition = filter.edition;
  }
  if (filter.volume !== undefined) {
    where.push('volume = @volume');
    params.volume = filter.volume;
  }
  if (filter.status !== undefined) {
    where.push('status = @status');
    params.status = filter.status;
  }
  for (const [param, columns, text] of [
    ['q', QUERY_COLUMNS, filter.query?.trim()],
    ['tq', TITLE_COLUMNS, filter.titleQuery?.trim()],
  ] as const) {
    if (!text) continue;
    const match = substringMatch(columns, param, text);
    where.push(match.sql);
    params[param] = match.pattern;
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

function recordParams(r: LessonRecord) {
  return {
    id: r.id,
    grade: r.grade,
    subject: r.subject,
    edition: r.edition,
    volume: r.volume,
    unit: r.unit,
    unit_title_zh: r.unitTitleZh,
    unit_title_en: r.unitTitleEn ?? null,
    lesson: r.lesson,
    title_zh: r.titleZh,
    title_en: r.titleEn ?? null,
    teacher: r.teacher ?? null,
    duration_s: r.durationS ?? null,
    captions: JSON.stringify(r.captions ?? []),
    source: r.source ?? null,
  };
}

function recordOf(lesson: StoredLesson): LessonRecord {
  const { status: _status, failureReason: _reason, assetId: _asset, posterSizes: _poster, ...record } = lesson;
  return record;
}

/**
 * Whether re-importing a lesson with `next` must discard its packaging. Only a changed, given source
 * does: titles, teacher or position do not change the media. A packaged lesson that had no recorded
 * source was packaged from a file named on the command line, and the catalog now merely records one.
 */
function sourceChangeResetsPackaging(stored: StoredLesson, next: LessonRecord): boolean {
  if (next.source === undefined || next.source === stored.source) return false;
  return !(stored.status === 'packaged' && stored.source === undefined);
}

const INSERT = `INSERT INTO lessons
  (id, grade, subject, edition, volume, unit, unit_title_zh, unit_title_en, lesson, title_zh, title_en, teacher, duration_s, captions, source)
  VALUES (@id, @grade, @subject, @edition, @volume, @unit, @unit_title_zh, @unit_title_en, @lesson, @title_zh, @title_en, @teacher, @duration_s, @captions, @source)`;

const UPDATE = `UPDATE lessons SET grade = @grade, subject = @subject, edition = @edition, volume = @volume,
  unit = @unit, unit_title_zh = @unit_title_zh, unit_title_en = @unit_title_en, lesson = @lesson, title_zh = @title_zh,
  title_en = @title_en, teacher = @teacher, duration_s = @duration_s, captions = @captions, source = @source WHERE id = @id`;

/**
 * Moves a lesson to a position no real edition can have, so a batch may swap positions without
 * tripping the UNIQUE constraint midway.
 */
const PARK = 'UPDATE lessons SET edition = char(0) || id WHERE id = ?';

const RESET_PACKAGING = "UPDATE lessons SET status = 'registered', failure_reason = NULL, asset_id = NULL WHERE id = ?";

type PositionRow = Pick<LessonRow, 'id' | 'grade' | 'subject' | 'edition' | 'volume' | 'unit' | 'lesson'>;

export function getLesson(db: Db, id: string): StoredLesson | undefined {
  const row = statement<[string], LessonRow>(db, `${LESSON_SELECT} WHERE id = ?`).get(id);
  return row ? rowToLesson(row) : undefined;
}

/** Lessons of one course (grade + subject + edition) in textbook order. */
export function courseLessons(db: Db, grade: number, subject: string, edition: string): StoredLesson[] {
  return statement<[number, string, string], LessonRow>(
    db,
    `${LESSON_SELECT} WHERE grade = ? AND subject = ? AND edition = ? ${TEXTBOOK_ORDER}`,
  )
    .all(grade, subject, edition)
    .map(rowToLesson);
}

/** Lessons by id, in no particular order; ids not in the catalog are left out. */
export function getLessons(db: Db, ids: Iterable<string>): StoredLesson[] {
  return statement<[string], LessonRow>(db, `${LESSON_SELECT} WHERE id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify([...ids]))
    .map(rowToLesson);
}

export function listLessons(db: Db, filter: LessonFilter = {}): StoredLesson[] {
  const where = whereOf(filter);
  const params = { ...where.params };
  let sql = `${LESSON_SELECT} ${where.sql} ${TEXTBOOK_ORDER}`;
  if (filter.limit !== undefined) {
    sql += ' LIMIT @limit OFFSET @offset';
    params.limit = filter.limit;
    params.offset = filter.offset ?? 0;
  } else if (filter.offset) {
    sql += ' LIMIT -1 OFFSET @offset';
    params.offset = filter.offset;
  }
  return db.prepare<[Record<string, unknown>], LessonRow>(sql).all(params).map(rowToLesson);
}

/** How many lessons match the filter (its limit and offset ignored). */
export function countLessons(db: Db, filter: LessonFilter = {}): number {
  const where = whereOf(filter);
  return (db.prepare(`SELECT count(*) AS n FROM lessons ${where.sql}`).get(where.params) as { n: number }).n;
}

/** One textbook volume of a course and how many of its lessons are in each packaging state. */
export interface VolumeSummary {
  grade: number;
  subject: string;
  edition: string;
  volume: number;
  lessons: number;
  registered: number;
  packaged: number;
  failed: number;
}

/** Every volume of every course in the catalog, in textbook order, with packaging counts. */
export function volumeSummaries(db: Db): VolumeSummary[] {
  return statement<[], VolumeSummary>(
    db,
    `SELECT grade, subject, edition, volume, count(*) AS lessons,
       sum(status = 'registered') AS registered, sum(status = 'packaged') AS packaged, sum(status = 'failed') AS failed
     FROM lessons GROUP BY grade, subject, edition, volume ORDER BY grade, subject, edition, volume`,
  ).all();
}

/**
 * Lessons of the batch that would land on a textbook position held by a catalog lesson outside the
 * batch (positions of lessons inside the batch are free to move: the batch rewrites them all).
 */
export function orderingConflicts(db: Db, records: readonly LessonRecord[]): OrderingConflict[] {
  const batchIds = new Set(records.map((r) => r.id));
  const holder = new Map<string, string>();
  const positions = statement<[], PositionRow>(
    db,
    'SELECT id, grade, subject, edition, volume, unit, lesson FROM lessons',
  );
  for (const row of positions.iterate()) holder.set(orderingKey(row), row.id);
  const conflicts: OrderingConflict[] = [];
  records.forEach((record, index) => {
    const existingId = holder.get(orderingKey(record));
    if (existingId !== undefined && existingId !== record.id && !batchIds.has(existingId)) {
      conflicts.push({ index, existingId });
    }
  });
  return conflicts;
}

/**
 * Inserts new lessons and updates existing ones (by id) in one transaction: all or nothing. Packaging
 * status and asset survive an update unless the lesson's source changed (see sourceChangeResetsPackaging).
 * Throws OrderingConflictError, writing nothing, when a lesson would take another lesson's position.
 */
export function upsertLessons(db: Db, records: readonly LessonRecord[]): UpsertSummary {
  return db
    .transaction((): UpsertSummary => {
      const conflicts = orderingConflicts(db, records);
      if (conflicts.length > 0) throw new OrderingConflictError(conflicts);
      const summary: UpsertSummary = { added: [], updated: [], unchanged: [], packagingReset: [] };
      const changes: Array<{ record: LessonRecord; stored?: StoredLesson }> = [];
      for (const record of records) {
        const stored = getLesson(db, record.id);
        if (!stored) changes.push({ record });
        else if (sameRecord(recordOf(stored), record)) summary.unchanged.push(record.id);
        else changes.push({ record, stored });
      }
      for (const { record, stored } of changes) {
        if (stored && orderingKey(stored) !== orderingKey(record)) statement<[string]>(db, PARK).run(record.id);
      }
      for (const { record, stored } of changes) {
        const params = recordParams(record);
        if (!stored) {
          statement(db, INSERT).run(params);
          summary.added.push(record.id);
          continue;
        }
        statement(db, UPDATE).run(params);
        summary.updated.push(record.id);
        if (sourceChangeResetsPackaging(stored, record)) {
          statement<[string]>(db, RESET_PACKAGING).run(record.id);
          summary.packagingReset.push(record.id);
        }
      }
      return summary;
    })
    .immediate();
}

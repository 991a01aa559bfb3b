import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError, type Problem } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { parseCatalogFile } from './catalog-file.ts';
import { describeOrdering, LESSON_FIELDS, normalizeRecord, type LessonRecord } from './lesson-record.ts';
import {
  listLessons,
  orderingConflicts,
  OrderingConflictError,
  upsertLessons,
  type UpsertSummary,
} from './lessons-repository.ts';

export interface CatalogImportReport extends UpsertSummary {
  file: string;
  lessons: number;
}

/**
 * How relative `source` paths in a catalog are taken: resolved against a directory (a file's own) and
 * stored absolute, or refused (a request body has no directory of its own).
 */
export type RelativeSources = { resolveAgainst: string } | 'refuse';

/**
 * Imports a catalog file (CSV or JSON) all-or-nothing. Relative `source` paths are resolved against the
 * file's directory and stored absolute, so `aerial package --pending` finds them from anywhere.
 * Throws InputError listing every bad row (file:line, field, reason); nothing is written then.
 */
export function importCatalogFile(db: Db, path: string, label = path): CatalogImportReport {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(
      `cannot read catalog file ${label}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return importCatalogBytes(db, bytes, label, { resolveAgainst: dirname(resolve(path)) });
}

/**
 * Parses, validates and upserts a catalog (CSV or JSON bytes, `label` naming it in problems), all or
 * nothing: the one import path of `aerial catalog import` and the admin API's upload.
 */
export function importCatalogBytes(
  db: Db,
  bytes: Uint8Array,
  label: string,
  relativeSources: RelativeSources,
): CatalogImportReport {
  const parsed = parseCatalogFile(bytes, label);
  const sourceProblems: Problem[] = [];
  const records: LessonRecord[] = parsed.lessons.map(({ record, line }) => {
    if (record.source === undefined || isAbsolute(record.source)) return record;
    if (relativeSources !== 'refuse')
      return { ...record, source: resolve(relativeSources.resolveAgainst, record.source) };
    sourceProblems.push({
      where: `${label}:${line}`,
      field: 'source',
      reason: `'${record.source}' is relative; an uploaded catalog needs absolute paths on the server`,
    });
    return record;
  });
  const conflictProblems = (conflicts: Array<{ index: number; existingId: string }>): Problem[] =>
    conflicts.map(({ index, existingId }) => ({
      where: `${label}:${parsed.lessons[index]!.line}`,
      field: 'lesson',
      reason: `${describeOrdering(records[index]!)} is already held by lesson '${existingId}' in the catalog`,
    }));

  if (parsed.problems.length > 0 || sourceProblems.length > 0) {
    // Report clashes with the catalog too, so one round of fixes is enough.
    const problems = [...parsed.problems, ...sourceProblems, ...conflictProblems(orderingConflicts(db, records))];
    throw new InputError(`${label}: ${countRows(problems)} bad row(s); nothing imported`, sortByLine(problems));
  }
  try {
    return { file: label, lessons: records.length, ...upsertLessons(db, records) };
  } catch (error) {
    if (!(error instanceof OrderingConflictError)) throw error;
    const problems = conflictProblems(error.conflicts);
    throw new InputError(`${label}: ${countRows(problems)} bad row(s); nothing imported`, problems);
  }
}

function countRows(problems: readonly Problem[]): number {
  return new Set(problems.map((p) => p.where ?? '')).size;
}

function lineOf(problem: Problem): number {
  const match = problem.where?.match(/:(\d+)$/);
  return match ? Number(match[1]) : 0;
}

function sortByLine(problems: Problem[]): Problem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => lineOf(a.p) - lineOf(b.p) || a.i - b.i)
    .map(({ p }) => p);
}

/** Every lesson as a catalog record in textbook order; packaging state is left out. */
function exportedRecords(db: Db): LessonRecord[] {
  return listLessons(db).map((stored) => {
    const { status: _status, failureReason: _reason, assetId: _asset, posterSizes: _posters, ...record } = stored;
    return normalizeRecord(record);
  });
}

/**
 * The whole catalog as JSON in textbook order, in the shape `importCatalogFile` reads; packaging state
 * is left out (it belongs to the packaging pipeline, not to the curriculum).
 */
export function exportCatalogJson(db: Db): string {
  return `${JSON.stringify({ lessons: exportedRecords(db) }, null, 2)}\n`;
}

/** A CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvCell(value: unknown): string {
  const text = value === undefined ? '' : Array.isArray(value) ? value.join(';') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The whole catalog as CSV (a header row of every field, captions joined by `;`, CRLF line ends), the shape
 * `importCatalogFile` reads back unchanged.
 */
export function exportCatalogCsv(db: Db): string {
  const rows = exportedRecords(db).map((record) => LESSON_FIELDS.map((field) => csvCell(record[field])).join(','));
  return [LESSON_FIELDS.join(','), ...rows].map((row) => `${row}\r\n`).join('');
}

/** Writes via a temp file and rename, so a reader never sees half an export. */
export function writeFileAtomically(path: string, content: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}

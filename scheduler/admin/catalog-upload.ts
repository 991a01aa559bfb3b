import { isAbsolute } from 'node:path';
import { parseCatalogFile } from '../catalog/catalog-file.ts';
import { describeOrdering } from '../catalog/lesson-record.ts';
import { LessonsRepository, OrderingConflictError, type UpsertSummary } from '../catalog/lessons-repository.ts';
import { InputError, type Problem } from '../errors.ts';
import type { Db } from '../store/db.ts';

/**
 * Catalog import from a request body: the same parser and validation as `aerial catalog import`
 * (every bad row reported with its line, nothing written unless every row is good). A body has no
 * directory of its own, so a `source` must be an absolute path on the server.
 */

export interface CatalogUploadReport extends UpsertSummary {
  file: string;
  lessons: number;
}

export function importCatalogBody(db: Db, bytes: Uint8Array, label: string): CatalogUploadReport {
  const parsed = parseCatalogFile(bytes, label);
  const problems: Problem[] = [...parsed.problems];
  for (const { record, line } of parsed.lessons) {
    if (record.source !== undefined && !isAbsolute(record.source)) {
      problems.push({ where: `${label}:${line}`, field: 'source', reason: `'${record.source}' is relative; an uploaded catalog needs absolute paths on the server` });
    }
  }
  const records = parsed.lessons.map((l) => l.record);
  const repository = new LessonsRepository(db);
  const conflictProblems = (conflicts: Array<{ index: number; existingId: string }>): Problem[] =>
    conflicts.map(({ index, existingId }) => ({
      where: `${label}:${parsed.lessons[index]!.line}`,
      field: 'lesson',
      reason: `${describeOrdering(records[index]!)} is already held by lesson '${existingId}' in the catalog`,
    }));
  if (problems.length > 0) {
    throw new InputError(`${label}: ${new Set(problems.map((p) => p.where)).size} bad row(s); nothing imported`, [...problems, ...conflictProblems(repository.orderingConflicts(records))]);
  }
  try {
    return { file: label, lessons: records.length, ...repository.upsertMany(records) };
  } catch (error) {
    if (!(error instanceof OrderingConflictError)) throw error;
    throw new InputError(`${label}: lessons clash with the catalog; nothing imported`, conflictProblems(error.conflicts));
  }
}

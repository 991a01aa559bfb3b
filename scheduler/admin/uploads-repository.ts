import type { Db } from '../store/db.ts';

/** SQL of the `uploads` table (migration 006). Functions of a database; times are parameters. */

export interface UploadRecord {
  id: string;
  lessonId: string | null;
  assetId: string | null;
  /** `source`, `caption:<lang>` or `rendition:<name>`. */
  role: string;
  filename: string;
  sizeBytes: number;
  createdBy: string;
  createdAt: number;
  touchedAt: number;
  completedAt: number | null;
  /** Where the finished file sits (absent while unfinished, or when it was rejected and removed). */
  path: string | null;
  jobId: number | null;
}

interface UploadRow {
  id: string;
  lesson_id: string | null;
  asset_id: string | null;
  role: string;
  filename: string;
  size_bytes: number;
  created_by: string;
  created_at: number;
  touched_at: number;
  completed_at: number | null;
  path: string | null;
  job_id: number | null;
}

function toRecord(r: UploadRow): UploadRecord {
  return {
    id: r.id,
    lessonId: r.lesson_id,
    assetId: r.asset_id,
    role: r.role,
    filename: r.filename,
    sizeBytes: r.size_bytes,
    createdBy: r.created_by,
    createdAt: r.created_at,
    touchedAt: r.touched_at,
    completedAt: r.completed_at,
    path: r.path,
    jobId: r.job_id,
  };
}

export function insertUpload(
  db: Db,
  u: Pick<UploadRecord, 'id' | 'lessonId' | 'assetId' | 'role' | 'filename' | 'sizeBytes' | 'createdBy' | 'createdAt'>,
): void {
  db.prepare(
    `INSERT INTO uploads (id, lesson_id, asset_id, role, filename, size_bytes, created_by, created_at, touched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(u.id, u.lessonId, u.assetId, u.role, u.filename, u.sizeBytes, u.createdBy, u.createdAt, u.createdAt);
}

export function findUpload(db: Db, id: string): UploadRecord | undefined {
  const row = db.prepare('SELECT * FROM uploads WHERE id = ?').get(id) as UploadRow | undefined;
  return row && toRecord(row);
}

export function touchUpload(db: Db, id: string, nowMs: number): void {
  db.prepare('UPDATE uploads SET touched_at = ? WHERE id = ? AND completed_at IS NULL').run(nowMs, id);
}

export function completeUpload(db: Db, id: string, path: string | null, jobId: number | null, nowMs: number): void {
  db.prepare('UPDATE uploads SET completed_at = ?, touched_at = ?, path = ?, job_id = ? WHERE id = ?').run(
    nowMs,
    nowMs,
    path,
    jobId,
    id,
  );
}

export function deleteUpload(db: Db, id: string): void {
  db.prepare('DELETE FROM uploads WHERE id = ?').run(id);
}

/** Unfinished uploads whose last write is at or before `beforeMs`. */
export function staleUploads(db: Db, beforeMs: number): UploadRecord[] {
  const rows = db
    .prepare('SELECT * FROM uploads WHERE completed_at IS NULL AND touched_at <= ? ORDER BY touched_at')
    .all(beforeMs) as UploadRow[];
  return rows.map(toRecord);
}

/** Finished uploads of a lesson with a role starting with `rolePrefix`, newest first. */
export function finishedUploadsOf(db: Db, lessonId: string, rolePrefix: string): UploadRecord[] {
  const rows = db
    .prepare(
      `SELECT * FROM uploads WHERE lesson_id = ? AND completed_at IS NOT NULL AND path IS NOT NULL
         AND substr(role, 1, ?) = ? ORDER BY completed_at DESC, rowid DESC`,
    )
    .all(lessonId, rolePrefix.length, rolePrefix) as UploadRow[];
  return rows.map(toRecord);
}

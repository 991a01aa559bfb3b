import { formatPosterOffset, type PosterOptions } from '../../packaging/poster.ts';
import type { Db } from '../store/db.ts';

/**
 * SQL of the packaging jobs and their event log (tables `packaging_jobs`, `packaging_job_events`).
 * Functions of a database; callers own the transactions and the clock (every time is a parameter).
 */

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface PackagingJob {
  id: number;
  /** The lesson packaged, or null for a filler / the slate (`fillerId`). */
  lessonId: string | null;
  fillerId: string | null;
  source: string | null;
  ladder: string;
  status: JobStatus;
  /** 0..1, from ffmpeg's progress reports. */
  progress: number;
  requestedBy: string;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  assetId: string | null;
  error: string | null;
  /** Where the poster frame is taken, as it was asked (`30s`, `25%`); null: the default, 10 % in. */
  posterAt: string | null;
}

export type JobEventType = 'queued' | 'started' | 'progress' | 'succeeded' | 'failed' | 'cancelled';

/** One thing that happened to a job; `id` orders all events (the SSE event id). */
export interface JobEvent {
  id: number;
  jobId: number;
  atMs: number;
  type: JobEventType;
  /** queued/started: lessonId; progress: percent, speed, etaS; succeeded: assetId, durationS; failed: reason. */
  data: Record<string, unknown>;
}

interface JobRow {
  id: number;
  lesson_id: string | null;
  filler: string | null;
  source: string | null;
  ladder: string;
  status: JobStatus;
  progress: number;
  requested_by: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  asset_id: string | null;
  error: string | null;
  poster: string | null;
}

function toJob(r: JobRow): PackagingJob {
  return {
    id: r.id,
    lessonId: r.lesson_id,
    fillerId: r.filler ? (JSON.parse(r.filler) as FillerSpec).id : null,
    source: r.source,
    ladder: r.ladder,
    status: r.status,
    progress: r.progress,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    assetId: r.asset_id,
    error: r.error,
    posterAt: r.poster ? formatPosterOffset(JSON.parse(r.poster) as PosterOptions) : null,
  };
}

/** A filler or the slate a job packages under its fixed asset id. */
export interface FillerSpec {
  id: string;
  kind: 'filler' | 'slate';
  title: { zh: string; en?: string };
}

export interface NewJob {
  /** Exactly one of lessonId and filler. */
  lessonId: string | null;
  filler?: FillerSpec;
  source: string | null;
  ladder: string;
  requestedBy: string;
  createdAt: number;
  uploadId?: string;
  /** Pre-encoded rendition files (name → path) to package instead of transcoding `source`. */
  renditions?: Readonly<Record<string, string>>;
  /** Where the poster frame is taken (default 10 % in). */
  poster?: PosterOptions;
  /** A job can be born failed: an upload whose probe rejected it is recorded with the reason. */
  failedReason?: string;
}

export function insertJob(db: Db, job: NewJob): number {
  const failed = job.failedReason !== undefined;
  return Number(
    db
      .prepare(
        `INSERT INTO packaging_jobs (lesson_id, filler, source, ladder, status, requested_by, created_at, finished_at,
           error, upload_id, renditions, poster) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        job.lessonId,
        job.filler ? JSON.stringify(job.filler) : null,
        job.source,
        job.ladder,
        failed ? 'failed' : 'queued',
        job.requestedBy,
        job.createdAt,
        failed ? job.createdAt : null,
        job.failedReason ?? null,
        job.uploadId ?? null,
        job.renditions ? JSON.stringify(job.renditions) : null,
        job.poster ? JSON.stringify(job.poster) : null,
      ).lastInsertRowid,
  );
}

export function findJob(db: Db, id: number): PackagingJob | undefined {
  const row = db.prepare('SELECT * FROM packaging_jobs WHERE id = ?').get(id) as JobRow | undefined;
  return row && toJob(row);
}

/** The pre-encoded rendition files a job packages, or undefined for a transcode job. */
export function jobRenditions(db: Db, id: number): Record<string, string> | undefined {
  const raw = db.prepare('SELECT renditions FROM packaging_jobs WHERE id = ?').pluck().get(id) as string | null;
  return raw ? (JSON.parse(raw) as Record<string, string>) : undefined;
}

/** Where a job takes its poster frame, or undefined for the default. */
export function jobPoster(db: Db, id: number): PosterOptions | undefined {
  const raw = db.prepare('SELECT poster FROM packaging_jobs WHERE id = ?').pluck().get(id) as string | null;
  return raw ? (JSON.parse(raw) as PosterOptions) : undefined;
}

/** The filler or slate a job packages, or undefined for a lesson's job. */
export function jobFiller(db: Db, id: number): FillerSpec | undefined {
  const raw = db.prepare('SELECT filler FROM packaging_jobs WHERE id = ?').pluck().get(id) as string | null;
  return raw ? (JSON.parse(raw) as FillerSpec) : undefined;
}

export function listJobs(db: Db, filter: { status?: JobStatus; limit: number }): PackagingJob[] {
  const rows = (
    filter.status
      ? db
          .prepare('SELECT * FROM packaging_jobs WHERE status = ? ORDER BY id DESC LIMIT ?')
          .all(filter.status, filter.limit)
      : db.prepare('SELECT * FROM packaging_jobs ORDER BY id DESC LIMIT ?').all(filter.limit)
  ) as JobRow[];
  return rows.map(toJob);
}

export function nextQueuedJob(db: Db): PackagingJob | undefined {
  const row = db.prepare("SELECT * FROM packaging_jobs WHERE status = 'queued' ORDER BY id LIMIT 1").get() as
    JobRow | undefined;
  return row && toJob(row);
}

export function countJobs(db: Db): { queued: number; running: number } {
  const counts = db
    .prepare("SELECT status, COUNT(*) AS n FROM packaging_jobs WHERE status IN ('queued', 'running') GROUP BY status")
    .all() as { status: JobStatus; n: number }[];
  return {
    queued: counts.find((c) => c.status === 'queued')?.n ?? 0,
    running: counts.find((c) => c.status === 'running')?.n ?? 0,
  };
}

export function markRunning(db: Db, id: number, nowMs: number): void {
  db.prepare("UPDATE packaging_jobs SET status = 'running', started_at = ?, progress = 0 WHERE id = ?").run(nowMs, id);
}

export function setProgress(db: Db, id: number, fraction: number): void {
  db.prepare('UPDATE packaging_jobs SET progress = ? WHERE id = ?').run(Math.min(1, Math.max(0, fraction)), id);
}

export function markSucceeded(db: Db, id: number, assetId: string, nowMs: number): void {
  db.prepare(
    "UPDATE packaging_jobs SET status = 'succeeded', progress = 1, asset_id = ?, finished_at = ? WHERE id = ?",
  ).run(assetId, nowMs, id);
}

export function markFailed(db: Db, id: number, reason: string, nowMs: number): void {
  db.prepare("UPDATE packaging_jobs SET status = 'failed', error = ?, finished_at = ? WHERE id = ?").run(
    reason,
    nowMs,
    id,
  );
}

/** Queued or running → cancelled. Returns whether it changed. */
export function markCancelled(db: Db, id: number, nowMs: number): boolean {
  return (
    db
      .prepare(
        "UPDATE packaging_jobs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status IN ('queued', 'running')",
      )
      .run(nowMs, id).changes > 0
  );
}

/** Failed or cancelled → queued again, as new. Returns whether it changed. */
export function requeueJob(db: Db, id: number): boolean {
  return (
    db
      .prepare(
        `UPDATE packaging_jobs SET status = 'queued', progress = 0, started_at = NULL, finished_at = NULL, error = NULL,
           asset_id = NULL WHERE id = ? AND status IN ('failed', 'cancelled')`,
      )
      .run(id).changes > 0
  );
}

/** Marks jobs a dead process left `running` as failed; returns their ids. */
export function failRunningJobs(db: Db, reason: string, nowMs: number): number[] {
  const ids = db
    .prepare("SELECT id FROM packaging_jobs WHERE status = 'running' ORDER BY id")
    .pluck()
    .all() as number[];
  for (const id of ids) markFailed(db, id, reason, nowMs);
  return ids;
}

/** The lesson a job would package, with its registered source; undefined for an unknown lesson. */
export function findLessonSource(db: Db, lessonId: string): { id: string; source: string | null } | undefined {
  return db.prepare('SELECT id, source FROM lessons WHERE id = ?').get(lessonId) as
    { id: string; source: string | null } | undefined;
}

/** Id of the job's latest `queued` event: which queuing of the job this is (a retry queues it again). */
export function lastQueuedEventId(db: Db, jobId: number): number {
  return (
    (db.prepare("SELECT MAX(id) FROM packaging_job_events WHERE job_id = ? AND type = 'queued'").pluck().get(jobId) as
      number | null) ?? 0
  );
}

export function assetDurationMs(db: Db, assetId: string): number | undefined {
  return db.prepare('SELECT duration_ms FROM assets WHERE id = ?').pluck().get(assetId) as number | undefined;
}

export function appendJobEvent(db: Db, event: Omit<JobEvent, 'id'>): JobEvent {
  const id = Number(
    db
      .prepare('INSERT INTO packaging_job_events (job_id, at_ms, type, data) VALUES (?, ?, ?, ?)')
      .run(event.jobId, event.atMs, event.type, JSON.stringify(event.data)).lastInsertRowid,
  );
  return { id, ...event };
}

/** Events after `afterId` (exclusive), oldest first, at most `limit`. */
export function jobEventsAfter(db: Db, afterId: number, limit: number): JobEvent[] {
  const rows = db
    .prepare('SELECT id, job_id, at_ms, type, data FROM packaging_job_events WHERE id > ? ORDER BY id LIMIT ?')
    .all(afterId, limit) as { id: number; job_id: number; at_ms: number; type: JobEventType; data: string }[];
  return rows.map((r) => ({
    id: r.id,
    jobId: r.job_id,
    atMs: r.at_ms,
    type: r.type,
    data: JSON.parse(r.data) as Record<string, unknown>,
  }));
}

export function lastJobEventId(db: Db): number {
  return (db.prepare('SELECT COALESCE(MAX(id), 0) FROM packaging_job_events').pluck().get() as number) ?? 0;
}

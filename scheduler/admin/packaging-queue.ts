import { accessSync, constants, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { LADDERS, getLadder } from '../../packaging/ladder.ts';
import { ConflictError, InputError, NotFoundError, type Problem } from '../errors.ts';
import { packageLesson } from '../packaging/package-lesson.ts';
import type { Db } from '../store/db.ts';
import { parseBody } from './validation.ts';

/**
 * Packaging jobs: lessons to package, persisted in SQLite and run at most `concurrency` at a time
 * (each is one ffmpeg process). A job survives a restart: queued jobs stay queued and run when the
 * queue starts; a job that was running when the process died is marked failed with that reason (its
 * half-written media sits in a temp dir that the next packaging of the lesson replaces).
 */

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface PackagingJob {
  id: number;
  lessonId: string;
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
}

export const INTERRUPTED_REASON = 'interrupted: the service stopped while this job was running; enqueue it again';

export const enqueueBodySchema = z.strictObject({
  lessonId: z.string().min(1).max(200),
  /** Absolute path of the source video on the server; default: the lesson's registered source. */
  source: z.string().min(1).max(4096).optional(),
  ladder: z.string().min(1).default('default'),
});

export interface PackagingQueueOptions {
  db: Db;
  dataDir: string;
  /** Parallel ffmpeg processes; default one per two cores (at least one). */
  concurrency?: number;
  clock?: () => number;
  logger?: Logger;
}

export interface PackagingQueue {
  readonly concurrency: number;
  /** Marks jobs left running by a dead process as failed, then starts running queued jobs. */
  start(): void;
  /** Stops taking queued jobs (running ones finish; their results are dropped if the database is closed). */
  stop(): void;
  enqueue(body: unknown, requestedBy: string): PackagingJob;
  get(id: number): PackagingJob;
  list(filter?: { status?: JobStatus; limit?: number }): PackagingJob[];
  /** Cancels a queued job; a running one cannot be stopped half-way (409). */
  cancel(id: number): PackagingJob;
  /** Jobs queued or running. */
  depth(): { queued: number; running: number };
  /** Resolves when nothing is running and nothing queued can start (tests). */
  idle(): Promise<void>;
}

interface JobRow {
  id: number;
  lesson_id: string;
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
}

function toJob(r: JobRow): PackagingJob {
  return {
    id: r.id,
    lessonId: r.lesson_id,
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
  };
}

/** Marks jobs a dead process left `running` as failed. Returns how many. */
export function failInterruptedJobs(db: Db, nowMs: number): number {
  return db
    .prepare("UPDATE packaging_jobs SET status = 'failed', error = ?, finished_at = ? WHERE status = 'running'")
    .run(INTERRUPTED_REASON, nowMs).changes;
}

/** Progress is written at most this often per job (ffmpeg reports twice a second). */
const PROGRESS_WRITE_MS = 1000;

export function createPackagingQueue(options: PackagingQueueOptions): PackagingQueue {
  const { db, dataDir } = options;
  const clock = options.clock ?? Date.now;
  const concurrency = Math.max(1, options.concurrency ?? Math.floor(availableParallelism() / 2));
  const running = new Map<number, Promise<void>>();
  let started = false;
  let waiters: Array<() => void> = [];

  const select = (id: number) => db.prepare('SELECT * FROM packaging_jobs WHERE id = ?').get(id) as JobRow | undefined;
  const get = (id: number): PackagingJob => {
    const row = select(id);
    if (!row) throw new NotFoundError(`unknown packaging job ${id}`);
    return toJob(row);
  };

  function settle(): void {
    if (running.size > 0) return;
    const queued =
      started && db.open
        ? (db.prepare("SELECT COUNT(*) FROM packaging_jobs WHERE status = 'queued'").pluck().get() as number)
        : 0;
    if (queued > 0) return;
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  }

  function pump(): void {
    while (started && db.open && running.size < concurrency) {
      const next = db.prepare("SELECT * FROM packaging_jobs WHERE status = 'queued' ORDER BY id LIMIT 1").get() as
        JobRow | undefined;
      if (!next) break;
      db.prepare("UPDATE packaging_jobs SET status = 'running', started_at = ?, progress = 0 WHERE id = ?").run(
        clock(),
        next.id,
      );
      const work = run(next).finally(() => {
        running.delete(next.id);
        pump();
        settle();
      });
      running.set(next.id, work);
    }
    settle();
  }

  async function run(job: JobRow): Promise<void> {
    let lastWrite = 0;
    const write = (sql: string, ...params: unknown[]) => {
      // The service may have closed the database while ffmpeg ran; the next start marks the job failed.
      if (db.open) db.prepare(sql).run(...params);
    };
    try {
      const outcome = await packageLesson(
        {
          db,
          dataDir,
          ladder: getLadder(job.ladder),
          now: clock,
          onProgress: (_assetId, p) => {
            const now = Date.now();
            if (p.done || now - lastWrite >= PROGRESS_WRITE_MS) {
              lastWrite = now;
              write(
                'UPDATE packaging_jobs SET progress = ? WHERE id = ?',
                Math.min(1, Math.max(0, p.fraction)),
                job.id,
              );
            }
          },
        },
        job.lesson_id,
        job.source ?? undefined,
      );
      write(
        "UPDATE packaging_jobs SET status = 'succeeded', progress = 1, asset_id = ?, finished_at = ? WHERE id = ?",
        outcome.assetId,
        clock(),
        job.id,
      );
      options.logger?.info(
        { job: job.id, lesson: job.lesson_id, asset: outcome.assetId, reused: outcome.reused },
        'packaging job succeeded',
      );
    } catch (error) {
      const reason = (error as Error).message.split('\n').slice(0, 3).join(' ');
      write(
        "UPDATE packaging_jobs SET status = 'failed', error = ?, finished_at = ? WHERE id = ?",
        reason,
        clock(),
        job.id,
      );
      options.logger?.warn({ job: job.id, lesson: job.lesson_id, reason }, 'packaging job failed');
    }
  }

  function enqueue(body: unknown, requestedBy: string): PackagingJob {
    const request = parseBody(enqueueBodySchema, body);
    const problems: Problem[] = [];
    const lesson = db.prepare('SELECT id, source FROM lessons WHERE id = ?').get(request.lessonId) as
      { id: string; source: string | null } | undefined;
    if (!lesson) problems.push({ field: 'lessonId', reason: `unknown lesson '${request.lessonId}'` });
    if (!LADDERS[request.ladder])
      problems.push({
        field: 'ladder',
        reason: `unknown ladder '${request.ladder}' (known: ${Object.keys(LADDERS).join(', ')})`,
      });
    const source = request.source ?? lesson?.source ?? undefined;
    if (lesson && source === undefined)
      problems.push({ field: 'source', reason: `lesson '${lesson.id}' has no registered source video; give one` });
    if (source !== undefined) {
      const problem = sourceProblem(source);
      if (problem) problems.push({ field: 'source', reason: problem });
    }
    if (problems.length) throw new InputError('bad packaging job', problems);
    const id = Number(
      db
        .prepare(
          "INSERT INTO packaging_jobs (lesson_id, source, ladder, status, requested_by, created_at) VALUES (?, ?, ?, 'queued', ?, ?)",
        )
        .run(request.lessonId, request.source ?? null, request.ladder, requestedBy, clock()).lastInsertRowid,
    );
    // Start it after the caller's transaction commits (the row must be visible, the audit entry written).
    queueMicrotask(pump);
    return get(id);
  }

  function cancel(id: number): PackagingJob {
    const job = get(id);
    if (job.status === 'running')
      throw new ConflictError(
        `packaging job ${id} is running (ffmpeg cannot be stopped half-way without leaving work to redo); wait for it to finish`,
      );
    if (job.status !== 'queued') throw new ConflictError(`packaging job ${id} is already ${job.status}`);
    db.prepare(
      "UPDATE packaging_jobs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status = 'queued'",
    ).run(clock(), id);
    return get(id);
  }

  return {
    concurrency,
    start() {
      if (started) return;
      failInterruptedJobs(db, clock());
      started = true;
      pump();
    },
    stop() {
      started = false;
    },
    enqueue,
    get,
    list(filter = {}) {
      const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
      const rows = (
        filter.status
          ? db
              .prepare('SELECT * FROM packaging_jobs WHERE status = ? ORDER BY id DESC LIMIT ?')
              .all(filter.status, limit)
          : db.prepare('SELECT * FROM packaging_jobs ORDER BY id DESC LIMIT ?').all(limit)
      ) as JobRow[];
      return rows.map(toJob);
    },
    cancel,
    depth() {
      const counts = db
        .prepare(
          "SELECT status, COUNT(*) AS n FROM packaging_jobs WHERE status IN ('queued', 'running') GROUP BY status",
        )
        .all() as { status: JobStatus; n: number }[];
      return {
        queued: counts.find((c) => c.status === 'queued')?.n ?? 0,
        running: counts.find((c) => c.status === 'running')?.n ?? 0,
      };
    },
    idle() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        settle();
      });
    },
  };
}

/** Why a source path cannot be packaged, or undefined. Paths are the server's (an upload API is separate). */
function sourceProblem(source: string): string | undefined {
  if (!isAbsolute(source)) return `'${source}' is not an absolute path on the server`;
  try {
    if (!statSync(source).isFile()) return `'${source}' is not a file`;
    accessSync(source, constants.R_OK);
  } catch (error) {
    return `'${source}' cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  return undefined;
}

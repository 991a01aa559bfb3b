import { accessSync, constants, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { LADDERS, getLadder } from '../../packaging/ladder.ts';
import { MEDIA_ID_PATTERN } from '../../playlists/media-layout.ts';
import { parsePosterOffset, POSTER_OFFSET_PATTERN, type PosterOptions } from '../../packaging/poster.ts';
import { probeSource } from '../../packaging/probe.ts';
import type { TranscodeProgress } from '../../packaging/transcode.ts';
import { systemClock, type Clock } from '../clock.ts';
import { ConflictError, InputError, NotFoundError, type Problem } from '../errors.ts';
import {
  packageFiller,
  packageLesson,
  type PackagingContext,
  type PackagingOutcome,
} from '../packaging/package-lesson.ts';
import { packageLessonRenditions } from '../packaging/package-renditions.ts';
import type { Db } from '../store/db.ts';
import * as jobs from './packaging-jobs-repository.ts';
import type { FillerSpec, JobEvent, JobEventType, JobStatus, PackagingJob } from './packaging-jobs-repository.ts';
import { parseBody } from './validation.ts';

export type { FillerSpec, JobEvent, JobStatus, PackagingJob } from './packaging-jobs-repository.ts';

/**
 * Packaging jobs: lessons to package, persisted in SQLite and run at most `concurrency` at a time
 * (each is one ffmpeg process). A job survives a restart: queued jobs stay queued and run when the
 * queue starts; a job that was running when the process died is marked failed with that reason (its
 * half-written media sits in a temp dir that the next packaging of the lesson replaces).
 * A running job can be cancelled: ffmpeg is terminated, its temp dir removed, the lesson left as it was.
 * Every change of state is an event in `packaging_job_events` (the SSE stream) and goes to subscribers.
 */

export const INTERRUPTED_REASON = 'interrupted: the service stopped while this job was running; enqueue it again';
export const CANCELLED_REASON = 'cancelled';

export const enqueueBodySchema = z.strictObject({
  lessonId: z.string().min(1).max(200),
  /** Absolute path of the source video on the server; default: the lesson's registered source. */
  source: z.string().min(1).max(4096).optional(),
  ladder: z.string().min(1).default('default'),
  /** Where the poster frame is taken, as `aerial package --poster-at`: `30s` or `25%`; default 10 % in. */
  posterAt: z
    .string()
    .max(32)
    .regex(POSTER_OFFSET_PATTERN, 'must be seconds (e.g. 30s) or a percentage 0–100 (e.g. 25%), not negative')
    .describe('Where the poster frame is taken: seconds (30s) or a percentage of the lesson (25%); default 10%')
    .optional(),
});

export interface PackagingQueueOptions {
  db: Db;
  dataDir: string;
  /** Parallel ffmpeg processes; default one per two cores (at least one). */
  concurrency?: number;
  clock?: Clock;
  logger?: Logger;
  /**
   * Run jobs elsewhere (`aerial serve --queue`): queued jobs are handed to it instead of packaged in this process,
   * and it reports what the workers did through the sink. Without it, jobs run here, `concurrency` at a time.
   */
  dispatcher?: JobDispatcher;
}

/** What a remote worker reported about a job, applied to the job table and its events. */
export interface DispatchSink {
  /** A worker took the job (queued → running; a job already over is left alone). */
  started(jobId: number): void;
  progress(jobId: number, progress: TranscodeProgress): void;
  /** Records the result with `record` (the asset, in the same transaction) and marks the job succeeded. */
  succeeded(jobId: number, record: () => { assetId: string; durationS: number }): void;
  /** Marks the job failed with `reason`; `record` (the lesson's failure) runs in the same transaction. */
  failed(jobId: number, reason: string, record?: () => void): void;
  cancelled(jobId: number): void;
}

/** Sends queued jobs to packaging workers on other machines (scheduler/workers/dispatcher.ts). */
export interface JobDispatcher {
  /** Starts receiving the workers' reports into `sink`. */
  start(sink: DispatchSink): void;
  /** Hands a queued job to the workers; rejects (the job then fails with the reason) when it cannot. */
  dispatch(job: PackagingJob): Promise<void>;
  /** Tells the worker running the job to stop (ffmpeg terminated, temp dir removed); resolves when it has. */
  cancel(job: PackagingJob): Promise<void>;
  stop(): Promise<void>;
}

/** A job made from an upload: its source is a file the upload placed on the server. */
export interface UploadJobRequest {
  /** The lesson packaged, or null with `filler` (an upload with `assetId`). */
  lessonId: string | null;
  filler?: FillerSpec;
  source: string;
  uploadId: string;
  requestedBy: string;
  ladder?: string;
  /** Pre-encoded renditions (name → file) to package instead of transcoding `source`. */
  renditions?: Readonly<Record<string, string>>;
  /** The upload was rejected on arrival (probe): the job is recorded failed with this reason. */
  rejectedReason?: string;
}

export interface RenditionsJobRequest {
  lessonId: string;
  renditions: Readonly<Record<string, string>>;
  ladder: string;
  poster?: PosterOptions;
}

/** A filler or the slate from a file on the server (`aerial package --filler|--slate … --queue`). */
export interface FillerJobRequest {
  filler: FillerSpec;
  source: string;
  ladder: string;
  poster?: PosterOptions;
}

export interface PackagingQueue {
  readonly concurrency: number;
  /** Marks jobs left running by a dead process as failed, then starts running queued jobs. */
  start(): void;
  /** Stops taking queued jobs (running ones finish; their results are dropped if the database is closed). */
  stop(): void;
  /** Enqueues a lesson's source (`body`: enqueueBodySchema); `options.poster` (`--poster-at`) wins over `posterAt`. */
  enqueue(body: unknown, requestedBy: string, options?: { poster?: PosterOptions }): PackagingJob;
  /** What enqueue checks plus what needs the source read (a `posterAt` in seconds past its end): InputError. */
  checkEnqueue(body: unknown): Promise<void>;
  /** Enqueues the packaging of an uploaded source (validated by the upload). */
  enqueueUpload(request: UploadJobRequest): PackagingJob;
  /** Enqueues a lesson's pre-encoded renditions (name → file on the server; `aerial package --renditions`). */
  enqueueRenditions(request: RenditionsJobRequest, requestedBy: string): PackagingJob;
  /** Enqueues a filler or the slate under its fixed id, from a readable absolute path on the server. */
  enqueueFiller(request: FillerJobRequest, requestedBy: string): PackagingJob;
  get(id: number): PackagingJob;
  list(filter?: { status?: JobStatus; limit?: number }): PackagingJob[];
  /**
   * Cancels a queued or running job; a running one's ffmpeg is terminated and this resolves once it has
   * exited and its temp dir is gone. ConflictError when the job is already over.
   */
  cancel(id: number): Promise<PackagingJob>;
  /** Re-queues a failed or cancelled job (ConflictError otherwise). Call inside the caller's transaction. */
  retry(id: number): PackagingJob;
  /** Stored events after `afterId`, oldest first (at most `limit`): what a reconnecting client missed. */
  eventsAfter(afterId: number, limit?: number): JobEvent[];
  /** Id of the newest stored event (0: none). */
  lastEventId(): number;
  /** Called with every job event after it is stored; returns the unsubscribe function. */
  subscribe(listener: (event: JobEvent) => void): () => void;
  /** Jobs queued or running. */
  depth(): { queued: number; running: number };
  /** Resolves when nothing is running and nothing queued can start (tests). */
  idle(): Promise<void>;
}

interface QueueState {
  db: Db;
  dataDir: string;
  clock: Clock;
  logger: Logger | undefined;
  concurrency: number;
  running: Map<number, { work: Promise<void>; controller: AbortController }>;
  listeners: Set<(event: JobEvent) => void>;
  started: boolean;
  waiters: Array<() => void>;
  dispatcher: JobDispatcher | undefined;
  /** Remote mode: jobs being handed to the dispatcher (not sent twice by one process). */
  dispatching: Set<number>;
  /** Remote mode: progress reporters of running jobs. */
  reporters: Map<number, (assetId: string, p: TranscodeProgress) => void>;
}

/** Stores an event and tells the subscribers once the surrounding transaction (if any) has committed. */
function emit(s: QueueState, jobId: number, type: JobEventType, data: Record<string, unknown> = {}): void {
  if (!s.db.open) return;
  const event = jobs.appendJobEvent(s.db, { jobId, atMs: s.clock(), type, data });
  queueMicrotask(() => {
    if (!s.db.open || jobs.jobEventsAfter(s.db, event.id - 1, 1)[0]?.id !== event.id) return; // rolled back
    for (const listener of s.listeners) listener(event);
  });
}

function getJob(s: QueueState, id: number): PackagingJob {
  const job = jobs.findJob(s.db, id);
  if (!job) throw new NotFoundError(`unknown packaging job ${id}`);
  return job;
}

function settle(s: QueueState): void {
  if (s.running.size > 0) return;
  if (s.started && s.db.open && jobs.countJobs(s.db).queued > 0) return;
  if (s.dispatcher && s.db.open && jobs.countJobs(s.db).running > 0) return; // running on a worker
  const done = s.waiters;
  s.waiters = [];
  for (const resolve of done) resolve();
}

function pump(s: QueueState): void {
  if (s.dispatcher) return dispatchQueued(s, s.dispatcher);
  while (s.started && s.db.open && s.running.size < s.concurrency) {
    const next = jobs.nextQueuedJob(s.db);
    if (!next) break;
    s.db.transaction(() => {
      jobs.markRunning(s.db, next.id, s.clock());
      emit(s, next.id, 'started', subjectOf(next));
    })();
    const controller = new AbortController();
    const work = runJob(s, next, controller.signal).finally(() => {
      s.running.delete(next.id);
      pump(s);
      settle(s);
    });
    s.running.set(next.id, { work, controller });
  }
  settle(s);
}

/** Progress as events at whole-percent steps (ffmpeg reports twice a second; a step is worth telling). */
function progressReporter(s: QueueState, jobId: number): (assetId: string, p: TranscodeProgress) => void {
  let lastPercent = -1;
  return (_assetId, p) => {
    const percent = Math.floor(Math.min(1, Math.max(0, p.fraction)) * 100);
    if (percent <= lastPercent || !s.db.open) return;
    lastPercent = percent;
    jobs.setProgress(s.db, jobId, p.fraction);
    const etaS = p.etaS === undefined ? null : Math.round(p.etaS * 10) / 10;
    emit(s, jobId, 'progress', { percent, speed: p.speed, etaS });
  };
}

/** What a job packages, as its events name it: `{ lessonId }` or `{ fillerId }`. */
function subjectOf(job: { lessonId: string | null; fillerId?: string | null; filler?: FillerSpec }) {
  return job.lessonId !== null ? { lessonId: job.lessonId } : { fillerId: job.fillerId ?? job.filler?.id ?? null };
}

function packageJob(s: QueueState, job: PackagingJob, ctx: PackagingContext): Promise<PackagingOutcome> {
  const filler = jobs.jobFiller(s.db, job.id);
  if (filler) return packageFiller(ctx, { ...filler, source: job.source! });
  const files = jobs.jobRenditions(s.db, job.id);
  return files
    ? packageLessonRenditions(ctx, job.lessonId!, { files })
    : packageLesson(ctx, job.lessonId!, job.source ?? undefined);
}

async function runJob(s: QueueState, job: PackagingJob, signal: AbortSignal): Promise<void> {
  const { db } = s;
  const poster = jobs.jobPoster(db, job.id);
  try {
    const ctx: PackagingContext = {
      db,
      dataDir: s.dataDir,
      ladder: getLadder(job.ladder),
      now: s.clock,
      signal,
      onProgress: progressReporter(s, job.id),
      ...(poster ? { poster } : {}),
    };
    const outcome = await packageJob(s, job, ctx);
    // The service may have closed the database while ffmpeg ran; the next start marks the job failed.
    if (!db.open) return;
    const durationMs = jobs.assetDurationMs(db, outcome.assetId) ?? outcome.mediaSeconds * 1000;
    db.transaction(() => {
      jobs.markSucceeded(db, job.id, outcome.assetId, s.clock());
      emit(s, job.id, 'succeeded', { assetId: outcome.assetId, durationS: durationMs / 1000 });
    })();
    s.logger?.info({ job: job.id, lesson: job.lessonId, asset: outcome.assetId }, 'packaging job succeeded');
  } catch (error) {
    if (!db.open) return;
    if (signal.aborted) {
      db.transaction(() => {
        if (jobs.markCancelled(db, job.id, s.clock())) emit(s, job.id, 'cancelled', {});
      })();
      s.logger?.info({ job: job.id, lesson: job.lessonId }, 'packaging job cancelled');
      return;
    }
    const reason = (error as Error).message.split('\n').slice(0, 3).join(' ');
    db.transaction(() => {
      jobs.markFailed(db, job.id, reason, s.clock());
      emit(s, job.id, 'failed', { reason });
    })();
    s.logger?.warn({ job: job.id, lesson: job.lessonId, reason }, 'packaging job failed');
  }
}

/** An unknown ladder name is a problem naming the known ones (as `aerial package --ladder` does). */
function checkLadder(name: string, problems: Problem[]): void {
  if (!LADDERS[name])
    problems.push({ field: 'ladder', reason: `unknown ladder '${name}' (known: ${Object.keys(LADDERS).join(', ')})` });
}

/** Checks a lesson's job request against the catalog and the server's files; returns its source and poster. */
function validateRequest(
  s: QueueState,
  request: z.infer<typeof enqueueBodySchema>,
): { source: string; poster: PosterOptions | undefined } {
  const problems: Problem[] = [];
  const lesson = jobs.findLessonSource(s.db, request.lessonId);
  if (!lesson) problems.push({ field: 'lessonId', reason: `unknown lesson '${request.lessonId}'` });
  checkLadder(request.ladder, problems);
  const source = request.source ?? lesson?.source ?? undefined;
  if (lesson && source === undefined)
    problems.push({ field: 'source', reason: `lesson '${lesson.id}' has no registered source video; give one` });
  if (source !== undefined) {
    const problem = sourceProblem(source);
    if (problem) problems.push({ field: 'source', reason: problem });
  }
  const poster = posterOf(request, problems);
  if (problems.length) throw new InputError('bad packaging job', problems);
  return { source: source!, poster };
}

/** The request's `posterAt` as poster options (a percentage beyond 100 is a problem), or undefined. */
function posterOf(request: z.infer<typeof enqueueBodySchema>, problems: Problem[]): PosterOptions | undefined {
  if (request.posterAt === undefined) return undefined;
  try {
    return parsePosterOffset(request.posterAt);
  } catch {
    problems.push({ field: 'posterAt', reason: `'${request.posterAt}' is beyond the lesson (100% is its end)` });
    return undefined;
  }
}

/**
 * The checks of an enqueue request that read its source (run before the request's transaction): a poster offset
 * in seconds must fall inside the part of the source that packaging keeps. A source ffprobe cannot read is left
 * to the job, which fails with the reason as any other.
 */
async function checkEnqueueBody(s: QueueState, body: unknown): Promise<void> {
  const request = parseBody(enqueueBodySchema, body);
  const { source, poster } = validateRequest(s, request);
  if (poster?.offsetS === undefined) return;
  const durationS = await probeSource(source).then(
    (info) => info.mediaDurationS,
    () => undefined,
  );
  if (durationS !== undefined && poster.offsetS >= durationS)
    throw new InputError('bad packaging job', [
      {
        field: 'posterAt',
        reason: `${request.posterAt} is beyond the lesson (its source is ${durationS.toFixed(3)} s)`,
      },
    ]);
}

/** A lesson's job from an enqueue body, validated always; `poster` (`--poster-at`) wins over its `posterAt`. */
function lessonJob(s: QueueState, body: unknown, requestedBy: string, poster?: PosterOptions): jobs.NewJob {
  const request = parseBody(enqueueBodySchema, body);
  const checked = validateRequest(s, request);
  const { posterAt: _text, ...fields } = request;
  const job = { ...fields, source: request.source ?? null, requestedBy, createdAt: s.clock() };
  const chosen = poster ?? checked.poster;
  return chosen ? { ...job, poster: chosen } : job;
}

/** A renditions job's files must be readable absolute paths; the recorded source is the ladder's first one's. */
function renditionsJob(s: QueueState, r: RenditionsJobRequest, requestedBy: string): jobs.NewJob {
  const problems: Problem[] = [];
  if (!jobs.findLessonSource(s.db, r.lessonId))
    problems.push({ field: 'lessonId', reason: `unknown lesson '${r.lessonId}'` });
  const ladder = LADDERS[r.ladder];
  checkLadder(r.ladder, problems);
  for (const [name, file] of Object.entries(r.renditions)) {
    const problem = sourceProblem(file);
    if (problem) problems.push({ field: `renditions.${name}`, reason: problem });
  }
  const source = (ladder && r.renditions[ladder.renditions[0]!.name]) ?? Object.values(r.renditions)[0];
  if (source === undefined) problems.push({ field: 'renditions', reason: 'no rendition files given' });
  if (problems.length) throw new InputError('bad packaging job', problems);
  const { lessonId, ladder: ladderName, renditions } = r;
  const job = { lessonId, source: source!, ladder: ladderName, renditions, requestedBy, createdAt: s.clock() };
  return { ...job, ...(r.poster ? { poster: r.poster } : {}) };
}

/** A filler job's id must be path-safe, its ladder known and its source readable, as a local run requires. */
function fillerJob(s: QueueState, r: FillerJobRequest, requestedBy: string): jobs.NewJob {
  const problems: Problem[] = [];
  const { id, kind } = r.filler;
  if (!MEDIA_ID_PATTERN.test(id))
    problems.push({ field: kind, reason: `'${id}' is not path-safe (letters, digits, . _ -; at most 128)` });
  checkLadder(r.ladder, problems);
  const problem = sourceProblem(r.source);
  if (problem) problems.push({ field: 'source', reason: problem });
  if (problems.length) throw new InputError('bad packaging job', problems);
  const job = {
    lessonId: null,
    filler: r.filler,
    source: r.source,
    ladder: r.ladder,
    requestedBy,
    createdAt: s.clock(),
  };
  return { ...job, ...(r.poster ? { poster: r.poster } : {}) };
}

function addJob(s: QueueState, job: jobs.NewJob): PackagingJob {
  const id = jobs.insertJob(s.db, job);
  if (job.failedReason === undefined) emit(s, id, 'queued', subjectOf(job));
  else emit(s, id, 'failed', { reason: job.failedReason });
  // Start it after the caller's transaction commits (the row must be visible, the audit entry written).
  queueMicrotask(() => pump(s));
  return getJob(s, id);
}

async function cancelJob(s: QueueState, id: number): Promise<PackagingJob> {
  const job = getJob(s, id);
  const run = s.running.get(id);
  if (run) {
    run.controller.abort(new Error(CANCELLED_REASON));
    await run.work;
    return getJob(s, id);
  }
  if (job.status !== 'queued') throw new ConflictError(`packaging job ${id} is already ${job.status}`);
  s.db.transaction(() => {
    if (jobs.markCancelled(s.db, id, s.clock())) emit(s, id, 'cancelled', {});
  })();
  return getJob(s, id);
}

function retryJob(s: QueueState, id: number): PackagingJob {
  const job = getJob(s, id);
  if (!jobs.requeueJob(s.db, id))
    throw new ConflictError(`packaging job ${id} is ${job.status}; only a failed or cancelled job can be retried`);
  emit(s, id, 'queued', { ...subjectOf(job), retry: true });
  queueMicrotask(() => pump(s));
  return getJob(s, id);
}

/** Remote mode: every queued job not yet handed over goes to the dispatcher (workers bound concurrency). */
function dispatchQueued(s: QueueState, dispatcher: JobDispatcher): void {
  if (!s.started || !s.db.open) return;
  for (const job of jobs.listJobs(s.db, { status: 'queued', limit: 1000 })) {
    if (s.dispatching.has(job.id)) continue;
    s.dispatching.add(job.id);
    dispatcher.dispatch(job).catch((error: Error) => {
      s.dispatching.delete(job.id);
      if (!s.db.open) return;
      const reason = error.message.split('\n').slice(0, 3).join(' ');
      s.db.transaction(() => {
        if (getJob(s, job.id).status !== 'queued') return;
        jobs.markFailed(s.db, job.id, reason, s.clock());
        emit(s, job.id, 'failed', { reason });
      })();
      s.logger?.warn({ job: job.id, reason }, 'packaging job could not be sent to the workers');
    });
  }
}

/** Applies the workers' reports; a report about a job that is over (a late or repeated report) changes nothing. */
function dispatchSink(s: QueueState): DispatchSink {
  const active = (id: number) => {
    const status = s.db.open ? jobs.findJob(s.db, id)?.status : undefined;
    return status === 'queued' || status === 'running';
  };
  const finish = (id: number, then: () => void) => {
    if (!active(id)) return;
    s.db.transaction(then)();
    s.dispatching.delete(id);
    s.reporters.delete(id);
    settle(s);
  };
  return {
    started(id) {
      if (!s.db.open || jobs.findJob(s.db, id)?.status !== 'queued') return;
      const job = getJob(s, id);
      s.db.transaction(() => {
        jobs.markRunning(s.db, id, s.clock());
        emit(s, id, 'started', subjectOf(job));
      })();
      s.reporters.set(id, progressReporter(s, id));
    },
    progress(id, p) {
      if (active(id)) s.reporters.get(id)?.('', p);
    },
    succeeded: (id, record) =>
      finish(id, () => {
        const { assetId, durationS } = record();
        jobs.markSucceeded(s.db, id, assetId, s.clock());
        emit(s, id, 'succeeded', { assetId, durationS });
      }),
    failed: (id, reason, record) =>
      finish(id, () => {
        record?.();
        jobs.markFailed(s.db, id, reason, s.clock());
        emit(s, id, 'failed', { reason });
      }),
    cancelled: (id) =>
      finish(id, () => {
        if (jobs.markCancelled(s.db, id, s.clock())) emit(s, id, 'cancelled', {});
      }),
  };
}

async function cancelRemoteJob(s: QueueState, dispatcher: JobDispatcher, id: number): Promise<PackagingJob> {
  const job = getJob(s, id);
  if (job.status !== 'queued' && job.status !== 'running')
    throw new ConflictError(`packaging job ${id} is already ${job.status}`);
  await dispatcher.cancel(job);
  dispatchSink(s).cancelled(id);
  return getJob(s, id);
}

export function createPackagingQueue(options: PackagingQueueOptions): PackagingQueue {
  const s: QueueState = {
    db: options.db,
    dataDir: options.dataDir,
    clock: options.clock ?? systemClock,
    logger: options.logger,
    concurrency: Math.max(1, options.concurrency ?? Math.floor(availableParallelism() / 2)),
    running: new Map(),
    listeners: new Set(),
    started: false,
    waiters: [],
    dispatcher: options.dispatcher,
    dispatching: new Set(),
    reporters: new Map(),
  };
  return {
    concurrency: s.concurrency,
    start() {
      if (s.started) return;
      if (s.dispatcher) {
        // Jobs left running belong to workers, which report on them whether or not this process restarted.
        s.started = true;
        s.dispatcher.start(dispatchSink(s));
        pump(s);
        return;
      }
      s.db.transaction(() => {
        for (const id of jobs.failRunningJobs(s.db, INTERRUPTED_REASON, s.clock()))
          emit(s, id, 'failed', { reason: INTERRUPTED_REASON });
      })();
      s.started = true;
      pump(s);
    },
    stop() {
      s.started = false; // a dispatcher is stopped by its owner (the service)
    },
    enqueue: (body, requestedBy, options = {}) => addJob(s, lessonJob(s, body, requestedBy, options.poster)),
    checkEnqueue: (body) => checkEnqueueBody(s, body),
    enqueueUpload(r) {
      return addJob(s, {
        lessonId: r.lessonId,
        ...(r.filler ? { filler: r.filler } : {}),
        source: r.source,
        ladder: r.ladder ?? 'default',
        requestedBy: r.requestedBy,
        createdAt: s.clock(),
        uploadId: r.uploadId,
        ...(r.renditions ? { renditions: r.renditions } : {}),
        ...(r.rejectedReason !== undefined ? { failedReason: r.rejectedReason } : {}),
      });
    },
    enqueueRenditions: (request, requestedBy) => addJob(s, renditionsJob(s, request, requestedBy)),
    enqueueFiller: (request, requestedBy) => addJob(s, fillerJob(s, request, requestedBy)),
    get: (id) => getJob(s, id),
    list: (filter = {}) =>
      jobs.listJobs(s.db, {
        ...(filter.status ? { status: filter.status } : {}),
        limit: Math.min(Math.max(filter.limit ?? 100, 1), 1000),
      }),
    cancel: (id) => (s.dispatcher ? cancelRemoteJob(s, s.dispatcher, id) : cancelJob(s, id)),
    retry: (id) => retryJob(s, id),
    eventsAfter: (afterId, limit = 1000) => jobs.jobEventsAfter(s.db, afterId, limit),
    lastEventId: () => jobs.lastJobEventId(s.db),
    subscribe(listener) {
      s.listeners.add(listener);
      return () => s.listeners.delete(listener);
    },
    depth: () => jobs.countJobs(s.db),
    idle: () =>
      new Promise<void>((resolve) => {
        s.waiters.push(resolve);
        settle(s);
      }),
  };
}

/** Why a source path cannot be packaged, or undefined. Paths are the server's (uploads place theirs). */
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

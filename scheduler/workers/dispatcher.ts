import { randomUUID } from 'node:crypto';
import { basename, extname, join, resolve } from 'node:path';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { captionSidecarPath, readCaptionSidecars, type CaptionSidecar } from '../../packaging/captions.ts';
import { getLadder, LESSON_SEGMENTING, SLATE_SEGMENTING, type Ladder } from '../../packaging/ladder.ts';
import { contentAssetId, PACKAGING_RECORD, sha256File, type PackagingRecord } from '../../packaging/package-asset.ts';
import { DEFAULT_POSTER_FRACTION } from '../../packaging/poster.ts';
import { fingerprintOfHashes } from '../../packaging/pre-encoded.ts';
import { WebVttError } from '../../packaging/webvtt.ts';
import type { DispatchSink, JobDispatcher, PackagingJob } from '../admin/packaging-queue.ts';
import * as jobs from '../admin/packaging-jobs-repository.ts';
import type { Clock } from '../clock.ts';
import { InputError, NotFoundError } from '../errors.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import * as assets from '../packaging/assets-repository.ts';
import type { Db } from '../store/db.ts';
import { readSetting, writeSetting } from '../store/settings.ts';
import {
  FAILED_QUEUE,
  jobKey,
  orderId,
  orderOptions,
  renditionsKeyPart,
  REPORTS_QUEUE,
  sourceKey,
  WORK_QUEUE,
  type AssetRecord,
  type HashedFile,
  type OpenedQueue,
  type WorkerReport,
  type WorkOrder,
} from './work-queue.ts';

/**
 * The control plane's side of the work queue (`aerial serve --queue`): a queued job's source and caption sidecars
 * are copied into the object store (its worker may be on another machine), then a work order goes to PostgreSQL.
 * Workers' reports come back through PostgreSQL and are applied exactly as a local run's outcome: the asset is
 * recorded by the same repository functions, in the transaction that marks the job succeeded. Content already
 * recorded here is linked without sending anything, as a local run does.
 */

export interface DispatcherOptions {
  db: Db;
  queue: OpenedQueue;
  store: ObjectStore;
  clock: Clock;
  logger?: Logger;
}

interface State extends DispatcherOptions {
  boss: PgBoss;
  instance: string;
  sink: DispatchSink | undefined;
  /** job key → jobs whose order found an identical one already waiting: its result is theirs too. */
  waitingOnKey: Map<string, Set<number>>;
  /** job id → resolves when its worker reports it cancelled. */
  cancelWaiters: Map<number, () => void>;
  workIds: string[];
}

const INSTANCE_SETTING = 'packaging-queue-instance';

/** This database's identity on the queue (one control plane per database): part of every order id. */
export function queueInstance(db: Db): string {
  const existing = readSetting<string>(db, INSTANCE_SETTING);
  if (existing) return existing;
  const created = randomUUID();
  writeSetting(db, INSTANCE_SETTING, created);
  return created;
}

/** A name for the worker's local copy: `source` plus the original extension when it is plain. */
function localName(path: string): string {
  const ext = extname(path);
  return /^\.[A-Za-z0-9]{1,8}$/.test(ext) ? `source${ext}` : 'source';
}

async function storeSidecars(store: ObjectStore, sourceName: string, sidecars: CaptionSidecar[]) {
  const stored: WorkOrder['captions'] = [];
  for (const c of sidecars) {
    const key = `sources/${c.sha256}.vtt`;
    await store.putImmutableFile(key, c.path);
    stored.push({
      language: c.language,
      file: { key, name: basename(captionSidecarPath(join('/', sourceName), c.language)) },
    });
  }
  return stored;
}

type Prepared = { order: Omit<WorkOrder, 'instance' | 'jobId' | 'attempt' | 'poster'> } | { reused: string };

type Lesson = NonNullable<ReturnType<typeof assets.lessonToPackage>>;

/** The lesson's caption sidecars next to `source`; an invalid one fails the lesson as a local run does. */
function lessonSidecars(s: State, lesson: Lesson, source: string): CaptionSidecar[] {
  try {
    return readCaptionSidecars(source, lesson.captions);
  } catch (error) {
    if (!(error instanceof WebVttError)) throw error;
    assets.recordLessonFailure(s.db, lesson.id, source, `captions: ${error.message}`);
    throw new InputError(`lesson '${lesson.id}': captions rejected`, [{ where: error.where, reason: error.reason }]);
  }
}

function findLesson(s: State, job: PackagingJob): Lesson {
  const lesson = assets.lessonToPackage(s.db, job.lessonId!);
  if (!lesson) throw new NotFoundError(`unknown lesson '${job.lessonId}'`);
  return lesson;
}

async function prepareLesson(s: State, job: PackagingJob): Promise<Prepared> {
  const lesson = findLesson(s, job);
  const sourceText = job.source ?? lesson.source;
  if (!sourceText) throw new InputError(`lesson '${lesson.id}' has no source video`);
  const source = resolve(sourceText);
  const sidecars = lessonSidecars(s, lesson, source);
  const sha = await sha256File(source);
  const ladder = getLadder(job.ladder);
  const assetId = contentAssetId(lesson.id, sha, ladder, LESSON_SEGMENTING, sidecars);
  if (assets.assetExists(s.db, assetId)) {
    s.db.transaction(() => assets.linkLesson(s.db, lesson.id, source, assetId))();
    return { reused: assetId };
  }
  const name = localName(source);
  await s.store.putImmutableFile(sourceKey(sha), source);
  const order = {
    key: jobKey(lesson.id, sha, ladder.name, LESSON_SEGMENTING),
    kind: 'lesson' as const,
    assetId,
    idBase: lesson.id,
    ladder: ladder.name,
    source: { key: sourceKey(sha), name, sha256: sha },
    captions: await storeSidecars(s.store, name, sidecars),
  };
  return { order };
}

/** A plain local name for a rendition's file: its rendition name and the file's extension. */
function renditionName(rendition: string, path: string, index: number): string {
  const ext = extname(path);
  const base = /^[A-Za-z0-9_-]{1,64}$/.test(rendition) ? rendition : `rendition-${index}`;
  return /^\.[A-Za-z0-9]{1,8}$/.test(ext) ? `${base}${ext}` : base;
}

/** The rendition whose file is recorded as the lesson's source (its sidecars next to it): the ladder's first. */
function canonicalRendition(ladder: Ladder, files: Readonly<Record<string, string>>): string {
  const first = ladder.renditions[0]!.name;
  return Object.hasOwn(files, first) ? first : (Object.keys(files)[0] ?? '');
}

/**
 * Pre-encoded renditions: each file is copied into the store (`sources/<sha256>`); the content id and the job key
 * use their fingerprint (every rendition's name and hash), as a local run does. Conformance is the worker's check.
 */
async function prepareRenditions(s: State, job: PackagingJob, files: Record<string, string>): Promise<Prepared> {
  const lesson = findLesson(s, job);
  const ladder = getLadder(job.ladder);
  const first = canonicalRendition(ladder, files);
  if (!first) throw new InputError(`lesson '${lesson.id}': no rendition files given`);
  const sidecars = lessonSidecars(s, lesson, resolve(files[first]!));
  const stored: Record<string, HashedFile> = {};
  const hashes: Record<string, string> = {};
  for (const [i, [rendition, file]] of Object.entries(files).entries()) {
    const path = resolve(file);
    const sha = await sha256File(path);
    hashes[rendition] = sha;
    await s.store.putImmutableFile(sourceKey(sha), path);
    stored[rendition] = { key: sourceKey(sha), name: renditionName(rendition, path, i), sha256: sha };
  }
  const fingerprint = fingerprintOfHashes(ladder, hashes);
  const assetId = contentAssetId(lesson.id, fingerprint, ladder, LESSON_SEGMENTING, sidecars);
  if (assets.assetExists(s.db, assetId)) {
    s.db.transaction(() => assets.linkLesson(s.db, lesson.id, resolve(files[first]!), assetId))();
    return { reused: assetId };
  }
  const order = {
    key: jobKey(lesson.id, renditionsKeyPart(fingerprint), ladder.name, LESSON_SEGMENTING),
    kind: 'lesson' as const,
    assetId,
    idBase: lesson.id,
    ladder: ladder.name,
    source: stored[first]!,
    renditions: stored,
    captions: await storeSidecars(s.store, stored[first]!.name, sidecars),
  };
  return { order };
}

function prepare(s: State, job: PackagingJob): Promise<Prepared> {
  const filler = jobs.jobFiller(s.db, job.id);
  if (filler) return prepareFiller(s, job, filler);
  const renditions = jobs.jobRenditions(s.db, job.id);
  return renditions ? prepareRenditions(s, job, renditions) : prepareLesson(s, job);
}

async function prepareFiller(s: State, job: PackagingJob, filler: jobs.FillerSpec): Promise<Prepared> {
  const source = resolve(job.source!);
  const ladder = getLadder(job.ladder);
  const segmenting = filler.kind === 'slate' ? SLATE_SEGMENTING : LESSON_SEGMENTING;
  const sha = await sha256File(source);
  if (assets.assetExists(s.db, filler.id)) {
    const bytes = await s.store.get(`media/${filler.id}/${PACKAGING_RECORD}`);
    const record = bytes && (JSON.parse(bytes.toString('utf8')) as PackagingRecord);
    const same =
      record?.sourceSha256 === sha &&
      record.ladder === ladder.name &&
      JSON.stringify(record.segmenting) === JSON.stringify(segmenting) &&
      assets.assetKind(s.db, filler.id) === filler.kind;
    if (same) return { reused: filler.id };
    throw new InputError(
      `asset '${filler.id}' is already published from different content or settings; its segments may be cached, so give the new one a new id`,
    );
  }
  await s.store.putImmutableFile(sourceKey(sha), source);
  const order = {
    key: jobKey(filler.id, sha, ladder.name, segmenting),
    kind: filler.kind,
    assetId: filler.id,
    idBase: null,
    ladder: ladder.name,
    source: { key: sourceKey(sha), name: localName(source), sha256: sha },
    captions: [],
  };
  return { order };
}

async function dispatchJob(s: State, job: PackagingJob): Promise<void> {
  const prepared = await prepare(s, job);
  if ('reused' in prepared) {
    const assetId = prepared.reused;
    s.sink?.started(job.id);
    s.sink?.succeeded(job.id, () => ({ assetId, durationS: (jobs.assetDurationMs(s.db, assetId) ?? 0) / 1000 }));
    return;
  }
  const attempt = jobs.lastQueuedEventId(s.db, job.id);
  const poster = jobs.jobPoster(s.db, job.id) ?? { offsetFraction: DEFAULT_POSTER_FRACTION };
  const order: WorkOrder = { instance: s.instance, jobId: job.id, attempt, ...prepared.order, poster };
  const id = orderId(s.instance, job.id, attempt);
  const sent = await s.boss.send(WORK_QUEUE, order, { id, singletonKey: order.key, ...orderOptions(s.queue.timing) });
  if (sent === null && !(await s.boss.getJobById(WORK_QUEUE, id))) {
    // The same content is already waiting under another job: that order's result completes this job too.
    const waiting = s.waitingOnKey.get(order.key) ?? new Set<number>();
    waiting.add(job.id);
    s.waitingOnKey.set(order.key, waiting);
  }
  s.logger?.info({ job: job.id, asset: order.assetId, order: id }, 'packaging job sent to the workers');
}

/** Records a reported asset as a local run does (same repository functions), for the job's lesson or filler. */
function recordAsset(s: State, jobId: number, record: AssetRecord): { assetId: string; durationS: number } {
  const job = jobs.findJob(s.db, jobId)!;
  const asset = { ...record, elapsedMs: 0 };
  const filler = jobs.jobFiller(s.db, jobId);
  if (filler) {
    if (!assets.assetExists(s.db, asset.assetId))
      assets.recordFiller(s.db, asset, filler.kind, filler.title, s.clock());
  } else {
    const lesson = assets.lessonToPackage(s.db, job.lessonId!)!;
    const title = { zh: lesson.title_zh, ...(lesson.title_en ? { en: lesson.title_en } : {}) };
    assets.recordPackagedLesson(s.db, lesson.id, resolve(job.source ?? lesson.source!), asset, title, s.clock());
  }
  return { assetId: asset.assetId, durationS: asset.durationMs / 1000 };
}

/** A report about this database's current attempt of a job (older attempts and other control planes: ignored). */
function current(s: State, r: { instance: string; jobId: number; attempt: number }): boolean {
  return r.instance === s.instance && s.db.open && jobs.lastQueuedEventId(s.db, r.jobId) === r.attempt;
}

function applyReport(s: State, sink: DispatchSink, r: WorkerReport): void {
  if (!current(s, r)) return;
  if (r.type === 'started') sink.started(r.jobId);
  else if (r.type === 'progress') sink.progress(r.jobId, r.progress);
  else if (r.type === 'cancelled') {
    sink.cancelled(r.jobId);
    s.cancelWaiters.get(r.jobId)?.();
  } else if (r.type === 'refused') {
    for (const id of settleWithWaiters(s, r.jobId, r.key)) failJob(s, sink, id, r.reason);
  } else {
    for (const id of settleWithWaiters(s, r.jobId, r.key)) {
      sink.started(id);
      sink.succeeded(id, () => recordAsset(s, id, r.asset));
    }
  }
}

/** The job and the jobs waiting on the same content (key), which share its outcome; forgets the waiters. */
function settleWithWaiters(s: State, jobId: number, key: string): number[] {
  const ids = [jobId, ...(s.waitingOnKey.get(key) ?? [])];
  s.waitingOnKey.delete(key);
  return ids;
}

/** The job fails with the worker's reason, and its lesson too (as a local run records it). */
function failJob(s: State, sink: DispatchSink, jobId: number, reason: string): void {
  const job = jobs.findJob(s.db, jobId);
  sink.failed(jobId, reason, () => {
    if (!job?.lessonId) return;
    const source = job.source ?? assets.lessonToPackage(s.db, job.lessonId)?.source ?? '';
    assets.recordLessonFailure(s.db, job.lessonId, resolve(source), reason);
  });
}

/** An order whose retries are spent: the job (and any waiting on the same content) fails with the last reason. */
function applyFailure(s: State, sink: DispatchSink, order: WorkOrder, output: unknown): void {
  if (!current(s, order)) return;
  const message = (output as { message?: string } | null)?.message ?? 'packaging failed on a worker';
  const reason = message.split('\n').slice(0, 3).join(' ');
  for (const id of settleWithWaiters(s, order.jobId, order.key)) failJob(s, sink, id, reason);
}

async function listen(s: State, sink: DispatchSink): Promise<void> {
  const poll = { pollingIntervalSeconds: s.queue.timing.pollSeconds };
  s.workIds.push(
    await s.boss.work<WorkerReport>(REPORTS_QUEUE, { ...poll, batchSize: 50 }, async (batch) => {
      for (const job of batch) applyReport(s, sink, job.data);
    }),
    await s.boss.work<WorkOrder>(FAILED_QUEUE, { ...poll, batchSize: 10, includeMetadata: true }, async (batch) => {
      for (const job of batch) applyFailure(s, sink, job.data, job.output);
    }),
  );
}

export function createDispatcher(options: DispatcherOptions): JobDispatcher {
  const s: State = {
    ...options,
    boss: options.queue.boss,
    instance: queueInstance(options.db),
    sink: undefined,
    waitingOnKey: new Map(),
    cancelWaiters: new Map(),
    workIds: [],
  };
  return {
    start(sink) {
      s.sink = sink;
      listen(s, sink).catch((error: Error) => s.logger?.error({ err: error.message }, 'cannot read worker reports'));
    },
    dispatch: (job) => dispatchJob(s, job),
    async cancel(job) {
      const id = orderId(s.instance, job.id, jobs.lastQueuedEventId(s.db, job.id));
      const acknowledged = new Promise<void>((done) => s.cancelWaiters.set(job.id, done));
      await s.boss.cancel(WORK_QUEUE, id);
      // A running order's worker notices within its poll, kills ffmpeg, removes its temp dir and says so.
      const timeoutMs = s.queue.timing.cancelPollMs * 2 + 5000;
      if (job.status === 'running') await Promise.race([acknowledged, new Promise((r) => setTimeout(r, timeoutMs))]);
      s.cancelWaiters.delete(job.id);
    },
    async stop() {
      for (const id of s.workIds) await s.boss.offWork({ id });
      s.workIds = [];
    },
  };
}

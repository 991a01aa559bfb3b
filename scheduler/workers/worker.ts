import { createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { readCaptionSidecars } from '../../packaging/captions.ts';
import { NonConformingRenditionError } from '../../packaging/conformance.ts';
import { getLadder, LESSON_SEGMENTING, SLATE_SEGMENTING } from '../../packaging/ladder.ts';
import {
  contentAssetId,
  packageAsset,
  PACKAGING_RECORD,
  removeStaleTempDirs,
  sha256File,
  TEMP_PREFIX,
} from '../../packaging/package-asset.ts';
import { fingerprintOfHashes, packagePreEncoded } from '../../packaging/pre-encoded.ts';
import { SourceRejectedError } from '../../packaging/probe.ts';
import type { TranscodeProgress } from '../../packaging/transcode.ts';
import { WebVttError } from '../../packaging/webvtt.ts';
import { ConflictError } from '../errors.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import {
  assetRecordKey,
  REPORTS_QUEUE,
  WORK_QUEUE,
  type AssetRecord,
  type HashedFile,
  type OpenedQueue,
  type WorkerReport,
  type WorkOrder,
} from './work-queue.ts';

/**
 * A stateless packaging worker (`aerial worker`): it takes work orders from PostgreSQL, downloads the source (or the
 * pre-encoded rendition files) and its caption sidecars from the object store into a local temp dir, runs the same
 * packaging and verification as a local run (packaging/package-asset.ts, packaging/pre-encoded.ts), uploads the
 * verified asset under its content-addressed id (every media object first, then the asset record
 * `packaged/<assetId>.json`, which is what makes it complete), and reports the record.
 * A second order for an asset whose record is already in the store (a retry after a crash, a duplicate) reports it
 * without packaging again. Objects are immutable and content-addressed, so an attempt killed mid-upload leaves only
 * objects the next attempt writes again with the same bytes; nothing names them until the record exists.
 */

export interface WorkerOptions {
  queue: OpenedQueue;
  store: ObjectStore;
  /** Orders packaged at once (each is one ffmpeg process); default 1. */
  concurrency?: number;
  /** Local scratch space (default os.tmpdir()/aerial-worker). */
  workDir: string;
  logger?: Logger;
  /** Name in reports and logs (default host:pid). */
  name?: string;
}

export interface RunningWorker {
  name: string;
  /** Stops taking orders and waits for the running ones (at most 10 s; an abandoned one is retried elsewhere). */
  stop(): Promise<void>;
}

interface Ctx {
  boss: PgBoss;
  store: ObjectStore;
  workDir: string;
  name: string;
  logger: Logger | undefined;
  cancelPollMs: number;
}

type ReportBody = DistributiveOmit<WorkerReport, 'instance' | 'jobId' | 'attempt' | 'key' | 'worker'>;

function report(ctx: Ctx, order: WorkOrder, body: ReportBody) {
  const { instance, jobId, attempt, key } = order;
  const full = { instance, jobId, attempt, key, worker: ctx.name, ...body };
  return ctx.boss.send(REPORTS_QUEUE, full);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Progress as reports at whole-percent steps, at most one send in flight (ffmpeg reports twice a second). */
function progressSender(ctx: Ctx, order: WorkOrder): (p: TranscodeProgress) => void {
  let lastPercent = -1;
  let inFlight = false;
  return (p) => {
    const percent = Math.floor(Math.min(1, Math.max(0, p.fraction)) * 100);
    if (percent <= lastPercent || inFlight) return;
    lastPercent = percent;
    inFlight = true;
    report(ctx, order, { type: 'progress', progress: p })
      .catch((error: Error) => ctx.logger?.warn({ err: error.message }, 'progress report not sent'))
      .finally(() => (inFlight = false));
  };
}

/** Aborts `controller` once the order's pg-boss state is `cancelled` (or it is gone). Returns the stop function. */
function watchCancel(ctx: Ctx, orderId: string, controller: AbortController): () => void {
  const timer = setInterval(() => {
    ctx.boss
      .getJobById(WORK_QUEUE, orderId)
      .then((job) => {
        if (!job || job.state === 'cancelled') controller.abort(new Error('cancelled'));
      })
      .catch(() => undefined); // a lost connection is not a cancel; pg-boss reconnects
  }, ctx.cancelPollMs);
  return () => clearInterval(timer);
}

async function download(store: ObjectStore, key: string, path: string, signal: AbortSignal): Promise<void> {
  const stream = await store.stream(key);
  if (!stream) throw new Error(`object ${key} is missing from the store ${store.url}`);
  await pipeline(stream, createWriteStream(path), { signal });
}

/** Every file under `dir`, relative, with `/` separators, the packaging record last. */
function filesOf(dir: string): string[] {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
  return files.sort((a, b) => Number(a === PACKAGING_RECORD) - Number(b === PACKAGING_RECORD) || a.localeCompare(b));
}

async function upload(ctx: Ctx, assetDir: string, asset: AssetRecord, signal: AbortSignal): Promise<void> {
  for (const file of filesOf(assetDir)) {
    signal.throwIfAborted();
    await ctx.store.putImmutableFile(`media/${asset.assetId}/${file}`, join(assetDir, file));
  }
  signal.throwIfAborted(); // the last point where a cancel leaves no record behind
  try {
    await ctx.store.putImmutable(assetRecordKey(asset.assetId), `${JSON.stringify(asset)}\n`);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error; // another attempt recorded the same asset first: theirs stands
  }
}

async function storedRecord(store: ObjectStore, assetId: string): Promise<AssetRecord | undefined> {
  const bytes = await store.get(assetRecordKey(assetId));
  return bytes && (JSON.parse(bytes.toString('utf8')) as AssetRecord);
}

/** What a local run would have said: the same words, so the job's reason reads the same wherever it ran. */
function describeFailure(order: WorkOrder, error: unknown): Error {
  const subject = order.kind === 'lesson' ? `lesson '${order.idBase}'` : `${order.kind} '${order.assetId}'`;
  // The reason without the worker's temp path, which means nothing to whoever reads the job.
  if (error instanceof SourceRejectedError) return new Error(`${subject}: source rejected: ${error.reason}`);
  if (error instanceof WebVttError) return new Error(`${subject}: captions rejected: ${error.message}`);
  if (error instanceof NonConformingRenditionError)
    return new Error(`${subject}: pre-encoded renditions refused: ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}

/** Downloads a stored file into `dir` under its name and checks its hash; returns its local path. */
async function fetchFile(ctx: Ctx, file: HashedFile, dir: string, signal: AbortSignal): Promise<string> {
  const path = join(dir, file.name);
  await download(ctx.store, file.key, path, signal);
  const sha = await sha256File(path, signal);
  if (sha !== file.sha256) throw new Error(`source ${file.key} in the store has other bytes (${sha})`);
  return path;
}

interface FetchedInputs {
  /** The source, or the first rendition's file (its sidecars are next to it). */
  source: string;
  /** Pre-encoded renditions: rendition name → local file. */
  files?: Record<string, string>;
  /** The source's hash, or the renditions' fingerprint. */
  sha: string;
}

/** Downloads an order's source or rendition files, and its caption sidecars next to them, into `dir`. */
async function fetchInputs(ctx: Ctx, order: WorkOrder, dir: string, signal: AbortSignal): Promise<FetchedInputs> {
  mkdirSync(dir, { recursive: true });
  for (const c of order.captions) await download(ctx.store, c.file.key, join(dir, c.file.name), signal);
  if (!order.renditions) return { source: await fetchFile(ctx, order.source, dir, signal), sha: order.source.sha256 };
  const files: Record<string, string> = {};
  const hashes: Record<string, string> = {};
  for (const [name, file] of Object.entries(order.renditions)) {
    files[name] = await fetchFile(ctx, file, dir, signal);
    hashes[name] = file.sha256;
  }
  const sha = fingerprintOfHashes(getLadder(order.ladder), hashes);
  return { source: join(dir, order.source.name), files, sha };
}

/** Downloads, packages and uploads one order in `dir`; returns the record it uploaded. */
async function packageOrder(ctx: Ctx, order: WorkOrder, dir: string, signal: AbortSignal): Promise<AssetRecord> {
  const { source, files, sha } = await fetchInputs(ctx, order, join(dir, 'source'), signal);
  const ladder = getLadder(order.ladder);
  const segmenting = order.kind === 'slate' ? SLATE_SEGMENTING : LESSON_SEGMENTING;
  const captions = readCaptionSidecars(
    source,
    order.captions.map((c) => c.language),
  );
  const assetId =
    order.idBase === null ? order.assetId : contentAssetId(order.idBase, sha, ladder, segmenting, captions);
  if (assetId !== order.assetId) throw new Error(`asset id ${assetId} differs from the order's ${order.assetId}`);
  const mediaDir = join(dir, 'media');
  const poster = order.poster ? { poster: order.poster } : {}; // an order sent before posters were carried: none
  const common = { assetId, mediaDir, ladder, segmenting, sourceSha256: sha, captions, ...poster, signal };
  const { elapsedMs: _elapsed, ...asset } = files
    ? await packagePreEncoded({ ...common, files }) // conformance first: a refusal is NonConformingRenditionError
    : await packageAsset({ ...common, source, onProgress: progressSender(ctx, order) });
  await upload(ctx, join(mediaDir, assetId), asset, signal);
  return asset;
}

/** The lock ran out: pg-boss offers the order again (to any worker), so this attempt stops and fails. */
class LockExpiredError extends Error {}

async function handleOrder(ctx: Ctx, job: PgBoss.Job<WorkOrder>): Promise<void> {
  const order = job.data;
  const controller = new AbortController();
  const stopWatching = watchCancel(ctx, job.id, controller);
  // pg-boss gives up on the handler at the expiry (and retries the order); ffmpeg must not run on regardless.
  const lockMs = Number(job.expireInSeconds) * 1000;
  const lock = setTimeout(
    () => controller.abort(new LockExpiredError(`lock expired after ${lockMs / 1000} s`)),
    lockMs,
  );
  const dir = join(ctx.workDir, `${TEMP_PREFIX}${job.id}-${process.pid}`);
  const log = ctx.logger?.child({ job: order.jobId, asset: order.assetId, order: job.id });
  try {
    log?.info('packaging');
    await report(ctx, order, { type: 'started' });
    const existing = await storedRecord(ctx.store, order.assetId);
    const asset = existing ?? (await packageOrder(ctx, order, dir, controller.signal));
    log?.info({ reused: existing !== undefined }, 'packaged'); // uploaded; the report follows
    await report(ctx, order, { type: 'succeeded', asset, reused: existing !== undefined });
  } catch (error) {
    if (controller.signal.reason instanceof LockExpiredError) throw controller.signal.reason;
    if (controller.signal.aborted) {
      rmSync(dir, { recursive: true, force: true }); // before telling anyone it is over
      await report(ctx, order, { type: 'cancelled' });
      log?.info('cancelled');
      return;
    }
    const described = describeFailure(order, error);
    if (error instanceof NonConformingRenditionError) {
      // Not transient: retrying cannot make the file conform, so the job fails now instead of after its retries.
      await report(ctx, order, { type: 'refused', reason: described.message });
      log?.warn({ err: described.message }, 'refused');
      return;
    }
    log?.warn({ err: described.message }, 'packaging failed (retried until its retries are spent)');
    throw described;
  } finally {
    clearTimeout(lock);
    stopWatching();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts taking orders. Temp dirs that dead workers left in `workDir` are removed first. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { boss, timing } = options.queue;
  mkdirSync(options.workDir, { recursive: true });
  removeStaleTempDirs(options.workDir);
  const ctx: Ctx = {
    boss,
    store: options.store,
    workDir: options.workDir,
    name: options.name ?? `${hostname()}:${process.pid}`,
    logger: options.logger,
    cancelPollMs: timing.cancelPollMs,
  };
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const ids: string[] = [];
  // One pg-boss worker per slot, each taking one order at a time: `concurrency` ffmpeg processes at most.
  for (let i = 0; i < concurrency; i++) {
    ids.push(
      await boss.work<WorkOrder>(WORK_QUEUE, { batchSize: 1, pollingIntervalSeconds: timing.pollSeconds }, ([job]) =>
        handleOrder(ctx, job!),
      ),
    );
  }
  return {
    name: ctx.name,
    async stop() {
      for (const id of ids) await boss.offWork({ id });
    },
  };
}

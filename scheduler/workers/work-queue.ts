import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { PackagedAsset } from '../../packaging/package-asset.ts';
import type { PosterOptions } from '../../packaging/poster.ts';
import type { TranscodeProgress } from '../../packaging/transcode.ts';

/**
 * The PostgreSQL work queue between one control plane and any number of packaging workers (pg-boss; why pg-boss is
 * in docs/packaging.md). Three pg-boss queues:
 * - `aerial-packaging`: work orders, one per packaging job. Policy `stately` + `singletonKey` = the job key (lesson,
 *   source hash, ladder, segmenting): the same content waits at most once. At-least-once: a handler that throws is
 *   retried with exponential backoff; a job still active after `lockSeconds` (its worker died) is offered again.
 * - `aerial-packaging-failed`: the dead-letter queue; pg-boss moves an order there once its retries are spent, with
 *   the last error. The control plane records the failure.
 * - `aerial-packaging-reports`: what workers tell the control plane (started, progress, succeeded with the asset
 *   record, cancelled, refused: an input that can never be packaged, failed at once without retries). Reports wait
 *   in PostgreSQL while the control plane is down: a restart loses none.
 * Cancel is pg-boss's own job state `cancelled`, which the worker running the order polls.
 */

export const WORK_QUEUE = 'aerial-packaging';
export const FAILED_QUEUE = 'aerial-packaging-failed';
export const REPORTS_QUEUE = 'aerial-packaging-reports';

/** How long things take: defaults for production, shortened by tests. */
export interface QueueTiming {
  /** An active order older than this is taken to be abandoned (its worker died) and offered again. */
  lockSeconds: number;
  /** Attempts after the first. */
  retryLimit: number;
  /** First retry delay; doubled (with jitter) each attempt. */
  retryDelaySeconds: number;
  /** How often expired orders are looked for (pg-boss maintenance). */
  maintenanceSeconds: number;
  /** How often an idle worker or the control plane asks for new orders / reports (≥ 0.5). */
  pollSeconds: number;
  /** How often a worker checks whether the order it runs was cancelled, ms. */
  cancelPollMs: number;
}

export const DEFAULT_TIMING: QueueTiming = {
  lockSeconds: 2 * 3600,
  retryLimit: 2,
  retryDelaySeconds: 30,
  maintenanceSeconds: 30,
  pollSeconds: 1,
  cancelPollMs: 1000,
};

/** Where a file of the order is in the object store, and the name the worker gives its local copy. */
export interface StoredFile {
  key: string;
  name: string;
}

/** One packaging job for a worker: everything it needs is in the store or in here (no database). */
export interface WorkOrder {
  /** The control plane that sent it (its database's queue identity); reports carry it back. */
  instance: string;
  /** The control plane's job id (its SQLite `packaging_jobs.id`). */
  jobId: number;
  /** Which queuing of that job (a retried job is sent again): reports of an older attempt are ignored. */
  attempt: number;
  /** lesson/asset + source hash (pre-encoded: the renditions' fingerprint) + ladder + segmenting. */
  key: string;
  kind: 'lesson' | 'filler' | 'slate';
  /** The content-addressed asset id the control plane computed; the worker checks it against what it downloaded. */
  assetId: string;
  /** Base of the content id (the lesson id), or null for a filler/slate, whose id is fixed. */
  idBase: string | null;
  ladder: string;
  /** The source to transcode; for pre-encoded renditions, the first rendition's file (its sidecars sit next to it). */
  source: HashedFile;
  /**
   * Pre-encoded renditions (rendition name → file): segmented by stream copy after the conformance checks
   * (packaging/pre-encoded.ts) instead of transcoding `source`. A non-conforming file is refused at once.
   */
  renditions?: Record<string, HashedFile>;
  /** Caption sidecars, in catalog order (the worker places them next to the source). */
  captions: { language: string; file: StoredFile }[];
  /** Where the poster frame is taken (`--poster-at`; the default, 10 % in, when none was given). */
  poster: PosterOptions;
}

export type HashedFile = StoredFile & { sha256: string };

/** The asset record as reported: PackagedAsset without the wall time (so two runs' records are equal). */
export type AssetRecord = Omit<PackagedAsset, 'elapsedMs'>;

export type WorkerReport = { instance: string; jobId: number; attempt: number; key: string; worker: string } & (
  | { type: 'started' }
  | { type: 'progress'; progress: TranscodeProgress }
  | { type: 'succeeded'; asset: AssetRecord; reused: boolean }
  | { type: 'cancelled' }
  /** The input can never be packaged (a non-conforming rendition): the job fails at once, without retries. */
  | { type: 'refused'; reason: string }
);

/** Object keys: sources by content, the asset record written after every media object of the asset. */
export const sourceKey = (sha256: string) => `sources/${sha256}`;
export const assetRecordKey = (assetId: string) => `packaged/${assetId}.json`;

/** The job key of an order: one packaging of one content. */
export function jobKey(subject: string, sourceSha256: string, ladder: string, segmenting: object): string {
  return `${subject}:${sourceSha256}:${ladder}:${JSON.stringify(segmenting)}`;
}

/** The content part of a pre-encoded order's key: the renditions' fingerprint (every file's name and hash). */
export const renditionsKeyPart = (fingerprint: string) => `renditions=${fingerprint}`;

/** A stable pg-boss id (a UUID) for one attempt of a control plane's job: re-sending it is a no-op. */
export function orderId(instance: string, jobId: number, attempt: number): string {
  const hex = createHash('sha256').update(`${instance}:${jobId}:${attempt}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface OpenedQueue {
  boss: PgBoss;
  timing: QueueTiming;
  stop(): Promise<void>;
}

/** pg-boss send options of a work order: the sender's timing (a queue created earlier keeps its own defaults). */
export function orderOptions(timing: QueueTiming) {
  return {
    retryLimit: timing.retryLimit,
    retryDelay: timing.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: timing.lockSeconds,
    deadLetter: FAILED_QUEUE,
  };
}

/** Connects to PostgreSQL, installs pg-boss's schema if needed, and creates the three queues. */
export async function openWorkQueue(
  url: string,
  timing: QueueTiming,
  onError: (e: Error) => void,
): Promise<OpenedQueue> {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`--queue must be a postgres:// URL, got '${url}'`);
  const boss = new PgBoss({
    connectionString: url,
    application_name: 'aerial',
    maintenanceIntervalSeconds: timing.maintenanceSeconds,
    monitorStateIntervalSeconds: Math.max(timing.maintenanceSeconds, 10),
  });
  boss.on('error', onError);
  await boss.start();
  await boss.createQueue(FAILED_QUEUE, { name: FAILED_QUEUE, retryLimit: 5, retryDelay: 1 });
  await boss.createQueue(REPORTS_QUEUE, { name: REPORTS_QUEUE, retryLimit: 20, retryDelay: 1, expireInSeconds: 60 });
  await boss.createQueue(WORK_QUEUE, {
    name: WORK_QUEUE,
    policy: 'stately',
    retryLimit: timing.retryLimit,
    retryDelay: timing.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: timing.lockSeconds,
    deadLetter: FAILED_QUEUE,
  });
  return { boss, timing, stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }) };
}

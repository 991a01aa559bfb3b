import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type Koa from 'koa';
import pino, { type Logger } from 'pino';
import { systemClock, type Clock } from './clock.ts';
import { createPackagingQueue, type PackagingQueue } from './admin/packaging-queue.ts';
import { createUploads, type Uploads } from './admin/uploads.ts';
import { createApp } from './http/app.ts';
import type { CronStatus } from './http/health.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';
import { keepTickObjectMapsAlive } from './http/tick-objects.ts';
import { buildDay } from './schedule/build.ts';
import type { CatalogView } from './schedule/build-types.ts';
import { createScheduleJobs, type ScheduleJobs } from './schedule/jobs.ts';
import { listChannels } from './schedule/channels-repository.ts';
import { openDb, type Db } from './store/db.ts';
import { createStorePublisher, type StorePublisher } from './distribution/store-publisher.ts';
import { createGuideStore } from './guide/guide-store.ts';
import { createFsStore } from './object-store/fs-store.ts';
import type { ObjectStore } from './object-store/object-store.ts';
import { createDispatcher } from './workers/dispatcher.ts';
import { DEFAULT_TIMING, openWorkQueue, type QueueTiming } from './workers/work-queue.ts';

export interface ServiceOptions {
  dataDir: string;
  /** 0 = any free port (tests). */
  port: number;
  host?: string;
  clock?: Clock;
  logger?: Logger;
  publicBaseUrl?: string;
  /** How each schedule job run reads the catalog. */
  loadCatalog: (db: Db) => CatalogView;
  /** Write the "ready" lines (URLs) here; default stdout. */
  announce?: (line: string) => void;
  /** Days the schedule jobs keep published ahead. */
  horizonDays?: number;
  /** Parallel packaging jobs (ffmpeg processes) of the admin API; default one per two cores. */
  packagingConcurrency?: number;
  /** Largest upload accepted (AERIAL_MAX_UPLOAD_BYTES; default 20 GB). */
  maxUploadBytes?: number;
  /** How far ahead of now a republish may change the schedule (default 2 min; tests shorten it). */
  guardMs?: number;
  /** Where published days go for edge origins (`--store`); default the filesystem store of the data directory. */
  store?: ObjectStore;
  /** `--queue postgres://…`: packaging jobs go to workers through PostgreSQL, their sources through `store`. */
  workQueue?: { url: string; store: ObjectStore; timing?: QueueTiming };
}

/** Abandoned uploads are looked for this often (they expire after 24 h idle). */
const UPLOAD_SWEEP_MS = 3600_000;

export interface RunningService {
  /** `http://host:port` the server listens on. */
  url: string;
  server: Server;
  db: Db;
  /** Mirrors the published schedule into the object store. */
  storePublisher: StorePublisher;
  jobs: ScheduleJobs;
  packaging: PackagingQueue;
  metrics: Metrics;
  /** Stop accepting, finish in-flight requests, stop the cron jobs, close the database. Idempotent. */
  close(): Promise<void>;
}

/** In-flight requests get this long to finish on shutdown before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The packaging queue: in this process, or (`workQueue`) handed to workers through PostgreSQL. */
async function openPackaging(
  db: Db,
  options: ServiceOptions,
  clock: Clock,
  logger: Logger,
): Promise<{ packaging: PackagingQueue; close: () => Promise<void> }> {
  const base = { db, dataDir: options.dataDir, clock, logger: logger.child({ component: 'packaging' }) };
  const concurrency = options.packagingConcurrency ? { concurrency: options.packagingConcurrency } : {};
  if (!options.workQueue)
    return { packaging: createPackagingQueue({ ...base, ...concurrency }), close: async () => {} };
  const { url, store, timing = DEFAULT_TIMING } = options.workQueue;
  const queueLogger = logger.child({ component: 'work-queue' });
  const queue = await openWorkQueue(url, timing, (error) => queueLogger.error({ err: error.message }, 'queue error'));
  const dispatcher = createDispatcher({ db, queue, store, clock, logger: queueLogger });
  return {
    packaging: createPackagingQueue({ ...base, dispatcher }),
    close: async () => {
      await dispatcher.stop();
      await queue.stop();
    },
  };
}

/** The nightly schedule jobs, timed into the metrics and the cron status /healthz reports. */
function createTimedJobs(
  db: Db,
  options: ServiceOptions,
  env: { clock: Clock; logger: Logger; metrics: Metrics; cron: CronStatus },
): ScheduleJobs {
  const { clock, metrics, cron } = env;
  return createScheduleJobs({
    db,
    loadCatalog: () => options.loadCatalog(db),
    logger: env.logger.child({ component: 'schedule-jobs' }),
    onPublished: (channelId, job) => {
      const at = clock();
      cron.lastRunMs = at;
      metrics.recordScheduledPublish(channelId, job, at);
    },
    clock,
    horizonDays: options.horizonDays ?? 7,
    ...(options.guardMs !== undefined ? { guardMs: options.guardMs } : {}),
    buildDay: (rules, date, previous, buildOptions) => {
      const started = process.hrtime.bigint();
      const built = buildDay(rules, date, previous, buildOptions);
      metrics.observeBuild(rules.channel.id, Number(process.hrtime.bigint() - started) / 1e9);
      return built;
    },
  });
}

/**
 * Publishes what the horizon lacks (so every channel has a schedule before the first request), then starts the cron.
 */
function catchUpAndStart(jobs: ScheduleJobs, logger: Logger): void {
  const catchUp = jobs.catchUp();
  const failed = catchUp.channels.filter((c) => !c.ok);
  logger.info({ channels: catchUp.channels.length, failed: failed.length }, 'schedule catch-up done');
  jobs.start();
}

export async function listen(app: Koa, port: number, host: string): Promise<Server> {
  // Before the first request (http/tick-objects.ts: otherwise node's own nextTick may stay slow for good).
  keepTickObjectMapsAlive();
  const listening = app.listen({ port, host });
  try {
    await new Promise<void>((resolve, reject) => {
      listening.once('listening', resolve);
      listening.once('error', reject);
    });
  } catch (error) {
    listening.close();
    throw error;
  }
  return listening;
}

/** `http://host:port` of the listening server (127.0.0.1 when it listens on every interface). */
export function serviceUrl(server: Server, host: string | undefined): string {
  const port = (server.address() as AddressInfo).port;
  return `http://${host && host !== '0.0.0.0' ? host : '127.0.0.1'}:${port}`;
}

/** The "ready" lines: where the TV app, guide, playlist and each channel are. */
function announceUrls(announce: (line: string) => void, url: string, base: string, channelIds: string[]): void {
  announce(`Aerial Classroom is serving on ${url}`);
  announce(`  TV app:   ${base}/tv/`);
  announce(`  guide:    ${base}/epg.xml   ${base}/api/guide`);
  announce(`  playlist: ${base}/channels.m3u`);
  if (channelIds.length === 0) announce('  channels: none configured yet (aerial channels import FILE)');
  for (const id of channelIds) announce(`  channel ${id}: ${base}/live/${id}/master.m3u8`);
}

/** Stops accepting, lets in-flight requests finish (at most SHUTDOWN_GRACE_MS), then resolves. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    // A keep-alive connection becomes idle when its in-flight response ends; close it then rather
    // than waiting for the keep-alive timeout.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    force.unref();
    sweep.unref();
    server.close(() => {
      clearTimeout(force);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** The admin API's uploads, with abandoned ones swept now and every UPLOAD_SWEEP_MS. */
function startUploads(
  db: Db,
  options: ServiceOptions,
  env: { clock: Clock; packaging: PackagingQueue; logger: Logger },
): { uploads: Uploads; uploadSweep: NodeJS.Timeout } {
  const uploads = createUploads({
    db,
    dataDir: options.dataDir,
    clock: env.clock,
    packaging: env.packaging,
    logger: env.logger.child({ component: 'uploads' }),
    ...(options.maxUploadBytes ? { maxUploadBytes: options.maxUploadBytes } : {}),
  });
  uploads.expire();
  const uploadSweep = setInterval(() => uploads.expire(), UPLOAD_SWEEP_MS);
  uploadSweep.unref();
  return { uploads, uploadSweep };
}

/**
 * The `aerial serve` service: the origin plus the schedule jobs and the packaging queue in one process.
 * Start-up order: open the DB, publish whatever the horizon lacks (catch-up) so that every configured
 * channel has a schedule before the first request, start the nightly cron and the packaging queue,
 * then listen.
 */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const logger = options.logger ?? pino({ name: 'aerial' });
  const clock = options.clock ?? systemClock;
  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`));
  const db = openDb(options.dataDir);
  let jobs: ScheduleJobs | undefined;
  let server: Server;
  const metrics = createMetrics();
  const { packaging, close: closePackaging } = await openPackaging(db, options, clock, logger).catch((error) => {
    db.close();
    throw error;
  });
  const { uploads, uploadSweep } = startUploads(db, options, { clock, packaging, logger });
  const cron: CronStatus = { scheduledTimezones: [], startedMs: clock() };
  // One guide store for the guide routes and the store publisher: edges then answer the guides' validators alike.
  const guideStore = createGuideStore(db, clock);
  const storePublisher = createStorePublisher({
    db,
    store: options.store ?? createFsStore(options.dataDir),
    clock,
    logger: logger.child({ component: 'store' }),
    mediaDir: join(options.dataDir, 'media'),
    guide: guideStore,
  });
  try {
    jobs = createTimedJobs(db, options, { clock, logger, metrics, cron });
    catchUpAndStart(jobs, logger);
    storePublisher.start();
    const startedJobs = jobs;
    packaging.start();

    const app = createApp({
      db,
      mediaDir: join(options.dataDir, 'media'),
      clock,
      logger: logger.child({ component: 'http' }),
      ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
      loadCatalog: options.loadCatalog,
      guideStore,
      packagingQueue: packaging,
      uploads,
      metrics,
      horizonDays: options.horizonDays ?? 7,
      ...(options.guardMs !== undefined ? { guardMs: options.guardMs } : {}),
      cronStatus: () => ({ ...cron, scheduledTimezones: startedJobs.scheduledTimezones() }),
    });
    server = await listen(app, options.port, options.host ?? '0.0.0.0');
  } catch (error) {
    clearInterval(uploadSweep);
    jobs?.stop();
    packaging.stop();
    await storePublisher.stop();
    await closePackaging();
    db.close();
    throw error;
  }

  const url = serviceUrl(server, options.host);
  const channelIds = listChannels(db).map((c) => c.id);
  announceUrls(announce, url, options.publicBaseUrl?.replace(/\/+$/, '') ?? url, channelIds);

  const runningServer = server;
  const runningJobs = jobs;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      runningJobs.stop();
      clearInterval(uploadSweep);
      // Running ffmpeg jobs are not waited for: the next start marks them failed with the reason.
      packaging.stop();
      await closeServer(runningServer);
      await storePublisher.stop();
      await closePackaging(); // workers' reports not yet applied wait in PostgreSQL for the next start
      db.close();
      logger.info('stopped');
    })());
  return { url, server: runningServer, db, storePublisher, jobs: runningJobs, packaging, metrics, close };
}

/** SIGINT/SIGTERM → graceful close, then exit. A second signal exits at once. */
export function closeOnSignals(service: { close(): Promise<void> }, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      logger.info({ signal }, 'shutting down');
      service.close().then(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

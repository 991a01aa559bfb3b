import cors from '@koa/cors';
import Router from '@koa/router';
import Koa from 'koa';
import compress from 'koa-compress';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as zlibConstants } from 'node:zlib';
import type { Logger } from 'pino';
import type { PackagingQueue } from '../admin/packaging-queue.ts';
import { loadCatalogView } from '../catalog/catalog-view.ts';
import type { Clock } from '../clock.ts';
import type { CatalogView } from '../schedule/build-types.ts';
import type { Db } from '../store/db.ts';
import { createUploads, type Uploads } from '../admin/uploads.ts';
import { createUploadsMiddleware } from './admin/uploads-routes.ts';
import { createAdminAppFileHandler } from './admin-app-files.ts';
import { createAdminRouter } from './admin-routes.ts';
import { requireRole } from './auth.ts';
import type { GuideCatalogStore } from '../guide/guide-store.ts';
import { databaseGuideSource } from './guide-route-context.ts';
import { registerGuideRoutes } from './guide-routes.ts';
import { checkHealth, type CronStatus } from './health.ts';
import { createHotPath, type HotPath } from './hot-path.ts';
import type { LivePlaylistCacheOptions } from './live-playlist-cache.ts';
import { registerLiveRoutes } from './live-routes.ts';
import { createOriginContext, type OriginContext } from './origin-context.ts';
import { EMPTY_CAPTION_SEGMENT_PATH } from '../../playlists/captions.ts';
import { createMediaFileHandler, createMediaFiles, serveEmptyCaptionSegment, type MediaFiles } from './media-files.ts';
import { createMetrics, registerMetricsRoute, type Metrics } from './metrics.ts';
import { errorMapping, requestLogging } from './middleware.ts';
import { createTvAppFileHandler } from './tv-app-files.ts';
import { registerVodRoutes } from './vod-routes.ts';

export interface AppOptions {
  db: Db;
  /** `<data>/media`: packaged assets, served under /media/. */
  mediaDir: string;
  clock: Clock;
  logger: Logger;
  /** e.g. `https://tv.example.net`; when set, playlists use absolute segment URLs under it. */
  publicBaseUrl?: string;
  /** Live window in segments (≥ max(6 segments, 3 target durations)). */
  windowSegments?: number;
  /** Built TV app; default `tv-app/dist` of this checkout. */
  tvAppDir?: string;
  /** Built broadcaster console; default `admin-app/dist` of this checkout. */
  adminAppDir?: string;
  /** How admin previews, publishes and suspension switches read the catalog; default the full catalog view. */
  loadCatalog?: (db: Db) => CatalogView;
  /** Packaging job queue of the admin API; the caller (service.ts) starts and stops it. */
  packagingQueue: PackagingQueue;
  /** Uploads of the admin API (tus, /api/admin/uploads); default on `<mediaDir>/..` with the default limits. */
  uploads?: Uploads;
  /** Prometheus metrics; default a fresh registry. */
  metrics?: Metrics;
  /** Days /healthz requires every channel to be published ahead (default 7). */
  horizonDays?: number;
  /** Republish guard of admin publishes and suspension switches (default 2 min). */
  guardMs?: number;
  /** State of the schedule jobs, for /healthz (absent: this process runs none). */
  cronStatus?: () => CronStatus;
  /** The guides' store, when the caller shares it (the store publisher publishes its content states). */
  guideStore?: GuideCatalogStore;
  /** Answer plain live playlist and known segment requests before the Koa stack (default true). */
  hotPath?: boolean;
  /** Bounds of the rendered-playlist cache (default 4096 entries, 64 MiB). */
  playlistCache?: LivePlaylistCacheOptions;
}

const DEFAULT_TV_APP_DIR = fileURLToPath(new URL('../../tv-app/dist/', import.meta.url));
const DEFAULT_ADMIN_APP_DIR = fileURLToPath(new URL('../../admin-app/dist/', import.meta.url));

/** Text formats are worth compressing; segments (already compressed video) are not. */
const COMPRESSIBLE = /mpegurl|json|text|xml|javascript|css|svg/;

/** Logging, metrics, error mapping, CORS and compression, in that order (outermost first). */
export function useCommonMiddleware(app: Koa, logger: Logger, metrics: Metrics): void {
  app.use(requestLogging(logger));
  // Outside the error mapping, so it counts the status the client actually gets.
  app.use(metrics.middleware);
  app.use(errorMapping(logger));
  app.use(
    cors({
      origin: '*',
      allowMethods: ['GET', 'HEAD', 'OPTIONS'],
      exposeHeaders: ['Content-Length', 'Date', 'Retry-After'],
      maxAge: 86_400,
    }),
  );
  app.use(
    compress({
      filter: (contentType) => COMPRESSIBLE.test(contentType),
      threshold: 256,
      gzip: { flush: zlibConstants.Z_SYNC_FLUSH },
      deflate: false,
      br: false,
    }),
  );
}

/** Packaged media, the empty caption segment and the TV app build. */
function staticFiles(options: AppOptions, mediaFiles: MediaFiles): Koa.Middleware {
  const serveMedia = createMediaFileHandler(mediaFiles);
  const serveTvApp = createTvAppFileHandler(options.tvAppDir ?? DEFAULT_TV_APP_DIR);
  const serveAdminApp = createAdminAppFileHandler(options.adminAppDir ?? DEFAULT_ADMIN_APP_DIR);
  // Static trees are matched on the raw path so that no decoding step can smuggle in `..` or `/`.
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path.startsWith('/media/')) return serveMedia(ctx, ctx.path.slice('/media/'.length));
    if (ctx.path === EMPTY_CAPTION_SEGMENT_PATH) return serveEmptyCaptionSegment(ctx);
    if (ctx.path === '/tv') return ctx.redirect('/tv/');
    if (ctx.path.startsWith('/tv/')) return serveTvApp(ctx, ctx.path.slice('/tv/'.length));
    if (ctx.path === '/admin') return ctx.redirect('/admin/');
    if (ctx.path.startsWith('/admin/')) return serveAdminApp(ctx, ctx.path.slice('/admin/'.length));
    return next();
  };
}

/** `/`, `/healthz`, `/metrics` and the read routes: live, VOD, guide. */
function createPublicRouter(options: AppOptions, origin: OriginContext, metrics: Metrics): Router {
  const router = new Router();
  router.get('/', (ctx) => {
    ctx.redirect('/tv/');
  });
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const report = checkHealth({
      db: options.db,
      mediaDir: options.mediaDir,
      clock: options.clock,
      horizonDays: options.horizonDays ?? 7,
      ...(options.cronStatus ? { cronStatus: options.cronStatus } : {}),
    });
    ctx.status = report.status === 'ok' ? 200 : 503;
    ctx.body = report;
  });
  registerMetricsRoute(router, metrics);
  registerLiveRoutes(router, origin);
  registerVodRoutes(router, origin);
  const guide = databaseGuideSource(options.db, options.clock, options.guideStore);
  registerGuideRoutes(
    router,
    guide,
    {
      ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
      onRender: metrics.countGuideRender,
    },
    guide.store,
  );
  return router;
}

function uploadsOf(options: AppOptions): Uploads {
  if (options.uploads) return options.uploads;
  const dataDir = dirname(options.mediaDir);
  return createUploads({ db: options.db, dataDir, clock: options.clock, packaging: options.packagingQueue });
}

function createAdminApi(options: AppOptions, metrics: Metrics): Router {
  const loadCatalog = options.loadCatalog ?? loadCatalogView;
  return createAdminRouter({
    db: options.db,
    clock: options.clock,
    packaging: options.packagingQueue,
    schedule: {
      db: options.db,
      loadCatalog: () => loadCatalog(options.db),
      ...(options.guardMs !== undefined ? { guardMs: options.guardMs } : {}),
      observeBuild: (channelId, seconds) => metrics.observeBuild(channelId, seconds),
    },
  });
}

/** Koa with the lean hot path in front of its middleware stack (see hot-path.ts). */
export class OriginKoa extends Koa {
  hotPath?: HotPath;

  override callback(): ReturnType<Koa['callback']> {
    const handle = super.callback();
    const hotPath = this.hotPath;
    if (!hotPath) return handle;
    // The origin listens with node:http only (the Http2 types of Koa's signature never reach it).
    const answered = Promise.resolve();
    return (req, res) => (hotPath(req as IncomingMessage, res as ServerResponse) ? answered : handle(req, res));
  }
}

/**
 * The origin as a Koa app, not listening: the service (or a test, on an ephemeral port) calls listen.
 * Stateless: every answer is computed from the database and the clock. It only routes: the packaging
 * queue and the schedule jobs are started (or not) by the caller.
 */
export function createApp(options: AppOptions): Koa {
  const app = new OriginKoa();
  app.proxy = true;
  // Errors are answered and logged by errorMapping; Koa's default handler would log them a second time.
  app.silent = true;
  // What still reaches Koa is a failure after the answer started (a client hanging up mid-segment).
  app.on('error', (error: NodeJS.ErrnoException) => {
    options.logger.warn({ err: error, code: error.code }, 'response aborted');
  });

  const metrics = options.metrics ?? createMetrics();
  metrics.setQueueDepthSource(() => options.packagingQueue.depth());
  const origin = createOriginContext(options);
  const mediaFiles = createMediaFiles(options.mediaDir);
  metrics.setPlaylistCacheSource(() => ({ entries: origin.playlists.entries, bytes: origin.playlists.bytes }));
  if (options.hotPath ?? true) app.hotPath = createHotPath(origin, mediaFiles, metrics, options.logger);
  useCommonMiddleware(app, options.logger, metrics);
  app.use(staticFiles(options, mediaFiles));
  app.use(createUploadsMiddleware({ uploads: uploadsOf(options), editor: requireRole(options.db, 'editor') }));
  const router = createPublicRouter(options, origin, metrics);
  app.use(router.routes());
  app.use(router.allowedMethods());
  const admin = createAdminApi(options, metrics);
  app.use(admin.routes());
  app.use(admin.allowedMethods());
  return app;
}

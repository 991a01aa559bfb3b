import Router from '@koa/router';
import type Koa from 'koa';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { EMPTY_CAPTION_SEGMENT_PATH } from '../../playlists/captions.ts';
import type { Clock } from '../clock.ts';
import { createStoreGuideStore } from '../distribution/store-guide.ts';
import { storeAssetTimelines, type PublishedStoreReader } from '../distribution/store-reader.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import { OriginKoa, useCommonMiddleware } from './app.ts';
import { checkEdgeHealth } from './edge-health.ts';
import { registerGuideRoutes } from './guide-routes.ts';
import { createHotPath } from './hot-path.ts';
import { registerLiveRoutes } from './live-routes.ts';
import { createMediaFileHandler, createMediaFiles, serveEmptyCaptionSegment, type MediaFiles } from './media-files.ts';
import { createMetrics, registerMetricsRoute, type Metrics } from './metrics.ts';
import { createOriginContext } from './origin-context.ts';
import { createStoreMediaHandler } from './store-media.ts';
import { createStorePublishedDays } from './store-published-days.ts';
import { registerVodRoutes } from './vod-routes.ts';

export interface EdgeAppOptions {
  store: ObjectStore;
  reader: PublishedStoreReader;
  clock: Clock;
  logger: Logger;
  publicBaseUrl?: string;
  windowSegments?: number;
  metrics?: Metrics;
}

/** Never resolves a file: with a store that is not a local directory, the hot path leaves segments to Koa. */
const NO_LOCAL_MEDIA: MediaFiles = {
  resolve: () => Promise.reject(new Error('no local media directory')),
  cached: () => undefined,
  forget: () => undefined,
};

/**
 * An edge origin (`aerial serve --edge --store URL`): /live, /vod, /media, the public guides, /healthz and /metrics
 * from the object store alone — the same routes and renderers as the control plane (live-routes.ts, vod-routes.ts,
 * the hot path, guide-routes.ts), fed by the store-backed published-day index and guide store instead of the
 * database. No admin API, uploads, lesson catalog (/api/lessons) or apps: those stay on the control plane, where
 * the shield routes them.
 */
export function createEdgeApp(options: EdgeAppOptions): Koa {
  const app = new OriginKoa();
  app.proxy = true;
  app.silent = true;
  app.on('error', (error: NodeJS.ErrnoException) => {
    options.logger.warn({ err: error, code: error.code }, 'response aborted');
  });
  const metrics = options.metrics ?? createMetrics();
  const origin = createOriginContext({
    source: { published: createStorePublishedDays(options.reader), assets: storeAssetTimelines(options.reader) },
    clock: options.clock,
    logger: options.logger,
    ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
    ...(options.windowSegments ? { windowSegments: options.windowSegments } : {}),
  });
  metrics.setPlaylistCacheSource(() => ({ entries: origin.playlists.entries, bytes: origin.playlists.bytes }));
  const local = options.store.localRoot;
  const mediaFiles = local ? createMediaFiles(join(local, 'media')) : NO_LOCAL_MEDIA;
  const serveMedia = local ? createMediaFileHandler(mediaFiles) : createStoreMediaHandler(options.store);
  app.hotPath = createHotPath(origin, mediaFiles, metrics, options.logger);
  useCommonMiddleware(app, options.logger, metrics);
  app.use(async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path.startsWith('/media/')) return serveMedia(ctx, ctx.path.slice('/media/'.length));
    if (ctx.path === EMPTY_CAPTION_SEGMENT_PATH) return serveEmptyCaptionSegment(ctx);
    return next();
  });
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const report = checkEdgeHealth(options.reader, options.clock);
    ctx.status = report.status === 'ok' ? 200 : 503;
    ctx.body = report;
  });
  registerMetricsRoute(router, metrics);
  registerLiveRoutes(router, origin);
  registerVodRoutes(router, origin);
  const guide = {
    store: createStoreGuideStore(options.reader, options.store),
    clock: options.clock,
    onPublished: (listener: () => void) => options.reader.onChange(listener),
  };
  registerGuideRoutes(router, guide, {
    ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
    onRender: metrics.countGuideRender,
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

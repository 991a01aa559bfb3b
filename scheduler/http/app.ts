import cors from '@koa/cors';
import Router from '@koa/router';
import Koa from 'koa';
import compress from 'koa-compress';
import { fileURLToPath } from 'node:url';
import { constants as zlibConstants } from 'node:zlib';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { createAssetTimelines, type AssetTimelines } from '../media/asset-timelines.ts';
import type { Db } from '../store/db.ts';
import { HttpProblem } from './http-errors.ts';
import { createChannelTimelines } from './channel-timelines.ts';
import { registerGuideRoutes } from './guide-routes.ts';
import { registerLiveRoutes } from './live-routes.ts';
import { createMediaFileHandler } from './media-files.ts';
import { errorMapping, requestLogging } from './middleware.ts';
import { createPublishedDays } from './published-days.ts';
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
}

/** Everything a route needs; built once per app. Caches inside are pure functions of immutable data. */
export interface OriginContext {
  db: Db;
  clock: Clock;
  logger: Logger;
  windowSegments: number;
  /** Prefix of segment URIs in playlists: `/media/` or `<publicBaseUrl>/media/`. */
  mediaBaseUrl: string;
  assets: AssetTimelines;
  published: ReturnType<typeof createPublishedDays>;
  timelines: ReturnType<typeof createChannelTimelines>;
}

const DEFAULT_TV_APP_DIR = fileURLToPath(new URL('../../tv-app/dist/', import.meta.url));

/** Text formats are worth compressing; segments (already compressed video) are not. */
const COMPRESSIBLE = /mpegurl|json|text|xml|javascript|css|svg/;

/**
 * The origin as a Koa app, not listening: the service (or a test, on an ephemeral port) calls listen.
 * Stateless: every answer is computed from the database and the clock.
 */
export function createApp(options: AppOptions): Koa {
  const publicBase = options.publicBaseUrl?.replace(/\/+$/, '') ?? '';
  const assets = createAssetTimelines(options.db);
  const published = createPublishedDays(options.db);
  const origin: OriginContext = {
    db: options.db,
    clock: options.clock,
    logger: options.logger,
    windowSegments: options.windowSegments ?? 10,
    mediaBaseUrl: `${publicBase}/media/`,
    assets,
    published,
    timelines: createChannelTimelines(published, assets),
  };

  const app = new Koa();
  app.proxy = true;
  // Errors are answered and logged by errorMapping; Koa's default handler would log them a second time.
  app.silent = true;
  // What still reaches Koa is a failure after the answer started (a client hanging up mid-segment).
  app.on('error', (error: NodeJS.ErrnoException) => {
    options.logger.warn({ err: error, code: error.code }, 'response aborted');
  });

  app.use(requestLogging(options.logger));
  app.use(errorMapping(options.logger));
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

  const serveMedia = createMediaFileHandler(options.mediaDir);
  const serveTvApp = createTvAppFileHandler(options.tvAppDir ?? DEFAULT_TV_APP_DIR);
  // Static trees are matched on the raw path so that no decoding step can smuggle in `..` or `/`.
  app.use(async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path.startsWith('/media/')) return serveMedia(ctx, ctx.path.slice('/media/'.length));
    if (ctx.path === '/tv') return ctx.redirect('/tv/');
    if (ctx.path.startsWith('/tv/')) return serveTvApp(ctx, ctx.path.slice('/tv/'.length));
    return next();
  });

  const router = new Router();
  router.get('/', (ctx) => {
    ctx.redirect('/tv/');
  });
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      options.db.prepare('SELECT 1').get();
    } catch (error) {
      throw new HttpProblem(503, `database unreachable: ${(error as Error).message}`);
    }
    ctx.body = { status: 'ok' };
  });
  registerLiveRoutes(router, origin);
  registerVodRoutes(router, origin);
  registerGuideRoutes(router, origin, { ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}) });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

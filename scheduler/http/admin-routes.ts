import Router from '@koa/router';
import type { PackagingQueue } from '../admin/packaging-queue.ts';
import type { ScheduleEnv } from '../admin/schedule-changes.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../store/db.ts';
import { airingWhyRouter } from './admin/airing-why-routes.ts';
import { auditRouter } from './admin/audit-routes.ts';
import { buildWarningsRouter } from './admin/build-warnings-routes.ts';
import { calendarsRouter } from './admin/calendars-routes.ts';
import { catalogRouter } from './admin/catalog-routes.ts';
import { channelsRouter, timetablesRouter } from './admin/channels-routes.ts';
import type { AdminEnv } from './admin/mutation.ts';
import { overridesRouter } from './admin/overrides-routes.ts';
import { packagingJobActionsRouter } from './admin/packaging-job-actions-routes.ts';
import { packagingJobsRouter } from './admin/packaging-jobs-routes.ts';
import { previewsRouter } from './admin/previews-routes.ts';
import { suspensionsRouter } from './admin/suspensions-routes.ts';
import { tokensRouter } from './admin/tokens-routes.ts';
import { requireRole } from './auth.ts';

/**
 * The admin API under /api/admin/: one router per resource (http/admin/*-routes.ts), mounted here.
 * Every route needs a Bearer token (auth.ts): `editor` for programming (timetables, calendars,
 * overrides, suspensions, catalog, packaging, preview/publish, reading the audit), `admin` for
 * channels and tokens. Every mutation runs in one IMMEDIATE transaction together with its audit entry
 * (admin/mutation.ts): it happens whole, audited, or not at all.
 */

export interface AdminRoutesOptions {
  db: Db;
  clock: Clock;
  schedule: ScheduleEnv;
  packaging: PackagingQueue;
}

export const ADMIN_PREFIX = '/api/admin';

export function createAdminRouter(options: AdminRoutesOptions): Router {
  const env: AdminEnv = {
    ...options,
    editor: requireRole(options.db, 'editor'),
    admin: requireRole(options.db, 'admin'),
  };
  const router = new Router({ prefix: ADMIN_PREFIX });
  const mount = (path: string, resource: Router) => router.use(path, resource.routes());
  mount('/channels', channelsRouter(env));
  mount('/channels/:id/timetables', timetablesRouter(env));
  mount('/calendars', calendarsRouter(env));
  mount('/overrides', overridesRouter(env));
  mount('/suspensions', suspensionsRouter(env));
  mount('/catalog', catalogRouter(env));
  // Packaging-job routes with a fixed segment after the prefix (`/events`, `/:id/cancel`) go before
  // packagingJobsRouter, whose `/:id` would otherwise take them.
  mount('/packaging-jobs', packagingJobActionsRouter(env));
  mount('/packaging-jobs', packagingJobsRouter(env));
  mount('/previews', previewsRouter(env));
  mount('/audit', auditRouter(env));
  mount('/build-warnings', buildWarningsRouter(env));
  mount('/guide', airingWhyRouter(env));
  mount('/tokens', tokensRouter(env));
  return router;
}

import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { appendAudit, listAudit } from '../admin/audit.ts';
import { importCatalogBody } from '../admin/catalog-upload.ts';
import type { JobStatus, PackagingQueue } from '../admin/packaging-queue.ts';
import {
  deleteCalendar,
  deleteChannel,
  deleteOverride,
  deleteTimetable,
  findCalendar,
  findOverride,
  getTimetable,
  putCalendar,
  putChannel,
  putTimetable,
  saveOverride,
} from '../admin/programming.ts';
import { createPreview, getPreview, publishPreview, type ScheduleEnv } from '../admin/schedule-changes.ts';
import { findSuspension, liftSuspension, saveSuspension, type SwitchResult } from '../admin/suspension-switch.ts';
import { createToken, listTokens, revokeToken, type Role } from '../admin/tokens.ts';
import { parseQuery } from '../admin/validation.ts';
import type { Clock } from '../clock.ts';
import { InputError, NotFoundError, UnsupportedMediaError } from '../errors.ts';
import {
  getChannel,
  listCalendars,
  listChannels,
  listOverrides,
  listSuspensions,
} from '../schedule/channels-repository.ts';
import type { Db } from '../store/db.ts';
import { principalOf, requireRole } from './auth.ts';
import { CATALOG_BODY_LIMIT, readJsonBody, readRawBody } from './request-body.ts';

/**
 * The admin API under /api/admin/. Every route needs a Bearer token (auth.ts): `editor` for
 * programming (timetables, calendars, overrides, suspensions, catalog, packaging, preview/publish,
 * reading the audit), `admin` for channels and tokens. Every mutation runs in one IMMEDIATE
 * transaction together with its audit entry: it happens whole, audited, or not at all.
 */

export interface AdminRoutesOptions {
  db: Db;
  clock: Clock;
  schedule: ScheduleEnv;
  packaging: PackagingQueue;
}

export const ADMIN_PREFIX = '/api/admin';

interface Audited<T> {
  result: T;
  summary: string;
  before?: string[];
  after?: string[];
}

const idParam = (ctx: Context, name: string): string => {
  const value = ctx.params[name] as string;
  return value;
};

const jobIdOf = (ctx: Context): number => {
  const raw = idParam(ctx, 'id');
  if (!/^\d{1,15}$/.test(raw)) throw new NotFoundError(`no packaging job '${raw}' (ids are whole numbers)`);
  return Number(raw);
};

const jobsQuerySchema = z.strictObject({
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const overridesQuerySchema = z.strictObject({ channel: z.string().min(1).optional() });
const catalogQuerySchema = z.strictObject({
  name: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'a file-like label: letters, digits, . _ -')
    .optional(),
});
const tokenBodySchema = z.strictObject({ name: z.unknown(), role: z.unknown() });

function switchIds(result: SwitchResult): string[] {
  return result.channels.flatMap((c) => c.versionsWritten.map((v) => `${c.channelId}/${v.date}@v${v.version}`));
}

export function createAdminRouter(options: AdminRoutesOptions): Router {
  const { db, clock, schedule, packaging } = options;
  const router = new Router({ prefix: ADMIN_PREFIX });
  const editor = requireRole(db, 'editor');
  const admin = requireRole(db, 'admin');

  /** Runs a mutation and its audit entry in one transaction, then answers with its result. */
  function mutate<T>(ctx: Context, status: number, work: () => Audited<T>): void {
    const principal = principalOf(ctx);
    const route = (ctx as Context & { _matchedRoute?: string })._matchedRoute ?? ctx.path;
    const done = db
      .transaction(() => {
        const outcome = work();
        appendAudit(db, {
          atMs: clock(),
          actor: principal.name,
          role: principal.role,
          method: ctx.method,
          route,
          summary: outcome.summary,
          ...(outcome.before ? { before: outcome.before } : {}),
          ...(outcome.after ? { after: outcome.after } : {}),
        });
        return outcome;
      })
      .immediate();
    ctx.status = status;
    ctx.body = done.result;
    ctx.set('Cache-Control', 'no-store');
  }

  const read = (ctx: Context, body: unknown) => {
    ctx.body = body;
    ctx.set('Cache-Control', 'no-store');
  };

  // Channels (timetables are a sub-resource below; a channel PUT carries them too).
  router.get('/channels', editor, (ctx) => read(ctx, { channels: listChannels(db) }));
  router.get('/channels/:id', editor, (ctx) => read(ctx, getChannel(db, idParam(ctx, 'id'))));
  router.put('/channels/:id', admin, async (ctx) => {
    const body = await readJsonBody(ctx);
    const id = idParam(ctx, 'id');
    mutate(ctx, 200, () => {
      const { channel, created } = putChannel(db, id, body);
      return {
        result: channel,
        summary: `${created ? 'created' : 'replaced'} channel ${id} (number ${channel.number})`,
        before: created ? [] : [`channel:${id}`],
        after: [`channel:${id}`],
      };
    });
  });
  router.delete('/channels/:id', admin, (ctx) => {
    const id = idParam(ctx, 'id');
    mutate(ctx, 200, () => {
      const channel = deleteChannel(db, id);
      return { result: { deleted: channel.id }, summary: `deleted channel ${id}`, before: [`channel:${id}`] };
    });
  });
  router.get('/channels/:id/timetables', editor, (ctx) => {
    const channel = getChannel(db, idParam(ctx, 'id'));
    read(ctx, { channel: channel.id, timetables: Object.keys(channel.timetables).sort() });
  });
  router.get('/channels/:id/timetables/:name', editor, (ctx) =>
    read(ctx, getTimetable(db, idParam(ctx, 'id'), idParam(ctx, 'name'))),
  );
  router.put('/channels/:id/timetables/:name', editor, async (ctx) => {
    const body = await readJsonBody(ctx);
    const [id, name] = [idParam(ctx, 'id'), idParam(ctx, 'name')];
    mutate(ctx, 200, () => {
      const { timetable, created } = putTimetable(db, id, name, body);
      const key = `channel:${id}/timetable:${name}`;
      return {
        result: timetable,
        summary: `${created ? 'created' : 'replaced'} timetable ${name} of channel ${id}`,
        before: created ? [] : [key],
        after: [key],
      };
    });
  });
  router.delete('/channels/:id/timetables/:name', editor, (ctx) => {
    const [id, name] = [idParam(ctx, 'id'), idParam(ctx, 'name')];
    mutate(ctx, 200, () => {
      deleteTimetable(db, id, name);
      return {
        result: { deleted: name, channel: id },
        summary: `deleted timetable ${name} of channel ${id}`,
        before: [`channel:${id}/timetable:${name}`],
      };
    });
  });

  // Calendars.
  router.get('/calendars', editor, (ctx) => read(ctx, { calendars: listCalendars(db) }));
  router.get('/calendars/:region', editor, (ctx) => {
    const calendar = findCalendar(db, idParam(ctx, 'region'));
    if (!calendar) throw new NotFoundError(`no calendar for region '${idParam(ctx, 'region')}'`);
    read(ctx, calendar);
  });
  router.put('/calendars/:region', editor, async (ctx) => {
    const body = await readJsonBody(ctx);
    const region = idParam(ctx, 'region');
    mutate(ctx, 200, () => {
      const { calendar, created } = putCalendar(db, region, body);
      return {
        result: calendar,
        summary: `${created ? 'created' : 'replaced'} calendar of region ${region}`,
        before: created ? [] : [`calendar:${region}`],
        after: [`calendar:${region}`],
      };
    });
  });
  router.delete('/calendars/:region', editor, (ctx) => {
    const region = idParam(ctx, 'region');
    mutate(ctx, 200, () => {
      deleteCalendar(db, region);
      return {
        result: { deleted: region },
        summary: `deleted calendar of region ${region}`,
        before: [`calendar:${region}`],
      };
    });
  });

  // Overrides.
  router.get('/overrides', editor, (ctx) => {
    const q = parseQuery(overridesQuerySchema, ctx.query);
    read(ctx, { overrides: listOverrides(db, q.channel) });
  });
  router.get('/overrides/:id', editor, (ctx) => {
    const override = findOverride(db, idParam(ctx, 'id'));
    if (!override) throw new NotFoundError(`unknown override '${idParam(ctx, 'id')}'`);
    read(ctx, override);
  });
  router.post('/overrides', editor, async (ctx) => {
    const body = await readJsonBody(ctx);
    mutate(ctx, 201, () => {
      const { override } = saveOverride(db, body, { create: true });
      return {
        result: override,
        summary: `created override ${override.id} (${override.action}) on ${override.channel} ${override.date}`,
        after: [`override:${override.id}`],
      };
    });
  });
  router.put('/overrides/:id', editor, async (ctx) => {
    const body = await readJsonBody(ctx);
    const id = idParam(ctx, 'id');
    mutate(ctx, 200, () => {
      const { override, created } = saveOverride(db, body, { create: false, id });
      return {
        result: override,
        summary: `${created ? 'created' : 'replaced'} override ${id} on ${override.channel} ${override.date}`,
        before: created ? [] : [`override:${id}`],
        after: [`override:${id}`],
      };
    });
  });
  router.delete('/overrides/:id', editor, (ctx) => {
    const id = idParam(ctx, 'id');
    mutate(ctx, 200, () => {
      const override = deleteOverride(db, id);
      return {
        result: { deleted: id },
        summary: `deleted override ${id} on ${override.channel} ${override.date}`,
        before: [`override:${id}`],
      };
    });
  });

  // Suspension orders: storing, changing or lifting one republishes the affected days at once.
  router.get('/suspensions', editor, (ctx) => read(ctx, { suspensions: listSuspensions(db) }));
  router.get('/suspensions/:id', editor, (ctx) => {
    const order = findSuspension(schedule, idParam(ctx, 'id'));
    if (!order) throw new NotFoundError(`unknown suspension order '${idParam(ctx, 'id')}'`);
    read(ctx, order);
  });
  router.post('/suspensions', editor, async (ctx) => {
    const body = await readJsonBody(ctx);
    mutate(ctx, 201, () => {
      const result = saveSuspension(schedule, body, clock());
      return {
        result,
        summary: `suspension order ${result.order.id} ${result.order.from}..${result.order.to}: ${result.channels.length} channel(s) switched`,
        after: [`suspension:${result.order.id}`, ...switchIds(result)],
      };
    });
  });
  router.put('/suspensions/:id', editor, async (ctx) => {
    const body = await readJsonBody(ctx);
    const id = idParam(ctx, 'id');
    mutate(ctx, 200, () => {
      const result = saveSuspension(schedule, body, clock(), id);
      return {
        result,
        summary: `changed suspension order ${id} to ${result.order.from}..${result.order.to}`,
        before: [`suspension:${id}`],
        after: [`suspension:${id}`, ...switchIds(result)],
      };
    });
  });
  router.delete('/suspensions/:id', editor, (ctx) => {
    const id = idParam(ctx, 'id');
    mutate(ctx, 200, () => {
      const result = liftSuspension(schedule, id, clock());
      return {
        result,
        summary: `lifted suspension order ${id}: ${result.channels.length} channel(s) switched back`,
        before: [`suspension:${id}`],
        after: switchIds(result),
      };
    });
  });

  // Catalog import: CSV or JSON, all or nothing, as `aerial catalog import`.
  router.post('/catalog/import', editor, async (ctx) => {
    const q = parseQuery(catalogQuerySchema, ctx.query);
    const csv = ctx.is('text/csv');
    const json = ctx.is('application/json');
    if (!csv && !json)
      throw new UnsupportedMediaError(
        `send the catalog as text/csv or application/json (got ${ctx.get('Content-Type') || 'no Content-Type'})`,
      );
    const bytes = await readRawBody(ctx, CATALOG_BODY_LIMIT);
    const label = q.name ?? (csv ? 'catalog.csv' : 'catalog.json');
    const named = label.endsWith(csv ? '.csv' : '.json') ? label : `${label}${csv ? '.csv' : '.json'}`;
    mutate(ctx, 200, () => {
      const report = importCatalogBody(db, bytes, named);
      return {
        result: report,
        summary: `imported catalog ${named}: ${report.lessons} lesson(s), ${report.added} added, ${report.updated} updated`,
        after: [`catalog:${named}`],
      };
    });
  });

  // Packaging jobs.
  router.get('/packaging-jobs', editor, (ctx) => {
    const q = parseQuery(jobsQuerySchema, ctx.query);
    read(ctx, {
      jobs: packaging.list({ ...(q.status ? { status: q.status as JobStatus } : {}), limit: q.limit }),
      concurrency: packaging.concurrency,
      ...packaging.depth(),
    });
  });
  router.get('/packaging-jobs/:id', editor, (ctx) => read(ctx, packaging.get(jobIdOf(ctx))));
  router.post('/packaging-jobs', editor, async (ctx) => {
    const body = await readJsonBody(ctx);
    mutate(ctx, 202, () => {
      const job = packaging.enqueue(body, principalOf(ctx).name);
      return {
        result: job,
        summary: `enqueued packaging of lesson ${job.lessonId} (job ${job.id})`,
        after: [`packaging-job:${job.id}`],
      };
    });
  });
  router.post('/packaging-jobs/:id/cancel', editor, (ctx) => {
    const id = jobIdOf(ctx);
    mutate(ctx, 200, () => {
      const job = packaging.cancel(id);
      return {
        result: job,
        summary: `cancelled packaging job ${id} (lesson ${job.lessonId})`,
        before: [`packaging-job:${id}`],
      };
    });
  });

  // Build preview and publish.
  router.post('/previews', editor, async (ctx) => {
    const body = await readJsonBody(ctx);
    mutate(ctx, 201, () => {
      const preview = createPreview(schedule, body, clock(), principalOf(ctx).name);
      // A preview changes nothing that airs; it is recorded so that a publish can be traced to it.
      return {
        result: preview,
        summary: `previewed ${preview.request.channels.length} channel(s) from ${preview.request.from} for ${preview.request.days} day(s): ${preview.changedDays} day(s) would change`,
        after: [`preview:${preview.id}`],
      };
    });
  });
  router.get('/previews/:id', editor, (ctx) => read(ctx, getPreview(db, idParam(ctx, 'id'))));
  router.post('/previews/:id/publish', editor, (ctx) => {
    const id = idParam(ctx, 'id');
    mutate(ctx, 200, () => {
      const published = publishPreview(schedule, id, clock());
      return {
        result: published,
        summary: `published preview ${id}: ${published.written.length} day version(s)`,
        before: published.written
          .filter((w) => w.previousVersion)
          .map((w) => `${w.channelId}/${w.date}@v${w.previousVersion}`),
        after: published.written.map((w) => `${w.channelId}/${w.date}@v${w.version}`),
      };
    });
  });

  // Audit (read only: there is no route that changes it).
  router.get('/audit', editor, (ctx) => read(ctx, listAudit(db, ctx.query)));

  // Tokens.
  router.get('/tokens', admin, (ctx) => read(ctx, { tokens: listTokens(db) }));
  router.post('/tokens', admin, async (ctx) => {
    const body = (await readJsonBody(ctx)) as unknown;
    const shape = tokenBodySchema.safeParse(body);
    if (!shape.success)
      throw new InputError(
        'bad token request',
        shape.error.issues.map((i) => ({
          field: i.code === 'unrecognized_keys' ? i.keys.join(', ') : i.path.join('.') || '(body)',
          reason: i.code === 'unrecognized_keys' ? 'unknown field' : i.message,
        })),
      );
    mutate(ctx, 201, () => {
      const { token, info } = createToken(db, shape.data.name, shape.data.role as Role, clock());
      // The token is shown in this answer only; the database keeps its hash.
      return {
        result: { token, ...info },
        summary: `created ${info.role} token ${info.name} (id ${info.id})`,
        after: [`token:${info.id}`],
      };
    });
  });
  router.delete('/tokens/:id', admin, (ctx) => {
    const key = idParam(ctx, 'id');
    mutate(ctx, 200, () => {
      const info = revokeToken(db, key, clock());
      return { result: info, summary: `revoked token ${info.name} (id ${info.id})`, before: [`token:${info.id}`] };
    });
  });

  return router;
}

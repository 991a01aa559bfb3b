import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { JobStatus } from '../../admin/packaging-queue.ts';
import { parseQuery } from '../../admin/validation.ts';
import { NotFoundError } from '../../errors.ts';
import { principalOf } from '../auth.ts';
import { jsonBody, mutation, param, reply, type AdminEnv } from './mutation.ts';

const jobsQuerySchema = z.strictObject({
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The `:id` of a packaging-job route as a job id; anything but a whole number is an unknown job. */
export function jobIdOf(ctx: Context): number {
  const raw = param(ctx, 'id');
  if (!/^\d{1,15}$/.test(raw)) throw new NotFoundError(`no packaging job '${raw}' (ids are whole numbers)`);
  return Number(raw);
}

/**
 * `/packaging-jobs`: list, read and enqueue (`editor`). Events, cancel and retry are
 * packaging-job-actions-routes.ts, mounted before this one so that `/:id` does not take `/events`.
 */
export function packagingJobsRouter(env: AdminEnv): Router {
  const { packaging, editor } = env;
  const router = new Router();
  // What needs the source read (a poster offset past its end) is checked before the request's transaction.
  const checkedJobBody = async (ctx: Context) => {
    const body = await jsonBody(ctx);
    await packaging.checkEnqueue(body);
    return body;
  };
  router.get('/', editor, (ctx) => {
    const q = parseQuery(jobsQuerySchema, ctx.query);
    reply(ctx, {
      jobs: packaging.list({ ...(q.status ? { status: q.status as JobStatus } : {}), limit: q.limit }),
      concurrency: packaging.concurrency,
      ...packaging.depth(),
    });
  });
  router.get('/:id', editor, (ctx) => reply(ctx, packaging.get(jobIdOf(ctx))));
  router.post(
    '/',
    editor,
    mutation(env, 202, checkedJobBody, (ctx, body) => {
      const job = packaging.enqueue(body, principalOf(ctx).name);
      return {
        result: job,
        summary: `enqueued packaging of lesson ${job.lessonId} (job ${job.id})`,
        after: [`packaging-job:${job.id}`],
      };
    }),
  );
  return router;
}

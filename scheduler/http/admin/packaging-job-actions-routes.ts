import Router from '@koa/router';
import type { Context } from 'koa';
import { PassThrough } from 'node:stream';
import type { JobEvent, PackagingJob, PackagingQueue } from '../../admin/packaging-queue.ts';
import { ConflictError, InputError } from '../../errors.ts';
import { mutation, noBody, type AdminEnv } from './mutation.ts';
import { jobIdOf } from './packaging-jobs-routes.ts';

/**
 * Packaging job actions under /api/admin/packaging-jobs: the live event stream (Server-Sent Events,
 * replayable with Last-Event-ID), cancel and retry. Mounted before `/:id` so that `events` is no job id.
 */

export interface PackagingJobActionsOptions {
  /** Comment line sent on an idle stream so proxies keep it open (default 15 s). */
  heartbeatMs?: number;
}

/** The event id a client last saw: the Last-Event-ID header (EventSource reconnects) or `?lastEventId=`. */
function lastEventIdOf(ctx: Context): number | undefined {
  const raw = ctx.get('Last-Event-ID') || (typeof ctx.query.lastEventId === 'string' ? ctx.query.lastEventId : '');
  if (raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw.trim()))
    throw new InputError('bad event stream request', [
      { field: 'Last-Event-ID', reason: `'${raw}' is not an event id (a whole number)` },
    ]);
  return Number(raw.trim());
}

export function formatJobEvent(event: JobEvent): string {
  const data = { jobId: event.jobId, atMs: event.atMs, ...event.data };
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

function streamEvents(ctx: Context, packaging: PackagingQueue, heartbeatMs: number): void {
  const after = lastEventIdOf(ctx);
  const stream = new PassThrough();
  // Without Last-Event-ID the stream starts now; with it, it replays from there first.
  let sent = after ?? packaging.lastEventId();
  const send = (event: JobEvent) => {
    if (event.id <= sent) return;
    sent = event.id;
    stream.write(formatJobEvent(event));
  };
  // Subscribe, then replay synchronously: listeners run on later ticks, so nothing falls between the two.
  const unsubscribe = packaging.subscribe(send);
  for (let page = packaging.eventsAfter(sent); page.length; page = packaging.eventsAfter(sent)) page.forEach(send);
  const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), heartbeatMs);
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
    stream.end();
  };
  ctx.req.once('close', close);
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.compress = false;
  ctx.status = 200;
  ctx.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Accel-Buffering': 'no',
  });
  ctx.body = stream;
  stream.write(`retry: 2000\n\n`);
}

/** What a job packages, for an audit summary. */
function subject(job: PackagingJob): string {
  return job.lessonId !== null ? `lesson ${job.lessonId}` : `filler ${job.fillerId}`;
}

export function packagingJobActionsRouter(env: AdminEnv, options: PackagingJobActionsOptions = {}): Router {
  const { packaging, editor } = env;
  const router = new Router();
  router.get('/events', editor, (ctx) => streamEvents(ctx, packaging, options.heartbeatMs ?? 15_000));
  // Stopping ffmpeg takes a moment: the cancel happens before the audit transaction (as a body is read
  // before it elsewhere), which then records the outcome; a job that ended first is a 409.
  const cancelled = async (ctx: Context) => {
    const job = await packaging.cancel(jobIdOf(ctx));
    if (job.status !== 'cancelled')
      throw new ConflictError(`packaging job ${job.id} ended (${job.status}) before it could be stopped`);
    return job;
  };
  router.post(
    '/:id/cancel',
    editor,
    mutation(env, 200, cancelled, (_ctx, job) => ({
      result: job,
      summary: `cancelled packaging job ${job.id} (${subject(job)})`,
      before: [`packaging-job:${job.id}`],
    })),
  );
  router.post(
    '/:id/retry',
    editor,
    mutation(env, 202, noBody, (ctx) => {
      const id = jobIdOf(ctx);
      const job = packaging.retry(id);
      return {
        result: job,
        summary: `re-queued packaging job ${id} (${subject(job)})`,
        before: [`packaging-job:${id}`],
        after: [`packaging-job:${id}`],
      };
    }),
  );
  return router;
}

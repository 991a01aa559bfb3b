import Router from '@koa/router';
import { createPreview, getPreview, publishPreview } from '../../admin/schedule-changes.ts';
import { principalOf } from '../auth.ts';
import { jsonBody, mutation, noBody, param, reply, type AdminEnv } from './mutation.ts';

/** `/previews`: build a preview of schedule changes, then publish exactly what it showed (`editor`). */
export function previewsRouter(env: AdminEnv): Router {
  const { db, clock, schedule, editor } = env;
  const router = new Router();
  router.post(
    '/',
    editor,
    mutation(env, 201, jsonBody, (ctx, body) => {
      const preview = createPreview(schedule, body, clock(), principalOf(ctx).name);
      const { channels, from, days } = preview.request;
      // A preview changes nothing that airs; it is recorded so that a publish can be traced to it.
      return {
        result: preview,
        summary: `previewed ${channels.length} channel(s) from ${from} for ${days} day(s): ${preview.changedDays} day(s) would change`,
        after: [`preview:${preview.id}`],
      };
    }),
  );
  router.get('/:id', editor, (ctx) => reply(ctx, getPreview(db, param(ctx, 'id'))));
  router.post(
    '/:id/publish',
    editor,
    mutation(env, 200, noBody, (ctx) => {
      const id = param(ctx, 'id');
      const published = publishPreview(schedule, id, clock());
      return {
        result: published,
        summary: `published preview ${id}: ${published.written.length} day version(s)`,
        before: published.written
          .filter((w) => w.previousVersion)
          .map((w) => `${w.channelId}/${w.date}@v${w.previousVersion}`),
        after: published.written.map((w) => `${w.channelId}/${w.date}@v${w.version}`),
      };
    }),
  );
  return router;
}

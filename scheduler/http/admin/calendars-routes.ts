import Router from '@koa/router';
import { deleteCalendar, findCalendar, putCalendar } from '../../admin/programming.ts';
import { NotFoundError } from '../../errors.ts';
import { listCalendars } from '../../schedule/channels-repository.ts';
import { jsonBody, mutation, noBody, param, reply, type AdminEnv } from './mutation.ts';

/** `/calendars`: one school calendar per region (`editor`). */
export function calendarsRouter(env: AdminEnv): Router {
  const { db, editor } = env;
  const router = new Router();
  router.get('/', editor, (ctx) => reply(ctx, { calendars: listCalendars(db) }));
  router.get('/:region', editor, (ctx) => {
    const calendar = findCalendar(db, param(ctx, 'region'));
    if (!calendar) throw new NotFoundError(`no calendar for region '${param(ctx, 'region')}'`);
    reply(ctx, calendar);
  });
  router.put(
    '/:region',
    editor,
    mutation(env, 200, jsonBody, (ctx, body) => {
      const region = param(ctx, 'region');
      const { calendar, created } = putCalendar(db, region, body);
      return {
        result: calendar,
        summary: `${created ? 'created' : 'replaced'} calendar of region ${region}`,
        before: created ? [] : [`calendar:${region}`],
        after: [`calendar:${region}`],
      };
    }),
  );
  router.delete(
    '/:region',
    editor,
    mutation(env, 200, noBody, (ctx) => {
      const region = param(ctx, 'region');
      deleteCalendar(db, region);
      return {
        result: { deleted: region },
        summary: `deleted calendar of region ${region}`,
        before: [`calendar:${region}`],
      };
    }),
  );
  return router;
}

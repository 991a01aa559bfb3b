import Router from '@koa/router';
import { airingWhy } from '../../admin/airing-why.ts';
import { reply, type AdminEnv } from './mutation.ts';

/** `/guide/why`: read only (`editor`): which timetable slot or override produced the programme at an instant. */
export function airingWhyRouter(env: AdminEnv): Router {
  const router = new Router();
  router.get('/why', env.editor, (ctx) => reply(ctx, airingWhy(env.db, ctx.query)));
  return router;
}

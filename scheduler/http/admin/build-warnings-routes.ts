import Router from '@koa/router';
import { lastBuildWarnings } from '../../admin/build-warnings.ts';
import { reply, type AdminEnv } from './mutation.ts';

/** `/build-warnings`: read only (`editor`): the warnings of the published days not yet ended, per channel. */
export function buildWarningsRouter(env: AdminEnv): Router {
  const router = new Router();
  router.get('/', env.editor, (ctx) => reply(ctx, lastBuildWarnings(env.db, env.clock(), ctx.query)));
  return router;
}

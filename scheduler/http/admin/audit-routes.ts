import Router from '@koa/router';
import { listAudit } from '../../admin/audit.ts';
import { reply, type AdminEnv } from './mutation.ts';

/** `/audit`: read only (`editor`); no route changes it. */
export function auditRouter(env: AdminEnv): Router {
  const router = new Router();
  router.get('/', env.editor, (ctx) => reply(ctx, listAudit(env.db, ctx.query)));
  return router;
}

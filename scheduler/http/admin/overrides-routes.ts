import Router from '@koa/router';
import { z } from 'zod';
import { deleteOverride, findOverride, saveOverride } from '../../admin/programming.ts';
import { parseQuery } from '../../admin/validation.ts';
import { NotFoundError } from '../../errors.ts';
import { listOverrides } from '../../schedule/channels-repository.ts';
import { jsonBody, mutation, noBody, param, reply, type AdminEnv } from './mutation.ts';

const overridesQuerySchema = z.strictObject({ channel: z.string().min(1).optional() });

/** `/overrides`: one-day changes to a channel's programme (`editor`). */
export function overridesRouter(env: AdminEnv): Router {
  const { db, editor } = env;
  const router = new Router();
  router.get('/', editor, (ctx) => {
    const q = parseQuery(overridesQuerySchema, ctx.query);
    reply(ctx, { overrides: listOverrides(db, q.channel) });
  });
  router.get('/:id', editor, (ctx) => {
    const override = findOverride(db, param(ctx, 'id'));
    if (!override) throw new NotFoundError(`unknown override '${param(ctx, 'id')}'`);
    reply(ctx, override);
  });
  router.post(
    '/',
    editor,
    mutation(env, 201, jsonBody, (_ctx, body) => {
      const { override } = saveOverride(db, body, { create: true });
      return {
        result: override,
        summary: `created override ${override.id} (${override.action}) on ${override.channel} ${override.date}`,
        after: [`override:${override.id}`],
      };
    }),
  );
  router.put(
    '/:id',
    editor,
    mutation(env, 200, jsonBody, (ctx, body) => {
      const id = param(ctx, 'id');
      const { override, created } = saveOverride(db, body, { create: false, id });
      return {
        result: override,
        summary: `${created ? 'created' : 'replaced'} override ${id} on ${override.channel} ${override.date}`,
        before: created ? [] : [`override:${id}`],
        after: [`override:${id}`],
      };
    }),
  );
  router.delete(
    '/:id',
    editor,
    mutation(env, 200, noBody, (ctx) => {
      const id = param(ctx, 'id');
      const override = deleteOverride(db, id);
      return {
        result: { deleted: id },
        summary: `deleted override ${id} on ${override.channel} ${override.date}`,
        before: [`override:${id}`],
      };
    }),
  );
  return router;
}

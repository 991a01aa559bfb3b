import Router from '@koa/router';
import { findSuspension, liftSuspension, saveSuspension, type SwitchResult } from '../../admin/suspension-switch.ts';
import { NotFoundError } from '../../errors.ts';
import { listSuspensions } from '../../schedule/channels-repository.ts';
import { jsonBody, mutation, noBody, param, reply, type AdminEnv } from './mutation.ts';

function switchIds(result: SwitchResult): string[] {
  return result.channels.flatMap((c) => c.versionsWritten.map((v) => `${c.channelId}/${v.date}@v${v.version}`));
}

/** `/suspensions`: storing, changing or lifting an order republishes the affected days at once (`editor`). */
export function suspensionsRouter(env: AdminEnv): Router {
  const { db, clock, schedule, editor } = env;
  const router = new Router();
  router.get('/', editor, (ctx) => reply(ctx, { suspensions: listSuspensions(db) }));
  router.get('/:id', editor, (ctx) => {
    const order = findSuspension(schedule, param(ctx, 'id'));
    if (!order) throw new NotFoundError(`unknown suspension order '${param(ctx, 'id')}'`);
    reply(ctx, order);
  });
  router.post(
    '/',
    editor,
    mutation(env, 201, jsonBody, (_ctx, body) => {
      const result = saveSuspension(schedule, body, clock());
      const { id, from, to } = result.order;
      return {
        result,
        summary: `suspension order ${id} ${from}..${to}: ${result.channels.length} channel(s) switched`,
        after: [`suspension:${id}`, ...switchIds(result)],
      };
    }),
  );
  router.put(
    '/:id',
    editor,
    mutation(env, 200, jsonBody, (ctx, body) => {
      const id = param(ctx, 'id');
      const result = saveSuspension(schedule, body, clock(), id);
      return {
        result,
        summary: `changed suspension order ${id} to ${result.order.from}..${result.order.to}`,
        before: [`suspension:${id}`],
        after: [`suspension:${id}`, ...switchIds(result)],
      };
    }),
  );
  router.delete(
    '/:id',
    editor,
    mutation(env, 200, noBody, (ctx) => {
      const id = param(ctx, 'id');
      const result = liftSuspension(schedule, id, clock());
      return {
        result,
        summary: `lifted suspension order ${id}: ${result.channels.length} channel(s) switched back`,
        before: [`suspension:${id}`],
        after: switchIds(result),
      };
    }),
  );
  return router;
}

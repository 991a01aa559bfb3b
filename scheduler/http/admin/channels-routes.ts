import Router from '@koa/router';
import { deleteChannel, deleteTimetable, getTimetable, putChannel, putTimetable } from '../../admin/programming.ts';
import { getChannel, listChannels } from '../../schedule/channels-repository.ts';
import { jsonBody, mutation, noBody, param, reply, type AdminEnv } from './mutation.ts';

/** `/channels`: reading needs `editor`, changing a channel `admin`. A channel PUT carries its timetables. */
export function channelsRouter(env: AdminEnv): Router {
  const { db, editor, admin } = env;
  const router = new Router();
  router.get('/', editor, (ctx) => reply(ctx, { channels: listChannels(db) }));
  router.get('/:id', editor, (ctx) => reply(ctx, getChannel(db, param(ctx, 'id'))));
  router.put(
    '/:id',
    admin,
    mutation(env, 200, jsonBody, (ctx, body) => {
      const id = param(ctx, 'id');
      const { channel, created } = putChannel(db, id, body);
      return {
        result: channel,
        summary: `${created ? 'created' : 'replaced'} channel ${id} (number ${channel.number})`,
        before: created ? [] : [`channel:${id}`],
        after: [`channel:${id}`],
      };
    }),
  );
  router.delete(
    '/:id',
    admin,
    mutation(env, 200, noBody, (ctx) => {
      const id = param(ctx, 'id');
      const channel = deleteChannel(db, id);
      return { result: { deleted: channel.id }, summary: `deleted channel ${id}`, before: [`channel:${id}`] };
    }),
  );
  return router;
}

/** `/channels/:id/timetables`: a channel's named timetables (`editor`). */
export function timetablesRouter(env: AdminEnv): Router {
  const { db, editor } = env;
  const router = new Router();
  router.get('/', editor, (ctx) => {
    const channel = getChannel(db, param(ctx, 'id'));
    reply(ctx, { channel: channel.id, timetables: Object.keys(channel.timetables).sort() });
  });
  router.get('/:name', editor, (ctx) => reply(ctx, getTimetable(db, param(ctx, 'id'), param(ctx, 'name'))));
  router.put(
    '/:name',
    editor,
    mutation(env, 200, jsonBody, (ctx, body) => {
      const [id, name] = [param(ctx, 'id'), param(ctx, 'name')];
      const { timetable, created } = putTimetable(db, id, name, body);
      const key = `channel:${id}/timetable:${name}`;
      return {
        result: timetable,
        summary: `${created ? 'created' : 'replaced'} timetable ${name} of channel ${id}`,
        before: created ? [] : [key],
        after: [key],
      };
    }),
  );
  router.delete(
    '/:name',
    editor,
    mutation(env, 200, noBody, (ctx) => {
      const [id, name] = [param(ctx, 'id'), param(ctx, 'name')];
      deleteTimetable(db, id, name);
      return {
        result: { deleted: name, channel: id },
        summary: `deleted timetable ${name} of channel ${id}`,
        before: [`channel:${id}/timetable:${name}`],
      };
    }),
  );
  return router;
}

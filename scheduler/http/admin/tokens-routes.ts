import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { createToken, listTokens, revokeToken, type Role } from '../../admin/tokens.ts';
import { InputError } from '../../errors.ts';
import { readJsonBody } from '../request-body.ts';
import { mutation, noBody, param, reply, type AdminEnv } from './mutation.ts';

const tokenBodySchema = z.strictObject({ name: z.unknown(), role: z.unknown() });

/** A token request's fields; their values are checked by createToken. */
async function readTokenRequest(ctx: Context): Promise<{ name: unknown; role: unknown }> {
  const shape = tokenBodySchema.safeParse(await readJsonBody(ctx));
  if (!shape.success)
    throw new InputError(
      'bad token request',
      shape.error.issues.map((i) => ({
        field: i.code === 'unrecognized_keys' ? i.keys.join(', ') : i.path.join('.') || '(body)',
        reason: i.code === 'unrecognized_keys' ? 'unknown field' : i.message,
      })),
    );
  return shape.data;
}

/** `/tokens`: API tokens (`admin`). A new token is shown once, in the answer that creates it. */
export function tokensRouter(env: AdminEnv): Router {
  const { db, clock, admin } = env;
  const router = new Router();
  router.get('/', admin, (ctx) => reply(ctx, { tokens: listTokens(db) }));
  router.post(
    '/',
    admin,
    mutation(env, 201, readTokenRequest, (_ctx, request) => {
      const { token, info } = createToken(db, request.name, request.role as Role, clock());
      // The token is shown in this answer only; the database keeps its hash.
      return {
        result: { token, ...info },
        summary: `created ${info.role} token ${info.name} (id ${info.id})`,
        after: [`token:${info.id}`],
      };
    }),
  );
  router.delete(
    '/:id',
    admin,
    mutation(env, 200, noBody, (ctx) => {
      const info = revokeToken(db, param(ctx, 'id'), clock());
      return { result: info, summary: `revoked token ${info.name} (id ${info.id})`, before: [`token:${info.id}`] };
    }),
  );
  return router;
}

import type { Context, Middleware } from 'koa';
import { appendAudit } from '../../admin/audit-repository.ts';
import type { PackagingQueue } from '../../admin/packaging-queue.ts';
import type { ScheduleEnv } from '../../admin/schedule-changes.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../store/db.ts';
import { principalOf } from '../auth.ts';
import { readJsonBody } from '../request-body.ts';

/**
 * What every admin resource router needs, and the one helper that makes a mutating route: read and
 * validate the input, run the change and its audit entry in one IMMEDIATE transaction, answer. A
 * mutation happens whole, audited, or not at all.
 */

export interface AdminEnv {
  db: Db;
  clock: Clock;
  schedule: ScheduleEnv;
  packaging: PackagingQueue;
  /** Role checks (auth.ts): `editor` for programming, `admin` for channels and tokens. */
  editor: Middleware;
  admin: Middleware;
}

/** The outcome of a mutation: its answer, and what the audit entry says about it. */
export interface Audited<T> {
  result: T;
  summary: string;
  before?: string[];
  after?: string[];
}

/** Reads a mutation's input from the request (and rejects it) before any transaction starts. */
export type InputReader<I> = (ctx: Context) => I | Promise<I>;

export const jsonBody: InputReader<unknown> = readJsonBody;
export const noBody: InputReader<undefined> = () => undefined;

/** A route parameter, as the router decoded it. */
export function param(ctx: Context, name: string): string {
  return ctx.params[name] as string;
}

/** A read answer: never cached (the admin sees the state of this moment). */
export function reply(ctx: Context, body: unknown): void {
  ctx.body = body;
  ctx.set('Cache-Control', 'no-store');
}

/**
 * A mutating route: `read` takes the input from the request, then `work` and its audit entry run in one
 * IMMEDIATE transaction; the answer is `status` with the work's result.
 */
export function mutation<I, T>(
  env: AdminEnv,
  status: number,
  read: InputReader<I>,
  work: (ctx: Context, input: I) => Audited<T>,
): Middleware {
  const { db, clock } = env;
  return async (ctx) => {
    const input = await read(ctx);
    const principal = principalOf(ctx);
    const route = (ctx as Context & { _matchedRoute?: string })._matchedRoute ?? ctx.path;
    const done = db
      .transaction(() => {
        const outcome = work(ctx, input);
        appendAudit(db, {
          atMs: clock(),
          actor: principal.name,
          role: principal.role,
          method: ctx.method,
          route,
          summary: outcome.summary,
          ...(outcome.before ? { before: outcome.before } : {}),
          ...(outcome.after ? { after: outcome.after } : {}),
        });
        return outcome;
      })
      .immediate();
    ctx.status = status;
    reply(ctx, done.result);
  };
}

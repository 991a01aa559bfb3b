import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import {
  ConflictError,
  InputError,
  InsufficientStorageError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaError,
  type Problem,
} from '../errors.ts';
import { HttpProblem } from './http-errors.ts';

/** JSON body of every error answer: a sentence for people, the problems (field + reason) for programs. */
export interface ErrorBody {
  error: string;
  status: number;
  problems?: Problem[];
}

/**
 * Maps errors to answers: InputError → 400 with its problems, NotFoundError → 404, ConflictError → 409,
 * PayloadTooLargeError → 413 (closing the connection: the rest of the body is never read),
 * UnsupportedMediaError → 415, InsufficientStorageError → 507, HttpProblem → its status, anything else
 * → 500 with a generic message (details go to the log, never to the client).
 */
export function errorMapping(logger: Logger) {
  return async function mapErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new NotFoundError(`nothing at ${ctx.path}`);
      }
    } catch (error) {
      let body: ErrorBody;
      if (error instanceof InputError) {
        body = { error: error.message.split('\n')[0]!, status: 400, problems: error.problems };
      } else if (error instanceof NotFoundError) {
        body = { error: error.message, status: 404 };
      } else if (error instanceof ConflictError) {
        body = { error: error.message, status: 409 };
      } else if (error instanceof PayloadTooLargeError) {
        body = { error: error.message, status: 413 };
        ctx.set('Connection', 'close');
      } else if (error instanceof UnsupportedMediaError) {
        body = { error: error.message, status: 415 };
      } else if (error instanceof InsufficientStorageError) {
        body = { error: error.message, status: 507 };
      } else if (error instanceof HttpProblem) {
        body = { error: error.message, status: error.status };
        ctx.set(error.headers);
      } else {
        logger.error({ err: error, method: ctx.method, url: ctx.url }, 'request failed');
        body = { error: 'internal error', status: 500 };
      }
      ctx.status = body.status;
      ctx.body = body;
      // Error answers are about this moment; never let a cache keep them.
      ctx.set('Cache-Control', 'no-store');
    }
  };
}

/** One structured log line per request: method, url, status, bytes and duration. */
export function requestLogging(logger: Logger) {
  return async function logRequest(ctx: Context, next: Next): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const level = ctx.status >= 500 ? 'error' : 'info';
      logger[level](
        {
          method: ctx.method,
          url: ctx.url,
          status: ctx.status,
          length: ctx.length,
          durationMs: Math.round(durationMs * 1000) / 1000,
        },
        'request',
      );
    }
  };
}

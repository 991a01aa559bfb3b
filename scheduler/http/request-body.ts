import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { InputError, PayloadTooLargeError, UnsupportedMediaError } from '../errors.ts';
import { parseJsonText } from '../json-document.ts';

/** Largest JSON body the admin API reads, and the largest catalog upload (CSV or JSON). */
export const JSON_BODY_LIMIT = 1024 * 1024;
export const CATALOG_BODY_LIMIT = 10 * 1024 * 1024;

function tooLarge(limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`request body is larger than ${limit / 1024 / 1024} MB`, limit);
}

/** Reads the raw body, refusing (413) as soon as it is known to exceed `limit`. */
export async function readRawBody(ctx: Context, limit: number): Promise<Buffer> {
  // A declared length over the limit is refused before anything is read; the connection is closed after
  // the answer (see errorMapping), so the rest is never read.
  const declared = Number(ctx.get('Content-Length') || NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  try {
    // raw-body stops buffering as soon as the limit is passed.
    return await getRawBody(ctx.req, { limit });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw tooLarge(limit);
    throw error;
  }
}

/** A JSON body (Content-Type application/json), parsed; a syntax error names its line and column. */
export async function readJsonBody(ctx: Context): Promise<unknown> {
  if (!ctx.is('application/json')) {
    throw new UnsupportedMediaError(
      `send the body as application/json (got ${ctx.get('Content-Type') || 'no Content-Type'})`,
    );
  }
  const text = (await readRawBody(ctx, JSON_BODY_LIMIT)).toString('utf8');
  if (text.trim() === '')
    throw new InputError('request body is empty', [{ field: '(body)', reason: 'a JSON body is required' }]);
  try {
    return parseJsonText(text, 'request body');
  } catch (error) {
    if (error instanceof InputError)
      throw new InputError(
        'request body is not valid JSON',
        error.problems.map((p) => ({ ...p, field: '(body)' })),
      );
    throw error;
  }
}

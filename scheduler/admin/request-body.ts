import type { Context } from 'koa';
import { InputError } from '../errors.ts';
import { HttpProblem } from '../http/http-errors.ts';
import { parseJsonText } from '../schedule/document-validation.ts';

/** Largest JSON body the admin API reads, and the largest catalog upload (CSV or JSON). */
export const JSON_BODY_LIMIT = 1024 * 1024;
export const CATALOG_BODY_LIMIT = 10 * 1024 * 1024;

function tooLarge(limit: number): HttpProblem {
  return new HttpProblem(413, `request body is larger than ${limit / 1024 / 1024} MB`, { Connection: 'close' });
}

/** Reads the raw body, refusing (413) as soon as it is known to exceed `limit`. */
export async function readRawBody(ctx: Context, limit: number): Promise<Buffer> {
  const declared = Number(ctx.get('Content-Length') || NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    // Stop buffering; the connection is closed after the answer, so the rest is never read.
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A JSON body (Content-Type application/json), parsed; a syntax error names its line and column. */
export async function readJsonBody(ctx: Context): Promise<unknown> {
  if (!ctx.is('application/json')) {
    throw new HttpProblem(
      415,
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

import type { z } from 'zod';
import { InputError } from '../errors.ts';
import { formatPath } from '../schedule/document-validation.ts';

/** Parses a request body with a zod schema; every issue becomes a problem naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, what = 'request body'): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new InputError(
    `${what}: ${parsed.error.issues.length} problem(s)`,
    parsed.error.issues.map((issue) => problemOf(issue)),
  );
}

/** Same for a query string. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  return parseBody(schema, query, 'query string');
}

function problemOf(issue: z.core.$ZodIssue): { field?: string; reason: string } {
  if (issue.code === 'unrecognized_keys') {
    const base = formatPath(issue.path);
    return { field: issue.keys.map((k) => (base ? `${base}.${k}` : k)).join(', '), reason: 'unknown field' };
  }
  const field = formatPath(issue.path);
  return field ? { field, reason: issue.message } : { field: '(body)', reason: issue.message };
}

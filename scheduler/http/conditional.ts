import { createHash } from 'node:crypto';
import type { Context } from 'koa';

/**
 * Conditional GET for bodies derived from versioned data. The route computes validators from keys
 * (snapshot versions, content fingerprints, the parameters the body depends on) BEFORE rendering, so a
 * client or CDN revalidating an unchanged guide gets a 304 without a snapshot being parsed.
 *
 * ETags are weak (`W/"…"`): the body is the same representation, but koa-compress may gzip it, and a
 * strong ETag would then promise byte equality that does not hold.
 */

export interface Validators {
  /** Everything the body depends on; hashed into the ETag. */
  key: readonly unknown[];
  /** Latest change among the inputs (UTC ms); sent as Last-Modified. */
  lastModifiedMs?: number;
  cacheControl: string;
  /** Request headers besides the URL that change the body (e.g. Host when URLs are absolute). */
  vary?: string[];
}

export function weakEtag(key: readonly unknown[]): string {
  return `W/"${createHash('sha1').update(JSON.stringify(key)).digest('base64url')}"`;
}

/** `W/"x"` and `"x"` are the same entity tag under weak comparison (RFC 9110 §8.8.3.2). */
function opaqueTag(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

/**
 * RFC 9110 §13.2.2: If-None-Match, when present, decides (weak comparison, `*` matches any current
 * representation); otherwise If-Modified-Since does, for GET and HEAD. A request's `Cache-Control:
 * no-cache` does not change the evaluation: it tells caches to revalidate, which is what this is
 * (unlike Koa's `ctx.fresh`, which would answer such a revalidation with the full body).
 */
export function notModified(
  requestHeaders: Record<string, string | string[] | undefined>,
  etag: string,
  lastModifiedMs: number | undefined,
): boolean {
  const noneMatch = requestHeaders['if-none-match'];
  if (noneMatch !== undefined) {
    const tags = (Array.isArray(noneMatch) ? noneMatch.join(',') : noneMatch)
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    return tags.some((tag) => tag === '*' || opaqueTag(tag) === opaqueTag(etag));
  }
  const modifiedSince = requestHeaders['if-modified-since'];
  if (typeof modifiedSince !== 'string' || lastModifiedMs === undefined) return false;
  const sinceMs = Date.parse(modifiedSince);
  // HTTP dates have whole seconds: compare at that resolution.
  return Number.isFinite(sinceMs) && Math.floor(lastModifiedMs / 1000) * 1000 <= sinceMs;
}

/**
 * Sets ETag, Last-Modified, Cache-Control (and Vary) and answers 304 Not Modified when the request's
 * preconditions say the client's copy is current; returns true when it did, and the route must then not render.
 */
export function answeredNotModified(ctx: Context, validators: Validators): boolean {
  const etag = weakEtag(validators.key);
  const lastModifiedMs =
    validators.lastModifiedMs !== undefined && Number.isFinite(validators.lastModifiedMs)
      ? validators.lastModifiedMs
      : undefined;
  ctx.set('ETag', etag);
  if (lastModifiedMs !== undefined) ctx.set('Last-Modified', new Date(lastModifiedMs).toUTCString());
  ctx.set('Cache-Control', validators.cacheControl);
  for (const header of validators.vary ?? []) ctx.vary(header);
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return false;
  if (!notModified(ctx.headers, etag, lastModifiedMs)) return false;
  ctx.status = 304;
  return true;
}

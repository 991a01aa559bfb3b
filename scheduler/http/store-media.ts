import type { Context } from 'koa';
import { LRUCache } from 'lru-cache';
import { InputError, NotFoundError } from '../errors.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import { checkMediaPath, describeMediaFile, sendMediaAnswer, type MediaFile } from './media-files.ts';

/** Objects remembered (LRU); one entry is ~200 bytes. Media objects never change, so neither do their facts. */
const MAX_CACHED_OBJECTS = 50_000;

/**
 * /media/<assetId>/<rendition>/<file> of an edge origin whose store is not a local directory (S3): the same
 * path checks, validators, ranges and 304s as the local files (media-files.ts), the bytes streamed from the
 * store (one ranged GET per request; the shield in front caches segments for a year).
 */
export function createStoreMediaHandler(store: ObjectStore) {
  const known = new LRUCache<string, MediaFile>({ max: MAX_CACHED_OBJECTS });

  async function resolve(raw: string): Promise<MediaFile> {
    const cached = known.get(raw);
    if (cached) return cached;
    const check = checkMediaPath(raw);
    if (!check.ok) throw new InputError('invalid media path', [{ field: 'path', reason: check.reason }]);
    const key = `media/${check.components.join('/')}`;
    const info = await store.head(key);
    if (!info) throw new NotFoundError(`no media file ${check.components.join('/')}`);
    const file = describeMediaFile(key, check.extension, info.size, info.modifiedMs);
    known.set(raw, file);
    return file;
  }

  return async function serveStoreMedia(ctx: Context, raw: string): Promise<void> {
    const file = await resolve(raw);
    await sendMediaAnswer(ctx, raw, file, async (range) => {
      const body = await store.stream(file.path, range);
      if (!body) known.delete(raw);
      return body;
    });
  };
}

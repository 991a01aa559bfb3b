import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Context } from 'koa';
import { EMPTY_WEBVTT } from '../../playlists/captions.ts';
import { MEDIA_ID_PATTERN } from '../../playlists/media-layout.ts';
import { InputError, NotFoundError } from '../errors.ts';

/**
 * Packaged media under /media/<assetId>/<rendition>/<file>. Packaged files never change (new content
 * gets a new asset id), so they are cached "forever" by browsers and CDNs.
 *
 * Safety: the raw (undecoded) URL path must be exactly three components from the media id alphabet
 * (MEDIA_ID_PATTERN: no leading dot, no slash, no backslash, no percent sign, no NUL), the file must be
 * a segment (.ts, or .vtt for captions: media/<assetId>/sub-<lang>/segNNNNN.vtt) or a playlist, and the resolved real path must still lie inside the media directory. Anything
 * else is refused before the file system is touched.
 */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export const WEBVTT_CONTENT_TYPE = 'text/vtt; charset=utf-8';

const CONTENT_TYPES: Record<string, string> = {
  '.ts': 'video/mp2t',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.vtt': WEBVTT_CONTENT_TYPE,
};

export type MediaPathCheck =
  { ok: true; components: [string, string, string]; extension: string } | { ok: false; reason: string };

/** Checks the part of the raw URL path after `/media/`. Pure, so it is tested on its own too. */
export function checkMediaPath(rawRelativePath: string): MediaPathCheck {
  if (rawRelativePath.includes('%'))
    return { ok: false, reason: 'percent-encoded characters are not allowed in media paths' };
  if (rawRelativePath.includes('\\')) return { ok: false, reason: 'backslashes are not allowed in media paths' };
  if (rawRelativePath.includes('\0')) return { ok: false, reason: 'NUL is not allowed in media paths' };
  const components = rawRelativePath.split('/');
  if (components.length !== 3) {
    return { ok: false, reason: 'a media path is <assetId>/<rendition>/<file>' };
  }
  for (const component of components) {
    if (component === '..' || component === '.' || !MEDIA_ID_PATTERN.test(component)) {
      return { ok: false, reason: `'${component}' is not a valid media path component` };
    }
  }
  const file = components[2]!;
  const extension = Object.keys(CONTENT_TYPES).find((ext) => file.endsWith(ext));
  if (!extension)
    return {
      ok: false,
      reason: 'only .ts segments, .vtt caption segments and .m3u8 playlists are served under /media/',
    };
  return { ok: true, components: components as [string, string, string], extension };
}

export function createMediaFileHandler(mediaDir: string) {
  const root = resolve(mediaDir);
  // The media directory may itself be reached through a symlink; compare real paths.
  let realRoot: Promise<string | undefined> | undefined;
  const getRealRoot = () => (realRoot ??= realpath(root).catch(() => undefined));

  return async function serveMediaFile(ctx: Context, rawRelativePath: string): Promise<void> {
    const check = checkMediaPath(rawRelativePath);
    if (!check.ok) {
      throw new InputError('invalid media path', [{ field: 'path', reason: check.reason }]);
    }
    const notFound = () => new NotFoundError(`no media file ${check.components.join('/')}`);
    const rootReal = await getRealRoot();
    if (!rootReal) {
      realRoot = undefined; // the directory may be created later (first packaging run)
      throw notFound();
    }
    const candidate = resolve(root, ...check.components);
    let real: string;
    try {
      real = await realpath(candidate);
    } catch {
      throw notFound();
    }
    if (!real.startsWith(rootReal + sep)) throw notFound();
    const info = await stat(real).catch(() => undefined);
    if (!info?.isFile()) throw notFound();

    ctx.status = 200;
    ctx.type = CONTENT_TYPES[check.extension]!;
    ctx.length = info.size;
    ctx.set('Cache-Control', IMMUTABLE_CACHE_CONTROL);
    ctx.lastModified = info.mtime;
    if (ctx.method === 'HEAD') return;
    ctx.body = createReadStream(real);
  };
}

/**
 * GET /captions/empty.vtt (playlists/captions.ts EMPTY_CAPTION_SEGMENT_PATH): the WebVTT segment with no cue
 * that live and start-over caption playlists list for items without captions (fillers, the slate, lessons
 * without that language). Never changes.
 */
export function serveEmptyCaptionSegment(ctx: Context): void {
  ctx.status = 200;
  ctx.type = WEBVTT_CONTENT_TYPE;
  ctx.set('Cache-Control', IMMUTABLE_CACHE_CONTROL);
  ctx.body = EMPTY_WEBVTT; // Koa sends no body for HEAD
}

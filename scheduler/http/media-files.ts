import { createReadStream } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { realpath, stat } from 'node:fs/promises';
import { LRUCache } from 'lru-cache';
import { resolve, sep } from 'node:path';
import type { Context } from 'koa';
import { EMPTY_WEBVTT } from '../../playlists/captions.ts';
import { MEDIA_ID_PATTERN } from '../../playlists/media-layout.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { notModified } from './conditional.ts';
import { HttpProblem } from './http-errors.ts';

/**
 * Packaged media under /media/<assetId>/<rendition>/<file>. Packaged files never change (new content
 * gets a new asset id), so they are cached "forever" by browsers and CDNs.
 *
 * Safety: the raw (undecoded) URL path must be exactly three components from the media id alphabet
 * (MEDIA_ID_PATTERN: no leading dot, no slash, no backslash, no percent sign, no NUL), the file must be
 * a segment (.ts, or .vtt for captions: media/<assetId>/sub-<lang>/segNNNNN.vtt), a playlist or a poster
 * (media/<assetId>/poster/<width>.jpg), and the resolved real path must still lie inside the media directory. Anything
 * else is refused before the file system is touched.
 */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export const WEBVTT_CONTENT_TYPE = 'text/vtt; charset=utf-8';

const CONTENT_TYPES: Record<string, string> = {
  '.ts': 'video/mp2t',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.vtt': WEBVTT_CONTENT_TYPE,
  '.jpg': 'image/jpeg', // posters: media/<assetId>/poster/<width>.jpg
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
      reason: 'only .ts segments, .vtt caption segments, .m3u8 playlists and .jpg posters are served under /media/',
    };
  return { ok: true, components: components as [string, string, string], extension };
}

/** A packaged file, resolved once: packaged files never change, so neither do these facts. */
export interface MediaFile {
  /** Real path, inside the media directory. */
  path: string;
  size: number;
  mtimeMs: number;
  type: string;
  /** Text (playlists, captions): koa-compress may gzip it, so its tag is weak and ranges are not offered. */
  compressible: boolean;
  etag: string;
}

/** How to answer a GET or HEAD for a media file: status, headers and the byte range to send. */
export interface MediaAnswer {
  status: 200 | 206 | 304 | 416;
  headers: Record<string, string | number>;
  /** Inclusive byte range of the file to send (absent for 304 and 416). */
  range?: { start: number; end: number };
}

/** The facts of a media file at `path` (a file path, or an object key for the store) of a checked extension. */
export function describeMediaFile(path: string, extension: string, size: number, mtimeMs: number): MediaFile {
  const compressible = extension !== '.ts';
  const tag = `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
  return { path, size, mtimeMs, type: CONTENT_TYPES[extension]!, compressible, etag: compressible ? `W/${tag}` : tag };
}

export interface MediaFiles {
  /** The resolved file, or a domain error (bad path: InputError; absent or outside the directory: NotFoundError). */
  resolve(rawRelativePath: string): Promise<MediaFile>;
  /** The file if an earlier request resolved it (no I/O): the hot path's lookup. */
  cached(rawRelativePath: string): MediaFile | undefined;
  /** Drops a cached file that turned out to be gone. */
  forget(rawRelativePath: string): void;
}

/** Files remembered (LRU); one entry is ~200 bytes. */
const MAX_CACHED_FILES = 50_000;

export function createMediaFiles(mediaDir: string): MediaFiles {
  const root = resolve(mediaDir);
  // The media directory may itself be reached through a symlink; compare real paths.
  let realRoot: Promise<string | undefined> | undefined;
  const getRealRoot = () => (realRoot ??= realpath(root).catch(() => undefined));
  const files = new LRUCache<string, MediaFile>({ max: MAX_CACHED_FILES });

  async function load(rawRelativePath: string): Promise<MediaFile> {
    const check = checkMediaPath(rawRelativePath);
    if (!check.ok) throw new InputError('invalid media path', [{ field: 'path', reason: check.reason }]);
    const notFound = () => new NotFoundError(`no media file ${check.components.join('/')}`);
    const rootReal = await getRealRoot();
    if (!rootReal) {
      realRoot = undefined; // the directory may be created later (first packaging run)
      throw notFound();
    }
    const real = await realpath(resolve(root, ...check.components)).catch(() => undefined);
    if (!real?.startsWith(rootReal + sep)) throw notFound();
    const info = await stat(real).catch(() => undefined);
    if (!info?.isFile()) throw notFound();
    return describeMediaFile(real, check.extension, info.size, info.mtimeMs);
  }

  return {
    async resolve(rawRelativePath) {
      const known = files.get(rawRelativePath);
      if (known) return known;
      // A missing file is not remembered: it may be packaged later.
      const file = await load(rawRelativePath);
      files.set(rawRelativePath, file);
      return file;
    },
    cached: (rawRelativePath) => files.get(rawRelativePath),
    forget: (rawRelativePath) => void files.delete(rawRelativePath),
  };
}

/**
 * Conditional and range GET for an immutable file (RFC 9110 §13, §14): a matching If-None-Match (or
 * If-Modified-Since) is a 304; one `bytes=` range of a segment (not of text, which may be gzipped) is a 206,
 * or a 416 when it lies past the end; If-Range with another validator, or several ranges, get the whole file.
 */
export function mediaAnswer(file: MediaFile, requestHeaders: IncomingHttpHeaders): MediaAnswer {
  const headers: Record<string, string | number> = {
    'Content-Type': file.type,
    'Cache-Control': IMMUTABLE_CACHE_CONTROL,
    ETag: file.etag,
    'Last-Modified': new Date(file.mtimeMs).toUTCString(),
  };
  if (!file.compressible) headers['Accept-Ranges'] = 'bytes';
  if (notModified(requestHeaders, file.etag, file.mtimeMs)) {
    // A 304 carries the validators, not the representation's metadata (as Koa strips it too).
    const { 'Content-Type': _type, ...validators } = headers;
    return { status: 304, headers: validators };
  }
  const range = file.compressible ? undefined : requestedRange(requestHeaders, file);
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${file.size}` } };
  }
  if (range) {
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${file.size}`;
    headers['Content-Length'] = range.end - range.start + 1;
    return { status: 206, headers, range };
  }
  headers['Content-Length'] = file.size;
  return { status: 200, headers, range: { start: 0, end: file.size - 1 } };
}

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

function requestedRange(
  requestHeaders: IncomingHttpHeaders,
  file: MediaFile,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const header = requestHeaders.range;
  if (typeof header !== 'string') return undefined;
  const ifRange = requestHeaders['if-range'];
  if (typeof ifRange === 'string' && ifRange.trim() !== file.etag) return undefined;
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined; // several ranges or garbage: whole file
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]); // the last N bytes
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, file.size - suffix);
    end = file.size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? file.size - 1 : Math.min(Number(match[2]), file.size - 1);
    if (end < start && match[2] !== '') return undefined; // invalid: ignore it (RFC 9110 §14.1.1)
  }
  if (start >= file.size) return 'unsatisfiable';
  return { start, end };
}

/**
 * Answers a media request for a resolved file: validators, 304, ranges (416 as a problem naming the range), and the
 * body from `open` (a stream of the range; `undefined` when the bytes are gone, which is a 404). The one answer of
 * the local files and of an edge's object store.
 */
export async function sendMediaAnswer(
  ctx: Context,
  raw: string,
  file: MediaFile,
  open: (range: { start: number; end: number }) => Promise<Readable | undefined>,
): Promise<void> {
  const answer = mediaAnswer(file, ctx.headers);
  if (answer.status === 416) {
    throw new HttpProblem(416, `range ${ctx.get('Range')} is outside ${raw} (${file.size} bytes)`, {
      'Content-Range': String(answer.headers['Content-Range']),
    });
  }
  ctx.status = answer.status;
  ctx.set(Object.fromEntries(Object.entries(answer.headers).map(([k, v]) => [k, String(v)])));
  if (ctx.method === 'HEAD' || !answer.range) return;
  if (file.size === 0) {
    ctx.body = Buffer.alloc(0);
    return;
  }
  const body = await open(answer.range);
  if (!body) throw new NotFoundError(`no media file ${raw}`);
  ctx.body = body;
  // Koa replaces Content-Length for stream bodies; keep the one computed above.
  ctx.length = Number(answer.headers['Content-Length']);
}

export function createMediaFileHandler(files: MediaFiles) {
  return async function serveMediaFile(ctx: Context, rawRelativePath: string): Promise<void> {
    const file = await files.resolve(rawRelativePath);
    await sendMediaAnswer(ctx, rawRelativePath, file, async (range) =>
      createReadStream(file.path, range).once('error', () => files.forget(rawRelativePath)),
    );
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

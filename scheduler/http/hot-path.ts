import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { requestLog } from '../logger.ts';
import type { OriginContext } from './origin-context.ts';
import type { CachedPlaylist } from './live-playlist-cache.ts';
import type { ChannelSchedule } from './channel-timelines.ts';
import { HLS_CONTENT_TYPE, LIVE_PLAYLIST_CACHE_CONTROL, liveMasterPlaylist, liveMediaPlaylist } from './live-routes.ts';
import { mediaAnswer, type MediaFiles } from './media-files.ts';
import type { Metrics } from './metrics.ts';

/**
 * The lean hot path: what every viewer asks for every few seconds — a live media or master playlist
 * without a query, and the segments it lists — answered before the Koa middleware stack (no router, body parsing,
 * admin auth,
 * compression stream or error mapping). It answers only the plain success case, with the headers the full
 * stack would send (CORS, Vary, caching; gzip from the playlist cache); anything else (errors, start-over,
 * an Accept-Encoding it would have to negotiate) returns false and goes through Koa, which owns every
 * other answer. Requests stay logged (pino) and counted (prom-client, route patterns as labels).
 */
export type HotPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Channel and track ids the hot path takes as they are (anything else is decoded and routed by Koa). */
const LIVE_PATH = /^\/live\/([A-Za-z0-9_-]+)\/([A-Za-z0-9_-]+)\.m3u8$/;
const MASTER_ROUTE = '/live/:channel/master.m3u8';
const MEDIA_ROUTE = '/live/:channel/:rendition.m3u8';
const MEDIA_FILES_ROUTE = '/media/*';
/** As koa-compress is configured in app.ts: gzip only, bodies from 256 bytes. */
const GZIP_THRESHOLD_BYTES = 256;
/** What @koa/cors (origin '*') and koa-compress add to every such answer. */
const CORS_EXPOSE = 'Content-Length,Date,Retry-After';

export function createHotPath(origin: OriginContext, media: MediaFiles, metrics: Metrics, logger: Logger): HotPath {
  const log = requestLog(logger);
  const done: Done = (req, recordSeconds, status, length, startedMs) => {
    const durationMs = performance.now() - startedMs;
    recordSeconds(durationMs / 1000);
    log(req.method!, req.url!, status, length, Math.round(durationMs * 1000) / 1000);
  };
  // Metrics of the playlist answers, resolved once: GET or HEAD, master or media playlist.
  const playlistRecorders = {
    GET: [metrics.recorder('GET', MASTER_ROUTE, 200), metrics.recorder('GET', MEDIA_ROUTE, 200)] as const,
    HEAD: [metrics.recorder('HEAD', MASTER_ROUTE, 200), metrics.recorder('HEAD', MEDIA_ROUTE, 200)] as const,
  };

  /**
   * The answer last given per playlist path, with the schedule and the instants it holds for: while the
   * channel's schedule is the same object and now is in the same segment, the next request is answered
   * from here without parsing the path, a cache-key string, a lookup or a closure. Bounded: only paths that
   * were answered.
   */
  const recent = new Map<string, Recent>();

  /** The answer for a playlist path at `nowMs`, rendered (or taken from the playlist cache) and remembered. */
  function refresh(url: string, channelId: string, name: string, nowMs: number): Recent | undefined {
    // An unknown channel has no schedule either: Koa answers it (404, or 503 before the first publish).
    const schedule = origin.timelines.at(channelId, nowMs);
    if (!schedule) return undefined;
    const playlist = livePlaylist(origin, schedule, name, nowMs);
    if (!playlist) return undefined;
    const known: Recent = {
      channelId,
      name,
      recorder: name === 'master' ? 0 : 1,
      schedule,
      fromMs: playlist.fromMs,
      untilMs: playlist.untilMs,
      ...answers(playlist),
    };
    if (recent.size >= MAX_RECENT) recent.clear();
    recent.set(url, known);
    return known;
  }

  return function hotPath(req, res) {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const url = req.url ?? '';
    let known = recent.get(url);
    let match: RegExpExecArray | null = null;
    if (!known) {
      if (url.startsWith('/media/') && url.endsWith('.ts')) return serveSegment(req, res, media, metrics, done);
      if (!(match = LIVE_PATH.exec(url))) return false;
    }
    const startedMs = performance.now();
    const gzip = acceptsGzip(req.headers['accept-encoding']);
    if (gzip === undefined) return false;
    const nowMs = origin.clock();
    if (match) known = refresh(url, match[1]!, match[2]!, nowMs);
    else if (known && (known.schedule !== origin.timelines.at(known.channelId, nowMs) || !within(known, nowMs))) {
      // A publish since (another schedule object) or the next segment: render (or take from the cache) again.
      known = refresh(url, known.channelId, known.name, nowMs);
    }
    if (!known) return false;
    // koa-compress leaves HEAD answers unencoded (with the identity length); so does this.
    const zipped = gzip && method === 'GET' && known.identity.body.length >= GZIP_THRESHOLD_BYTES;
    const answer = zipped ? known.gzip : known.identity;
    res.writeHead(200, answer.headers);
    if (method === 'HEAD') res.end();
    else res.end(answer.body);
    done(req, playlistRecorders[method][known.recorder], 200, answer.body.length, startedMs);
    return true;
  };
}

/** A playlist's bytes with every header of its answer, as one flat list for writeHead (no per-request setHeader). */
interface Answer {
  body: Buffer;
  headers: string[];
}

interface Answers {
  identity: Answer;
  /** Made on the first request that accepts gzip. */
  readonly gzip: Answer;
}

interface Recent extends Answers {
  channelId: string;
  /** The playlist's name: `master` or a track id. */
  name: string;
  /** Index into the recorders of a method: 0 the master, 1 a media playlist. */
  recorder: 0 | 1;
  schedule: ChannelSchedule;
  fromMs: number;
  untilMs: number;
}

function within(known: Recent, nowMs: number): boolean {
  return known.fromMs <= nowMs && nowMs < known.untilMs;
}

/** Playlist paths remembered at most (channels × tracks; past it the memory starts afresh). */
const MAX_RECENT = 1024;

function answers(playlist: CachedPlaylist): Answers {
  let gzip: Answer | undefined;
  return {
    identity: answerOf(playlist.body, false),
    get gzip() {
      return (gzip ??= answerOf(playlist.gzip(), true));
    },
  };
}

function answerOf(body: Buffer, gzip: boolean): Answer {
  const headers = [
    'Vary',
    'Origin, Accept-Encoding',
    'Access-Control-Allow-Origin',
    '*',
    'Access-Control-Expose-Headers',
    CORS_EXPOSE,
    'Content-Type',
    HLS_CONTENT_TYPE,
    'Cache-Control',
    LIVE_PLAYLIST_CACHE_CONTROL,
    ...(gzip ? ['Content-Encoding', 'gzip'] : []),
    'Content-Length',
    String(body.length),
  ];
  return { body, headers };
}

type Done = (
  req: IncomingMessage,
  recordSeconds: (seconds: number) => void,
  status: number,
  length: number,
  startedMs: number,
) => void;

/**
 * A segment that an earlier request resolved (media-files.ts caches the path check and the stat of
 * immutable files): headers from mediaAnswer (ETag, Range, 304), the bytes streamed from the file. A file
 * not resolved yet, a 416 or a query string goes through Koa.
 */
function serveSegment(
  req: IncomingMessage,
  res: ServerResponse,
  media: MediaFiles,
  metrics: Metrics,
  done: Done,
): boolean {
  const raw = req.url!.slice('/media/'.length);
  const file = media.cached(raw);
  if (!file) return false;
  const answer = mediaAnswer(file, req.headers);
  if (answer.status === 416) return false;
  const startedMs = performance.now();
  const recordSeconds = metrics.recorder(req.method!, MEDIA_FILES_ROUTE, answer.status);
  res.statusCode = answer.status;
  res.setHeader('Vary', 'Origin, Accept-Encoding');
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE);
  for (const name in answer.headers) res.setHeader(name, answer.headers[name]!);
  const length = Number(answer.headers['Content-Length'] ?? 0);
  if (req.method === 'HEAD' || !answer.range || file.size === 0) {
    res.end();
    done(req, recordSeconds, answer.status, length, startedMs);
    return true;
  }
  const stream = createReadStream(file.path, answer.range);
  stream.once('error', () => {
    // Gone since it was resolved (a removed asset): forget it; the next request gets Koa's 404.
    media.forget(raw);
    if (!res.headersSent) {
      res.statusCode = 404;
      res.setHeader('Cache-Control', 'no-store');
      res.removeHeader('Content-Length');
      res.end();
    } else res.destroy();
  });
  res.once('close', () => stream.destroy());
  stream.pipe(res);
  done(req, recordSeconds, answer.status, length, startedMs);
  return true;
}

function livePlaylist(
  origin: OriginContext,
  schedule: ChannelSchedule,
  name: string,
  nowMs: number,
): CachedPlaylist | undefined {
  try {
    return name === 'master'
      ? liveMasterPlaylist(origin, schedule, nowMs, '')
      : liveMediaPlaylist(origin, schedule, name, nowMs, undefined);
  } catch {
    return undefined; // the full stack answers it (and maps the error)
  }
}

/** true/false for a plain list of codings; undefined when q-values or wildcards need real negotiation. */
function acceptsGzip(header: string | string[] | undefined): boolean | undefined {
  if (header === undefined || header === '') return false;
  if (typeof header !== 'string' || header.includes(';') || header.includes('*')) return undefined;
  return header.split(',').some((coding) => coding.trim().toLowerCase() === 'gzip');
}

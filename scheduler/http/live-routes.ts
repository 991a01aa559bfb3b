import type Router from '@koa/router';
import type { Context } from 'koa';
import { gzipSync } from 'node:zlib';
import type { RenditionInfo } from '../../playlists/model.ts';
import { InputError, NotFoundError } from '../errors.ts';
import type { OriginContext } from './origin-context.ts';
import { START_OVER_WINDOW_MS, type ChannelSchedule } from './channel-timelines.ts';
import { HttpProblem } from './http-errors.ts';
import { anchorKey, type CachedPlaylist } from './live-playlist-cache.ts';
import { captionLanguageOf, channelCaptionLanguages } from '../../playlists/captions.ts';
import {
  renderLiveCaptionPlaylist,
  renderLiveMediaPlaylist,
  DEFAULT_TARGET_DURATION_S,
  type LiveUnavailable,
} from '../../playlists/live.ts';
import { renderMasterPlaylist } from '../../playlists/master.ts';
import { captionTrackName } from '../../playlists/media-layout.ts';

/** Segments are 6 s; a playlist may be cached at most half of that (DESIGN.md "Live HLS"). */
export const LIVE_PLAYLIST_CACHE_CONTROL = 'public, max-age=2';
export const HLS_CONTENT_TYPE = 'application/vnd.apple.mpegurl';
/** Before the first publish of a channel: how long a client should wait before asking again. */
const NOT_PUBLISHED_RETRY_AFTER_S = 30;

/** Strict ISO 8601 instant with an explicit zone (Z or ±hh:mm), seconds and fraction optional. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Live channels:
 *   GET /live/:channel/master.m3u8          variants of the channel's ladder + the audio-only one
 *   GET /live/:channel/:rendition.m3u8      sliding window of the last N aired segments
 *   GET /live/:channel/sub-<lang>.m3u8      the same window of the <lang> WebVTT caption track (the languages
 *                                           the channel offers: playlists/captions.ts channelCaptionLanguages)
 * `?start=` (ISO instant or an airing id of the last 24 h) turns either into start-over: the playlist
 * begins at that programme and grows until now. A channel with nothing published at now answers 503
 * with Retry-After (only possible before its first publish: the service publishes the horizon before
 * it listens); once published, off-air time is slate, never an error.
 */
export function registerLiveRoutes(router: Router, origin: OriginContext): void {
  router.get('/live/:channel/master.m3u8', (ctx) => {
    const { schedule, nowMs } = channelScheduleNow(ctx, origin);
    const startAtMs = parseStart(ctx, schedule, nowMs);
    const query = startAtMs === undefined ? '' : `?start=${encodeURIComponent(String(ctx.query.start))}`;
    sendPlaylist(ctx, liveMasterPlaylist(origin, schedule, nowMs, query).body);
  });

  router.get('/live/:channel/:rendition.m3u8', (ctx) => {
    const { schedule, nowMs } = channelScheduleNow(ctx, origin);
    const startAtMs = parseStart(ctx, schedule, nowMs);
    sendPlaylist(ctx, liveMediaPlaylist(origin, schedule, ctx.params.rendition!, nowMs, startAtMs).body);
  });
}

/** The master playlist of a channel at `nowMs`; `query` (`?start=…` or '') is appended to every variant URI. */
export function liveMasterPlaylist(
  origin: OriginContext,
  schedule: ChannelSchedule,
  nowMs: number,
  query: string,
): CachedPlaylist {
  return origin.playlists.get(schedule, `${schedule.channelId}\0master\0${query}`, nowMs, () => {
    const subtitles = channelCaptionLanguages(schedule.timeline, nowMs).map((language) => ({
      language,
      uri: `${encodeURIComponent(captionTrackName(language))}.m3u8${query}`,
    }));
    return renderMasterPlaylist(schedule.renditions, {
      uriFor: (r) => `${encodeURIComponent(r.name)}.m3u8${query}`,
      subtitles,
    });
  });
}

/**
 * A live (or, with `startAtMs`, start-over) media or caption playlist, from the cache when the same
 * schedule and segment were rendered before. Throws the domain error a request for it deserves.
 */
export function liveMediaPlaylist(
  origin: OriginContext,
  schedule: ChannelSchedule,
  name: string,
  nowMs: number,
  startAtMs: number | undefined,
): CachedPlaylist {
  const channelId = schedule.channelId;
  const language = schedule.renditions.some((r) => r.name === name) ? undefined : captionLanguageOf(name);
  const render = () => {
    const common = {
      timeline: schedule.timeline,
      nowMs,
      windowSegments: origin.windowSegments,
      // Constant per channel: 6 s unless packaging produced longer segments (then the longest, rounded).
      targetDurationS: Math.max(DEFAULT_TARGET_DURATION_S, schedule.timeline.maxRoundedSegmentSeconds),
      ...(startAtMs === undefined ? {} : { startAtMs }),
      mediaBaseUrl: origin.mediaBaseUrl,
    };
    if (language !== undefined)
      return renderLiveCaptionPlaylist({ ...common, language, emptySegmentUri: origin.emptyCaptionUri });
    const rendition = findRendition(schedule.renditions, name, `channel ${channelId}`);
    return renderLiveMediaPlaylist({ ...common, rendition: rendition.name });
  };
  const anchor = anchorKey(schedule, startAtMs, nowMs);
  const rendered =
    anchor === undefined
      ? uncached(render())
      : origin.playlists.get(schedule, `${channelId}\0${name}\0${anchor}`, nowMs, render);
  if ('body' in rendered) return rendered;
  throw unavailableError(rendered, schedule, name, language, nowMs);
}

function uncached(rendered: string | LiveUnavailable): CachedPlaylist | LiveUnavailable {
  if (typeof rendered !== 'string') return rendered;
  const body = Buffer.from(rendered);
  return { body, fromMs: 0, untilMs: 0, gzip: () => gzipSync(body) };
}

function unavailableError(
  rendered: LiveUnavailable,
  schedule: ChannelSchedule,
  name: string,
  language: string | undefined,
  nowMs: number,
): Error {
  const channelId = schedule.channelId;
  switch (rendered.reason) {
    case 'unknown-caption-language': {
      const offered = channelCaptionLanguages(schedule.timeline, nowMs);
      return new NotFoundError(
        `channel ${channelId} has no captions in '${language}' today or yesterday; ${offered.length ? `caption languages: ${offered.join(', ')}` : 'it has no captions'}`,
      );
    }
    case 'unknown-rendition':
      return new NotFoundError(`channel ${channelId} has no rendition '${name}'`);
    case 'start-not-available':
      return new InputError('invalid start-over request', [
        { field: 'start', reason: `nothing of channel ${channelId} that has aired is published at that instant` },
      ]);
    case 'no-segment-yet':
      return new HttpProblem(503, `channel ${channelId} has just started; its first segment is still airing`, {
        'Retry-After': String(DEFAULT_TARGET_DURATION_S),
      });
    case 'before-start':
    case 'after-end':
      return notPublished(channelId, nowMs);
  }
}

function sendPlaylist(ctx: Context, body: Buffer): void {
  ctx.type = HLS_CONTENT_TYPE;
  ctx.set('Cache-Control', LIVE_PLAYLIST_CACHE_CONTROL);
  ctx.body = body;
}

function channelScheduleNow(
  ctx: Context,
  origin: OriginContext,
): { channelId: string; schedule: ChannelSchedule; nowMs: number } {
  const channelId = String(ctx.params.channel);
  if (!origin.published.hasChannel(channelId)) {
    const known = origin.published.channelIds();
    throw new NotFoundError(
      `unknown channel '${channelId}'; ${known.length ? `channels: ${known.join(', ')}` : 'no channels are configured'}`,
    );
  }
  const nowMs = origin.clock();
  const schedule = origin.timelines.at(channelId, nowMs);
  if (!schedule) throw notPublished(channelId, nowMs);
  return { channelId, schedule, nowMs };
}

function notPublished(channelId: string, nowMs: number): HttpProblem {
  return new HttpProblem(
    503,
    `channel ${channelId} has no published schedule at ${new Date(nowMs).toISOString()} yet; it is being published, retry shortly`,
    { 'Retry-After': String(NOT_PUBLISHED_RETRY_AFTER_S) },
  );
}

export function findRendition(renditions: RenditionInfo[], name: string, owner: string): RenditionInfo {
  const rendition = renditions.find((r) => r.name === name);
  if (!rendition) {
    throw new NotFoundError(
      `${owner} has no rendition '${name}'; renditions: ${renditions.map((r) => r.name).join(', ')}`,
    );
  }
  return rendition;
}

/**
 * `?start=`: an ISO instant, or the id of an airing on this channel. It must lie within the last 24 h,
 * not in the future, and inside the published schedule the server keeps. Anything else is a 400 that
 * names the parameter.
 */
function parseStart(ctx: Context, schedule: ChannelSchedule, nowMs: number): number | undefined {
  const raw = ctx.query.start;
  if (raw === undefined) return undefined;
  const bad = (reason: string) => new InputError('invalid start-over request', [{ field: 'start', reason }]);
  if (Array.isArray(raw)) throw bad('give start once');
  if (raw === '') throw bad('empty; give an ISO 8601 instant (e.g. 2026-11-23T08:00:00Z) or a programme id');
  let startMs: number;
  let what: string;
  if (ISO_INSTANT.test(raw)) {
    startMs = Date.parse(raw);
    if (Number.isNaN(startMs)) throw bad(`'${raw}' is not a real instant`);
    what = `instant ${raw}`;
  } else {
    const item = schedule.item(raw);
    if (!item) {
      throw bad(
        `'${raw}' is neither an ISO 8601 instant with a zone (e.g. 2026-11-23T08:00:00Z) nor a programme of channel ${schedule.channelId} in the last 24 h`,
      );
    }
    startMs = item.startMs;
    what = `programme ${raw}`;
  }
  if (startMs > nowMs) throw bad(`${what} is in the future`);
  if (startMs < nowMs - START_OVER_WINDOW_MS) throw bad(`${what} is more than 24 h ago; start-over reaches back 24 h`);
  if (startMs < schedule.startMs) {
    throw bad(`${what} is before the earliest published programme (${new Date(schedule.startMs).toISOString()})`);
  }
  return startMs;
}

import { AIRING_ID_PATTERN as AIRING_ID } from '../../playlists/ids.ts';
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { ScheduledItem } from '../../playlists/model.ts';
import { NotFoundError } from '../errors.ts';
import type { PackagedAssetMedia } from '../media/asset-timelines.ts';
import type { OriginContext } from './origin-context.ts';
import { HttpProblem } from './http-errors.ts';
import { findRendition, HLS_CONTENT_TYPE } from './live-routes.ts';
import { captionLanguageOf, captionTrackOf } from '../../playlists/captions.ts';
import { renderMasterPlaylist, type SubtitleMedia } from '../../playlists/master.ts';
import { captionTrackName } from '../../playlists/media-layout.ts';
import { renderVodCaptionPlaylist, renderVodMediaPlaylist, type VodPlaylistOptions } from '../../playlists/vod.ts';

/** A lesson's VOD playlist changes only if the lesson is repackaged (a new asset): a minute is plenty. */
const LESSON_CACHE_CONTROL = 'public, max-age=60';
/** A past airing never changes (DESIGN.md: what has aired never changes). */
const AIRING_CACHE_CONTROL = 'public, max-age=86400';

/**
 * On demand:
 *   GET /vod/lessons/:id/master.m3u8 (+ /:rendition.m3u8)    every packaged lesson
 *   GET /vod/airings/:id/master.m3u8 (+ /:rendition.m3u8)    catch-up: a past airing, with its real
 *                                                            EXT-X-PROGRAM-DATE-TIME
 * `sub-<lang>.m3u8` in place of a rendition is the asset's WebVTT caption playlist of that language (404 if
 * it has none); masters list the asset's caption tracks.
 * An airing still on air answers 409 (with the start-over URL), one not yet aired 425.
 */
export function registerVodRoutes(router: Router, origin: OriginContext): void {
  router.get('/vod/lessons/:id/master.m3u8', (ctx) => {
    const asset = lessonAsset(origin, ctx.params.id!);
    send(ctx, masterOf(asset), LESSON_CACHE_CONTROL);
  });
  router.get('/vod/lessons/:id/:rendition.m3u8', (ctx) => {
    const asset = lessonAsset(origin, ctx.params.id!);
    send(
      ctx,
      mediaPlaylistOf(asset, ctx.params.rendition!, `lesson ${ctx.params.id}`, { mediaBaseUrl: origin.mediaBaseUrl }),
      LESSON_CACHE_CONTROL,
    );
  });

  router.get('/vod/airings/:id/master.m3u8', (ctx) => {
    const { asset } = pastAiring(origin, ctx.params.id!);
    send(ctx, masterOf(asset), AIRING_CACHE_CONTROL);
  });
  router.get('/vod/airings/:id/:rendition.m3u8', (ctx) => {
    const { item, asset } = pastAiring(origin, ctx.params.id!);
    const text = mediaPlaylistOf(asset, ctx.params.rendition!, `airing ${item.id}`, {
      mediaBaseUrl: origin.mediaBaseUrl,
      segmentRange: { offset: item.segmentOffset, count: item.segmentCount },
      programDateTimeMs: item.startMs,
    });
    send(ctx, text, AIRING_CACHE_CONTROL);
  });
}

/** The asset's ladder and its caption tracks (`sub-<lang>.m3u8`, catalog order). */
function masterOf(asset: PackagedAssetMedia): string {
  const subtitles: SubtitleMedia[] = (asset.timeline.captions ?? []).map((track) => ({
    language: track.language,
    uri: `${encodeURIComponent(captionTrackName(track.language))}.m3u8`,
  }));
  return renderMasterPlaylist(asset.renditions, { uriFor: (r) => `${encodeURIComponent(r.name)}.m3u8`, subtitles });
}

/** A rendition's media playlist, or `sub-<lang>` (not a rendition name): the caption playlist of that language. */
function mediaPlaylistOf(asset: PackagedAssetMedia, name: string, owner: string, options: VodPlaylistOptions): string {
  const language = asset.renditions.some((r) => r.name === name) ? undefined : captionLanguageOf(name);
  if (language === undefined) {
    const rendition = findRendition(asset.renditions, name, owner);
    return renderVodMediaPlaylist(asset.timeline, rendition.name, options);
  }
  if (!captionTrackOf(asset.timeline, language)) {
    const have = (asset.timeline.captions ?? []).map((t) => t.language);
    throw new NotFoundError(
      `${owner} has no captions in '${language}'; ${have.length ? `caption languages: ${have.join(', ')}` : 'it has no captions'}`,
    );
  }
  return renderVodCaptionPlaylist(asset.timeline, language, options);
}

function send(ctx: Context, text: string, cacheControl: string): void {
  ctx.type = HLS_CONTENT_TYPE;
  ctx.set('Cache-Control', cacheControl);
  ctx.body = text;
}

function lessonAsset(origin: OriginContext, lessonId: string): PackagedAssetMedia {
  const assetId = origin.assets.lessonAssetId(lessonId);
  const asset = assetId === undefined ? undefined : origin.assets.get(assetId);
  if (!asset) throw new NotFoundError(`no packaged lesson '${lessonId}'`);
  return asset;
}

/** The published airing with that id, if it has fully aired; 404 / 409 / 425 otherwise. */
function pastAiring(origin: OriginContext, airingId: string): { item: ScheduledItem; asset: PackagedAssetMedia } {
  const item = findAiring(origin, airingId);
  if (!item) throw new NotFoundError(`no airing '${airingId}'`);
  const nowMs = origin.clock();
  const endMs = item.startMs + item.durationMs;
  if (item.startMs > nowMs) {
    throw new HttpProblem(
      425,
      `airing ${airingId} has not aired yet: it starts at ${new Date(item.startMs).toISOString()}`,
    );
  }
  if (endMs > nowMs) {
    const channelId = AIRING_ID.exec(airingId)![1]!;
    throw new HttpProblem(
      409,
      `airing ${airingId} is on air until ${new Date(endMs).toISOString()}; watch it from the start at /live/${channelId}/master.m3u8?start=${airingId}`,
    );
  }
  const asset = origin.assets.get(item.assetId);
  if (!asset) throw new NotFoundError(`airing ${airingId}: its asset ${item.assetId} is no longer packaged`);
  return { item, asset };
}

/** The id names the channel and the start instant: one indexed lookup of the day that contains it. */
function findAiring(origin: OriginContext, airingId: string): ScheduledItem | undefined {
  const match = AIRING_ID.exec(airingId);
  if (!match) return undefined;
  const [, channelId, year, month, day, hour, minute, second, ms] = match;
  const startMs = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Number(ms),
  );
  if (Number.isNaN(startMs)) return undefined;
  for (const key of origin.published.dayVersionsOverlapping(channelId!, startMs, startMs + 1)) {
    const item = origin.published.snapshot(channelId!, key).items.find((i) => i.id === airingId);
    if (item) return item;
  }
  return undefined;
}

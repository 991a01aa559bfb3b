import type Router from '@koa/router';
import type { Context } from 'koa';
import { channelsJson, guideJson, lessonJson, noticesJson } from '../../playlists/guide-json.ts';
import { renderChannelCalendar } from '../../playlists/icalendar.ts';
import { renderM3u } from '../../playlists/m3u.ts';
import { renderXmltv } from '../../playlists/xmltv.ts';
import { NotFoundError } from '../errors.ts';
import {
  calendarWindow,
  epgWindow,
  parseChannelList,
  parseEpgDays,
  parseGuideRange,
  parseLessonFilter,
  type QueryValue,
} from '../guide/guide-queries.ts';
import { createGuideStore, type GuideDayKey, type GuideStore, type StoredGuideChannel } from '../guide/guide-store.ts';
import { weeklyTimetablePage } from '../guide/weekly-timetable.ts';
import type { OriginContext } from './app.ts';
import { answeredNotModified, type Validators } from './conditional.ts';
import { openApiDocument } from './openapi.ts';

/** Guides change when a day is (re)published or the catalog changes: a few minutes of caching is harmless. */
const GUIDE_CACHE_CONTROL = 'public, max-age=300';
/** /api/guide and /api/notices are about "now": the TV app polls them. */
const NOW_CACHE_CONTROL = 'public, max-age=60';
const CALENDAR_CACHE_CONTROL = 'public, max-age=900';
const DOCUMENT_CACHE_CONTROL = 'public, max-age=3600';
/** /api/notices looks this far ahead (published days beyond it are not announced yet). */
const NOTICES_HORIZON_MS = 14 * 86_400_000;
/** Recent XMLTV/iCalendar bodies kept by ETag (a few hosts × the common `days` values). */
const RENDERED_BODY_CACHE_SIZE = 16;

export const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';
export const M3U_CONTENT_TYPE = 'audio/x-mpegurl; charset=utf-8';
export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';
export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';

export interface GuideRouteOptions {
  /** When set, absolute URLs in bodies use it; otherwise the request's protocol and host. */
  publicBaseUrl?: string;
}

/**
 * Programme guide and integrations:
 *   /epg.xml, /epg/:channel.xml (?days=1..14, default 7, plus the last 24 h)   XMLTV
 *   /channels.m3u                                                             IPTV channel list
 *   /calendar/:channel.ics                                                    first-run lessons, iCalendar
 *   /timetable/:channel (?week=YYYY-Www, default the current week)            printable HTML
 *   /api/channels · /api/guide · /api/lessons · /api/lessons/:id · /api/notices   guide JSON
 *   /openapi.json                                                             OpenAPI 3.1 of every public route
 * Every answer carries an ETag and Last-Modified computed from day versions and content fingerprints
 * before anything is rendered, and a matching conditional request gets 304.
 */
export function registerGuideRoutes(router: Router, origin: OriginContext, options: GuideRouteOptions = {}): void {
  const store = createGuideStore(origin.db, origin.clock);
  const renderedBodies = new Map<string, string>();
  /** The body for the ETag just set on `ctx`: from the small cache of recent renders, or rendered now. */
  const rendered = (ctx: Context, render: () => string): string => {
    const etag = String(ctx.response.get('ETag'));
    let body = renderedBodies.get(etag);
    if (body === undefined) {
      body = render();
      renderedBodies.set(etag, body);
      if (renderedBodies.size > RENDERED_BODY_CACHE_SIZE) renderedBodies.delete(renderedBodies.keys().next().value!);
    }
    return body;
  };
  const publicBase = options.publicBaseUrl?.replace(/\/+$/, '');
  /** Absolute base URL of this answer, and the request headers it depends on. */
  const baseOf = (ctx: Context) =>
    publicBase
      ? { baseUrl: publicBase, vary: [] }
      : { baseUrl: `${ctx.protocol}://${ctx.host}`, vary: ['Host', 'X-Forwarded-Host', 'X-Forwarded-Proto'] };

  router.get(['/epg.xml', '/epg/:channel.xml'], (ctx) => {
    const channels = ctx.params.channel === undefined ? store.channels() : [requireChannel(store, ctx.params.channel)];
    const days = parseEpgDays(ctx.query.days);
    const nowMs = origin.clock();
    const keys = channels.flatMap((c) => {
      const window = epgWindow({ timezone: c.guide.timezone, dayStart: c.dayStart }, nowMs, days);
      return store.dayKeys(c.guide.id, window.fromMs, window.toMs);
    });
    const { baseUrl, vary } = baseOf(ctx);
    const conditions = dayBodyValidators(store, {
      key: ['epg', baseUrl, channels.map((c) => c.guide.id)],
      dayKeys: keys,
      usesCatalog: true,
      cacheControl: GUIDE_CACHE_CONTROL,
      vary,
    });
    if (answeredNotModified(ctx, conditions)) return;
    ctx.type = XML_CONTENT_TYPE;
    // The body is a function of its validators only (<tv date> is the latest change, not the clock), so
    // a rendered guide (megabytes for a week of 12 channels) is reused while its ETag stands.
    ctx.body = rendered(ctx, () => {
      const snapshots = store.snapshots(keys);
      return renderXmltv({
        channels: channels.map((c) => c.guide),
        days: snapshots,
        lessons: store.lessonsOf(snapshots),
        generatedAt: conditions.lastModifiedMs,
        baseUrl,
      });
    });
  });

  router.get('/channels.m3u', (ctx) => {
    const channels = store.channels();
    const { baseUrl, vary } = baseOf(ctx);
    const state = store.channelsState();
    if (
      answeredNotModified(ctx, {
        key: ['m3u', baseUrl, state.fingerprint],
        lastModifiedMs: state.changedAtMs,
        cacheControl: GUIDE_CACHE_CONTROL,
        vary,
      })
    )
      return;
    ctx.type = M3U_CONTENT_TYPE;
    ctx.body = renderM3u({ channels: channels.map((c) => c.guide), baseUrl });
  });

  router.get('/calendar/:channel.ics', (ctx) => {
    const channel = requireChannel(store, ctx.params.channel!);
    const window = calendarWindow({ timezone: channel.guide.timezone, dayStart: channel.dayStart }, origin.clock());
    const keys = store.dayKeys(channel.guide.id, window.fromMs, window.toMs);
    const { baseUrl, vary } = baseOf(ctx);
    const conditions = dayBodyValidators(store, {
      key: ['ics', baseUrl, channel.guide.id],
      dayKeys: keys,
      usesCatalog: true,
      cacheControl: CALENDAR_CACHE_CONTROL,
      vary,
    });
    if (answeredNotModified(ctx, conditions)) return;
    ctx.type = CALENDAR_CONTENT_TYPE;
    ctx.set('Content-Disposition', `inline; filename="${channel.guide.id}.ics"`);
    ctx.body = rendered(ctx, () => {
      const snapshots = store.snapshots(keys);
      return renderChannelCalendar({
        channel: channel.guide,
        days: snapshots,
        lessons: store.lessonsOf(snapshots),
        baseUrl,
        generatedAt: conditions.lastModifiedMs,
      });
    });
  });

  router.get('/timetable/:channel', (ctx) => {
    const page = weeklyTimetablePage(store, ctx.params.channel!, ctx.query.week, origin.clock());
    // No absolute URLs in the page: it does not depend on the host.
    const key = ['timetable', page.channel.guide.id, page.week, page.notice ?? null];
    if (
      answeredNotModified(
        ctx,
        dayBodyValidators(store, {
          key,
          dayKeys: page.dayKeys,
          usesCatalog: true,
          cacheControl: GUIDE_CACHE_CONTROL,
          vary: [],
        }),
      )
    )
      return;
    ctx.type = HTML_CONTENT_TYPE;
    ctx.body = page.render();
  });

  router.get('/api/channels', (ctx) => {
    const { baseUrl, vary } = baseOf(ctx);
    const state = store.channelsState();
    if (
      answeredNotModified(ctx, {
        key: ['channels', baseUrl, state.fingerprint],
        lastModifiedMs: state.changedAtMs,
        cacheControl: GUIDE_CACHE_CONTROL,
        vary,
      })
    )
      return;
    ctx.body = channelsJson({ channels: store.channels().map((c) => c.guide), baseUrl });
  });

  router.get('/api/guide', (ctx) => {
    const { fromMs, toMs } = parseGuideRange({ from: ctx.query.from, to: ctx.query.to }, origin.clock());
    const channelIds = parseChannelList(ctx.query.channels, (id) => store.channel(id) !== undefined);
    const channels = channelIds ? channelIds.map((id) => store.channel(id)!) : store.channels();
    const keys = channels.flatMap((c) => store.dayKeys(c.guide.id, fromMs, toMs));
    const { baseUrl, vary } = baseOf(ctx);
    const key = ['guide', baseUrl, fromMs, toMs, channelIds ?? null];
    if (
      answeredNotModified(
        ctx,
        dayBodyValidators(store, { key, dayKeys: keys, usesCatalog: true, cacheControl: NOW_CACHE_CONTROL, vary }),
      )
    )
      return;
    const snapshots = store.snapshots(keys);
    ctx.body = guideJson({
      channels: channels.map((c) => c.guide),
      days: snapshots,
      from: fromMs,
      to: toMs,
      lessons: store.lessonsOf(snapshots),
      ...(channelIds ? { channelIds } : {}),
      baseUrl,
    });
  });

  router.get('/api/lessons', (ctx) => {
    const filter = parseLessonFilter(ctx.query as Record<string, QueryValue>);
    const { baseUrl, vary } = baseOf(ctx);
    const catalog = store.catalogState();
    if (
      answeredNotModified(ctx, {
        key: ['lessons', baseUrl, filter, catalog.fingerprint],
        lastModifiedMs: catalog.changedAtMs,
        cacheControl: GUIDE_CACHE_CONTROL,
        vary,
      })
    )
      return;
    const page = store.packagedLessons(filter);
    ctx.body = {
      total: page.total,
      offset: filter.offset,
      limit: filter.limit,
      lessons: page.lessons.map((l) => lessonJson(l, baseUrl)),
    };
  });

  router.get('/api/lessons/:id', (ctx) => {
    const lesson = store.packagedLesson(ctx.params.id!);
    if (!lesson) throw new NotFoundError(`no packaged lesson '${ctx.params.id}'`);
    const { baseUrl, vary } = baseOf(ctx);
    const catalog = store.catalogState();
    if (
      answeredNotModified(ctx, {
        key: ['lesson', baseUrl, lesson.id, catalog.fingerprint],
        lastModifiedMs: catalog.changedAtMs,
        cacheControl: GUIDE_CACHE_CONTROL,
        vary,
      })
    )
      return;
    ctx.body = lessonJson(lesson, baseUrl);
  });

  router.get('/api/notices', (ctx) => {
    const nowMs = origin.clock();
    const channels = store.channels();
    // Days overlapping [now, horizon) are exactly the days that have not ended (noticesJson's filter).
    const keys = channels.flatMap((c) => store.dayKeys(c.guide.id, nowMs, nowMs + NOTICES_HORIZON_MS));
    if (
      answeredNotModified(
        ctx,
        dayBodyValidators(store, {
          key: ['notices'],
          dayKeys: keys,
          usesCatalog: false,
          cacheControl: NOW_CACHE_CONTROL,
          vary: [],
        }),
      )
    )
      return;
    ctx.body = noticesJson({ channels: channels.map((c) => c.guide), days: store.snapshots(keys), now: nowMs });
  });

  router.get('/openapi.json', (ctx) => {
    const { document, etagKey } = openApiDocument();
    if (answeredNotModified(ctx, { key: ['openapi', etagKey], cacheControl: DOCUMENT_CACHE_CONTROL })) return;
    ctx.body = document;
  });
}

function requireChannel(store: GuideStore, channelId: string): StoredGuideChannel {
  const channel = store.channel(channelId);
  if (!channel) throw new NotFoundError(`unknown channel '${channelId}'`);
  return channel;
}

/**
 * Validators of a body built from published days: the parameters it depends on, the day versions, the
 * channels' fingerprint and (when it shows lessons) the catalog's. Last-Modified is the latest of the
 * days' publish times and those contents' changes.
 */
function dayBodyValidators(
  store: GuideStore,
  input: {
    key: readonly unknown[];
    dayKeys: readonly GuideDayKey[];
    usesCatalog: boolean;
    cacheControl: string;
    vary: string[];
  },
): Validators & { lastModifiedMs: number } {
  const channels = store.channelsState();
  const catalog = input.usesCatalog ? store.catalogState() : undefined;
  let lastModifiedMs = Math.max(channels.changedAtMs, catalog?.changedAtMs ?? 0);
  for (const day of input.dayKeys) lastModifiedMs = Math.max(lastModifiedMs, day.publishedAt);
  return {
    key: [
      ...input.key,
      input.dayKeys.map((d) => `${d.channelId}/${d.date}@${d.version}`),
      channels.fingerprint,
      catalog?.fingerprint ?? null,
    ],
    lastModifiedMs,
    cacheControl: input.cacheControl,
    vary: input.vary,
  };
}

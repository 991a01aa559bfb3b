import type Router from '@koa/router';
import { channelsJson, lessonJson, noticesJson } from '../../playlists/guide-json.ts';
import { renderChannelCalendar } from '../../playlists/icalendar.ts';
import { renderM3u } from '../../playlists/m3u.ts';
import { NotFoundError } from '../errors.ts';
import { calendarWindow, parseLessonFilter, type QueryValue } from '../guide/guide-queries.ts';
import { loadDays } from '../guide/guide-renderings.ts';
import { weeklyTimetablePage } from '../guide/weekly-timetable.ts';
import type { GuideCatalogStore } from '../guide/guide-store.ts';
import { answeredNotModified } from './conditional.ts';
import {
  CALENDAR_CONTENT_TYPE,
  dayBodyValidators,
  GUIDE_CACHE_CONTROL,
  guideRouteContext,
  HTML_CONTENT_TYPE,
  type GuideSource,
  M3U_CONTENT_TYPE,
  NOW_CACHE_CONTROL,
  requireChannel,
  type GuideRouteContext,
  type GuideRouteOptions,
} from './guide-route-context.ts';
import { registerGuideStreamRoutes } from './guide-stream-routes.ts';
import { openApiDocument } from './openapi.ts';

const CALENDAR_CACHE_CONTROL = 'public, max-age=900';
const DOCUMENT_CACHE_CONTROL = 'public, max-age=3600';
/** /api/notices looks this far ahead (published days beyond it are not announced yet). */
const NOTICES_HORIZON_MS = 14 * 86_400_000;

/**
 * Programme guide and integrations:
 *   /epg.xml, /epg/:channel.xml (?days=1..14, default 7, plus the last 24 h)   XMLTV, streamed
 *   /channels.m3u                                                             IPTV channel list
 *   /calendar/:channel.ics                                                    first-run lessons, iCalendar
 *   /timetable/:channel (?week=YYYY-Www, default the current week)            printable HTML
 *   /api/channels · /api/guide · /api/lessons · /api/lessons/:id · /api/notices   guide JSON
 *     (/api/lessons only with a `catalog`, the database's: edge origins serve every other route from the store)
 *   /openapi.json                                                             OpenAPI 3.1 of every public route
 * Every answer carries an ETag and Last-Modified computed from day versions and content fingerprints
 * before anything is rendered, and a matching conditional request gets 304. Published days are rendered
 * piece by piece (guide/guide-renderings.ts) with turns of the event loop in between, so live playlists
 * are served while a guide of a dense schedule is produced.
 */
export function registerGuideRoutes(
  router: Router,
  source: GuideSource,
  options: GuideRouteOptions = {},
  catalog?: GuideCatalogStore,
): void {
  const guide = guideRouteContext(source, options);
  registerGuideStreamRoutes(router, guide);
  registerFeedRoutes(router, guide);
  registerChannelRoutes(router, guide);
  if (catalog) registerLessonRoutes(router, guide, catalog);
  router.get('/openapi.json', (ctx) => {
    const { document, etagKey } = openApiDocument();
    if (answeredNotModified(ctx, { key: ['openapi', etagKey], cacheControl: DOCUMENT_CACHE_CONTROL })) return;
    ctx.body = document;
  });
}

/** /channels.m3u, /calendar/:channel.ics and /timetable/:channel. */
function registerFeedRoutes(router: Router, guide: GuideRouteContext): void {
  const { store } = guide;
  router.get('/channels.m3u', (ctx) => {
    const { baseUrl, vary } = guide.baseOf(ctx);
    const state = store.channelsState();
    const key = ['m3u', baseUrl, state.fingerprint];
    const validators = { key, lastModifiedMs: state.changedAtMs, cacheControl: GUIDE_CACHE_CONTROL, vary };
    if (answeredNotModified(ctx, validators)) return;
    ctx.type = M3U_CONTENT_TYPE;
    ctx.body = renderM3u({ channels: store.channels().map((c) => c.guide), baseUrl });
  });

  router.get('/calendar/:channel.ics', async (ctx) => {
    const channel = requireChannel(store, ctx.params.channel!);
    const window = calendarWindow({ timezone: channel.guide.timezone, dayStart: channel.dayStart }, guide.clock());
    const keys = store.dayKeys(channel.guide.id, window.fromMs, window.toMs);
    const { baseUrl, vary } = guide.baseOf(ctx);
    const key = ['ics', baseUrl, channel.guide.id];
    const conditions = dayBodyValidators(store, {
      ...{ key, dayKeys: keys, usesCatalog: true, cacheControl: CALENDAR_CACHE_CONTROL, vary },
    });
    if (answeredNotModified(ctx, conditions)) return;
    ctx.type = CALENDAR_CONTENT_TYPE;
    ctx.set('Content-Disposition', `inline; filename="${channel.guide.id}.ics"`);
    ctx.body = await guide.rendered(ctx, async () => {
      const days = await loadDays(store, keys);
      const lessons = store.lessonsOf(days);
      const generatedAt = conditions.lastModifiedMs;
      return renderChannelCalendar({ channel: channel.guide, days, lessons, baseUrl, generatedAt });
    });
  });

  router.get('/timetable/:channel', async (ctx) => {
    const page = weeklyTimetablePage(store, ctx.params.channel!, ctx.query.week, guide.clock());
    // No absolute URLs in the page: it does not depend on the host.
    const key = ['timetable', page.channel.guide.id, page.week, page.notice ?? null];
    const validators = dayBodyValidators(store, {
      ...{ key, dayKeys: page.dayKeys, usesCatalog: true, cacheControl: GUIDE_CACHE_CONTROL, vary: [] },
    });
    if (answeredNotModified(ctx, validators)) return;
    ctx.type = HTML_CONTENT_TYPE;
    ctx.body = await guide.rendered(ctx, () => page.render());
  });
}

/** /api/channels and /api/notices. */
function registerChannelRoutes(router: Router, guide: GuideRouteContext): void {
  const { store } = guide;
  router.get('/api/channels', (ctx) => {
    const { baseUrl, vary } = guide.baseOf(ctx);
    const state = store.channelsState();
    const key = ['channels', baseUrl, state.fingerprint];
    if (answeredNotModified(ctx, { key, lastModifiedMs: state.changedAtMs, cacheControl: GUIDE_CACHE_CONTROL, vary }))
      return;
    ctx.body = channelsJson({ channels: store.channels().map((c) => c.guide), baseUrl });
  });

  router.get('/api/notices', async (ctx) => {
    const nowMs = guide.clock();
    const channels = store.channels();
    // Days overlapping [now, horizon) are exactly the days that have not ended (noticesJson's filter).
    const keys = channels.flatMap((c) => store.dayKeys(c.guide.id, nowMs, nowMs + NOTICES_HORIZON_MS));
    const validators = dayBodyValidators(store, {
      ...{ key: ['notices'], dayKeys: keys, usesCatalog: false, cacheControl: NOW_CACHE_CONTROL, vary: [] },
    });
    if (answeredNotModified(ctx, validators)) return;
    const days = await Promise.all(keys.map((key) => guide.renderings.dayNotice(key)));
    ctx.body = noticesJson({ channels: channels.map((c) => c.guide), days, now: nowMs });
  });
}

/** /api/lessons and /api/lessons/:id: the packaged-lesson catalog, paged and filtered in the database. */
function registerLessonRoutes(router: Router, guide: GuideRouteContext, store: GuideCatalogStore): void {
  router.get('/api/lessons', (ctx) => {
    const filter = parseLessonFilter(ctx.query as Record<string, QueryValue>);
    const { baseUrl, vary } = guide.baseOf(ctx);
    const catalog = store.catalogState();
    const key = ['lessons', baseUrl, filter, catalog.fingerprint];
    if (answeredNotModified(ctx, { key, lastModifiedMs: catalog.changedAtMs, cacheControl: GUIDE_CACHE_CONTROL, vary }))
      return;
    const page = store.packagedLessons(filter);
    const lessons = page.lessons.map((l) => lessonJson(l, baseUrl));
    ctx.body = { total: page.total, offset: filter.offset, limit: filter.limit, lessons };
  });

  router.get('/api/lessons/:id', (ctx) => {
    const lesson = store.packagedLesson(ctx.params.id!);
    if (!lesson) throw new NotFoundError(`no packaged lesson '${ctx.params.id}'`);
    const { baseUrl, vary } = guide.baseOf(ctx);
    const catalog = store.catalogState();
    const key = ['lesson', baseUrl, lesson.id, catalog.fingerprint];
    if (answeredNotModified(ctx, { key, lastModifiedMs: catalog.changedAtMs, cacheControl: GUIDE_CACHE_CONTROL, vary }))
      return;
    ctx.body = lessonJson(lesson, baseUrl);
  });
}

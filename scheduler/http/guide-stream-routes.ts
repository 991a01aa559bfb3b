import type Router from '@koa/router';
import type { Context } from 'koa';
import { sortedByXmltvId, xmltvHead, XMLTV_TAIL } from '../../playlists/xmltv.ts';
import {
  checkGuideProgrammeCount,
  epgWindow,
  parseChannelList,
  parseEpgDays,
  parseGuideRange,
} from '../guide/guide-queries.ts';
import { overlapping, programmesJson, type GuideDayPiece } from '../guide/guide-renderings.ts';
import type { GuideDayKey, StoredGuideChannel } from '../guide/guide-store.ts';
import { answeredNotModified } from './conditional.ts';
import {
  dayBodyValidators,
  GUIDE_CACHE_CONTROL,
  JSON_CONTENT_TYPE,
  NOW_CACHE_CONTROL,
  requireChannel,
  streamedBody,
  XML_CONTENT_TYPE,
  type GuideRouteContext,
} from './guide-route-context.ts';

/**
 * The guides whose size grows with the schedule's density, streamed from rendered channel-day pieces:
 *   /epg.xml, /epg/:channel.xml   XMLTV: head and channels, then each channel's days in order, then `</tv>`
 *   /api/guide                    guide JSON of at most 24 h and 3,000 programmes per channel (400 beyond)
 * Neither is ever one string of the whole answer, and rendering a day happens in slices with turns of the
 * event loop in between (guide/guide-renderings.ts).
 */
export function registerGuideStreamRoutes(router: Router, guide: GuideRouteContext): void {
  primeGuideRequests(guide);
  warmXmltv(guide);
  router.get(['/epg.xml', '/epg/:channel.xml'], (ctx) => serveXmltv(ctx, guide));
  router.get('/api/guide', (ctx) => serveGuideJson(ctx, guide));
}

/**
 * Runs once, before the server listens, what a guide request does before its first unit of rendering: the channels
 * parsed, the content states read, each channel's XMLTV window computed in its time zone, the validators made.
 * Their first use in a process is what costs (luxon and ICU load a zone's rules, statements and code paths run
 * for the first time: 30–70 ms on one idle core for the sample's 12 channels, in one turn of the event loop); the
 * first guide request of a process (and the XMLTV warm-up below) then pays only their steady cost, about a
 * millisecond. A store that cannot answer yet (an edge origin before its first read) primes what it can.
 */
function primeGuideRequests(guide: GuideRouteContext): void {
  try {
    const channels = guide.store.channels();
    const keysOf = xmltvDayKeys(guide, channels, parseEpgDays(undefined));
    dayBodyValidators(guide.store, {
      key: ['prime'],
      dayKeys: [...keysOf.values()].flat(),
      usesCatalog: true,
      cacheControl: GUIDE_CACHE_CONTROL,
      vary: [],
    });
    xmltvHead({ channels: channels.map((c) => c.guide), generatedAt: guide.clock(), baseUrl: 'http://localhost' });
  } catch {
    // Nothing to prime from: the first request does it, and answers whatever error the store has.
  }
}

/** Publishes come in bursts (every channel, a week of days): render once the burst is over. */
const WARM_AFTER_PUBLISH_MS = 1_000;

/**
 * Renders the default `/epg.xml` (every channel, the default days) into the rendered-day cache when the service
 * starts and after a publish, through the same paced lane as requests: the EPG grabbers' next fetch finds every
 * day rendered (XMLTV blocks serve every host). It stops where a request would stop keeping days (its allowance):
 * what would not be kept is not worth rendering ahead. A rendering that fails here is rendered (and its error
 * answered) by the request that needs it.
 */
function warmXmltv(guide: GuideRouteContext): void {
  let timer: NodeJS.Timeout | undefined;
  const warmSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void renderDefaultXmltv(guide).catch(() => {}), WARM_AFTER_PUBLISH_MS);
    timer.unref();
  };
  guide.onPublished(warmSoon);
  warmSoon();
}

async function renderDefaultXmltv(guide: GuideRouteContext): Promise<void> {
  const { store } = guide;
  const catalog = store.catalogState().fingerprint;
  // Read once: the keys and the loop over the same channels (a change between two reads left a channel keyless).
  const channels = store.channels();
  const keysOf = xmltvDayKeys(guide, channels, parseEpgDays(undefined));
  const allowance = guide.renderings.xmltvAllowance();
  // In the order /epg.xml lists them, so that the days kept are the ones the default request keeps.
  for (const channel of sortedByXmltvId(channels.map((c) => c.guide))) {
    for (const key of keysOf.get(channel.id)!) {
      if (allowance.bytes <= 0) return;
      // The base URL does not matter: the blocks kept are the same for every host.
      for await (const _block of guide.renderings.xmltvDay(channel, key, catalog, 'http://localhost', allowance));
    }
  }
}

/** The published days each channel's XMLTV lists: the last 24 h up to the end of the `days`-th broadcast day. */
function xmltvDayKeys(
  guide: GuideRouteContext,
  channels: readonly StoredGuideChannel[],
  days: number,
): Map<string, GuideDayKey[]> {
  const nowMs = guide.clock();
  return new Map(
    channels.map((c) => {
      const window = epgWindow({ timezone: c.guide.timezone, dayStart: c.dayStart }, nowMs, days);
      return [c.guide.id, guide.store.dayKeys(c.guide.id, window.fromMs, window.toMs)];
    }),
  );
}

function serveXmltv(ctx: Context, guide: GuideRouteContext): void {
  const { store } = guide;
  const channels = ctx.params.channel === undefined ? store.channels() : [requireChannel(store, ctx.params.channel)];
  const keysOf = xmltvDayKeys(guide, channels, parseEpgDays(ctx.query.days));
  const { baseUrl, vary } = guide.baseOf(ctx);
  const conditions = dayBodyValidators(store, {
    key: ['epg', baseUrl, channels.map((c) => c.guide.id)],
    dayKeys: [...keysOf.values()].flat(),
    usesCatalog: true,
    cacheControl: GUIDE_CACHE_CONTROL,
    vary,
  });
  if (answeredNotModified(ctx, conditions)) return;
  const catalog = store.catalogState().fingerprint;
  // The body is a function of its validators only (<tv date> is the latest change, not the clock).
  const head = xmltvHead({ channels: channels.map((c) => c.guide), generatedAt: conditions.lastModifiedMs, baseUrl });
  async function* body(): AsyncGenerator<string | Buffer> {
    yield head;
    const allowance = guide.renderings.xmltvAllowance();
    for (const channel of sortedByXmltvId(channels.map((c) => c.guide))) {
      for (const key of keysOf.get(channel.id)!) {
        yield* guide.renderings.xmltvDay(channel, key, catalog, baseUrl, allowance);
      }
    }
    yield XMLTV_TAIL;
  }
  ctx.type = XML_CONTENT_TYPE;
  ctx.body = streamedBody(body());
}

interface ChannelSlices {
  channel: StoredGuideChannel;
  slices: { date: string; piece: GuideDayPiece; first: number; end: number }[];
}

async function serveGuideJson(ctx: Context, guide: GuideRouteContext): Promise<void> {
  const { store } = guide;
  const { fromMs, toMs } = parseGuideRange({ from: ctx.query.from, to: ctx.query.to }, guide.clock());
  const channelIds = parseChannelList(ctx.query.channels, (id) => store.channel(id) !== undefined);
  const channels = channelIds ? channelIds.map((id) => store.channel(id)!) : store.channels();
  const keysOf = new Map(channels.map((c) => [c.guide.id, store.dayKeys(c.guide.id, fromMs, toMs)]));
  const { baseUrl, vary } = guide.baseOf(ctx);
  const key = ['guide', baseUrl, fromMs, toMs, channelIds ?? null];
  const dayKeys = [...keysOf.values()].flat();
  const validators = dayBodyValidators(store, {
    key,
    dayKeys,
    usesCatalog: true,
    cacheControl: NOW_CACHE_CONTROL,
    vary,
  });
  // The programme count is known once the days' pieces are rendered (or taken from the cache): a range too big is a
  // 400 whether or not the client holds an ETag for it.
  const catalog = store.catalogState().fingerprint;
  const selected: ChannelSlices[] = [];
  for (const channel of channels) {
    selected.push(await channelSlices(guide, channel, keysOf.get(channel.guide.id)!, catalog, baseUrl, fromMs, toMs));
  }
  if (answeredNotModified(ctx, validators)) return;
  ctx.type = JSON_CONTENT_TYPE;
  ctx.body = streamedBody(guideJsonBody(fromMs, toMs, selected));
}

async function channelSlices(
  guide: GuideRouteContext,
  channel: StoredGuideChannel,
  keys: readonly GuideDayKey[],
  catalog: string,
  baseUrl: string,
  fromMs: number,
  toMs: number,
): Promise<ChannelSlices> {
  const slices: ChannelSlices['slices'] = [];
  let count = 0;
  for (const key of keys) {
    const piece = await guide.renderings.guideDay(channel.guide, key, catalog, baseUrl);
    const { first, end } = overlapping(piece, fromMs, toMs);
    slices.push({ date: key.date, piece, first, end });
    count += end - first;
  }
  checkGuideProgrammeCount(channel.guide.id, count);
  return { channel, slices };
}

/** The same JSON as playlists/guide-json.ts guideJson (GuideResponse), one channel at a time. */
async function* guideJsonBody(
  fromMs: number,
  toMs: number,
  channels: ChannelSlices[],
): AsyncGenerator<string | Buffer> {
  const range = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
  yield `${JSON.stringify(range).slice(0, -1)},"channels":[`;
  for (const [index, { channel, slices }] of channels.entries()) {
    const preparing = slices.filter((s) => s.piece.awaitsMedia).map((s) => s.date);
    const head = JSON.stringify({
      channelId: channel.guide.id,
      timezone: channel.guide.timezone,
      ...(preparing.length > 0 && { preparing }),
    }).slice(0, -1);
    yield `${index ? ',' : ''}${head},"programmes":[`;
    // The programmes' bytes as the day pieces hold them, a day at a time.
    let separator = '';
    for (const { piece, first, end } of slices) {
      if (first === end) continue;
      if (separator) yield separator;
      yield programmesJson(piece, first, end);
      separator = ',';
    }
    yield ']}';
  }
  yield ']}';
}

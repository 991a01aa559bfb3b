import type { Context } from 'koa';
import { Readable } from 'node:stream';
import { NotFoundError } from '../errors.ts';
import { createGuideRenderings, type GuideRenderings } from '../guide/guide-renderings.ts';
import {
  createGuideStore,
  type GuideCatalogStore,
  type GuideDayKey,
  type GuideStore,
  type StoredGuideChannel,
} from '../guide/guide-store.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../store/db.ts';
import type { Validators } from './conditional.ts';
import { onPublished } from '../schedule/publish.ts';
import { changeCounters } from '../schedule/published-days-repository.ts';

/** What the guide routes share: cache lifetimes, content types, the store and rendered pieces, validators. */

/** Guides change when a day is (re)published or the catalog changes: a few minutes of caching is harmless. */
export const GUIDE_CACHE_CONTROL = 'public, max-age=300';
/** /api/guide and /api/notices are about "now": the TV app polls them. */
export const NOW_CACHE_CONTROL = 'public, max-age=60';

export const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const M3U_CONTENT_TYPE = 'audio/x-mpegurl; charset=utf-8';
export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';
export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';

export interface GuideRouteOptions {
  /** When set, absolute URLs in bodies use it; otherwise the request's protocol and host. */
  publicBaseUrl?: string;
  /** Told of every channel-day rendered (the metrics count them). */
  onRender?: (kind: 'xmltv' | 'json') => void;
}

/** What every guide route uses: the store, the rendered day pieces, the clock and the answer's base URL. */
export interface GuideRouteContext {
  store: GuideStore;
  renderings: GuideRenderings;
  clock: () => number;
  /**
   * Calls `listener` after a publish: at once when this process publishes on this connection, within
   * PUBLISH_RECHECK_MS when another connection or process commits to the database.
   */
  onPublished(listener: () => void): void;
  /** Absolute base URL of this answer, and the request headers it depends on. */
  baseOf(ctx: Context): { baseUrl: string; vary: string[] };
  /** The body for the ETag just set on `ctx`: kept with the rendered day pieces, or rendered now. */
  rendered(ctx: Context, render: () => Promise<string>): Promise<string>;
}

/**
 * Where the guides read published days and channels: the database (the control plane) or an object store (an edge
 * origin, distribution/store-guide.ts), and how they learn of a publish.
 */
export interface GuideSource {
  store: GuideStore;
  clock: Clock;
  onPublished(listener: () => void): void;
}

/** The control plane's guide source; `store` may be one the caller shares (the store publisher reads its states). */
export function databaseGuideSource(
  db: Db,
  clock: Clock,
  store: GuideCatalogStore = createGuideStore(db, clock),
): GuideSource & { store: GuideCatalogStore } {
  return { store, clock, onPublished: (listener) => watchPublishes(db, listener) };
}

export function guideRouteContext(source: GuideSource, options: GuideRouteOptions): GuideRouteContext {
  const { store } = source;
  const renderings = createGuideRenderings(store, options.onRender);
  const publicBase = options.publicBaseUrl?.replace(/\/+$/, '');
  return {
    store,
    renderings,
    clock: source.clock,
    onPublished: (listener) => source.onPublished(listener),
    baseOf: (ctx) =>
      publicBase
        ? { baseUrl: publicBase, vary: [] }
        : { baseUrl: `${ctx.protocol}://${ctx.host}`, vary: ['Host', 'X-Forwarded-Host', 'X-Forwarded-Proto'] },
    rendered: (ctx, render) => renderings.body(String(ctx.response.get('ETag')), render),
  };
}

/** How often the database's commit counter is looked at for other connections' publishes. */
const PUBLISH_RECHECK_MS = 1_000;

function watchPublishes(db: Db, listener: () => void): void {
  onPublished(db, listener);
  let dataVersion = changeCounters(db).dataVersion;
  const timer = setInterval(() => {
    if (!db.open) return clearInterval(timer);
    const now = changeCounters(db).dataVersion;
    if (now === dataVersion) return;
    dataVersion = now;
    listener();
  }, PUBLISH_RECHECK_MS);
  timer.unref();
}

export function requireChannel(store: GuideStore, channelId: string): StoredGuideChannel {
  const channel = store.channel(channelId);
  if (!channel) throw new NotFoundError(`unknown channel '${channelId}'`);
  return channel;
}

/** A body produced piece by piece (text or UTF-8 bytes), streamed as it is produced. */
export function streamedBody(pieces: AsyncIterable<string | Buffer>): Readable {
  return Readable.from(pieces);
}

/**
 * Validators of a body built from published days: the parameters it depends on, the day versions, the
 * channels' fingerprint and (when it shows lessons) the catalog's. Last-Modified is the latest of the
 * days' publish times and those contents' changes.
 */
export function dayBodyValidators(
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

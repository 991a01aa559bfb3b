import type { Logger } from 'pino';
import { EMPTY_CAPTION_SEGMENT_PATH } from '../../playlists/captions.ts';
import type { Clock } from '../clock.ts';
import { createAssetTimelines, type AssetTimelines } from '../media/asset-timelines.ts';
import type { Db } from '../store/db.ts';
import { createChannelTimelines } from './channel-timelines.ts';
import {
  createLivePlaylistCache,
  type LivePlaylistCache,
  type LivePlaylistCacheOptions,
} from './live-playlist-cache.ts';
import { createPublishedDays, type PublishedDays } from './published-days.ts';

/** Everything a route needs; built once per app. Caches inside are pure functions of immutable data. */
export interface OriginContext {
  clock: Clock;
  logger: Logger;
  windowSegments: number;
  /** Prefix of segment URIs in playlists: `/media/` or `<publicBaseUrl>/media/`. */
  mediaBaseUrl: string;
  /** URI of the empty WebVTT segment caption playlists list for items without captions. */
  emptyCaptionUri: string;
  assets: AssetTimelines;
  published: PublishedDays;
  timelines: ReturnType<typeof createChannelTimelines>;
  /** Rendered live and master playlists until the next segment boundary. */
  playlists: LivePlaylistCache;
}

/**
 * Where the published state comes from: the database (the control plane, `{ db }`), or another source of the
 * same index such as the object store (an edge origin, `{ source }`).
 */
export type PublishedSource = { db: Db } | { source: { published: PublishedDays; assets: AssetTimelines } };

export type OriginContextOptions = PublishedSource & {
  clock: Clock;
  logger: Logger;
  windowSegments?: number;
  publicBaseUrl?: string;
  playlistCache?: LivePlaylistCacheOptions;
};

export function createOriginContext(options: OriginContextOptions): OriginContext {
  const publicBase = options.publicBaseUrl?.replace(/\/+$/, '') ?? '';
  const { assets, published } =
    'source' in options
      ? options.source
      : { assets: createAssetTimelines(options.db), published: createPublishedDays(options.db) };
  return {
    clock: options.clock,
    logger: options.logger,
    windowSegments: options.windowSegments ?? 10,
    mediaBaseUrl: `${publicBase}/media/`,
    emptyCaptionUri: `${publicBase}${EMPTY_CAPTION_SEGMENT_PATH}`,
    assets,
    published,
    timelines: createChannelTimelines(published, assets),
    playlists: createLivePlaylistCache(options.playlistCache),
  };
}

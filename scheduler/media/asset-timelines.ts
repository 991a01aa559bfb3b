import { LRUCache } from 'lru-cache';
import type { Db } from '../store/db.ts';
import {
  assetRow,
  assetCaptionRows,
  packagedLessonAssetId,
  assetRenditionRows,
  type RenditionRow,
} from './asset-timelines-repository.ts';
import type { AssetTimeline, CaptionTrack, RenditionInfo } from '../../playlists/model.ts';
import { captionTrackName } from '../../playlists/media-layout.ts';

/**
 * Packaged assets as the playlist renderers need them: the timing (AssetTimeline) and the ladder
 * (RenditionInfo[], in ladder order) and the caption tracks (in catalog order). Read from the `assets`,
 * `asset_renditions` and `asset_captions` tables.
 *
 * A packaged asset never changes (packaging gives new content a new id), so a found asset is cached
 * for the life of the process; a missing one is not cached because it may be packaged later.
 */
export interface PackagedAssetMedia {
  id: string;
  kind: 'lesson' | 'filler' | 'slate';
  lessonId?: string;
  ladder: string;
  canonicalRendition: string;
  timeline: AssetTimeline;
  renditions: RenditionInfo[];
}

export interface AssetTimelines {
  /** The packaged asset, or undefined if there is no such asset. */
  get(assetId: string): PackagedAssetMedia | undefined;
  /** The asset a lesson was packaged into, if the lesson is packaged. */
  lessonAssetId(lessonId: string): string | undefined;
  /** How many assets are cached (for tests and metrics). */
  readonly cachedCount: number;
}

/** Default bound: a 20,000-lesson catalog fits; memory per asset is a few small number arrays. */
const DEFAULT_MAX_CACHED = 25_000;

/** A rendition row: its playlist attributes and its per-segment durations (as many as the canonical timeline's). */
function renditionFromRow(
  assetId: string,
  r: RenditionRow,
  segmentCount: number,
): { info: RenditionInfo; seconds: number[] } {
  const seconds = parseNumberArray(r.segment_durations, `asset_renditions.segment_durations of ${assetId}/${r.name}`);
  if (seconds.length !== segmentCount) {
    throw new Error(
      `asset ${assetId}: rendition ${r.name} has ${seconds.length} segments, the canonical timeline ${segmentCount}`,
    );
  }
  const info: RenditionInfo = {
    name: r.name,
    type: r.type,
    bandwidth: r.bandwidth,
    averageBandwidth: r.average_bandwidth,
    codecs: r.codecs,
  };
  if (r.width !== null) info.width = r.width;
  if (r.height !== null) info.height = r.height;
  if (r.frame_rate !== null) info.frameRate = r.frame_rate;
  return { info, seconds };
}

export function createAssetTimelines(db: Db, options: { maxCached?: number } = {}): AssetTimelines {
  const maxCached = options.maxCached ?? DEFAULT_MAX_CACHED;
  // The data behind every entry is immutable: only memory bounds the cache.
  const cache = new LRUCache<string, PackagedAssetMedia>({ max: maxCached });

  function load(assetId: string): PackagedAssetMedia | undefined {
    const row = assetRow(db, assetId);
    if (!row) return undefined;
    const renditionRows = assetRenditionRows(db, assetId);
    const segmentMs = parseNumberArray(row.segment_ms, `assets.segment_ms of asset ${assetId}`);
    if (segmentMs.length !== row.segment_count) {
      throw new Error(
        `asset ${assetId}: segment_ms has ${segmentMs.length} entries, segment_count says ${row.segment_count}`,
      );
    }
    const renditionSegmentSeconds: Record<string, number[]> = {};
    const renditions: RenditionInfo[] = [];
    for (const r of renditionRows) {
      const { info, seconds } = renditionFromRow(assetId, r, segmentMs.length);
      renditionSegmentSeconds[r.name] = seconds;
      renditions.push(info);
    }
    const captions = assetCaptionRows(db, assetId).map((c) => checkedCaptionTrack(assetId, c));
    const timeline: AssetTimeline = { id: row.id, segmentMs, renditionSegmentSeconds };
    if (captions.length > 0) timeline.captions = captions;
    const media: PackagedAssetMedia = {
      id: row.id,
      kind: row.kind,
      ladder: row.ladder,
      canonicalRendition: row.canonical_rendition,
      timeline,
      renditions,
    };
    if (row.lesson_id !== null) media.lessonId = row.lesson_id;
    return media;
  }

  return {
    get(assetId) {
      const cached = cache.get(assetId);
      if (cached) return cached;
      const loaded = load(assetId);
      if (!loaded) return undefined;
      cache.set(assetId, loaded);
      return loaded;
    },
    lessonAssetId(lessonId) {
      return packagedLessonAssetId(db, lessonId);
    },
    get cachedCount() {
      return cache.size;
    },
  };
}

/** BCP 47 as far as a path component and a playlist attribute need: letters, digits and hyphens. */
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

function checkedCaptionTrack(assetId: string, row: { language: string; name: string }): CaptionTrack {
  if (!LANGUAGE_TAG.test(row.language)) {
    throw new Error(`asset_captions of asset ${assetId}: language '${row.language}' is not a BCP 47 language tag`);
  }
  if (row.name !== captionTrackName(row.language)) {
    throw new Error(
      `asset_captions of asset ${assetId}: track name '${row.name}' for language ${row.language}, expected '${captionTrackName(row.language)}'`,
    );
  }
  return { language: row.language, name: row.name };
}

function parseNumberArray(json: string, what: string): number[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
  if (!Array.isArray(value) || !value.every((n) => typeof n === 'number' && Number.isFinite(n) && n > 0)) {
    throw new Error(`${what} must be a JSON array of positive numbers`);
  }
  return value as number[];
}

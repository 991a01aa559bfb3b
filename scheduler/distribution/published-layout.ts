import { createHash } from 'node:crypto';
import type { GuideLesson } from '../../playlists/guide-types.ts';
import type { Channel, SuspensionOrder } from '../schedule/channel-document.ts';

/**
 * Where the control plane puts the published schedule in the object store, and the two manifest formats
 * (docs/object-store.md "Layout"). Objects are immutable and content-addressed; manifests are written last:
 *   objects (media → asset timeline, day versions, lessons) → channel manifests → index.
 * A reader starts at the index, so whatever moment it reads, everything it reaches exists.
 */
export const STORE_FORMAT = 1;
export const INDEX_KEY = 'published/index.json';

export const channelManifestKey = (channelId: string) => `published/channels/${channelId}.json`;
export const assetKey = (assetId: string) => `published/assets/${assetId}.json`;
/** Where a channel's day versions are (what `aerial store gc` lists). */
export const dayPrefix = (channelId: string) => `published/days/${channelId}/`;
export const dayKey = (channelId: string, body: string) => `${dayPrefix(channelId)}${sha256(body)}.json`;
export const lessonsKey = (body: string) => `published/lessons/${sha256(body)}.json`;
export const guideKey = (body: string) => `published/guide/${sha256(body)}.json`;
export const guideLessonsKey = (body: string) => `published/guide-lessons/${sha256(body)}.json`;
export const mediaKey = (assetId: string, relativePath: string) => `media/${assetId}/${relativePath}`;

/** A published day version as a channel manifest names it. */
export interface StoredDay {
  date: string;
  version: number;
  publishedAt: number;
  startMs: number;
  endMs: number;
  /** Object key of the DaySnapshot JSON. */
  key: string;
}

/**
 * published/channels/<id>.json: the channel document and the current version of each day, by start: `days` those
 * live playlists may need (an edge holds them parsed), `pastDays` the older ones only guides ask for (read on demand).
 */
export interface ChannelManifest {
  format: typeof STORE_FORMAT;
  channel: Channel;
  days: StoredDay[];
  pastDays?: StoredDay[];
}

/** A content fingerprint and when the control plane first saw it (guide-store.ts ContentState). */
export interface StoredContentState {
  fingerprint: string;
  changedAtMs: number;
}

/**
 * published/guide/<sha256>.json: what the public guides read besides days and channels, as the control plane's
 * guide store answers it, so that an edge renders the same bytes (ETags and Last-Modified included).
 */
export interface StoredGuide {
  format: typeof STORE_FORMAT;
  channels: StoredContentState;
  catalog: StoredContentState;
  /** Every suspension order, by first date then id. */
  suspensions: SuspensionOrder[];
  /**
   * Object key of the GuideLessons: kept apart, as it changes far less often than the states (a catalog change
   * elsewhere, a packaging job's progress) and is the bulk.
   */
  lessons: string;
}

/** published/guide-lessons/<sha256>.json: the catalog lessons the published days refer to, by id. */
export type GuideLessons = Record<string, GuideLesson>;

/** published/index.json: the channels in number order with their manifests' hashes, and the lessons object. */
export interface StoreIndex {
  format: typeof STORE_FORMAT;
  channels: Array<{ id: string; manifest: string }>;
  /** Object key of `{ [lessonId]: assetId }` for packaged lessons. */
  lessons: string;
  /** Object key of the StoredGuide (absent when the control plane publishes no guide). */
  guide?: string;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Parses a manifest or object read from the store; a malformed one names its key (the store is not ours to trust). */
export function parseStored<T>(key: string, bytes: Buffer, check: (value: T) => boolean): T {
  let value: T;
  try {
    value = JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new Error(`object store: ${key} is not valid JSON`);
  }
  if (!check(value)) throw new Error(`object store: ${key} is not a format-${STORE_FORMAT} object of its kind`);
  return value;
}

export const isIndex = (v: StoreIndex) =>
  v?.format === STORE_FORMAT && Array.isArray(v.channels) && typeof v.lessons === 'string';
export const isGuide = (v: StoredGuide) =>
  v?.format === STORE_FORMAT &&
  Array.isArray(v.suspensions) &&
  typeof v.catalog?.fingerprint === 'string' &&
  typeof v.lessons === 'string';
export const isChannelManifest = (v: ChannelManifest) =>
  v?.format === STORE_FORMAT && typeof v.channel?.id === 'string' && Array.isArray(v.days);

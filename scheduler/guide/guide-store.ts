import { LRUCache } from 'lru-cache';
import type { GuideChannel, GuideLesson, LessonIndex } from '../../playlists/guide-types.ts';
import type { DaySnapshot, Instant, LocalizedText, Notice } from '../../playlists/model.ts';
import { countLessons, getLesson, getLessons, listLessons } from '../catalog/lessons-repository.ts';
import type { Clock } from '../clock.ts';
import type { Channel, SuspensionOrder } from '../schedule/channel-document.ts';
import type { SnapshotVersionInfo } from '../schedule/snapshots-repository.ts';
import type { Db } from '../store/db.ts';
import { parseDayInSlices } from './day-json-slices.ts';
import { toGuideChannel, toGuideLesson } from './guide-records.ts';
import { guideStatements, type ChangeCounted, type GuideStatements } from './guide-repository.ts';

/**
 * What the guide routes read from the database, shaped so that a conditional request (If-None-Match) is
 * answered from keys alone:
 * - day keys (channel, date, version, published_at) come from an index query, no body parsed;
 * - parsed snapshots are cached by (channel, date, version), bounded by bytes: published versions are immutable;
 * - channels and the lesson catalog have no version column: triggers count their changes (migration 011, whichever
 *   connection or process writes), so their state is one small row read, whatever the catalog's size; the channels
 *   are parsed again only when their counter moved, and a state is remembered with the time it was first seen.
 */

/** The identity of a published day version the guide serves (its body is read only when needed). */
export type GuideDayKey = SnapshotVersionInfo;

/** Content fingerprint of a table and when this process first saw that content (UTC ms, whole seconds). */
export interface ContentState {
  fingerprint: string;
  changedAtMs: Instant;
}

export interface StoredGuideChannel {
  guide: GuideChannel;
  /** Local start of the broadcast day (HH:MM). */
  dayStart: string;
  regions: string[];
  /** Per timetable name, the ids of its rerun-carousel (`rerun-loop`) slots. */
  carouselSlots: ReadonlyMap<string, ReadonlySet<string>>;
}

function carouselSlotsOf(channel: Channel): Map<string, Set<string>> {
  return new Map(
    Object.entries(channel.timetables).map(([name, week]) => [
      name,
      new Set(
        Object.values(week).flatMap((slots) =>
          (slots ?? []).filter((slot) => slot.kind === 'rerun-loop').map((slot) => slot.id),
        ),
      ),
    ]),
  );
}

export interface LessonPageFilter {
  grade?: number;
  subject?: string;
  edition?: string;
  q?: string;
  offset: number;
  limit: number;
}

export interface GuideStore {
  /** Channels by number. */
  channels(): StoredGuideChannel[];
  channel(channelId: string): StoredGuideChannel | undefined;
  channelsState(): ContentState;
  catalogState(): ContentState;
  /** Latest version of every published day of the channel overlapping [fromMs, toMs), by start. */
  dayKeys(channelId: string, fromMs: Instant, toMs: Instant): GuideDayKey[];
  /** Latest version of each of the given broadcast dates that is published. */
  dayKeysOnDates(channelId: string, dates: readonly string[]): GuideDayKey[];
  /** One published day (parsed once per version, then from a cache bounded by bytes). */
  snapshot(key: GuideDayKey): DaySnapshot;
  /** The same, read in slices of BODY_SLICE_BYTES and parsed in slices (day-json-slices.ts), one per `step`. */
  snapshotInSteps(key: GuideDayKey, step: <T>(work: () => T) => Promise<T>): Promise<DaySnapshot>;
  snapshots(keys: readonly GuideDayKey[]): DaySnapshot[];
  /**
   * A published day's suspension notice (none: undefined), without parsing its programmes (`/api/notices` asks it
   * of every day not yet ended): at once, or in `step`s where the day must be read first.
   */
  noticeInStep(key: GuideDayKey, step: <T>(work: () => T) => Promise<T>): Promise<Notice | undefined>;
  /** Catalog lessons the days refer to. */
  lessonsOf(days: readonly DaySnapshot[]): LessonIndex;
  /** Notice of the first suspension order covering [fromDate, toDate] that applies to the channel. */
  suspensionNotice(channelId: string, fromDate: string, toDate: string): LocalizedText | undefined;
}

/**
 * The guide store with the lesson catalog (/api/lessons): the database's. What every other guide reads (the
 * GuideStore above) an edge origin answers from the object store as well (distribution/store-guide.ts).
 */
export interface GuideCatalogStore extends GuideStore {
  /** Packaged lessons (those with a VOD playlist) in textbook order, filtered and paged in SQL. */
  packagedLessons(filter: LessonPageFilter): { total: number; lessons: GuideLesson[] };
  packagedLesson(lessonId: string): GuideLesson | undefined;
}

/** Parsed snapshots kept, bounded by their JSON size (a dense demo day is ~2 MB of JSON, a school day ~50 KB). */
const SNAPSHOT_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * Bytes of a day's JSON read from SQLite in one step: a dense demo day is ~2 MB, and reading it whole (SQLite's copy
 * and the UTF-8 decoding into one string) takes 7–13 ms on one idle core; a 128 KB slice takes well under 1 ms.
 */
export const BODY_SLICE_BYTES = 128 * 1024;

/**
 * Memoizers for values derived from the channels or the catalog: recomputed only when the table's change counter
 * moved, and a content state remembers when this process first saw that counter.
 */
function changeTracking(statements: GuideStatements, clock: Clock) {
  function memoByChange<T>(table: ChangeCounted, compute: (counter: number) => T): () => T {
    let seen: number | undefined;
    let value: T;
    return () => {
      const counter = statements.changeCounter.get(table);
      if (counter === undefined) throw new Error(`no change counter for ${table} (database not migrated)`);
      if (counter !== seen) {
        value = compute(counter);
        seen = counter;
      }
      return value;
    };
  }
  // The counter just read is the state's fingerprint (no second read, which a write in between could move).
  function contentState(table: ChangeCounted): () => ContentState {
    return memoByChange(table, (counter) => ({
      fingerprint: counter.toString(36),
      changedAtMs: Math.floor(clock() / 1000) * 1000,
    }));
  }
  return { memoByChange, contentState };
}

/** A channel document as the guides use it (the database's and an edge's guide stores alike). */
export function storedGuideChannel(channel: Channel): StoredGuideChannel {
  return {
    guide: toGuideChannel(channel),
    dayStart: channel.dayStart,
    regions: channel.regions,
    carouselSlots: carouselSlotsOf(channel),
  };
}

function parseChannelRows(rows: readonly { body: string }[]): {
  list: StoredGuideChannel[];
  byId: Map<string, StoredGuideChannel>;
} {
  const list = rows.map((row) => storedGuideChannel(JSON.parse(row.body) as Channel));
  return { list, byId: new Map(list.map((c) => [c.guide.id, c])) };
}

/** Published versions are immutable: a parsed body is kept by (channel, date, version), bounded by bytes. */
function snapshotReader(
  statements: GuideStatements,
): Pick<GuideStore, 'snapshot' | 'snapshotInSteps' | 'noticeInStep'> {
  const cache = new LRUCache<string, DaySnapshot>({ maxSize: SNAPSHOT_CACHE_BYTES, sizeCalculation: sizeOfDay });
  const sizes = new WeakMap<DaySnapshot, number>();
  function sizeOfDay(day: DaySnapshot): number {
    return sizes.get(day) ?? 1;
  }
  const cacheKey = (key: GuideDayKey) => `${key.channelId}\u0000${key.date}\u0000${key.version}`;
  const vanished = (key: GuideDayKey) => new Error(`day ${key.channelId} ${key.date} v${key.version} vanished`);
  function body(key: GuideDayKey): string {
    const text = statements.body.get(key.channelId, key.date, key.version);
    if (text === undefined) throw vanished(key);
    return text;
  }
  /** The body read BODY_SLICE_BYTES per step (a published version never changes between two steps). */
  async function bodyInSteps(key: GuideDayKey, step: <T>(work: () => T) => Promise<T>): Promise<string> {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const parts: string[] = [];
    for (let start = 1; ; start += BODY_SLICE_BYTES) {
      const last = await step(() => {
        const bytes = statements.bodyBytes.get(start, BODY_SLICE_BYTES, key.channelId, key.date, key.version);
        if (bytes === undefined) throw vanished(key);
        const last = bytes.length < BODY_SLICE_BYTES;
        parts.push(decoder.decode(bytes, { stream: !last }));
        return last;
      });
      if (last) break;
    }
    return parts.length === 1 ? parts[0]! : step(() => parts.join(''));
  }
  function keep(key: GuideDayKey, text: string, parsed: DaySnapshot): DaySnapshot {
    sizes.set(parsed, Math.max(1, text.length));
    cache.set(cacheKey(key), parsed);
    return parsed;
  }
  return {
    snapshot(key) {
      const cached = cache.get(cacheKey(key));
      if (cached) return cached;
      const text = body(key);
      return keep(key, text, JSON.parse(text) as DaySnapshot);
    },
    async snapshotInSteps(key, step) {
      const cached = cache.get(cacheKey(key));
      if (cached) return cached;
      const text = await bodyInSteps(key, step);
      return keep(key, text, await parseDayInSlices(text, step));
    },
    // One indexed row, read at once (no step: waiting for a turn of the guide lane would cost more than the read).
    noticeInStep(key) {
      const text = statements.notice.get(key.channelId, key.date, key.version);
      return Promise.resolve(text === undefined ? undefined : (JSON.parse(text) as Notice));
    },
  };
}

export function createGuideStore(db: Db, clock: Clock): GuideCatalogStore {
  const statements = guideStatements(db);
  const { memoByChange, contentState } = changeTracking(statements, clock);
  const loadChannels = memoByChange('channels', () => parseChannelRows(statements.channelRows.all()));
  const { snapshot, snapshotInSteps, noticeInStep } = snapshotReader(statements);
  return {
    channels: () => loadChannels().list.slice(),
    channel: (channelId) => loadChannels().byId.get(channelId),
    channelsState: contentState('channels'),
    catalogState: contentState('catalog'),
    dayKeys: (channelId, fromMs, toMs) => statements.dayKeys.all(channelId, toMs, fromMs),
    dayKeysOnDates: (channelId, dates) => statements.dayKeysOnDates.all(channelId, JSON.stringify(dates)),
    snapshot,
    snapshotInSteps,
    noticeInStep,
    snapshots: (keys) => keys.map(snapshot),
    lessonsOf(days) {
      const ids = new Set<string>();
      for (const day of days) for (const item of day.items) if (item.lessonId) ids.add(item.lessonId);
      if (ids.size === 0) return new Map();
      return new Map(getLessons(db, ids).map((lesson) => [lesson.id, toGuideLesson(lesson)]));
    },
    packagedLessons(filter) {
      // The guide's search covers titles and unit titles only, as guide-json's lessonsJson does.
      const { q, ...rest } = filter;
      const packaged = { ...rest, titleQuery: q, status: 'packaged' as const };
      return { total: countLessons(db, packaged), lessons: listLessons(db, packaged).map(toGuideLesson) };
    },
    packagedLesson(lessonId) {
      const lesson = getLesson(db, lessonId);
      return lesson?.status === 'packaged' ? toGuideLesson(lesson) : undefined;
    },
    suspensionNotice: (channelId, fromDate, toDate) =>
      suspensionNoticeOf(statements, loadChannels().byId.get(channelId), fromDate, toDate),
  };
}

function suspensionNoticeOf(
  statements: GuideStatements,
  channel: StoredGuideChannel | undefined,
  fromDate: string,
  toDate: string,
): LocalizedText | undefined {
  if (!channel) return undefined;
  const orders = statements.suspensionRows.all(toDate, fromDate).map((row) => JSON.parse(row.body) as SuspensionOrder);
  return firstSuspensionNotice(channel, orders);
}

/** The notice of the first order (of those covering the dates, in their order) that applies to the channel. */
export function firstSuspensionNotice(
  channel: StoredGuideChannel,
  orders: readonly SuspensionOrder[],
): LocalizedText | undefined {
  const regions = new Set(channel.regions);
  for (const order of orders)
    if (order.channels.includes(channel.guide.id) || order.regions.some((r) => regions.has(r))) return order.notice;
  return undefined;
}

import { LRUCache } from 'lru-cache';
import type { DaySnapshot } from '../../playlists/model.ts';
import { parseDayInSlices } from '../guide/day-json-slices.ts';
import {
  firstSuspensionNotice,
  storedGuideChannel,
  type GuideDayKey,
  type GuideStore,
  type StoredGuideChannel,
} from '../guide/guide-store.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import type { StoredDay } from './published-layout.ts';
import { dayId, type PublishedStoreReader, type PublishedStoreState } from './store-reader.ts';

/** Older days read on demand, bounded by their JSON size (as the database's guide store bounds its cache). */
const PAST_DAY_CACHE_BYTES = 16 * 1024 * 1024;
/** Object keys of day versions no manifest names any more, kept for requests that began before (~150 B each). */
const RETIRED_DAY_KEYS = 4096;

/** The edge's guide store, and how many day keys it holds (bounded: what the manifests name + RETIRED_DAY_KEYS). */
export interface StoreGuideStore extends GuideStore {
  heldDayKeys(): number;
}

export interface StoreGuideStoreOptions {
  /** How many retired day keys to keep (default 4096). */
  retiredDayKeys?: number;
}

interface Derived {
  state: PublishedStoreState;
  channels: StoredGuideChannel[];
  byId: Map<string, StoredGuideChannel>;
  /** Per channel: past and live days in one list, by start. */
  days: Map<string, StoredDay[]>;
}

function derive(state: PublishedStoreState): Derived {
  const channels = state.channelIds.map((id) => storedGuideChannel(state.channels.get(id)!));
  const days = new Map(
    state.channelIds.map((id) => [id, [...(state.pastDays.get(id) ?? []), ...(state.days.get(id) ?? [])]]),
  );
  return { state, channels, byId: new Map(channels.map((c) => [c.guide.id, c])), days };
}

const NOTHING_PUBLISHED = { fingerprint: 'none', changedAtMs: 0 };

const toGuideDayKey = (channelId: string, d: StoredDay): GuideDayKey => ({
  channelId,
  date: d.date,
  version: d.version,
  publishedAt: d.publishedAt,
  startMs: d.startMs,
  endMs: d.endMs,
});

/**
 * Object keys by day id: every day version the current state names, and those earlier states named that it does
 * not, the most recently retired `retiredMax` of them: a request that took its keys from one state may read a day
 * after the next state replaced it (published versions are immutable and stay in the store), but over weeks of
 * publishing an edge must not remember every version it ever saw.
 */
function dayObjectKeys(retiredMax: number) {
  let named = new Map<string, string>();
  const retired = new LRUCache<string, string>({ max: retiredMax });
  return {
    replace(days: Derived['days']): void {
      const next = new Map<string, string>();
      for (const [channelId, list] of days) for (const d of list) next.set(dayId(channelId, d.date, d.version), d.key);
      for (const [id, key] of named) if (!next.has(id)) retired.set(id, key);
      for (const id of next.keys()) retired.delete(id);
      named = next;
    },
    get: (id: string) => named.get(id) ?? retired.get(id),
    size: () => named.size + retired.size,
  };
}

/**
 * Older days read from the store on demand, kept in a cache bounded by their JSON size; concurrent requests for one
 * day share the one read.
 */
function pastDayCache(store: ObjectStore) {
  const sizes = new WeakMap<DaySnapshot, number>();
  const cache = new LRUCache<string, DaySnapshot>({
    maxSize: PAST_DAY_CACHE_BYTES,
    sizeCalculation: (day) => sizes.get(day) ?? 1,
  });
  const reading = new Map<string, Promise<DaySnapshot>>();
  async function readDay(name: string, key: GuideDayKey, step: <T>(work: () => T) => Promise<T>) {
    const bytes = await store.get(name);
    if (!bytes) throw new Error(`object store: ${name} (day ${key.channelId} ${key.date}) is missing`);
    const text = bytes.toString('utf8');
    const day = await parseDayInSlices(text, step);
    sizes.set(day, Math.max(1, text.length));
    cache.set(name, day);
    return day;
  }
  return {
    held: (name: string) => cache.get(name),
    read(name: string, key: GuideDayKey, step: <T>(work: () => T) => Promise<T>): Promise<DaySnapshot> {
      let pending = reading.get(name);
      if (!pending) {
        pending = readDay(name, key, step).finally(() => reading.delete(name));
        reading.set(name, pending);
      }
      return pending;
    },
  };
}

/**
 * The guide store of an edge origin: the same interface the guide routes read the database through
 * (guide/guide-store.ts), answered from what the store reader holds — channels and day keys from the manifests,
 * the content states, suspensions and lessons from the control plane's guide object — so the same renderers give
 * the same bytes. Days live playlists need are held parsed already; older ones are read from the store when a
 * guide asks for them (one read shared by concurrent requests) and kept in a cache bounded by bytes; the object
 * keys of day versions the manifests no longer name are kept for the last RETIRED_DAY_KEYS of them (memory stays
 * bounded over weeks of publishing). The lesson catalog (/api/lessons, GuideCatalogStore) is not in the store: an
 * edge does not serve it.
 */
export function createStoreGuideStore(
  reader: PublishedStoreReader,
  store: ObjectStore,
  options: StoreGuideStoreOptions = {},
): StoreGuideStore {
  let derived: Derived | undefined;
  const objectKeys = dayObjectKeys(options.retiredDayKeys ?? RETIRED_DAY_KEYS);
  function current(): Derived | undefined {
    const state = reader.state();
    if (!state) return undefined;
    if (derived?.state !== state) objectKeys.replace((derived = derive(state)).days);
    return derived;
  }
  const past = pastDayCache(store);

  function objectKey(key: GuideDayKey): string {
    current();
    const found = objectKeys.get(dayId(key.channelId, key.date, key.version));
    if (!found) throw new Error(`day ${key.channelId} ${key.date} v${key.version} is not in the store's state`);
    return found;
  }
  function held(key: GuideDayKey): DaySnapshot | undefined {
    return reader.state()?.snapshots.get(dayId(key.channelId, key.date, key.version)) ?? past.held(objectKey(key));
  }
  function snapshot(key: GuideDayKey): DaySnapshot {
    const found = held(key);
    if (!found) throw new Error(`day ${key.channelId} ${key.date} v${key.version} has not been read from the store`);
    return found;
  }
  async function snapshotInSteps(key: GuideDayKey, step: <T>(work: () => T) => Promise<T>): Promise<DaySnapshot> {
    const found = held(key);
    if (found) return found;
    return past.read(objectKey(key), key, step);
  }
  const keysWhere = (channelId: string, keep: (d: StoredDay) => boolean): GuideDayKey[] =>
    (current()?.days.get(channelId) ?? []).filter(keep).map((d) => toGuideDayKey(channelId, d));

  return {
    heldDayKeys: () => (current(), objectKeys.size()),
    channels: () => current()?.channels ?? [],
    channel: (channelId) => current()?.byId.get(channelId),
    channelsState: () => reader.state()?.guide?.stored.channels ?? NOTHING_PUBLISHED,
    catalogState: () => reader.state()?.guide?.stored.catalog ?? NOTHING_PUBLISHED,
    dayKeys: (channelId, fromMs, toMs) => keysWhere(channelId, (d) => d.startMs < toMs && d.endMs > fromMs),
    dayKeysOnDates: (channelId, dates) => keysWhere(channelId, (d) => dates.includes(d.date)),
    snapshot,
    snapshots: (keys) => keys.map(snapshot),
    snapshotInSteps,
    // The edge holds the days not yet ended (the store's state), so their notices come without a read.
    noticeInStep: async (key, step) => (await snapshotInSteps(key, step)).notice,
    lessonsOf(days) {
      const lessons = reader.state()?.guide?.lessons ?? {};
      const out = new Map<string, (typeof lessons)[string]>();
      for (const day of days)
        for (const item of day.items)
          if (item.lessonId && lessons[item.lessonId]) out.set(item.lessonId, lessons[item.lessonId]!);
      return out;
    },
    suspensionNotice(channelId, fromDate, toDate) {
      const channel = current()?.byId.get(channelId);
      const orders = reader.state()?.guide?.stored.suspensions ?? [];
      return (
        channel &&
        firstSuspensionNotice(
          channel,
          orders.filter((o) => o.from <= toDate && o.to >= fromDate),
        )
      );
    },
  };
}

import { partitionPoint } from '../../playlists/binary-search.ts';
import { dayId, type PublishedStoreReader } from '../distribution/store-reader.ts';
import type { StoredDay } from '../distribution/published-layout.ts';
import type { DayVersionKey, PublishedDays } from './published-days.ts';

const NO_DAYS: StoredDay[] = [];

/**
 * The published-day index of an edge origin: the same interface the control plane's SQLite-backed one has
 * (published-days.ts), answered from the state the store reader holds in memory (distribution/store-reader.ts).
 * Every answer is a map lookup or a binary search; the reader replaces the state whole between requests.
 */
export function createStorePublishedDays(reader: PublishedStoreReader): PublishedDays {
  return {
    hasChannel: (channelId) => reader.state()?.channels.has(channelId) ?? false,
    channel: (channelId) => reader.state()?.channels.get(channelId),
    channelIds: () => reader.state()?.channelIds ?? [],
    dayVersionsOverlapping(channelId, fromMs, toMs): DayVersionKey[] {
      const days = reader.state()?.days.get(channelId) ?? NO_DAYS;
      let i = partitionPoint(0, days.length, (k) => days[k]!.endMs > fromMs);
      const out: DayVersionKey[] = [];
      for (; i < days.length && days[i]!.startMs < toMs; i++) out.push(days[i]!);
      return out;
    },
    snapshot(channelId, key) {
      const snapshot = reader.state()?.snapshots.get(dayId(channelId, key.date, key.version));
      if (!snapshot) throw new Error(`day ${channelId} ${key.date} v${key.version} is not in the store's state`);
      return snapshot;
    },
    generation: () => reader.state()?.generation ?? 0,
  };
}

import { performance } from 'node:perf_hooks';
import type { DaySnapshot } from '../../playlists/model.ts';
import { partitionPoint } from '../../playlists/binary-search.ts';
import type { Channel } from '../schedule/channel-document.ts';
import { onPublished } from '../schedule/publish.ts';
import {
  changeCounters,
  channelBody,
  channelIdsByNumber,
  daySnapshotBody,
  latestDayKeys,
  type ChangeCounters,
} from '../schedule/published-days-repository.ts';
import type { Db } from '../store/db.ts';

/**
 * The published schedule as the origin's hot path needs it, held in memory: the configured channels and
 * the keys (date, version, start, end) of the latest version of every channel-day. A request asks no
 * query; the state is reread when
 * - this process publishes on this connection (schedule/publish.ts onPublished: at once), or
 * - the database's change counters moved (another process published, or this connection changed rows
 *   some other way), checked at most every `recheckMs` (default 500 ms, well inside a 6 s segment).
 * Published versions are immutable, so two processes that both reread after a publish answer the same.
 * A channel id not in memory is looked up in the database (a 404 path; a new channel reloads the state).
 */
export interface DayVersionKey {
  date: string;
  version: number;
  startMs: number;
  endMs: number;
}

export interface PublishedDays {
  /** Is the channel configured? */
  hasChannel(channelId: string): boolean;
  channel(channelId: string): Channel | undefined;
  channelIds(): string[];
  /** Latest published version of every broadcast day of the channel that overlaps [fromMs, toMs), by start. */
  dayVersionsOverlapping(channelId: string, fromMs: number, toMs: number): DayVersionKey[];
  snapshot(channelId: string, key: Pick<DayVersionKey, 'date' | 'version'>): DaySnapshot;
  /** Bumped at every reread: equal generations mean the same published state. */
  generation(): number;
}

export interface PublishedDaysOptions {
  /** Longest time between two looks at the change counters (ms; default 500). */
  recheckMs?: number;
  /** Monotonic milliseconds for the recheck interval (not the schedule clock: this is cache freshness). */
  monotonicMs?: () => number;
}

interface State {
  channelIds: string[];
  known: Set<string>;
  /** Per channel: latest day keys sorted by start; days of one channel never overlap, so ends are sorted too. */
  days: Map<string, DayVersionKey[]>;
  counters: ChangeCounters;
  generation: number;
}

const DEFAULT_RECHECK_MS = 500;
const NO_DAYS: DayVersionKey[] = [];

export function createPublishedDays(db: Db, options: PublishedDaysOptions = {}): PublishedDays {
  const recheckMs = options.recheckMs ?? DEFAULT_RECHECK_MS;
  const monotonicMs = options.monotonicMs ?? (() => performance.now());
  let generation = 0;
  let stale = false;
  let checkedAtMs = monotonicMs();
  let state = load();
  onPublished(db, () => {
    stale = true;
  });

  function load(): State {
    // Counters first: a change that lands while reading is then seen at the next check.
    const counters = changeCounters(db);
    const days = new Map<string, DayVersionKey[]>();
    for (const { channelId, ...key } of latestDayKeys(db)) {
      let list = days.get(channelId);
      if (!list) days.set(channelId, (list = []));
      list.push(key);
    }
    const channelIds = channelIdsByNumber(db);
    return { channelIds, known: new Set(channelIds), days, counters, generation: ++generation };
  }

  function current(): State {
    if (!stale) {
      const nowMs = monotonicMs();
      if (nowMs - checkedAtMs < recheckMs) return state;
      checkedAtMs = nowMs;
      const counters = changeCounters(db);
      // Our own reads do not move total_changes; only writes (of any table) do.
      if (counters.dataVersion === state.counters.dataVersion && counters.ownChanges === state.counters.ownChanges)
        return state;
    }
    stale = false;
    checkedAtMs = monotonicMs();
    state = load();
    return state;
  }

  return {
    hasChannel(channelId) {
      if (current().known.has(channelId)) return true;
      if (channelBody(db, channelId) === undefined) return false;
      stale = true; // configured since the last read
      return current().known.has(channelId);
    },
    channel(channelId) {
      const body = channelBody(db, channelId);
      return body === undefined ? undefined : (JSON.parse(body) as Channel);
    },
    channelIds() {
      return current().channelIds;
    },
    dayVersionsOverlapping(channelId, fromMs, toMs) {
      const days = current().days.get(channelId) ?? NO_DAYS;
      // First day ending after fromMs, then every day starting before toMs.
      let i = partitionPoint(0, days.length, (k) => days[k]!.endMs > fromMs);
      const out: DayVersionKey[] = [];
      for (; i < days.length && days[i]!.startMs < toMs; i++) out.push(days[i]!);
      return out;
    },
    snapshot(channelId, key) {
      const body = daySnapshotBody(db, channelId, key.date, key.version);
      if (body === undefined) throw new Error(`day ${channelId} ${key.date} v${key.version} vanished`);
      return JSON.parse(body) as DaySnapshot;
    },
    generation() {
      return current().generation;
    },
  };
}

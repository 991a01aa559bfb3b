import type { DaySnapshot, RenditionInfo, ScheduledItem } from '../../playlists/model.ts';
import type { AssetTimelines } from '../media/asset-timelines.ts';
import type { DayVersionKey, PublishedDays } from './published-days.ts';
import { buildChannelTimeline, type ChannelTimeline } from '../../playlists/channel-timeline.ts';

/** Start-over reaches back this far (issue 4: "an earlier programme of the last 24 h"). */
export const START_OVER_WINDOW_MS = 24 * 3_600_000;
/** Extra history kept so the segment containing the start-over instant (and a live window) is present. */
const HISTORY_MARGIN_MS = 3_600_000;

/** A channel's playable schedule around now: the contiguous published days from ~25 h ago to now. */
export interface ChannelSchedule {
  channelId: string;
  /** `date@version,…`: the cache key; equal keys mean identical timelines. */
  key: string;
  snapshots: DaySnapshot[];
  timeline: ChannelTimeline;
  /** The channel's ladder, with the highest bandwidth any of its scheduled assets needs per rendition. */
  renditions: RenditionInfo[];
  startMs: number;
  endMs: number;
  item(id: string): ScheduledItem | undefined;
}

/**
 * Channel timelines, cached per channel by the set of day versions they were built from. Published
 * versions are immutable, so a cached timeline is a pure function of its key: two processes (or one
 * before and after a restart) render the same bytes at the same instant.
 */
export function createChannelTimelines(published: PublishedDays, assets: AssetTimelines) {
  const cache = new Map<string, { keys: DayVersionKey[]; schedule: ChannelSchedule }>();
  /**
   * Per channel, the answer of the last `at` and the instants it holds for: from that call's now until
   * the day on air ends or the run's first day leaves the window, whichever is first (nothing else changes
   * which days `at` picks), for as long as the published state is the same generation.
   */
  const answers = new Map<string, { generation: number; fromMs: number; untilMs: number; schedule: ChannelSchedule }>();

  function build(channelId: string, keys: DayVersionKey[], key: string): ChannelSchedule {
    const snapshots = keys.map((k) => published.snapshot(channelId, k));
    const assetIds = new Set(snapshots.flatMap((s) => s.items.map((item) => item.assetId)));
    const assetMedia = [...assetIds].sort().map((id) => {
      const media = assets.get(id);
      if (!media) throw new Error(`channel ${channelId}: published item uses asset ${id}, which is not packaged`);
      return media;
    });
    const itemsById = new Map<string, ScheduledItem>();
    for (const snapshot of snapshots) for (const item of snapshot.items) itemsById.set(item.id, item);
    return {
      channelId,
      key,
      snapshots,
      timeline: buildChannelTimeline(snapshots, new Map(assetMedia.map((m) => [m.id, m.timeline]))),
      renditions: channelLadder(assetMedia.map((m) => m.renditions)),
      startMs: snapshots[0]!.startMs,
      endMs: snapshots[snapshots.length - 1]!.endMs,
      item: (id) => itemsById.get(id),
    };
  }

  return {
    /**
     * The channel's schedule as published at `nowMs`, or undefined when no published day covers now
     * (a configured channel before its first publish).
     */
    at(channelId: string, nowMs: number): ChannelSchedule | undefined {
      const generation = published.generation();
      const answer = answers.get(channelId);
      if (answer?.generation === generation && answer.fromMs <= nowMs && nowMs < answer.untilMs) return answer.schedule;
      const schedule = scheduleAt(channelId, nowMs);
      if (!schedule) answers.delete(channelId);
      else {
        const untilMs = Math.min(
          schedule.endMs,
          schedule.snapshots[0]!.endMs + START_OVER_WINDOW_MS + HISTORY_MARGIN_MS,
        );
        answers.set(channelId, { generation, fromMs: nowMs, untilMs, schedule });
      }
      return schedule;
    },
  };

  function scheduleAt(channelId: string, nowMs: number): ChannelSchedule | undefined {
    const keys = contiguousRunCovering(
      published.dayVersionsOverlapping(channelId, nowMs - START_OVER_WINDOW_MS - HISTORY_MARGIN_MS, nowMs + 1),
      nowMs,
    );
    if (keys.length === 0) return undefined;
    const cached = cache.get(channelId);
    // The published state hands out the same key objects until it is reread: compare by identity first.
    if (cached && sameKeys(cached.keys, keys)) return cached.schedule;
    const key = keys.map((k) => `${k.date}@${k.version}`).join(',');
    if (cached?.schedule.key === key) {
      cache.set(channelId, { keys, schedule: cached.schedule });
      return cached.schedule;
    }
    const schedule = build(channelId, keys, key);
    cache.set(channelId, { keys, schedule });
    return schedule;
  }
}

function sameKeys(a: readonly DayVersionKey[], b: readonly DayVersionKey[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The days, ending with the one airing at `nowMs`, that follow each other without a gap. */
function contiguousRunCovering(keys: DayVersionKey[], nowMs: number): DayVersionKey[] {
  const last = keys.findIndex((k) => k.startMs <= nowMs && nowMs < k.endMs);
  if (last < 0) return [];
  let first = last;
  while (first > 0 && keys[first - 1]!.endMs === keys[first]!.startMs) first--;
  return keys.slice(first, last + 1);
}

/**
 * All assets of a channel share one ladder; bandwidths differ per asset. The master playlist must
 * announce the peak a viewer can meet, so take the maximum per rendition (ladder order of the first asset).
 */
export function channelLadder(ladders: RenditionInfo[][]): RenditionInfo[] {
  const byName = new Map<string, RenditionInfo>();
  for (const ladder of ladders) {
    for (const rendition of ladder) {
      const seen = byName.get(rendition.name);
      if (!seen) {
        byName.set(rendition.name, { ...rendition });
      } else {
        seen.bandwidth = Math.max(seen.bandwidth, rendition.bandwidth);
        seen.averageBandwidth = Math.max(seen.averageBandwidth, rendition.averageBandwidth);
      }
    }
  }
  return [...byName.values()];
}

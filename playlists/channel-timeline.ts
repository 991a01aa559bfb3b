/**
 * The channel timeline: an index over a channel's consecutive published days, built once per set of
 * published day versions, that answers "which segment is on air at instant t" and "the N segments that
 * have fully aired by t" in O(log n) — a binary search over the items, then over the asset's prefix sums.
 * Pure: no I/O, no clock; the caller passes the instant.
 *
 *   const timeline = buildChannelTimeline(days, assets);   // throws ChannelTimelineError on inconsistent input
 *   timeline.segmentAt(t)            → the segment on air at t (start ≤ t < end), or undefined
 *   timeline.lastAiredSegment(now)   → the newest segment whose end ≤ now, or undefined
 *   timeline.segmentBySequence(msn)  → the segment with that media sequence number, or undefined
 *   timeline.next(segment)           → the segment after it, or undefined at the end
 *
 * Segment identity (the same at every instant, in every process):
 *   segment k of an item = asset segment (item.segmentOffset + k) mod assetSegmentCount (slates loop),
 *   media sequence = item.mediaSequence + k, discontinuity sequence = item.discontinuitySequence,
 *   start (the EXT-X-PROGRAM-DATE-TIME) = item.startMs + canonical ms of the item's earlier segments.
 */
import type { AssetTimeline, DaySnapshot, Instant, ScheduledItem } from './model.ts';
import { decimalSeconds, roundedSeconds } from './hls-format.ts';
import { floorIndex } from './binary-search.ts';

/** Per-asset data precomputed once and shared by every item that airs the asset. */
export interface IndexedAsset {
  readonly timeline: AssetTimeline;
  readonly segmentCount: number;
  /** prefixMs[i] = canonical ms of segments 0..i-1; prefixMs[segmentCount] = asset duration. */
  readonly prefixMs: Float64Array;
  /**
   * Per segment, the shortest duration any rendition reports (canonical included), in ms. Window sizing
   * uses it so that every rendition's playlist is long enough and all renditions pick the same window.
   */
  readonly shortestMs: Float64Array;
}

export interface TimelineItem {
  readonly item: ScheduledItem;
  readonly asset: IndexedAsset;
  readonly startMs: Instant;
  readonly endMs: Instant;
  /** Date label of the broadcast day the item belongs to. */
  readonly date: string;
  /** Position in the timeline's item list. */
  readonly index: number;
}

export interface TimelineSegment {
  readonly entry: TimelineItem;
  /** Index of the segment within its item. */
  readonly indexInItem: number;
  /** Index of the segment within its asset (loops wrap around). */
  readonly assetSegment: number;
  readonly mediaSequence: number;
  readonly discontinuitySequence: number;
  readonly startMs: Instant;
  /** Canonical duration, integer ms. */
  readonly durationMs: number;
}

/** Inconsistent days or assets: each problem names the day, item and field. Nothing is indexed. */
export class ChannelTimelineError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`channel timeline rejected: ${problems.length} problem(s): ${problems.slice(0, 5).join('; ')}`);
    this.name = 'ChannelTimelineError';
  }
}

export type AssetLookup = ReadonlyMap<string, AssetTimeline> | Readonly<Record<string, AssetTimeline>>;

function lookupAsset(assets: AssetLookup, id: string): AssetTimeline | undefined {
  if (assets instanceof Map) return assets.get(id);
  const record = assets as Readonly<Record<string, AssetTimeline>>;
  return Object.prototype.hasOwnProperty.call(record, id) ? record[id] : undefined;
}

function indexAsset(timeline: AssetTimeline, problems: string[]): IndexedAsset | undefined {
  const n = timeline.segmentMs.length;
  const at = `asset ${timeline.id}`;
  if (n === 0) {
    problems.push(`${at}: has no segments`);
    return undefined;
  }
  const prefixMs = new Float64Array(n + 1);
  const shortestMs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ms = timeline.segmentMs[i]!;
    if (!Number.isInteger(ms) || ms <= 0) {
      problems.push(`${at}: segmentMs[${i}] = ${ms} is not a positive integer`);
      return undefined;
    }
    prefixMs[i + 1] = prefixMs[i]! + ms;
    shortestMs[i] = ms;
  }
  for (const [rendition, seconds] of Object.entries(timeline.renditionSegmentSeconds)) {
    if (seconds.length !== n) {
      problems.push(
        `${at}: rendition ${rendition} has ${seconds.length} segment durations, the canonical timeline has ${n}`,
      );
      return undefined;
    }
    for (let i = 0; i < n; i++) {
      const s = seconds[i]!;
      if (!Number.isFinite(s) || s <= 0) {
        problems.push(`${at}: rendition ${rendition} segment ${i} duration ${s} is not a positive number`);
        return undefined;
      }
      shortestMs[i] = Math.min(shortestMs[i]!, Math.floor(s * 1000));
    }
  }
  return { timeline, segmentCount: n, prefixMs, shortestMs };
}

/** Canonical ms from the asset's start to the start of "unrolled" segment m (m may exceed the count: loops). */
function unrolledOffsetMs(asset: IndexedAsset, m: number): number {
  const n = asset.segmentCount;
  const loops = Math.floor(m / n);
  return loops * asset.prefixMs[n]! + asset.prefixMs[m - loops * n]!;
}

export class ChannelTimeline {
  readonly channelId: string;
  readonly startMs: Instant;
  readonly endMs: Instant;
  readonly items: readonly TimelineItem[];
  /** Rendition names every asset of the channel was packaged in. */
  readonly renditions: readonly string[];
  /**
   * Largest EXTINF of any segment of any rendition, rounded as clients round it: the smallest legal
   * EXT-X-TARGETDURATION for this timeline.
   */
  readonly maxRoundedSegmentSeconds: number;
  private readonly itemStarts: Float64Array;
  private readonly itemSequences: Float64Array;

  constructor(channelId: string, items: TimelineItem[], renditions: string[], maxRoundedSegmentSeconds: number) {
    this.channelId = channelId;
    this.items = items;
    this.renditions = renditions;
    this.maxRoundedSegmentSeconds = maxRoundedSegmentSeconds;
    this.startMs = items[0]!.startMs;
    this.endMs = items[items.length - 1]!.endMs;
    this.itemStarts = Float64Array.from(items, (e) => e.startMs);
    this.itemSequences = Float64Array.from(items, (e) => e.item.mediaSequence);
  }

  /** The item on air at t, or undefined outside [startMs, endMs). */
  itemAt(t: Instant): TimelineItem | undefined {
    if (t < this.startMs || t >= this.endMs) return undefined;
    return this.items[floorIndex(this.itemStarts, t, 0, this.items.length - 1)];
  }

  /** The segment on air at t (start ≤ t < end), or undefined outside the published range. */
  segmentAt(t: Instant): TimelineSegment | undefined {
    const entry = this.itemAt(t);
    if (!entry) return undefined;
    const { asset, item } = entry;
    // Unrolled position of t within the (possibly looping) asset, then the segment containing it.
    const base = unrolledOffsetMs(asset, item.segmentOffset);
    const target = base + (t - entry.startMs);
    const assetMs = asset.prefixMs[asset.segmentCount]!;
    const loops = Math.floor(target / assetMs);
    const within = floorIndex(asset.prefixMs, target - loops * assetMs, 0, asset.segmentCount - 1);
    const k = Math.min(loops * asset.segmentCount + within - item.segmentOffset, item.segmentCount - 1);
    return this.segmentOf(entry, k);
  }

  /** The newest segment that has fully aired at `now` (end ≤ now), or undefined if none has. */
  lastAiredSegment(now: Instant): TimelineSegment | undefined {
    if (now <= this.startMs) return undefined;
    if (now >= this.endMs) return this.lastSegment();
    const onAir = this.segmentAt(now)!;
    return this.previous(onAir);
  }

  /** The segment with media sequence number `msn`, or undefined if it is not in the timeline. */
  segmentBySequence(msn: number): TimelineSegment | undefined {
    const first = this.items[0]!.item.mediaSequence;
    const lastEntry = this.items[this.items.length - 1]!;
    if (msn < first || msn >= lastEntry.item.mediaSequence + lastEntry.item.segmentCount) return undefined;
    const entry = this.items[floorIndex(this.itemSequences, msn, 0, this.items.length - 1)]!;
    return this.segmentOf(entry, msn - entry.item.mediaSequence);
  }

  firstSegment(): TimelineSegment {
    return this.segmentOf(this.items[0]!, 0);
  }

  lastSegment(): TimelineSegment {
    const entry = this.items[this.items.length - 1]!;
    return this.segmentOf(entry, entry.item.segmentCount - 1);
  }

  next(segment: TimelineSegment): TimelineSegment | undefined {
    if (segment.indexInItem + 1 < segment.entry.item.segmentCount)
      return this.segmentOf(segment.entry, segment.indexInItem + 1);
    const after = this.items[segment.entry.index + 1];
    return after ? this.segmentOf(after, 0) : undefined;
  }

  previous(segment: TimelineSegment): TimelineSegment | undefined {
    if (segment.indexInItem > 0) return this.segmentOf(segment.entry, segment.indexInItem - 1);
    const before = this.items[segment.entry.index - 1];
    return before ? this.segmentOf(before, before.item.segmentCount - 1) : undefined;
  }

  /** Segment k of an item: O(1) from the asset's prefix sums. */
  segmentOf(entry: TimelineItem, k: number): TimelineSegment {
    const { asset, item } = entry;
    const base = unrolledOffsetMs(asset, item.segmentOffset);
    const startOffset = unrolledOffsetMs(asset, item.segmentOffset + k) - base;
    const assetSegment = (item.segmentOffset + k) % asset.segmentCount;
    return {
      entry,
      indexInItem: k,
      assetSegment,
      mediaSequence: item.mediaSequence + k,
      discontinuitySequence: item.discontinuitySequence,
      startMs: entry.startMs + startOffset,
      durationMs: asset.prefixMs[assetSegment + 1]! - asset.prefixMs[assetSegment]!,
    };
  }

  /** Shortest duration any rendition gives this segment (ms): window sizing uses it. */
  shortestDurationMs(segment: TimelineSegment): number {
    return segment.entry.asset.shortestMs[segment.assetSegment]!;
  }
}

/**
 * Index a channel's consecutive published days (any order; they are sorted by start) and the assets
 * their items air. Every continuity rule the renderers rely on is checked here once, so rendering
 * never meets an inconsistent timeline: days abut exactly, items tile each day, media sequence grows by
 * each item's segment count, discontinuity sequence by one per item boundary, every item's duration
 * is the sum of its segments' canonical durations, and every asset has the same renditions.
 */
export function buildChannelTimeline(days: readonly DaySnapshot[], assets: AssetLookup): ChannelTimeline {
  const problems: string[] = [];
  if (days.length === 0) throw new ChannelTimelineError(['no published days']);
  const sorted = [...days].sort((a, b) => a.startMs - b.startMs);
  const channelId = sorted[0]!.channelId;
  const indexed = new Map<string, IndexedAsset | undefined>();
  const items: TimelineItem[] = [];
  let renditions: string[] | undefined;
  let maxRounded = 0;
  let previous: TimelineItem | undefined;

  const assetFor = (id: string, where: string): IndexedAsset | undefined => {
    if (!indexed.has(id)) {
      const timeline = lookupAsset(assets, id);
      if (!timeline) {
        problems.push(`${where}: asset ${id} is unknown`);
        indexed.set(id, undefined);
        return undefined;
      }
      const asset = indexAsset(timeline, problems);
      indexed.set(id, asset);
      if (asset) {
        const names = Object.keys(timeline.renditionSegmentSeconds).sort();
        if (names.length === 0) problems.push(`asset ${id}: has no renditions`);
        if (!renditions) renditions = names;
        else if (names.join(',') !== renditions.join(',')) {
          problems.push(
            `asset ${id}: renditions [${names.join(', ')}] differ from the channel's [${renditions.join(', ')}]`,
          );
        }
        for (const seconds of Object.values(timeline.renditionSegmentSeconds)) {
          // Clients round the printed EXTINF, so round what we print.
          for (const s of seconds) maxRounded = Math.max(maxRounded, roundedSeconds(Number(decimalSeconds(s))));
        }
      }
    }
    return indexed.get(id);
  };

  for (const [d, day] of sorted.entries()) {
    const dayAt = `day ${day.date} v${day.version}`;
    if (day.channelId !== channelId) problems.push(`${dayAt}: channel ${day.channelId}, expected ${channelId}`);
    if (d > 0) {
      const before = sorted[d - 1]!;
      if (day.startMs !== before.endMs) {
        problems.push(
          `${dayAt}: startMs ${day.startMs} does not equal the previous day's (${before.date}) endMs ${before.endMs}`,
        );
      }
    }
    if (day.items.length === 0) problems.push(`${dayAt}: has no items`);
    else {
      const first = day.items[0]!;
      if (first.mediaSequence !== day.mediaSequenceStart) {
        problems.push(
          `${dayAt}: first item mediaSequence ${first.mediaSequence} differs from mediaSequenceStart ${day.mediaSequenceStart}`,
        );
      }
      if (first.discontinuitySequence !== day.discontinuitySequenceStart) {
        problems.push(
          `${dayAt}: first item discontinuitySequence ${first.discontinuitySequence} differs from discontinuitySequenceStart ${day.discontinuitySequenceStart}`,
        );
      }
    }
    let cursor = day.startMs;
    for (const [i, item] of day.items.entries()) {
      const at = `${dayAt} item ${i} (${item.id})`;
      if (item.startMs !== cursor)
        problems.push(`${at}: startMs ${item.startMs}, expected ${cursor} (items must tile the day)`);
      if (!Number.isInteger(item.segmentCount) || item.segmentCount < 1)
        problems.push(`${at}: segmentCount ${item.segmentCount} must be ≥ 1`);
      cursor = item.startMs + item.durationMs;
      const asset = assetFor(item.assetId, at);
      if (!asset || item.segmentCount < 1) continue;
      if (!Number.isInteger(item.segmentOffset) || item.segmentOffset < 0 || item.segmentOffset >= asset.segmentCount) {
        problems.push(
          `${at}: segmentOffset ${item.segmentOffset} outside asset ${item.assetId} (0..${asset.segmentCount - 1})`,
        );
        continue;
      }
      const expectedMs =
        unrolledOffsetMs(asset, item.segmentOffset + item.segmentCount) - unrolledOffsetMs(asset, item.segmentOffset);
      if (item.durationMs !== expectedMs) {
        problems.push(
          `${at}: durationMs ${item.durationMs}, but its ${item.segmentCount} segments last ${expectedMs} ms`,
        );
      }
      if (previous) {
        const p = previous.item;
        if (item.mediaSequence !== p.mediaSequence + p.segmentCount) {
          problems.push(
            `${at}: mediaSequence ${item.mediaSequence}, expected ${p.mediaSequence + p.segmentCount} (previous item ${p.id})`,
          );
        }
        if (item.discontinuitySequence !== p.discontinuitySequence + 1) {
          problems.push(
            `${at}: discontinuitySequence ${item.discontinuitySequence}, expected ${p.discontinuitySequence + 1} (previous item ${p.id})`,
          );
        }
      }
      const entry: TimelineItem = {
        item,
        asset,
        startMs: item.startMs,
        endMs: item.startMs + item.durationMs,
        date: day.date,
        index: items.length,
      };
      items.push(entry);
      previous = entry;
    }
    if (day.items.length > 0 && cursor !== day.endMs)
      problems.push(`${dayAt}: items end at ${cursor}, the day ends at ${day.endMs}`);
  }
  if (problems.length > 0) throw new ChannelTimelineError(problems);
  return new ChannelTimeline(channelId, items, renditions ?? [], maxRounded);
}

/**
 * From a channel's published days (latest versions), the longest run of days that abut each other and
 * contains `atMs` (or undefined if no day contains it). Lets the caller index a consistent timeline even
 * when a distant day is missing or was republished with a different end.
 */
export function contiguousDaysAround(days: readonly DaySnapshot[], atMs: Instant): DaySnapshot[] | undefined {
  const sorted = [...days].sort((a, b) => a.startMs - b.startMs);
  const at = sorted.findIndex((d) => d.startMs <= atMs && atMs < d.endMs);
  if (at < 0) return undefined;
  let from = at;
  let to = at;
  while (from > 0 && sorted[from - 1]!.endMs === sorted[from]!.startMs) from--;
  while (to + 1 < sorted.length && sorted[to + 1]!.startMs === sorted[to]!.endMs) to++;
  return sorted.slice(from, to + 1);
}

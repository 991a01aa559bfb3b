import type { Instant, ItemKind, LocalizedText, ScheduledItem } from '../../playlists/model.ts';
import type { AssetSummary } from './build-types.ts';
import { floorIndex } from '../../playlists/binary-search.ts';

/**
 * Lays items end to end on a channel's timeline: each item starts where the previous one ended, its
 * duration is the sum of its canonical segment durations, and media / discontinuity sequence numbers
 * count segments and item boundaries. Gaps are filled with the looped slate in whole segments, never
 * passing the target, so the next item starts less than one slate segment (1 s) before its slot.
 */

export function sumSegments(segmentMs: readonly number[]): number {
  let total = 0;
  for (const ms of segmentMs) total += ms;
  return total;
}

/**
 * Totals of timelines that cannot change (the catalog view freezes them), kept across builds: a year's
 * build airs the same few thousand assets day after day. A mutable array is summed afresh each time.
 */
const frozenTotals = new WeakMap<readonly number[], number>();
function frozenTimelineTotal(segmentMs: readonly number[]): number {
  if (!Object.isFrozen(segmentMs)) return sumSegments(segmentMs);
  let total = frozenTotals.get(segmentMs);
  if (total === undefined) frozenTotals.set(segmentMs, (total = sumSegments(segmentMs)));
  return total;
}

/**
 * An asset that can air on a channel: packaged for the channel's ladder, with a non-empty timeline.
 * `durationMs` gives an asset's whole length (a build passes its cached one).
 */
export function isPlayable(
  asset: AssetSummary | undefined,
  ladder: string,
  durationMs: (asset: AssetSummary) => number = (a) => sumSegments(a.segmentMs),
): asset is AssetSummary {
  return asset !== undefined && asset.ladder === ladder && asset.segmentMs.length > 0 && durationMs(asset) > 0;
}

const DAY_MS = 86_400_000;
/** Last UTC day formatted by compactUtc (a build asks for instants of the same day in a row). */
let compactDay = Number.NaN;
let compactDayPrefix = '';

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** Compact UTC instant for airing ids: 2026-11-23T22:00:00.000Z → 20261123T220000000Z. */
export function compactUtc(ms: Instant): string {
  // Hand-written hot path (every item of a year's build has an id): the date part comes from
  // toISOString once per UTC day, the time of day by arithmetic. Same output as
  // `new Date(ms).toISOString().replace(/[-:.]/g, '')`; other ranges and non-integers take that path.
  if (!Number.isInteger(ms) || ms < 0 || ms >= 253_402_300_800_000)
    return new Date(ms).toISOString().replace(/[-:.]/g, '');
  const day = Math.floor(ms / DAY_MS);
  if (day !== compactDay) {
    compactDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
    compactDay = day;
  }
  let rest = ms - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  const millisText = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : `${millis}`;
  return `${compactDayPrefix}T${pad2(hours)}${pad2(minutes)}${pad2(seconds)}${millisText}Z`;
}

export interface AiringContent {
  kind: Exclude<ItemKind, 'slate'>;
  asset: AssetSummary;
  title: LocalizedText;
  lessonId?: string;
  slotId?: string;
  unit?: LocalizedText;
  subject?: string;
  slotStartMs?: Instant;
}

/**
 * Off-air time of a timetable slot: its slate items carry the slot's id, and its title when it has one. With a
 * `card` they air the card (looped like the slate), then the slate's 1 s segments for what the card's segments
 * leave of the gap.
 */
export interface OffAirLabel {
  slotId: string;
  title?: LocalizedText;
  card?: AssetSummary;
}

export interface TimelinePosition {
  cursorMs: Instant;
  mediaSequence: number;
  discontinuitySequence: number;
}

/** Longest single slate item: bounds how long a republish must wait while off-air time is airing. */
export const MAX_SLATE_ITEM_MS = 5 * 60_000;

/** The looped slate (or an off-air card): how many whole segments fit in a gap, starting at a given loop position. */
class SlateLoop {
  readonly asset: AssetSummary;
  /**
   * A slate item never runs past the end of its asset: a wrap back to its first segment would rewind the media
   * timestamps inside one item, where the stream has no discontinuity to announce it. Longer off-air time is several
   * slate items, each an item boundary (a discontinuity) of its own.
   */
  readonly maxItemMs: number;
  /** prefix[i] = duration of segments 0..i-1 of one loop. */
  private readonly prefix: number[];

  constructor(asset: AssetSummary) {
    if (asset.segmentMs.some((ms) => !(ms > 0))) {
      throw new Error(`slate asset ${asset.id} has a segment that is not a positive duration`);
    }
    this.asset = asset;
    this.maxItemMs = Math.min(MAX_SLATE_ITEM_MS, sumSegments(asset.segmentMs));
    this.prefix = [0];
    for (const ms of asset.segmentMs) this.prefix.push(this.prefix[this.prefix.length - 1]! + ms);
  }

  /** Largest j in [from, n] with prefix[j] - prefix[from] ≤ budget. */
  private lastFitting(from: number, budget: number): number {
    return floorIndex(this.prefix, this.prefix[from]! + budget, from);
  }

  /** Whole segments that fit in `budgetMs` when the loop is at segment `loopIndex` (counted from the item's start). */
  fit(loopIndex: number, budgetMs: number): { count: number; ms: number } {
    const n = this.prefix.length - 1;
    const cycleMs = this.prefix[n]!;
    const from = loopIndex % n;
    const toCycleEnd = cycleMs - this.prefix[from]!;
    if (budgetMs < toCycleEnd) {
      const j = this.lastFitting(from, budgetMs);
      return { count: j - from, ms: this.prefix[j]! - this.prefix[from]! };
    }
    let count = n - from;
    let ms = toCycleEnd;
    const fullCycles = Math.floor((budgetMs - ms) / cycleMs);
    count += fullCycles * n;
    ms += fullCycles * cycleMs;
    const j = this.lastFitting(0, budgetMs - ms);
    return { count: count + j, ms: ms + this.prefix[j]! };
  }
}

export class DayTimeline {
  readonly items: ScheduledItem[];
  private readonly channelId: string;
  private readonly slate: SlateLoop;
  /** Loops of the off-air cards met so far, by asset. */
  private readonly cards = new Map<AssetSummary, SlateLoop>();
  /** Items before this index were published already and must stay byte-identical (no slate merge into them). */
  private readonly frozenCount: number;
  private position: TimelinePosition;
  /** Sum of each asset's segment durations, computed once per build (an asset airs many times a day). */
  private readonly assetDurations = new Map<AssetSummary, number>();

  constructor(channelId: string, slate: AssetSummary, start: TimelinePosition, frozen: readonly ScheduledItem[] = []) {
    this.channelId = channelId;
    this.slate = new SlateLoop(slate);
    this.items = [...frozen];
    this.frozenCount = frozen.length;
    this.position = { ...start };
  }

  get cursorMs(): Instant {
    return this.position.cursorMs;
  }

  get next(): TimelinePosition {
    return { ...this.position };
  }

  private readonly durationOf = (asset: AssetSummary) => this.assetDurationMs(asset);

  /** Whole length of an asset: the sum of its canonical segment durations. */
  assetDurationMs(asset: AssetSummary): number {
    let total = this.assetDurations.get(asset);
    if (total === undefined) this.assetDurations.set(asset, (total = frozenTimelineTotal(asset.segmentMs)));
    return total;
  }

  /** `isPlayable`, with the asset's length from this build's cache. */
  isPlayable(asset: AssetSummary | undefined, ladder: string): asset is AssetSummary {
    return isPlayable(asset, ladder, this.durationOf);
  }

  /**
   * Airs a whole asset at the cursor. `slotId` / `slotStartMs` default to the content's own; passing
   * them saves copying the content for every airing of a carousel.
   */
  append(content: AiringContent, slotId = content.slotId, slotStartMs = content.slotStartMs): ScheduledItem {
    const { asset } = content;
    // Properties are assigned in the published key order (the JSON bytes of a day depend on it);
    // optional ones only when present, as the model has them absent rather than undefined.
    const item = {
      id: `${this.channelId}-${compactUtc(this.position.cursorMs)}`,
      kind: content.kind,
      assetId: asset.id,
    } as ScheduledItem;
    if (content.lessonId !== undefined) item.lessonId = content.lessonId;
    if (slotId !== undefined) item.slotId = slotId;
    item.title = content.title;
    if (content.unit !== undefined) item.unit = content.unit;
    if (content.subject !== undefined) item.subject = content.subject;
    item.startMs = this.position.cursorMs;
    item.durationMs = this.assetDurationMs(asset);
    item.segmentOffset = 0;
    item.segmentCount = asset.segmentMs.length;
    item.mediaSequence = this.position.mediaSequence;
    item.discontinuitySequence = this.position.discontinuitySequence;
    if (slotStartMs !== undefined) item.slotStartMs = slotStartMs;
    this.push(item);
    return item;
  }

  /**
   * Slate from the cursor up to `targetMs` in whole segments (never past it); merges with a slate item just
   * before. A slate item is capped at the slate asset's length and at MAX_SLATE_ITEM_MS so that a republish (which
   * keeps every item starting before the cutoff) can replace off-air time within minutes, e.g. for a
   * class-suspension switch. Off-air time with a card airs the card first, and the slate for the rest.
   */
  fillSlateUntil(targetMs: Instant, offAir?: OffAirLabel): void {
    if (offAir?.card) {
      let loop = this.cards.get(offAir.card);
      if (loop === undefined) this.cards.set(offAir.card, (loop = new SlateLoop(offAir.card)));
      this.fillLoopUntil(loop, targetMs, offAir);
    }
    this.fillLoopUntil(this.slate, targetMs, offAir);
  }

  private fillLoopUntil(loop: SlateLoop, targetMs: Instant, offAir: OffAirLabel | undefined): void {
    for (;;) {
      const budget = targetMs - this.position.cursorMs;
      if (budget <= 0) return;
      const last = this.items[this.items.length - 1];
      const extendLast =
        last !== undefined &&
        last.kind === 'slate' &&
        last.assetId === loop.asset.id &&
        last.slotId === offAir?.slotId &&
        this.items.length > this.frozenCount &&
        last.durationMs < loop.maxItemMs;
      const room = loop.maxItemMs - (extendLast ? last.durationMs : 0);
      const { count, ms } = loop.fit(extendLast ? last.segmentCount : 0, Math.min(budget, room));
      if (count === 0) return;
      if (extendLast) {
        last.segmentCount += count;
        last.durationMs += ms;
        this.position.cursorMs += ms;
        this.position.mediaSequence += count;
        continue;
      }
      const startMs = this.position.cursorMs;
      this.push({
        id: `${this.channelId}-${compactUtc(startMs)}`,
        kind: 'slate',
        assetId: loop.asset.id,
        ...(offAir && { slotId: offAir.slotId }),
        title: offAir?.title ?? this.slate.asset.title,
        startMs,
        durationMs: ms,
        segmentOffset: 0,
        segmentCount: count,
        mediaSequence: this.position.mediaSequence,
        discontinuitySequence: this.position.discontinuitySequence,
      });
    }
  }

  private push(item: ScheduledItem): void {
    this.items.push(item);
    this.position.cursorMs += item.durationMs;
    this.position.mediaSequence += item.segmentCount;
    this.position.discontinuitySequence += 1;
  }
}

/**
 * The published-day model: what the schedule build produces and every renderer consumes.
 * Pure data. Instants are UTC epoch milliseconds (integers); local time never appears here
 * except the broadcast-day label `date` (the channel's local calendar date of the day start).
 */

/** UTC epoch milliseconds, integer. */
export type Instant = number;

export interface LocalizedText {
  zh: string;
  en?: string;
}

export type ItemKind =
  /** First run of a curriculum lesson (curriculum progression). */
  | 'lesson'
  /** Rerun of a lesson that aired in an earlier slot. */
  | 'rerun'
  /** Eye exercises, calisthenics, ident… */
  | 'filler'
  /** Off-air / next-up slate: 1 s segments, looped, fills any gap to within 1 s. */
  | 'slate'
  /** A fixed programme (a given lesson or asset, e.g. a flag-raising ceremony). */
  | 'programme';

/** One airing on a channel: a run of consecutive segments of one asset. */
export interface ScheduledItem {
  /** Stable airing id: the same airing keeps it across republishes (EXT-X-DATERANGE ID, XMLTV, ICS UID). */
  id: string;
  kind: ItemKind;
  assetId: string;
  lessonId?: string;
  /** Timetable slot that produced it (absent for gap fill). */
  slotId?: string;
  title: LocalizedText;
  /** Unit title, for lessons. */
  unit?: LocalizedText;
  subject?: string;
  startMs: Instant;
  /** Sum of the canonical durations of its segments. */
  durationMs: number;
  /**
   * Index of the first segment within the asset; segment k of the item is asset segment (segmentOffset + k) mod
   * asset segment count (slate loops).
   */
  segmentOffset: number;
  segmentCount: number;
  /** Media sequence number of the item's first segment (segments the channel aired before it since its epoch). */
  mediaSequence: number;
  /** Discontinuity sequence of the item (item boundaries the channel had before it since its epoch). */
  discontinuitySequence: number;
  /** When the timetable wanted it to start; differs from startMs by < 1 s unless an overrun delayed it. */
  slotStartMs?: Instant;
}

/** Curriculum position: the next lesson of a course is the first one at or after this position. */
export interface CoursePosition {
  volume: number;
  unit: number;
  lesson: number;
}

/** Everything the next day's build needs from this one: continuity of time, sequence numbers and progression. */
export interface DayEndState {
  endMs: Instant;
  /** Media sequence number of the next segment to air. */
  mediaSequence: number;
  /** Discontinuity sequence number of the next item. */
  discontinuitySequence: number;
  /** Next position per subject of the channel's course. */
  progression: Record<string, CoursePosition>;
  /** First-run lessons by slot id for recent days (date → slotId → lessonId), for reruns "N days earlier". */
  recentFirstRuns: Record<string, Record<string, string>>;
}

export interface Notice {
  orderId: string;
  text: LocalizedText;
}

export type WarningCode =
  | 'overrun'
  | 'lesson-not-packaged'
  | 'volume-ended'
  | 'course-ended'
  | 'rerun-missing'
  | 'asset-missing'
  | 'slot-skipped';

export interface BuildWarning {
  code: WarningCode;
  message: string;
  slotId?: string;
  lessonId?: string;
}

/** A published broadcast day of one channel. Immutable once published; a republish is a new version. */
export interface DaySnapshot {
  channelId: string;
  /** Broadcast day label: local date (channel timezone) of the nominal day start, YYYY-MM-DD. */
  date: string;
  version: number;
  /** Timetable template used: term, holiday, suspension… */
  timetable: string;
  startMs: Instant;
  endMs: Instant;
  mediaSequenceStart: number;
  discontinuitySequenceStart: number;
  items: ScheduledItem[];
  notice?: Notice;
  warnings: BuildWarning[];
  endState: DayEndState;
}

export interface RenditionInfo {
  name: string;
  type: 'video' | 'audio';
  width?: number;
  height?: number;
  frameRate?: number;
  /** Peak bits/s. */
  bandwidth: number;
  averageBandwidth: number;
  /** RFC 6381 codecs string. */
  codecs: string;
}

/**
 * A caption track of a packaged asset: WebVTT segments at media/<assetId>/<name>/seg00000.vtt …, one per
 * canonical segment (same count, durations = the asset's segmentMs). Each segment file carries its own
 * X-TIMESTAMP-MAP (packaging measured the asset's first PTS), so renderers only list them.
 */
export interface CaptionTrack {
  /** BCP 47 language tag, e.g. 'zh'. */
  language: string;
  /** Rendition directory name: `sub-<language>`. */
  name: string;
}

/** Timing of one packaged asset as the renderers need it. File metadata is never used for timing. */
export interface AssetTimeline {
  id: string;
  /** Canonical per-segment durations (first video rendition), integer ms. */
  segmentMs: number[];
  /** Per rendition: EXTINF durations in seconds as that rendition was packaged (audio differs slightly). */
  renditionSegmentSeconds: Record<string, number[]>;
  /** Caption tracks, in catalog order (absent or empty: the asset has none, e.g. fillers and the slate). */
  captions?: CaptionTrack[];
}

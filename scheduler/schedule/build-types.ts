import type {
  BuildWarning,
  DayEndState,
  DaySnapshot,
  Instant,
  LocalizedText,
  ScheduledItem,
} from '../../playlists/model.ts';
import type { Channel, Override, SchoolCalendar, SuspensionOrder } from './channel-document.ts';

/** A lesson as the build sees it: its place in the course and, once packaged, its asset. */
export interface CourseLesson {
  id: string;
  grade: number;
  subject: string;
  edition: string;
  volume: number;
  unit: number;
  lesson: number;
  title: LocalizedText;
  unitTitle: LocalizedText;
  /** Packaged asset, or undefined while the lesson is registered/failed. */
  assetId?: string;
}

/** A packaged asset as the build sees it: only the canonical timeline matters for timing. */
export interface AssetSummary {
  id: string;
  kind: 'lesson' | 'filler' | 'slate';
  title: LocalizedText;
  ladder: string;
  /** Canonical per-segment durations, integer ms. */
  segmentMs: number[];
  durationMs: number;
}

/** Read-only view of the catalog; the build never touches storage itself. */
export interface CatalogView {
  /** Lessons of a course (grade + subject + edition) in textbook order: volume, unit, lesson. */
  courseLessons(grade: number, subject: string, edition: string): readonly CourseLesson[];
  lesson(id: string): CourseLesson | undefined;
  asset(id: string): AssetSummary | undefined;
}

/** Everything a channel's build depends on besides the previous day's end state. */
export interface BuildRules {
  channel: Channel;
  /** All calendars, suspension orders and overrides; the build picks those that apply to the channel and date. */
  calendars: readonly SchoolCalendar[];
  suspensions: readonly SuspensionOrder[];
  overrides: readonly Override[];
  catalog: CatalogView;
}

export interface BuildOptions {
  /**
   * Republish: these items (already published, starting before the cutoff = now + guard) are kept
   * byte-identical; the rest of the day is rebuilt after them.
   */
  frozenItems?: readonly ScheduledItem[];
  cutoffMs?: Instant;
}

/** Result of building one channel-day. `snapshot.version` is 0 until the publisher assigns one. */
export interface DayBuild {
  snapshot: DaySnapshot;
  warnings: BuildWarning[];
}

export type BuildDay = (
  rules: BuildRules,
  date: string,
  previous: DayEndState | undefined,
  options?: BuildOptions,
) => DayBuild;

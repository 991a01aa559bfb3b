/**
 * What the guide renderers (XMLTV, M3U, iCalendar, guide JSON, printable timetable) need to know about
 * channels and lessons besides the published days. The scheduler maps its records to these shapes; the
 * guide JSON API returns them as they are, so the TV app shares them too.
 *
 * Exports:
 * - `GuideChannel`, `GuideLesson`, `SchoolStage`, `LessonIndex` — the shapes.
 * - `toLessonIndex(lessons)` — accepts a list or a map, returns a map by lesson id.
 * - `xmltvChannelId(channelId)` — the XMLTV channel id, which is also the M3U `tvg-id`.
 * - `absoluteUrl(baseUrl, pathOrUrl)` — joins the public base URL and a path; checks the base is absolute.
 * - `localIso(ms, timezone)` — ISO 8601 with the zone's offset at that instant.
 *
 * Pure: no I/O, no clock reads.
 */
import { LRUCache } from 'lru-cache';
import { DateTime } from 'luxon';
import type { Instant, LocalizedText } from './model.ts';

/** The school stage a channel belongs to; M3U `group-title` and guide grouping use it. */
export type SchoolStage = '小学' | '初中' | '高中';

/** Stage of a grade 1–12: 1–6 小学, 7–9 初中, 10–12 高中. */
export function schoolStageOfGrade(grade: number): SchoolStage {
  if (!Number.isInteger(grade) || grade < 1 || grade > 12) {
    throw new RangeError(`grade must be a whole number 1–12, got ${grade}`);
  }
  return grade <= 6 ? '小学' : grade <= 9 ? '初中' : '高中';
}

export interface GuideChannel {
  /** Channel id of the channel document (lowercase letters, digits, dashes), e.g. `g3`. */
  id: string;
  /** Channel number shown on the box (M3U `tvg-chno`). */
  number: number;
  name: LocalizedText;
  /** Logo URL, absolute or relative to the public base URL. */
  logo?: string;
  /** IANA zone of the channel's wall clock, e.g. `Asia/Shanghai`. */
  timezone: string;
  group: SchoolStage;
  grades: number[];
}

export interface GuideLesson {
  id: string;
  grade: number;
  /** Subject code, e.g. `chinese`. */
  subject: string;
  subjectName: LocalizedText;
  /** Textbook edition code, e.g. `tongbian`. */
  edition: string;
  /** 1 = 上册, 2 = 下册 … */
  volume: number;
  unit: number;
  unitTitle: LocalizedText;
  /** Lesson number as printed in the textbook (第N课). */
  lesson: number;
  title: LocalizedText;
  teacher?: string;
  durationS?: number;
  /** BCP 47 tags of the caption languages the lesson carries, e.g. `['zh']`. */
  captions: string[];
  /** Poster frames of its packaged media (16:9 JPEG), absolute or relative to the public base URL. */
  poster?: LessonPoster;
}

/** A lesson's poster in two sizes: `small` 480×270 for tiles, `large` 1280×720 for details and XMLTV icons. */
export interface LessonPoster {
  small: string;
  large: string;
}

export type LessonIndex = ReadonlyMap<string, GuideLesson>;

export function toLessonIndex(lessons: LessonIndex | readonly GuideLesson[]): LessonIndex {
  if (lessons instanceof Map) return lessons;
  return new Map((lessons as readonly GuideLesson[]).map((lesson) => [lesson.id, lesson]));
}

/**
 * RFC 2838-style channel id used in XMLTV and as the M3U `tvg-id`: one function so the two always match.
 * Depends only on the channel id, so it survives renames and renumbering.
 */
export function xmltvChannelId(channelId: string): string {
  return `${channelId}.aerial-classroom`;
}

/** `baseUrl` must be absolute http(s); the result has exactly one slash between base and path. */
export function absoluteUrl(baseUrl: string, pathOrUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUrl)) return pathOrUrl;
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new RangeError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new RangeError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  return `${baseUrl.replace(/\/+$/, '')}/${pathOrUrl.replace(/^\/+/, '')}`;
}

/** Local wall time of an instant in an IANA zone, as luxon sees it; throws naming the zone if unknown. */
export function localDateTime(ms: Instant, timezone: string): DateTime {
  const local = DateTime.fromMillis(ms, { zone: timezone });
  if (!local.isValid)
    throw new RangeError(`unknown time zone ${JSON.stringify(timezone)}: ${local.invalidExplanation ?? ''}`);
  return local;
}

/**
 * UTC offset (minutes) of `timezone` at `ms`. Offsets change only at quarter-hour boundaries of UTC (in every IANA
 * zone since 1970), so one lookup serves the whole quarter hour; the lookups are remembered (a guide of a dense
 * schedule formats tens of thousands of instants, and luxon's zone lookup is the costly part).
 */
export function zoneOffsetMinutes(ms: Instant, timezone: string): number {
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  const key = `${timezone} ${quarter}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = localDateTime(quarter * QUARTER_HOUR_MS, timezone).offset;
    offsetCache.set(key, offset);
  }
  return offset;
}

const fixedZones = new LRUCache<string, boolean>({ max: 1000 });
function isFixedZone(timezone: string): boolean {
  let fixed = fixedZones.get(timezone);
  if (fixed === undefined) {
    fixed = localDateTime(0, timezone).zone.isUniversal;
    fixedZones.set(timezone, fixed);
  }
  return fixed;
}

const QUARTER_HOUR_MS = 900_000;
const OFFSET_CACHE_SIZE = 100_000;
const offsetCache = new LRUCache<string, number>({ max: OFFSET_CACHE_SIZE });

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local wall-clock fields of `ms` in `timezone`, and the offset in force (minutes east of UTC). */
export function localFields(ms: Instant, timezone: string) {
  const offset = zoneOffsetMinutes(ms, timezone);
  const wall = new Date(ms + offset * 60_000);
  return {
    date: `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`,
    time: `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`,
    ms: pad(wall.getUTCMilliseconds(), 3),
    offset,
  };
}

/** `+08:00` (separator `:`) or `+0800` (separator ''). */
export function formatOffset(offsetMinutes: number, separator = ':'): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}${separator}${pad(abs % 60)}`;
}

/** ISO 8601 with milliseconds and the zone's offset at that instant, e.g. `2026-03-02T08:00:00.000+08:00`. */
export function localIso(ms: Instant, timezone: string): string {
  const local = localFields(ms, timezone);
  // As luxon writes it: `Z` for a fixed zone at UTC (`UTC`, `GMT`), an offset for every named zone.
  const zone = local.offset === 0 && isFixedZone(timezone) ? 'Z' : formatOffset(local.offset);
  return `${local.date}T${local.time}.${local.ms}${zone}`;
}

/** English text when there is one, else the Chinese. */
export function english(text: LocalizedText): string {
  return text.en ?? text.zh;
}

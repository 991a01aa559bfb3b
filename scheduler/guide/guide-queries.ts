import { EDITION_CODE_PATTERN } from '../../playlists/ids.ts';
import { DateTime } from 'luxon';
import { isoWeekDates } from '../../playlists/timetable-html.ts';
import type { Instant } from '../../playlists/model.ts';
import { isSubjectCode } from '../catalog/subjects.ts';
import { InputError } from '../errors.ts';
import { addDays, broadcastDateAt, nominalDayStartMs } from '../schedule/broadcast-date.ts';
import type { LessonPageFilter } from './guide-store.ts';

/**
 * Query parameters of the guide routes, parsed strictly (a bad one is an InputError naming the parameter
 * and the reason → 400), and the time windows each route covers. Pure: `nowMs` is a parameter.
 */

export type QueryValue = string | string[] | undefined;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const EPG_DEFAULT_DAYS = 7;
export const EPG_MAX_DAYS = 14;
/** XMLTV also lists what aired in the last 24 h, for catch-up. */
export const EPG_CATCH_UP_MS = DAY_MS;
/**
 * /api/guide defaults to [now - 1 h, now + 6 h) and spans at most 24 hours with at most 3,000 programmes per
 * channel: one answer stays a few megabytes on any schedule. The TV app asks for 3-hour pages (a demo carousel of
 * 12 s clips is ~900 programmes a channel in 3 hours); a longer range is asked for in several requests.
 */
export const GUIDE_DEFAULT_BEFORE_MS = HOUR_MS;
export const GUIDE_DEFAULT_AFTER_MS = 6 * HOUR_MS;
export const GUIDE_MAX_SPAN_MS = DAY_MS;
export const GUIDE_MAX_PROGRAMMES_PER_CHANNEL = 3_000;
/** Calendar feeds: the past week (so an event does not vanish the moment it ends) and the next 14 days. */
export const CALENDAR_PAST_DAYS = 7;
export const CALENDAR_FUTURE_DAYS = 14;
export const LESSONS_DEFAULT_LIMIT = 100;
export const LESSONS_MAX_LIMIT = 500;

function bad(field: string, reason: string): InputError {
  return new InputError(`invalid query parameter '${field}': ${reason}`, [{ field, reason }]);
}

/** One value or none; a parameter given twice is ambiguous, so it is refused rather than guessed. */
export function single(field: string, value: QueryValue): string | undefined {
  if (Array.isArray(value)) throw bad(field, `given ${value.length} times; give it once`);
  return value;
}

function wholeNumber(field: string, value: QueryValue, min: number, max: number): number | undefined {
  const text = single(field, value);
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw bad(field, `must be a whole number ${min}–${max}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

export function parseEpgDays(value: QueryValue): number {
  return wholeNumber('days', value, 1, EPG_MAX_DAYS) ?? EPG_DEFAULT_DAYS;
}

/** Strict ISO 8601 instant with an explicit zone (Z or ±hh:mm); seconds and fraction optional. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function parseInstant(field: string, value: QueryValue): Instant | undefined {
  const text = single(field, value);
  if (text === undefined) return undefined;
  const parsed = ISO_INSTANT.test(text) ? DateTime.fromISO(text, { setZone: true }) : undefined;
  if (!parsed?.isValid)
    throw bad(
      field,
      `must be an ISO 8601 date-time with a zone, e.g. 2026-09-01T08:00:00+08:00, got ${JSON.stringify(text)}`,
    );
  return parsed.toMillis();
}

/** [from, to) of /api/guide. Defaults are minute-aligned so that requests within a minute share an ETag. */
export function parseGuideRange(
  query: { from?: QueryValue; to?: QueryValue },
  nowMs: Instant,
): { fromMs: Instant; toMs: Instant } {
  const from = parseInstant('from', query.from);
  const to = parseInstant('to', query.to);
  const minute = Math.floor(nowMs / 60_000) * 60_000;
  const defaultSpan = GUIDE_DEFAULT_BEFORE_MS + GUIDE_DEFAULT_AFTER_MS;
  const fromMs = from ?? (to !== undefined ? to - defaultSpan : minute - GUIDE_DEFAULT_BEFORE_MS);
  const toMs = to ?? (from !== undefined ? from + defaultSpan : minute + GUIDE_DEFAULT_AFTER_MS);
  if (fromMs >= toMs)
    throw bad('to', `must be after from (${new Date(fromMs).toISOString()}), got ${new Date(toMs).toISOString()}`);
  if (toMs - fromMs > GUIDE_MAX_SPAN_MS)
    throw bad(
      'to',
      `the range from..to may span at most 24 hours (ask for longer ranges in several requests), got ${((toMs - fromMs) / HOUR_MS).toFixed(2)} hours`,
    );
  return { fromMs, toMs };
}

/** Comma-separated channel ids, each known; duplicates collapse, order is kept. */
export function parseChannelList(value: QueryValue, isKnown: (id: string) => boolean): string[] | undefined {
  const text = single('channels', value);
  if (text === undefined) return undefined;
  const ids = text.split(',').map((id) => id.trim());
  if (ids.some((id) => id === ''))
    throw bad('channels', `must be comma-separated channel ids without empty entries, got ${JSON.stringify(text)}`);
  const unknown = ids.filter((id) => !isKnown(id));
  if (unknown.length)
    throw bad(
      'channels',
      `unknown channel${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => `'${id}'`).join(', ')}`,
    );
  return [...new Set(ids)];
}

export function parseLessonFilter(query: Record<string, QueryValue>): LessonPageFilter {
  const grade = wholeNumber('grade', query.grade, 1, 12);
  const subject = single('subject', query.subject);
  if (subject !== undefined && !isSubjectCode(subject))
    throw bad('subject', `unknown subject code ${JSON.stringify(subject)} (e.g. chinese, math, english)`);
  const edition = single('edition', query.edition);
  if (edition !== undefined && !EDITION_CODE_PATTERN.test(edition)) {
    throw bad('edition', `must be an edition code (lowercase letters, digits, - or _), got ${JSON.stringify(edition)}`);
  }
  const q = single('q', query.q);
  if (q !== undefined && q.length > 200) throw bad('q', `must be at most 200 characters, got ${q.length}`);
  return {
    ...(grade !== undefined ? { grade } : {}),
    ...(subject !== undefined ? { subject } : {}),
    ...(edition !== undefined ? { edition } : {}),
    ...(q !== undefined && q.trim() !== '' ? { q: q.trim() } : {}),
    offset: wholeNumber('offset', query.offset, 0, 1_000_000_000) ?? 0,
    limit: wholeNumber('limit', query.limit, 1, LESSONS_MAX_LIMIT) ?? LESSONS_DEFAULT_LIMIT,
  };
}

/** The ISO week (YYYY-Www) of the channel's broadcast date at `nowMs`. */
export function currentIsoWeek(nowMs: Instant, timezone: string, dayStart: string): string {
  const date = DateTime.fromISO(broadcastDateAt(nowMs, timezone, dayStart), { zone: 'UTC' });
  return `${date.weekYear}-W${String(date.weekNumber).padStart(2, '0')}`;
}

/** `week` if given and valid (its Monday–Sunday dates), else the current week. */
export function parseWeek(field: string, value: QueryValue, fallback: () => string): { week: string; dates: string[] } {
  const week = single(field, value) ?? fallback();
  try {
    return { week, dates: isoWeekDates(week) };
  } catch (error) {
    throw bad(field, (error as Error).message.replace(/^week /, ''));
  }
}

export interface ChannelClock {
  timezone: string;
  dayStart: string;
}

/** XMLTV window: the last 24 h (catch-up) up to the end of the `days`-th broadcast day from today's. */
export function epgWindow(channel: ChannelClock, nowMs: Instant, days: number): { fromMs: Instant; toMs: Instant } {
  const today = broadcastDateAt(nowMs, channel.timezone, channel.dayStart);
  return {
    fromMs: nowMs - EPG_CATCH_UP_MS,
    toMs: nominalDayStartMs(addDays(today, days), channel.timezone, channel.dayStart),
  };
}

/** Calendar window: the broadcast days from a week ago to 14 days ahead. */
export function calendarWindow(channel: ChannelClock, nowMs: Instant): { fromMs: Instant; toMs: Instant } {
  const today = broadcastDateAt(nowMs, channel.timezone, channel.dayStart);
  return {
    fromMs: nominalDayStartMs(addDays(today, -CALENDAR_PAST_DAYS), channel.timezone, channel.dayStart),
    toMs: nominalDayStartMs(addDays(today, CALENDAR_FUTURE_DAYS + 1), channel.timezone, channel.dayStart),
  };
}

/** 400 when a guide range holds more programmes on a channel than one answer may carry. */
export function checkGuideProgrammeCount(channelId: string, count: number): void {
  if (count > GUIDE_MAX_PROGRAMMES_PER_CHANNEL)
    throw bad(
      'to',
      `the range from..to holds ${count} programmes on channel '${channelId}'; at most ${GUIDE_MAX_PROGRAMMES_PER_CHANNEL} per channel per request: ask for a shorter range (the TV app asks for 3 hours)`,
    );
}

import { DateTime } from 'luxon';
import type { Instant } from '../../playlists/model.ts';
import { WEEKDAYS, type Weekday } from './channel-document.ts';

/**
 * Broadcast-date arithmetic: the one home of calendar-date (YYYY-MM-DD) helpers. A channel's broadcast
 * day runs from its local `dayStart` to the next day's, labelled with the local calendar date of its
 * start. Calendar dates have no zone, so their arithmetic is done on UTC midnights. Pure: the instant
 * is a parameter.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is YYYY-MM-DD and names a real calendar date (no 2026-02-30). */
export function isRealDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** `date` plus `days` calendar days (negative allowed), YYYY-MM-DD. Calendar dates have no zone. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  const ms = (d: string) => {
    const [year, month, day] = d.split('-').map(Number) as [number, number, number];
    return Date.UTC(year, month - 1, day);
  };
  return Math.round((ms(to) - ms(from)) / 86_400_000);
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const jsDay = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return jsDay === 0 ? 7 : jsDay;
}

/** Weekday name of a calendar date (independent of any time zone). */
export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[isoWeekday(date) - 1]!;
}

/** Calendar dates are ISO strings, so they compare as strings. */
export function dateInRange(date: string, from: string, to: string): boolean {
  return from <= date && date <= to;
}

/** UTC instant at which the broadcast day `date` nominally starts (its local `dayStart` in `timezone`). */
export function nominalDayStartMs(date: string, timezone: string, dayStart: string): Instant {
  const start = DateTime.fromISO(`${date}T${dayStart}`, { zone: timezone });
  if (!start.isValid)
    throw new RangeError(`no local time ${date} ${dayStart} in ${timezone}: ${start.invalidExplanation}`);
  return start.toMillis();
}

/** The broadcast date airing at `nowMs`: the local date, or the previous one before the local `dayStart`. */
export function broadcastDateAt(nowMs: Instant, timezone: string, dayStart: string): string {
  const local = DateTime.fromMillis(nowMs, { zone: timezone });
  const localDate = local.toISODate()!;
  return nowMs < nominalDayStartMs(localDate, timezone, dayStart) ? addDays(localDate, -1) : localDate;
}

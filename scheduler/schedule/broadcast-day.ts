import { LRUCache } from 'lru-cache';
import { DateTime } from 'luxon';
import type { Instant } from '../../playlists/model.ts';
import { addDays } from './broadcast-date.ts';

/**
 * The mapping of a channel's local wall times to UTC instants, per broadcast day. Pure. Calendar-date
 * arithmetic on the YYYY-MM-DD labels lives in broadcast-date.ts; only wall time → instant goes
 * through luxon with the channel's zone.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function dateToUtcMidnight(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new Error(`not a date YYYY-MM-DD: ${JSON.stringify(date)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new Error(`not a calendar date: ${date}`);
  return ms;
}

function parseLocalTime(hhmm: string): { hour: number; minute: number } {
  const [h, m] = hhmm.split(':');
  return { hour: Number(h), minute: Number(m) };
}

/**
 * The instant of local wall time `hhmm` on calendar `date` in `zone`. A wall time that does not exist
 * (spring-forward gap) resolves forward as luxon does (02:30 on a 02:00→03:00 day is 03:30); an
 * ambiguous one (fall-back overlap) takes the offset luxon picks (the later, standard-time one).
 */
export function localInstant(zone: string, date: string, hhmm: string): Instant {
  // Memoised: a year's build asks for the same day starts again and again, and luxon's zone offset
  // lookup (Intl) dominates the build's cost otherwise. The function is pure, so caching is safe.
  const key = `${zone}|${date}|${hhmm}`;
  const cached = localInstantCache.get(key);
  if (cached !== undefined) return cached;
  const ms = computeLocalInstant(zone, date, hhmm);
  localInstantCache.set(key, ms);
  return ms;
}

const localInstantCache = new LRUCache<string, Instant>({ max: 50_000 });

function computeLocalInstant(zone: string, date: string, hhmm: string): Instant {
  const midnight = dateToUtcMidnight(date);
  const d = new Date(midnight);
  const { hour, minute } = parseLocalTime(hhmm);
  const dt = DateTime.fromObject(
    { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour, minute },
    { zone },
  );
  if (!dt.isValid)
    throw new Error(`cannot place ${date} ${hhmm} in time zone ${zone}: ${dt.invalidExplanation ?? dt.invalidReason}`);
  return dt.toMillis();
}

/**
 * A channel's broadcast day `date`: from `dayStart` local on `date` to `dayStart` local on `date + 1`
 * (23 h / 25 h across a DST change). Slot times earlier than `dayStart` belong to `date + 1`.
 */
export class BroadcastDay {
  readonly date: string;
  readonly startMs: Instant;
  /** Nominal start of the next broadcast day. */
  readonly nextStartMs: Instant;
  private readonly zone: string;
  private readonly dayStart: string;
  /** Set when the UTC offset is the same at both ends of the day, so wall time maps by plain arithmetic. */
  private readonly fixedOffsetMs: number | undefined;
  private readonly midnightMs: number;
  private readonly nextDate: string;

  constructor(zone: string, dayStart: string, date: string) {
    this.zone = zone;
    this.dayStart = dayStart;
    this.date = date;
    this.startMs = localInstant(zone, date, dayStart);
    this.nextDate = addDays(date, 1);
    this.nextStartMs = localInstant(zone, this.nextDate, dayStart);
    this.midnightMs = dateToUtcMidnight(date);
    // No zone changes offset twice within a day, so equal offsets at both ends mean no change in
    // between: slot instants are then wall-clock arithmetic, which keeps a year's build fast.
    const startWall = this.midnightMs + minutesOf(dayStart) * 60_000;
    const offsetAtStart = startWall - this.startMs;
    const offsetAtNext = startWall + DAY_MS - this.nextStartMs;
    this.fixedOffsetMs = offsetAtStart === offsetAtNext ? offsetAtStart : undefined;
  }

  /** Instant of a slot's local start time within this broadcast day. */
  slotInstant(hhmm: string): Instant {
    const nextCalendarDay = hhmm < this.dayStart;
    if (this.fixedOffsetMs !== undefined) {
      return this.midnightMs + (nextCalendarDay ? DAY_MS : 0) + minutesOf(hhmm) * 60_000 - this.fixedOffsetMs;
    }
    return localInstant(this.zone, nextCalendarDay ? this.nextDate : this.date, hhmm);
  }
}

function minutesOf(hhmm: string): number {
  const { hour, minute } = parseLocalTime(hhmm);
  return hour * 60 + minute;
}

/**
 * The school calendar screen's pure model: what a date is in a region's calendar (term, holiday, make-up
 * workday and the weekday whose timetable it follows), and edits that return a new calendar for the API's
 * PUT (entries kept sorted, a make-up day replacing one on the same date). Dates are plain `YYYY-MM-DD`
 * strings of the region's own calendar: no time zone enters here.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface DateRange {
  name?: string;
  start: string;
  end: string;
}

export interface MakeUpDay {
  date: string;
  follows: Weekday;
}

export interface SchoolCalendar {
  region: string;
  terms: DateRange[];
  holidays: DateRange[];
  makeUpDays: MakeUpDay[];
}

export type RangeKind = 'terms' | 'holidays';
export type EntryKind = RangeKind | 'makeUpDays';

export interface DayMarks {
  term?: DateRange;
  holiday?: DateRange;
  makeUp?: MakeUpDay;
}

export const emptyCalendar = (region: string): SchoolCalendar => ({ region, terms: [], holidays: [], makeUpDays: [] });

/** The calendar as the API answered it, its optional lists filled in. */
export function normalizeCalendar(calendar: Partial<SchoolCalendar> & { region: string }): SchoolCalendar {
  return {
    region: calendar.region,
    terms: calendar.terms ?? [],
    holidays: calendar.holidays ?? [],
    makeUpDays: calendar.makeUpDays ?? [],
  };
}

const inRange = (date: string, range: DateRange) => range.start <= date && date <= range.end;

/** What `date` is: the term and holiday that contain it and its make-up day entry. */
export function marksOf(calendar: SchoolCalendar, date: string): DayMarks {
  const marks: DayMarks = {};
  const term = calendar.terms.find((r) => inRange(date, r));
  const holiday = calendar.holidays.find((r) => inRange(date, r));
  const makeUp = calendar.makeUpDays.find((d) => d.date === date);
  if (term) marks.term = term;
  if (holiday) marks.holiday = holiday;
  if (makeUp) marks.makeUp = makeUp;
  return marks;
}

/** The weekday of a `YYYY-MM-DD` date (its own calendar day, computed in UTC). */
export function weekdayOf(date: string): Weekday {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return WEEKDAYS[(day + 6) % 7]!;
}

const byStart = (a: DateRange, b: DateRange) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end);

/** The calendar with `range` added to its terms or holidays (kept in date order). */
export function addRange(calendar: SchoolCalendar, kind: RangeKind, range: DateRange): SchoolCalendar {
  const clean: DateRange = {
    start: range.start,
    end: range.end,
    ...(range.name?.trim() ? { name: range.name.trim() } : {}),
  };
  return { ...calendar, [kind]: [...calendar[kind], clean].sort(byStart) };
}

/** The calendar with a make-up workday on `date` following `follows` (replacing one on that date). */
export function setMakeUpDay(calendar: SchoolCalendar, date: string, follows: Weekday): SchoolCalendar {
  const others = calendar.makeUpDays.filter((d) => d.date !== date);
  return { ...calendar, makeUpDays: [...others, { date, follows }].sort((a, b) => a.date.localeCompare(b.date)) };
}

/** The calendar without the `index`th entry of a list. */
export function removeEntry(calendar: SchoolCalendar, kind: EntryKind, index: number): SchoolCalendar {
  return { ...calendar, [kind]: calendar[kind].filter((_, i) => i !== index) };
}

/** The regions to offer: those with a calendar and those channels name, each once, sorted. */
export function regionChoices(calendarRegions: readonly string[], channelRegions: readonly string[]): string[] {
  return [...new Set([...calendarRegions, ...channelRegions])].sort();
}

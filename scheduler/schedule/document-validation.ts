import { IANAZone } from 'luxon';
import type { z } from 'zod';
import { InputError, type Problem } from '../errors.ts';
import { daysBetween, isoWeekday, isRealDate, weekdayOf } from './broadcast-date.ts';
import {
  channelDocumentSchema,
  WEEKDAYS,
  type Channel,
  type ChannelDocument,
  type Slot,
  type Weekday,
} from './channel-document.ts';

/**
 * Validation of the channel document: the zod schema first (shape and types), then the rules a
 * schema cannot express (uniqueness, ordering, cross references, real dates, time zones). Every
 * problem is collected and reported at once in one InputError; the caller changes nothing.
 */

export const REQUIRED_TIMETABLES = ['term', 'holiday', 'suspension'] as const;

/** Longest term or holiday a calendar may declare; anything longer is a typo in a year. */
const MAX_RANGE_DAYS = 366;

export interface ExistingChannels {
  /** Channels already stored; the document may refer to them and must not clash with their numbers. */
  channels: readonly Channel[];
  /** Whether an asset is in the catalog: off-air cards must name one (no lookup: cards are not checked). */
  assetExists?: (id: string) => boolean;
}

/** An off-air slot's card must be an asset in the catalog. */
function checkCard(slot: Slot, at: string, existing: ExistingChannels | undefined, problems: Problem[]): void {
  if (slot.kind !== 'off-air' || slot.card === undefined || !existing?.assetExists) return;
  if (!existing.assetExists(slot.card))
    problems.push({
      field: `${at}.card`,
      reason:
        `card '${slot.card}' is not an asset in the catalog ` +
        `(package it first, e.g. aerial package --slate ${slot.card} --source FILE)`,
    });
}

/** `channels[2].timetables.term.mon[3].start` from a zod/JSON path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Keys of the input that the schema stripped (typos such as `dayStrat`), as problems. */
function unknownKeys(input: unknown, parsed: unknown, path: PropertyKey[], problems: Problem[]): void {
  if (Array.isArray(input) && Array.isArray(parsed)) {
    input.forEach((item, i) => unknownKeys(item, parsed[i], [...path, i], problems));
  } else if (input && parsed && typeof input === 'object' && typeof parsed === 'object') {
    for (const [key, value] of Object.entries(input)) {
      if (!(key in parsed)) problems.push({ field: formatPath([...path, key]), reason: 'unknown field' });
      else unknownKeys(value, (parsed as Record<string, unknown>)[key], [...path, key], problems);
    }
  }
}

function zodProblems(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({ field: formatPath(issue.path), reason: issue.message }));
}

function isValidTimezone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function minutesOf(localTime: string): number {
  return Number(localTime.slice(0, 2)) * 60 + Number(localTime.slice(3, 5));
}

/** Minutes since the broadcast day's start: times before `dayStart` belong to the small hours of the next date. */
function minutesIntoDay(localTime: string, dayStart: string): number {
  return (minutesOf(localTime) - minutesOf(dayStart) + 24 * 60) % (24 * 60);
}

function checkDate(value: string, field: string, problems: Problem[]): boolean {
  if (isRealDate(value)) return true;
  problems.push({ field, reason: `'${value}' is not a real calendar date` });
  return false;
}

function checkRange(
  from: string,
  to: string,
  field: string,
  problems: Problem[],
  fromKey: string,
  toKey: string,
  maxDays?: number,
): boolean {
  const fromOk = checkDate(from, `${field}.${fromKey}`, problems);
  const toOk = checkDate(to, `${field}.${toKey}`, problems);
  if (!fromOk || !toOk) return false;
  if (from > to) {
    problems.push({ field: `${field}.${toKey}`, reason: `${toKey} ${to} is before ${fromKey} ${from}` });
    return false;
  }
  if (maxDays !== undefined && daysBetween(from, to) + 1 > maxDays) {
    problems.push({ field, reason: `${from}..${to} spans more than ${maxDays} days` });
    return false;
  }
  return true;
}

/** Slot rules within one weekday list of one timetable. */
function checkDaySlots(
  slots: readonly Slot[],
  field: string,
  channel: Channel,
  lessonSlotIds: Set<string>,
  problems: Problem[],
  existing?: ExistingChannels,
): void {
  const seen = new Map<string, number>();
  const subjects = new Set(channel.courses.map((c) => c.subject));
  slots.forEach((slot, i) => {
    const at = `${field}[${i}]`;
    const earlier = seen.get(slot.id);
    if (earlier !== undefined)
      problems.push({ field: `${at}.id`, reason: `slot id '${slot.id}' is already used by ${field}[${earlier}]` });
    else seen.set(slot.id, i);
    const previous = slots[i - 1];
    if (previous && minutesIntoDay(slot.start, channel.dayStart) <= minutesIntoDay(previous.start, channel.dayStart)) {
      problems.push({
        field: `${at}.start`,
        reason: `${slot.start} is not after the previous slot's start ${previous.start} in a broadcast day starting at ${channel.dayStart} (slots must be in strictly ascending order and must not overlap)`,
      });
    }
    checkCard(slot, at, existing, problems);
    if (slot.kind === 'lesson' && !subjects.has(slot.subject)) {
      problems.push({
        field: `${at}.subject`,
        reason: `subject '${slot.subject}' has no course on channel '${channel.id}' (add it to courses)`,
      });
    }
    if (slot.kind === 'rerun') {
      if (slot.daysAgo === 0) {
        const target = slots.slice(0, i).find((s) => s.id === slot.of);
        if (!target)
          problems.push({ field: `${at}.of`, reason: `'${slot.of}' is not an earlier slot of the same day` });
        else if (target.kind !== 'lesson')
          problems.push({ field: `${at}.of`, reason: `'${slot.of}' is a ${target.kind} slot, not a lesson slot` });
      } else if (!lessonSlotIds.has(slot.of)) {
        problems.push({
          field: `${at}.of`,
          reason: `'${slot.of}' is not a lesson slot of any timetable of channel '${channel.id}'`,
        });
      }
    }
  });
}

function checkChannel(channel: Channel, field: string, problems: Problem[], existing?: ExistingChannels): void {
  if (!isValidTimezone(channel.timezone)) {
    problems.push({ field: `${field}.timezone`, reason: `'${channel.timezone}' is not a valid IANA time zone` });
  }
  for (const name of REQUIRED_TIMETABLES) {
    if (!channel.timetables[name])
      problems.push({ field: `${field}.timetables`, reason: `missing the '${name}' timetable` });
  }
  const courseKeys = new Map<string, number>();
  channel.courses.forEach((course, i) => {
    const earlier = courseKeys.get(course.subject);
    if (earlier !== undefined)
      problems.push({
        field: `${field}.courses[${i}].subject`,
        reason: `subject '${course.subject}' already has a course (courses[${earlier}])`,
      });
    else courseKeys.set(course.subject, i);
  });
  const lessonSlotIds = new Set<string>();
  for (const timetable of Object.values(channel.timetables)) {
    for (const slots of Object.values(timetable))
      for (const slot of slots ?? []) if (slot.kind === 'lesson') lessonSlotIds.add(slot.id);
  }
  for (const [name, timetable] of Object.entries(channel.timetables)) {
    for (const day of WEEKDAYS) {
      const slots = timetable[day];
      if (slots) checkDaySlots(slots, `${field}.timetables.${name}.${day}`, channel, lessonSlotIds, problems, existing);
    }
  }
}

function checkCalendars(doc: ChannelDocument, problems: Problem[]): void {
  const regions = new Map<string, number>();
  doc.calendars.forEach((calendar, c) => {
    const field = `calendars[${c}]`;
    const earlier = regions.get(calendar.region);
    if (earlier !== undefined)
      problems.push({
        field: `${field}.region`,
        reason: `region '${calendar.region}' already has a calendar (calendars[${earlier}])`,
      });
    else regions.set(calendar.region, c);
    const terms: { start: string; end: string; index: number }[] = [];
    calendar.terms.forEach((term, i) => {
      if (checkRange(term.start, term.end, `${field}.terms[${i}]`, problems, 'start', 'end', MAX_RANGE_DAYS))
        terms.push({ ...term, index: i });
    });
    terms.sort((a, b) => a.start.localeCompare(b.start));
    for (let i = 1; i < terms.length; i++) {
      const [a, b] = [terms[i - 1]!, terms[i]!];
      if (b.start <= a.end)
        problems.push({
          field: `${field}.terms[${b.index}]`,
          reason: `overlaps terms[${a.index}] (${a.start}..${a.end})`,
        });
    }
    const holidays: { start: string; end: string }[] = [];
    calendar.holidays.forEach((holiday, i) => {
      if (checkRange(holiday.start, holiday.end, `${field}.holidays[${i}]`, problems, 'start', 'end', MAX_RANGE_DAYS))
        holidays.push(holiday);
    });
    const makeUpDates = new Set<string>();
    calendar.makeUpDays.forEach((makeUp, i) => {
      const at = `${field}.makeUpDays[${i}]`;
      if (!checkDate(makeUp.date, `${at}.date`, problems)) return;
      if (makeUpDates.has(makeUp.date))
        problems.push({ field: `${at}.date`, reason: `${makeUp.date} is listed twice` });
      makeUpDates.add(makeUp.date);
      if (isoWeekday(makeUp.date) < 6)
        problems.push({
          field: `${at}.date`,
          reason: `${makeUp.date} is a ${weekdayOf(makeUp.date)}; a make-up workday is a Saturday or Sunday`,
        });
      if (makeUp.follows === 'sat' || makeUp.follows === 'sun')
        problems.push({
          field: `${at}.follows`,
          reason: `a make-up day follows a weekday's timetable (mon..fri), not '${makeUp.follows}'`,
        });
      const inHoliday = holidays.find((h) => h.start <= makeUp.date && makeUp.date <= h.end);
      if (inHoliday)
        problems.push({
          field: `${at}.date`,
          reason: `${makeUp.date} falls inside the holiday ${inHoliday.start}..${inHoliday.end}`,
        });
    });
  });
}

/** Weekdays whose timetable may apply on `date`: its own, or the one a make-up day follows. */
function weekdaysFor(date: string, doc: ChannelDocument): Set<Weekday> {
  const days = new Set<Weekday>([weekdayOf(date)]);
  for (const calendar of doc.calendars) for (const m of calendar.makeUpDays) if (m.date === date) days.add(m.follows);
  return days;
}

/**
 * Validates a parsed channel document (the JSON value). Returns the typed document with defaults
 * applied, or throws one InputError listing every problem. `source` names the file in messages.
 */
/** Channel ids and numbers are unique within the document, and numbers also against the stored channels. */
function checkChannelIdentities(
  doc: ChannelDocument,
  storedById: Map<string, Channel>,
  problems: Problem[],
  existing?: ExistingChannels,
): void {
  const ids = new Map<string, number>();
  const numbers = new Map<number, number>();
  doc.channels.forEach((channel, i) => {
    const field = `channels[${i}]`;
    const sameId = ids.get(channel.id);
    if (sameId !== undefined)
      problems.push({
        field: `${field}.id`,
        reason: `channel id '${channel.id}' is already used by channels[${sameId}]`,
      });
    else ids.set(channel.id, i);
    const sameNumber = numbers.get(channel.number);
    if (sameNumber !== undefined)
      problems.push({
        field: `${field}.number`,
        reason: `channel number ${channel.number} is already used by channels[${sameNumber}]`,
      });
    else numbers.set(channel.number, i);
    checkChannel(channel, field, problems, existing);
  });
  // A stored channel keeps its number unless this document gives it another one.
  const documentIds = new Set(doc.channels.map((c) => c.id));
  const storedNumbers = new Map<number, string>();
  for (const stored of storedById.values())
    if (!documentIds.has(stored.id)) storedNumbers.set(stored.number, stored.id);
  doc.channels.forEach((channel, i) => {
    const holder = storedNumbers.get(channel.number);
    if (holder !== undefined)
      problems.push({
        field: `channels[${i}].number`,
        reason: `channel number ${channel.number} is already used by stored channel '${holder}'`,
      });
  });
}

/** Suspension orders: unique ids, sane date ranges, and known channels. */
function checkSuspensions(doc: ChannelDocument, channelById: Map<string, Channel>, problems: Problem[]): void {
  const suspensionIds = new Map<string, number>();
  doc.suspensions.forEach((order, i) => {
    const field = `suspensions[${i}]`;
    const earlier = suspensionIds.get(order.id);
    if (earlier !== undefined)
      problems.push({
        field: `${field}.id`,
        reason: `suspension id '${order.id}' is already used by suspensions[${earlier}]`,
      });
    else suspensionIds.set(order.id, i);
    checkRange(order.from, order.to, field, problems, 'from', 'to', MAX_RANGE_DAYS);
    if (order.channels.length === 0 && order.regions.length === 0)
      problems.push({ field, reason: 'names no channels and no regions' });
    order.channels.forEach((id, c) => {
      if (!channelById.has(id)) problems.push({ field: `${field}.channels[${c}]`, reason: `unknown channel '${id}'` });
    });
  });
}

/**
 * Overrides: unique ids, real dates, known channels, a course for a lesson's subject, and an existing slot to
 * replace.
 */
function checkOverrides(
  doc: ChannelDocument,
  channelById: Map<string, Channel>,
  problems: Problem[],
  existing?: ExistingChannels,
): void {
  const overrideIds = new Map<string, number>();
  doc.overrides.forEach((override, i) => {
    const field = `overrides[${i}]`;
    const earlier = overrideIds.get(override.id);
    if (earlier !== undefined)
      problems.push({
        field: `${field}.id`,
        reason: `override id '${override.id}' is already used by overrides[${earlier}]`,
      });
    else overrideIds.set(override.id, i);
    const dateOk = checkDate(override.date, `${field}.date`, problems);
    checkCard(override.with, `${field}.with`, existing, problems);
    const channel = channelById.get(override.channel);
    if (!channel) {
      problems.push({ field: `${field}.channel`, reason: `unknown channel '${override.channel}'` });
      return;
    }
    if (
      override.with.kind === 'lesson' &&
      !channel.courses.some((c) => c.subject === (override.with as { subject: string }).subject)
    ) {
      problems.push({
        field: `${field}.with.subject`,
        reason: `subject '${override.with.subject}' has no course on channel '${channel.id}'`,
      });
    }
    if (override.action === 'replace' && dateOk) {
      const weekdays = weekdaysFor(override.date, doc);
      const exists = Object.values(channel.timetables).some((timetable) =>
        [...weekdays].some((day) => (timetable[day] ?? []).some((slot) => slot.id === override.slot)),
      );
      if (!exists) {
        problems.push({
          field: `${field}.slot`,
          reason: `channel '${channel.id}' has no slot '${override.slot}' on ${[...weekdays].join('/')} (${override.date}) in any timetable`,
        });
      }
    }
  });
}

export function validateChannelDocument(
  input: unknown,
  existing?: ExistingChannels,
  source = 'channel document',
): ChannelDocument {
  const parsed = channelDocumentSchema.safeParse(input);
  if (!parsed.success)
    throw new InputError(
      `${source}: not a valid channel document`,
      zodProblems(parsed.error).map((p) => ({ where: source, ...p })),
    );
  const doc = parsed.data;
  const problems: Problem[] = [];
  unknownKeys(input, doc, [], problems);

  const storedById = new Map((existing?.channels ?? []).map((c) => [c.id, c]));
  checkChannelIdentities(doc, storedById, problems, existing);
  checkCalendars(doc, problems);
  const channelById = new Map<string, Channel>([...storedById, ...doc.channels.map((c) => [c.id, c] as const)]);
  checkSuspensions(doc, channelById, problems);
  checkOverrides(doc, channelById, problems, existing);

  if (problems.length)
    throw new InputError(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing imported`,
      problems.map((p) => ({ where: source, ...p })),
    );
  return doc;
}

import { CHANNEL_ID_PATTERN } from '../../playlists/ids.ts';
import { z } from 'zod';

/**
 * The channel document: channels, their weekly timetables, school calendars, class-suspension orders and
 * per-date overrides. `aerial channels import FILE` and the admin API take this shape; the schedule build
 * consumes the parsed types. One definition: the types below are inferred from the schemas.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const weekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof weekdaySchema>;

const id = z.string().regex(CHANNEL_ID_PATTERN, 'lowercase letters, digits and dashes, at most 64');
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'local time HH:MM (24 h)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date YYYY-MM-DD');

export const localizedTextSchema = z.object({
  zh: z.string().min(1),
  en: z.string().min(1).optional(),
});

const slotBase = { id, start: localTime };

export const slotSchema = z.discriminatedUnion('kind', [
  /** First run: the next lesson of the channel's course for `subject`. */
  z.object({ ...slotBase, kind: z.literal('lesson'), subject: z.string().min(1) }),
  /** Rerun of the lesson that aired in slot `of`, `daysAgo` days earlier (0 = same day, earlier slot). */
  z.object({ ...slotBase, kind: z.literal('rerun'), of: id, daysAgo: z.number().int().min(0).max(7).default(0) }),
  /** A filler asset: eye exercises, calisthenics, ident… */
  z.object({ ...slotBase, kind: z.literal('filler'), asset: z.string().min(1) }),
  /** A given lesson or asset. */
  z.object({
    ...slotBase,
    kind: z.literal('programme'),
    lesson: z.string().min(1).optional(),
    asset: z.string().min(1).optional(),
    title: localizedTextSchema.optional(),
  }),
  /**
   * A rerun carousel: until the next slot, the first-run lessons of the day `daysAgo` days earlier
   * (0 = today's earlier slots) play again in slot order, looping.
   */
  z.object({ ...slotBase, kind: z.literal('rerun-loop'), daysAgo: z.number().int().min(0).max(7).default(0) }),
  /**
   * Nothing until the next slot, listed in guides under `title` (午间休息 / Lunch break…), or under the slate's own
   * title when there is none. The picture is `card` (an asset id: a short still saying what the guide says, looped
   * like the slate) or, without one, the channel's slate.
   */
  z.object({
    ...slotBase,
    kind: z.literal('off-air'),
    title: localizedTextSchema.optional(),
    card: z.string().min(1).optional(),
  }),
]);
export type Slot = z.infer<typeof slotSchema>;

/** A weekly template: each weekday an ordered list of slots (local start times, ascending). Missing day = off-air. */
export const weeklyTimetableSchema = z.partialRecord(weekdaySchema, z.array(slotSchema));
export type WeeklyTimetable = z.infer<typeof weeklyTimetableSchema>;

export const courseSchema = z.object({
  subject: z.string().min(1),
  edition: z.string().min(1),
  grade: z.number().int().min(1).max(12),
  /** Volume the channel starts from (1 = 上册, 2 = 下册 …). */
  volume: z.number().int().min(1).default(1),
});
export type Course = z.infer<typeof courseSchema>;

export const channelSchema = z.object({
  id,
  number: z.number().int().min(1).max(9999),
  name: localizedTextSchema,
  logo: z.string().optional(),
  timezone: z.string().default('Asia/Shanghai'),
  dayStart: localTime.default('06:00'),
  ladder: z.string().min(1).default('default'),
  grades: z.array(z.number().int().min(1).max(12)).min(1),
  regions: z.array(z.string().min(1)).default([]),
  courses: z.array(courseSchema).default([]),
  /** Named weekly templates; at least `term`, `holiday` and `suspension`. */
  timetables: z.record(z.string(), weeklyTimetableSchema),
  /** Asset used to fill gaps and off-air time (1 s segments). */
  slate: z.string().min(1).default('slate'),
});
export type Channel = z.infer<typeof channelSchema>;

export const calendarSchema = z.object({
  region: z.string().min(1),
  terms: z.array(z.object({ name: z.string().optional(), start: isoDate, end: isoDate })).default([]),
  holidays: z.array(z.object({ name: z.string().optional(), start: isoDate, end: isoDate })).default([]),
  /** 调休: a Saturday or Sunday that follows a given weekday's timetable. */
  makeUpDays: z.array(z.object({ date: isoDate, follows: weekdaySchema })).default([]),
});
export type SchoolCalendar = z.infer<typeof calendarSchema>;

export const suspensionSchema = z.object({
  id,
  from: isoDate,
  to: isoDate,
  channels: z.array(id).default([]),
  regions: z.array(z.string().min(1)).default([]),
  notice: localizedTextSchema,
});
export type SuspensionOrder = z.infer<typeof suspensionSchema>;

export const overrideSchema = z.discriminatedUnion('action', [
  /** Replace the slot `slot` of that day with another slot. */
  z.object({ id, channel: id, date: isoDate, action: z.literal('replace'), slot: id, with: slotSchema }),
  /** Insert a programme at its start time (e.g. a flag-raising ceremony). */
  z.object({ id, channel: id, date: isoDate, action: z.literal('insert'), with: slotSchema }),
]);
export type Override = z.infer<typeof overrideSchema>;

export const channelDocumentSchema = z.object({
  channels: z.array(channelSchema).default([]),
  calendars: z.array(calendarSchema).default([]),
  suspensions: z.array(suspensionSchema).default([]),
  overrides: z.array(overrideSchema).default([]),
});
export type ChannelDocument = z.infer<typeof channelDocumentSchema>;

import type { LocalizedText } from '../../playlists/model.ts';
import type { StageCode } from '../catalog/subjects.ts';
import { stageOfGrade } from '../catalog/subjects.ts';
import { addDays, daysBetween, isoWeekday } from '../schedule/broadcast-date.ts';
import type { ChannelDocument, Course, Override, Slot, WeeklyTimetable } from '../schedule/channel-document.ts';
import { chooseTimetable } from '../schedule/timetable-selection.ts';
import {
  DEFAULT_FILLER_IDS,
  GRADE_NAMES_ZH,
  hhmm,
  SAMPLE_CALENDAR,
  SAMPLE_REGION,
  SAMPLE_TIMEZONE,
  gradeWeeks,
  type SampleFillerIds,
} from './sample-calendar.ts';

/**
 * The sample's grade channels as a broadcaster ran them in 2020 (Shanghai, 12 channels G1–G12), with
 * real lesson lengths: 20 min in primary school, 25 in junior high, 30 in senior high.
 * A school day (term, Mon–Fri), local time:
 * - 06:00 off air (its card, like all off-air time) · 07:55 the channel ident;
 * - 08:00 first runs, 5 (G1–2, G10–12) or 6 a day, each followed by a 20-minute break (课间休息) that opens
 *   with eye exercises (眼保健操, 5 min) — calisthenics (广播体操) after the second lesson, the long break;
 * - lunch break (午间休息) · 14:00 the morning's lessons rerun, 10 minutes apart, in the same order;
 * - 19:00–21:00 the evening carousel (today's lessons again) · 21:00 off air until the next morning.
 * Off-air time is titled as a broadcaster's guide lists it (break, lunch break, off air until…).
 * Saturdays and Sundays carry carousels of the week's lessons (09:00–12:00, 14:00–17:00, 19:00–21:00);
 * holidays two first runs at 09:00 and carousels; a class suspension adds two first runs at 14:00.
 * A sample that opens mid-week changes its first weekend once (`firstWeekendOverrides`).
 * Pure: no I/O, no clock.
 */

export const LESSON_MINUTES: Record<StageCode, number> = { primary: 20, junior: 25, senior: 30 };
/** Filler lengths the timetable is laid out for (the sample packages its fillers at these lengths). */
export const SCHOOL_FILLER_SECONDS = { eyeExercises: 300, calisthenics: 300, ident: 60 } as const;

const DAY_START = '06:00';
const IDENT_AT = 7 * 60 + 55;
const FIRST_RUNS_AT = 8 * 60;
const FIRST_RUN_BREAK_MINUTES = 20;
/** Eye exercises and calisthenics open a break: the rest of it is off air. */
const FILLER_MINUTES = SCHOOL_FILLER_SECONDS.eyeExercises / 60;
const AFTERNOON_AT = 14 * 60;
const RERUN_BREAK_MINUTES = 10;
const EVENING_AT = 19 * 60;
const CLOSE_AT = 21 * 60;

export interface SchoolTimetableOptions {
  /** Courses of every grade; each channel takes those of its grade. */
  courses: readonly Course[];
  ladder: string;
  fillerIds?: SampleFillerIds;
  slateId?: string;
  /** Off-air slots name their card (OFF_AIR_CARDS); default true. False: they show the slate. */
  cards?: boolean;
}

export function lessonMinutes(grade: number): number {
  return LESSON_MINUTES[stageOfGrade(grade).code];
}

/** First runs per school day: 5 for the youngest and the oldest (2–2.5 h of screen time), 6 otherwise. */
export function firstRunsPerDay(grade: number): number {
  return grade <= 2 || grade >= 10 ? 5 : 6;
}

/** What the guide calls each stretch of off-air time. */
export const OFF_AIR_TITLES = {
  break: { zh: '课间休息', en: 'Break' },
  comingUp: { zh: '节目即将开始', en: 'Starting soon' },
  lunch: { zh: '午间休息', en: 'Lunch break' },
  untilEvening: { zh: '休息，19:00 晚间重播', en: 'Off air until the 19:00 reruns' },
  close: { zh: '今日节目已结束', en: 'Off air until tomorrow' },
  night: (firstMinutes: number) => ({ zh: `${hhmm(firstMinutes)} 开播`, en: `Off air until ${hhmm(firstMinutes)}` }),
} as const;

/** An off-air card: a still the sample packages (`id`, a stable key) that says what the guide says (`title`). */
export interface OffAirCard {
  id: string;
  title: LocalizedText;
}

/**
 * The card of each stretch of off-air time, so that at night the picture reads 今日节目已结束 like the TV banner
 * rather than the slate's 稍后继续. An off-air slot is built from its card (`offAirSlot`): it takes the card's
 * title as its guide title and names the card by id, so a title can be reworded without losing its picture.
 */
export const OFF_AIR = {
  break: { id: 'card-break', title: OFF_AIR_TITLES.break },
  comingUp: { id: 'card-coming-up', title: OFF_AIR_TITLES.comingUp },
  lunch: { id: 'card-lunch', title: OFF_AIR_TITLES.lunch },
  untilEvening: { id: 'card-until-evening', title: OFF_AIR_TITLES.untilEvening },
  close: { id: 'card-close', title: OFF_AIR_TITLES.close },
  nightUntilIdent: { id: 'card-night-0755', title: OFF_AIR_TITLES.night(IDENT_AT) },
  nightUntilNine: { id: 'card-night-0900', title: OFF_AIR_TITLES.night(9 * 60) },
} as const satisfies Record<string, OffAirCard>;

/** Every off-air card the sample packages. */
export const OFF_AIR_CARDS: readonly OffAirCard[] = Object.values(OFF_AIR);

interface Block {
  slots: Slot[];
  endMinutes: number;
}

/** First runs from `at`, one lesson plus a break apart; the break opens with eye exercises or calisthenics. */
function firstRuns(subjects: readonly string[], at: number, lesson: number, ids: SampleFillerIds, prefix: string) {
  const slots: Slot[] = [];
  let t = at;
  subjects.forEach((subject, i) => {
    slots.push({ id: `${prefix}${i + 1}`, start: hhmm(t), kind: 'lesson', subject });
    if (i < subjects.length - 1) {
      const asset = i === 1 ? ids.calisthenics : ids.eyeExercises;
      slots.push({ id: `${prefix}${i + 1}-break`, start: hhmm(t + lesson), kind: 'filler', asset });
      slots.push(offAirSlot(`${prefix}${i + 1}-rest`, t + lesson + FILLER_MINUTES, OFF_AIR.break));
    }
    t += lesson + FIRST_RUN_BREAK_MINUTES;
  });
  return { slots, endMinutes: t - FIRST_RUN_BREAK_MINUTES } satisfies Block;
}

/** Reruns of today's first-run slots `of`, from `at`, one lesson plus 10 minutes apart. */
function reruns(of: readonly string[], at: number, lesson: number): Block {
  const slots = of.flatMap((id, i): Slot[] => {
    const start = at + i * (lesson + RERUN_BREAK_MINUTES);
    const rerun: Slot = { id: `r-${id}`, start: hhmm(start), kind: 'rerun', of: id, daysAgo: 0 };
    return i < of.length - 1 ? [rerun, offAirSlot(`r-${id}-rest`, start + lesson, OFF_AIR.break)] : [rerun];
  });
  return { slots, endMinutes: at + of.length * (lesson + RERUN_BREAK_MINUTES) - RERUN_BREAK_MINUTES };
}

/** A carousel from `at` to `until`: the ident, then the lessons of `daysAgo` days back looping. */
function carousel(id: string, at: number, daysAgo: number, ids: SampleFillerIds): Slot[] {
  return [
    { id: `${id}-ident`, start: hhmm(at), kind: 'filler', asset: ids.ident },
    { id, start: hhmm(at + 1), kind: 'rerun-loop', daysAgo },
  ];
}

/** An off-air slot at `at` (minutes) showing `card`, titled as the card is in guides. */
export const offAirSlot = (id: string, at: number, card: OffAirCard): Slot => ({
  id,
  start: hhmm(at),
  kind: 'off-air',
  title: card.title,
  card: card.id,
});

/** The week with its off-air slots showing the channel's slate instead of their cards. */
function withoutCards(week: WeeklyTimetable): WeeklyTimetable {
  const slateOf = (slot: Slot): Slot => {
    if (slot.kind !== 'off-air') return slot;
    const { card: _card, ...rest } = slot;
    return rest;
  };
  return Object.fromEntries(Object.entries(week).map(([day, slots]) => [day, slots.map(slateOf)]));
}

function schoolDay(subjects: readonly string[], lesson: number, ids: SampleFillerIds, suspension: boolean): Slot[] {
  const morning = firstRuns(subjects, FIRST_RUNS_AT, lesson, ids, 'l');
  const lessonIds = subjects.map((_, i) => `l${i + 1}`);
  const afternoon = suspension
    ? firstRuns(subjects.slice(0, 2), AFTERNOON_AT, lesson, ids, 'p')
    : reruns(lessonIds, AFTERNOON_AT, lesson);
  return [
    offAirSlot('night', 6 * 60, OFF_AIR.nightUntilIdent),
    { id: 'ident', start: hhmm(IDENT_AT), kind: 'filler', asset: ids.ident },
    offAirSlot('coming-up', IDENT_AT + SCHOOL_FILLER_SECONDS.ident / 60, OFF_AIR.comingUp),
    ...morning.slots,
    offAirSlot('lunch', morning.endMinutes, OFF_AIR.lunch),
    ...afternoon.slots,
    offAirSlot('tea', afternoon.endMinutes, OFF_AIR.untilEvening),
    ...carousel('evening', EVENING_AT, 0, ids),
    offAirSlot('close', CLOSE_AT, OFF_AIR.close),
  ];
}

/** Saturday: Mon, Tue, Wed of the week; Sunday: Thu and Fri. */
function weekendDay(day: 'sat' | 'sun', ids: SampleFillerIds): Slot[] {
  const back = day === 'sat' ? [5, 4, 3] : [3, 2, 2];
  return [
    offAirSlot('night', 6 * 60, OFF_AIR.nightUntilNine),
    ...carousel('morning', 9 * 60, back[0]!, ids),
    offAirSlot('lunch', 12 * 60, OFF_AIR.lunch),
    ...carousel('afternoon', AFTERNOON_AT, back[1]!, ids),
    offAirSlot('tea', 17 * 60, OFF_AIR.untilEvening),
    ...carousel('evening', EVENING_AT, back[2]!, ids),
    offAirSlot('close', CLOSE_AT, OFF_AIR.close),
  ];
}

function holidayDay(subjects: readonly string[], lesson: number, ids: SampleFillerIds): Slot[] {
  const morning = firstRuns(subjects.slice(0, 2), 9 * 60, lesson, ids, 'h');
  return [
    offAirSlot('night', 6 * 60, OFF_AIR.nightUntilNine),
    ...morning.slots,
    { id: 'morning', start: hhmm(morning.endMinutes), kind: 'rerun-loop', daysAgo: 0 },
    offAirSlot('lunch', 12 * 60, OFF_AIR.untilEvening),
    ...carousel('evening', EVENING_AT, 0, ids),
    offAirSlot('close', CLOSE_AT, OFF_AIR.close),
  ];
}

function gradeTimetables(grade: number, subjects: readonly string[], ids: SampleFillerIds) {
  const lesson = lessonMinutes(grade);
  return gradeWeeks(grade, subjects, firstRunsPerDay(grade), {
    schoolDay: (today, _day, suspended) => schoolDay(today, lesson, ids, suspended),
    weekendDay: (day) => weekendDay(day, ids),
    holidayDay: (today) => holidayDay(today, lesson, ids),
  });
}

/** The sample's 12 grade channels on the school timetable, and the Shanghai calendar. */
export function schoolChannelDocument(options: SchoolTimetableOptions): ChannelDocument {
  const ids = options.fillerIds ?? DEFAULT_FILLER_IDS;
  const cards = options.cards ?? true;
  return gradeChannelsDocument(options.courses, options.ladder, options.slateId ?? 'slate', (grade, subjects) => {
    const timetables = gradeTimetables(grade, subjects, ids);
    if (cards) return timetables;
    return Object.fromEntries(Object.entries(timetables).map(([name, week]) => [name, withoutCards(week)]));
  });
}

/**
 * The sample's 12 grade channels (ids, names, zone, day start, courses of their grade) in the Shanghai calendar,
 * each with the timetables `timetablesOf` gives for its grade and subjects.
 */
export function gradeChannelsDocument(
  allCourses: SchoolTimetableOptions['courses'],
  ladder: string,
  slate: string,
  timetablesOf: (grade: number, subjects: string[]) => ChannelDocument['channels'][number]['timetables'],
): ChannelDocument {
  const channels = GRADE_NAMES_ZH.map((nameZh, i) => {
    const grade = i + 1;
    const courses = allCourses.filter((c) => c.grade === grade);
    const subjects = [...new Set(courses.map((c) => c.subject))];
    return {
      id: `g${grade}`,
      number: grade,
      name: { zh: `空中课堂 ${nameZh}`, en: `Aerial Classroom Grade ${grade}` },
      timezone: SAMPLE_TIMEZONE,
      dayStart: DAY_START,
      ladder,
      grades: [grade],
      regions: [SAMPLE_REGION],
      courses: courses.map((c) => ({ ...c })),
      timetables: timetablesOf(grade, subjects),
      slate,
    };
  });
  return { channels, calendars: [SAMPLE_CALENDAR], suspensions: [], overrides: [] };
}

/**
 * The one-off schedule change of a channel that opens mid-week, as a broadcaster would make it: its first
 * weekend's carousels of school days before it opened (Saturday loops Mon–Wed, Sunday Thu–Fri) would find no
 * first runs and air the slate all day, so they loop the first school day the channel airs whole instead (the
 * day after `firstDate`, the first broadcast date, which the channel joins part-way through; that day itself
 * when it is a Friday). One `replace` override per carousel concerned, same slot id and start, in the days
 * the calendar gives a weekend timetable (a holiday or 调休 weekend has no such carousel). None when
 * `firstDate` is a Saturday or a Sunday. Pure.
 */
export function firstWeekendOverrides(document: ChannelDocument, firstDate: string): Override[] {
  const weekday = isoWeekday(firstDate);
  if (weekday > 5) return [];
  const saturday = addDays(firstDate, 6 - weekday);
  const firstWhole = addDays(firstDate, weekday === 5 ? 0 : 1);
  const overrides: Override[] = [];
  for (const channel of document.channels) {
    const rules = { channel, calendars: document.calendars, suspensions: document.suspensions };
    for (const date of [saturday, addDays(saturday, 1)]) {
      const choice = chooseTimetable(rules, date);
      for (const slot of channel.timetables[choice.name]?.[choice.weekday] ?? []) {
        if (slot.kind !== 'rerun-loop' || addDays(date, -slot.daysAgo) >= firstWhole) continue;
        const daysAgo = daysBetween(firstWhole, date);
        const id = `first-weekend-${channel.id}-${date}-${slot.id}`;
        overrides.push({ id, channel: channel.id, date, action: 'replace', slot: slot.id, with: { ...slot, daysAgo } });
      }
    }
  }
  return overrides;
}

import type {
  ChannelDocument,
  Course,
  Slot,
  Weekday,
  WeeklyTimetable,
} from '../../scheduler/schedule/channel-document.ts';
import { DEFAULT_FILLER_IDS, hhmm, gradeWeeks, type SampleFillerIds } from '../../scheduler/sample/sample-calendar.ts';
import { gradeChannelsDocument } from '../../scheduler/sample/school-timetable.ts';

/**
 * A test fixture (the first sample generator, kept for the tests and benchmarks that need its densities):
 * a channel document of 12 grade channels (G1–G12, numbers 1–12) in Asia/Shanghai, region
 * `shanghai` with the 2026/27 school calendar. Timetables are laid out from the lesson video length,
 * so the same generator gives a demo-dense day for the sample's 30–90 s clips and a real school day
 * for 20–30 min lessons:
 * - term, Mon–Fri: reruns of the previous school day until 08:00, an ident, then the morning first
 *   runs (5 lessons in G1–2, 6 above, subjects following the grade's weekly mix) with eye exercises
 *   and calisthenics between them, a rerun carousel of the morning until 18:00, the evening reruns
 *   slot by slot, and the carousel again through the night;
 * - term, Sat/Sun: carousels of the week's first runs;
 * - holiday: two light first runs a day and carousels;
 * - suspension: a denser first-run day (two more lessons in the afternoon).
 */

export interface SampleChannelOptions {
  /** Courses of every grade; each channel takes those of its grade. */
  courses: readonly Course[];
  /** Length of the packaged lesson videos (the slot pitch follows it). */
  lessonSeconds: number;
  /** Length of the filler videos; defaults to `lessonSeconds`. */
  fillerSeconds?: number;
  fillerIds?: SampleFillerIds;
  slateId?: string;
  /** Ladder the channels air (the sample packages with the light `sample` ladder). */
  ladder?: string;
  /** First-run lessons per school day; default 5 (G1–2) or 6 (G3+), as timetabled in 2020. */
  firstRunsPerDay?: number;
}

/** Seconds of slate left after each item so a slot never waits on a late neighbour. */
const SLOT_MARGIN_SECONDS = 15;
const DAY_START = '06:00';
const FIRST_RUNS_AT = 8 * 60;
const EVENING_RERUNS_AT = 18 * 60;
const SUSPENSION_AFTERNOON_AT = 14 * 60;

/** Whole minutes an item of `seconds` occupies with its margin (timetables are minute-grained). */
function pitchMinutes(seconds: number): number {
  return Math.max(1, Math.ceil((seconds + SLOT_MARGIN_SECONDS) / 60));
}

interface Pitch {
  lesson: number;
  filler: number;
}

/** First runs from `startMinutes`: lessons with eye exercises after the 2nd and calisthenics after the 4th. */
function firstRunBlock(
  subjects: readonly string[],
  startMinutes: number,
  pitch: Pitch,
  fillers: SampleFillerIds,
  idPrefix = 'l',
): { slots: Slot[]; endMinutes: number } {
  const slots: Slot[] = [];
  let at = startMinutes;
  subjects.forEach((subject, i) => {
    slots.push({ id: `${idPrefix}${i + 1}`, start: hhmm(at), kind: 'lesson', subject });
    at += pitch.lesson;
    const filler =
      i === 1
        ? { id: `${idPrefix}-eyes`, asset: fillers.eyeExercises }
        : i === 3
          ? { id: `${idPrefix}-exercise`, asset: fillers.calisthenics }
          : undefined;
    if (filler && i < subjects.length - 1) {
      slots.push({ ...filler, start: hhmm(at), kind: 'filler' });
      at += pitch.filler;
    }
  });
  return { slots, endMinutes: at };
}

function checkFits(endMinutes: number, limitMinutes: number, what: string, lessonSeconds: number): void {
  if (endMinutes > limitMinutes) {
    throw new RangeError(
      `sample timetable: ${what} runs until ${hhmm(endMinutes)}, past ${hhmm(limitMinutes)}, with ${lessonSeconds} s lessons; use shorter lessons`,
    );
  }
}

function schoolDay(
  subjects: readonly string[],
  weekday: Weekday,
  pitch: Pitch,
  fillers: SampleFillerIds,
  lessonSeconds: number,
  dense: boolean,
): Slot[] {
  // Monday's early carousel replays Friday (three days back); other days replay the day before.
  const morning: Slot = {
    id: 'morning-reruns',
    start: DAY_START,
    kind: 'rerun-loop',
    daysAgo: weekday === 'mon' ? 3 : 1,
  };
  const ident: Slot = { id: 'ident', start: hhmm(FIRST_RUNS_AT), kind: 'filler', asset: fillers.ident };
  const block = firstRunBlock(subjects, FIRST_RUNS_AT + pitch.filler, pitch, fillers);
  const slots: Slot[] = [
    morning,
    ident,
    ...block.slots,
    { id: 'day-reruns', start: hhmm(block.endMinutes), kind: 'rerun-loop', daysAgo: 0 },
  ];
  let eveningFrom = EVENING_RERUNS_AT;
  if (dense) {
    // Suspension days: two more first runs in the afternoon (the subjects that lead the week's mix).
    checkFits(block.endMinutes, SUSPENSION_AFTERNOON_AT - 1, 'the morning first runs', lessonSeconds);
    const extra = firstRunBlock(subjects.slice(0, 2), SUSPENSION_AFTERNOON_AT, pitch, fillers, 'p');
    slots.push(...extra.slots, {
      id: 'afternoon-reruns',
      start: hhmm(extra.endMinutes),
      kind: 'rerun-loop',
      daysAgo: 0,
    });
    checkFits(extra.endMinutes, EVENING_RERUNS_AT - 1, 'the afternoon first runs', lessonSeconds);
  } else {
    checkFits(block.endMinutes, EVENING_RERUNS_AT - 1, 'the morning first runs', lessonSeconds);
  }
  slots.push({ id: 'evening-ident', start: hhmm(eveningFrom), kind: 'filler', asset: fillers.ident });
  eveningFrom += pitch.filler;
  block.slots
    .filter((s) => s.kind === 'lesson')
    .forEach((s, i) => {
      slots.push({ id: `e${i + 1}`, start: hhmm(eveningFrom), kind: 'rerun', of: s.id, daysAgo: 0 });
      eveningFrom += pitch.lesson;
    });
  checkFits(eveningFrom, 23 * 60 + 59, 'the evening reruns', lessonSeconds);
  slots.push({ id: 'night-reruns', start: hhmm(eveningFrom), kind: 'rerun-loop', daysAgo: 0 });
  return slots;
}

/** Weekend of a school week: carousels of the week's first runs (Sat: Mon–Wed, Sun: Thu–Fri). */
function weekendDay(weekday: 'sat' | 'sun', fillers: SampleFillerIds): Slot[] {
  const loops: [string, number][] =
    weekday === 'sat'
      ? [
          ['06:00', 5],
          ['12:00', 4],
          ['18:00', 3],
        ]
      : [
          ['06:00', 3],
          ['14:00', 2],
        ];
  const slots: Slot[] = [];
  loops.forEach(([start, daysAgo], i) => {
    if (i > 0) slots.push({ id: `ident-${i}`, start, kind: 'filler', asset: fillers.ident });
    const [h, m] = start.split(':').map(Number) as [number, number];
    slots.push({
      id: `week-reruns-${i + 1}`,
      start: i > 0 ? hhmm(h * 60 + m + 1) : start,
      kind: 'rerun-loop',
      daysAgo,
    });
  });
  return slots;
}

/** Holiday: two first runs at 09:00 (progression goes on gently), carousels the rest of the day. */
function holidayDay(subjects: readonly string[], pitch: Pitch, fillers: SampleFillerIds): Slot[] {
  const block = firstRunBlock(subjects.slice(0, 2), 9 * 60, pitch, fillers, 'h');
  return [
    { id: 'morning-reruns', start: DAY_START, kind: 'rerun-loop', daysAgo: 1 },
    ...block.slots,
    { id: 'day-reruns', start: hhmm(block.endMinutes), kind: 'rerun-loop', daysAgo: 0 },
  ];
}

function gradeTimetables(
  grade: number,
  subjects: readonly string[],
  options: Required<Omit<SampleChannelOptions, 'courses'>>,
): Record<string, WeeklyTimetable> {
  const pitch: Pitch = { lesson: pitchMinutes(options.lessonSeconds), filler: pitchMinutes(options.fillerSeconds) };
  const perDay = options.firstRunsPerDay > 0 ? options.firstRunsPerDay : grade <= 2 ? 5 : 6;
  return gradeWeeks(grade, subjects, perDay, {
    schoolDay: (today, day, suspended) =>
      schoolDay(today, day, pitch, options.fillerIds, options.lessonSeconds, suspended),
    weekendDay: (day) => weekendDay(day, options.fillerIds),
    holidayDay: (today) => holidayDay(today, pitch, options.fillerIds),
  });
}

/** The sample channel document (12 grade channels and the Shanghai calendar) for lessons of `lessonSeconds`. */
export function sampleChannelDocument(options: SampleChannelOptions): ChannelDocument {
  if (!(options.lessonSeconds > 0))
    throw new RangeError(`lessonSeconds must be positive, got ${options.lessonSeconds}`);
  const resolved = {
    lessonSeconds: options.lessonSeconds,
    fillerSeconds: options.fillerSeconds ?? options.lessonSeconds,
    fillerIds: options.fillerIds ?? DEFAULT_FILLER_IDS,
    slateId: options.slateId ?? 'slate',
    ladder: options.ladder ?? 'default',
    firstRunsPerDay: options.firstRunsPerDay ?? 0,
  };
  return gradeChannelsDocument(options.courses, resolved.ladder, resolved.slateId, (grade, subjects) =>
    gradeTimetables(grade, subjects, resolved),
  );
}

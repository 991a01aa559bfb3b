import type { SchoolCalendar, Slot, Weekday, WeeklyTimetable } from '../schedule/channel-document.ts';

/**
 * What the sample's channels share (school-timetable.ts lays out their days): the Shanghai region, time zone
 * and 2026/27 school calendar, the grade names, the filler ids, and each grade's weekly subject mix.
 */

export interface SampleFillerIds {
  eyeExercises: string;
  calisthenics: string;
  ident: string;
}

export const SAMPLE_REGION = 'shanghai';
export const SAMPLE_TIMEZONE = 'Asia/Shanghai';
export const DEFAULT_FILLER_IDS: SampleFillerIds = {
  eyeExercises: 'filler-eye-exercises',
  calisthenics: 'filler-calisthenics',
  ident: 'filler-ident',
};

export const GRADE_NAMES_ZH = [
  '一年级',
  '二年级',
  '三年级',
  '四年级',
  '五年级',
  '六年级',
  '七年级',
  '八年级',
  '九年级',
  '高一',
  '高二',
  '高三',
];

/**
 * Periods per week by subject and grade (compulsory-education plan 2022; senior high as commonly
 * timetabled). Index = grade - 1; 0 = not taught in that grade.
 */
const WEEKLY_MIX: Record<string, readonly number[]> = {
  chinese: [8, 8, 7, 7, 6, 6, 5, 4, 5, 4, 4, 4],
  math: [4, 4, 4, 4, 5, 5, 4, 4, 5, 4, 4, 4],
  english: [0, 0, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4],
  morality: [2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0],
  politics: [0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2],
  science: [1, 1, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0],
  history: [0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2],
  geography: [0, 0, 0, 0, 0, 0, 2, 2, 0, 2, 2, 2],
  biology: [0, 0, 0, 0, 0, 0, 3, 3, 0, 2, 2, 2],
  physics: [0, 0, 0, 0, 0, 0, 0, 2, 3, 3, 3, 3],
  chemistry: [0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3],
  music: [2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1],
  art: [2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1],
  pe: [4, 4, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2],
  it: [0, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1],
};
/** Weight of a subject the table does not know (a course the sample curriculum adds). */
const DEFAULT_WEIGHT = 1;

export const SCHOOL_DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

export const SAMPLE_CALENDAR: SchoolCalendar = {
  region: SAMPLE_REGION,
  terms: [
    { name: '2026 autumn term', start: '2026-09-01', end: '2027-01-22' },
    { name: '2027 spring term', start: '2027-02-22', end: '2027-06-30' },
  ],
  holidays: [
    { name: 'National Day', start: '2026-10-01', end: '2026-10-07' },
    { name: 'Winter holiday', start: '2027-01-23', end: '2027-02-21' },
    { name: 'Qingming', start: '2027-04-03', end: '2027-04-05' },
    { name: 'Labour Day', start: '2027-05-01', end: '2027-05-05' },
    { name: 'Summer holiday', start: '2027-07-01', end: '2027-08-31' },
  ],
  makeUpDays: [
    { date: '2026-09-20', follows: 'mon' },
    { date: '2026-10-10', follows: 'fri' },
    { date: '2027-04-25', follows: 'mon' },
    { date: '2027-05-08', follows: 'fri' },
  ],
};

export function hhmm(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * The week's first-run subjects in order: a smooth weighted round robin over the grade's subjects,
 * so each subject's share follows its weekly periods and the same subject does not bunch up.
 */
export function weeklySubjectSequence(grade: number, subjects: readonly string[], slots: number): string[] {
  const weights = subjects
    .map((subject) => ({ subject, weight: WEEKLY_MIX[subject]?.[grade - 1] ?? DEFAULT_WEIGHT }))
    .filter((s) => s.weight > 0);
  if (weights.length === 0) return [];
  const total = weights.reduce((n, s) => n + s.weight, 0);
  const current = new Map(weights.map((s) => [s.subject, 0]));
  const sequence: string[] = [];
  for (let i = 0; i < slots; i++) {
    let best = weights[0]!;
    for (const s of weights) {
      current.set(s.subject, current.get(s.subject)! + s.weight);
      if (current.get(s.subject)! > current.get(best.subject)!) best = s;
    }
    current.set(best.subject, current.get(best.subject)! - total);
    sequence.push(best.subject);
  }
  return sequence;
}

/** How a timetable lays out each kind of day of one grade (see gradeWeeks). */
export interface GradeDayLayouts {
  /** A school day of the day's first runs (`suspended`: the denser day of a school suspension). */
  schoolDay(subjects: readonly string[], day: Weekday, suspended: boolean): Slot[];
  weekendDay(day: 'sat' | 'sun'): Slot[];
  /** A holiday day of the given first runs (the layout decides how many it airs). */
  holidayDay(subjects: readonly string[]): Slot[];
}

/**
 * A grade's term, holiday and suspension weeks: each school day has the next `perDay` subjects of the grade's
 * weekly mix (its holiday day too); weekends are weekend days in term and suspension, and in the holidays
 * Saturday has the week's first two subjects and Sunday the next two.
 */
export function gradeWeeks(
  grade: number,
  subjects: readonly string[],
  perDay: number,
  layouts: GradeDayLayouts,
): { term: WeeklyTimetable; holiday: WeeklyTimetable; suspension: WeeklyTimetable } {
  const week = weeklySubjectSequence(grade, subjects, perDay * SCHOOL_DAYS.length);
  const term: WeeklyTimetable = {};
  const suspension: WeeklyTimetable = {};
  const holiday: WeeklyTimetable = {};
  SCHOOL_DAYS.forEach((day, d) => {
    const today = week.slice(d * perDay, (d + 1) * perDay);
    term[day] = layouts.schoolDay(today, day, false);
    suspension[day] = layouts.schoolDay(today, day, true);
    holiday[day] = layouts.holidayDay(today);
  });
  for (const day of ['sat', 'sun'] as const) {
    term[day] = layouts.weekendDay(day);
    suspension[day] = layouts.weekendDay(day);
    holiday[day] = layouts.holidayDay(day === 'sat' ? week.slice(0, 2) : week.slice(2, 4));
  }
  return { term, holiday, suspension };
}

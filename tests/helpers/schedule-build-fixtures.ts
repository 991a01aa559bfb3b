import { expect } from 'vitest';
import type { DaySnapshot, DayEndState, LocalizedText } from '../../playlists/model.ts';
import type { AssetSummary, BuildRules, CatalogView, CourseLesson } from '../../scheduler/schedule/build-types.ts';
import { buildDay } from '../../scheduler/schedule/build.ts';
import { MAX_SLATE_ITEM_MS } from '../../scheduler/schedule/slot-placement.ts';
import {
  type Channel,
  channelSchema,
  type Override,
  type SchoolCalendar,
  type SuspensionOrder,
} from '../../scheduler/schedule/channel-document.ts';

/**
 * An in-memory catalog and channel documents for schedule-build tests: courses with packaged and
 * unpackaged lessons of realistic lengths (about 20 min as 6 s segments with a ragged last one), a
 * slate of 1 s segments, and fillers.
 */

export const LADDER = 'default';
export const SEGMENT_MS = 6000;

export interface CourseSpec {
  grade: number;
  subject: string;
  edition: string;
  /** Per volume, per unit: number of lessons. */
  volumes: number[][];
  /** Lesson ids left unpackaged (no asset). */
  unpackaged?: string[];
  /** Lesson ids packaged for another ladder. */
  otherLadder?: string[];
}

export function lessonId(grade: number, subject: string, volume: number, unit: number, lesson: number): string {
  return `g${grade}-${subject}-v${volume}-u${unit}-l${lesson}`;
}

function segmentsOf(totalMs: number, segmentMs = SEGMENT_MS): number[] {
  const segments: number[] = [];
  let left = totalMs;
  while (left > 0) {
    segments.push(Math.min(segmentMs, left));
    left -= segmentMs;
  }
  return segments;
}

function asset(
  id: string,
  kind: AssetSummary['kind'],
  title: LocalizedText,
  segmentMs: number[],
  ladder = LADDER,
): AssetSummary {
  return { id, kind, title, ladder, segmentMs, durationMs: segmentMs.reduce((a, b) => a + b, 0) };
}

export class FixtureCatalog implements CatalogView {
  readonly lessons = new Map<string, CourseLesson>();
  readonly assets = new Map<string, AssetSummary>();
  private readonly courses = new Map<string, CourseLesson[]>();

  addAsset(a: AssetSummary): void {
    this.assets.set(a.id, a);
  }

  addCourse(spec: CourseSpec, lessonMs: (index: number) => number): void {
    const list: CourseLesson[] = [];
    spec.volumes.forEach((units, v) => {
      units.forEach((count, u) => {
        for (let l = 1; l <= count; l++) {
          const id = lessonId(spec.grade, spec.subject, v + 1, u + 1, l);
          const lesson: CourseLesson = {
            id,
            grade: spec.grade,
            subject: spec.subject,
            edition: spec.edition,
            volume: v + 1,
            unit: u + 1,
            lesson: l,
            title: {
              zh: `${spec.subject} 第${v + 1}册 第${u + 1}单元 第${l}课`,
              en: `${spec.subject} v${v + 1} u${u + 1} l${l}`,
            },
            unitTitle: { zh: `第${u + 1}单元` },
          };
          if (!spec.unpackaged?.includes(id)) {
            lesson.assetId = `asset-${id}`;
            const ladder = spec.otherLadder?.includes(id) ? 'other-ladder' : LADDER;
            this.addAsset(asset(lesson.assetId, 'lesson', lesson.title, segmentsOf(lessonMs(list.length)), ladder));
          }
          list.push(lesson);
          this.lessons.set(id, lesson);
        }
      });
    });
    this.courses.set(`${spec.grade}/${spec.subject}/${spec.edition}`, list);
  }

  courseLessons(grade: number, subject: string, edition: string): readonly CourseLesson[] {
    return this.courses.get(`${grade}/${subject}/${edition}`) ?? [];
  }

  lesson(id: string): CourseLesson | undefined {
    return this.lessons.get(id);
  }

  asset(id: string): AssetSummary | undefined {
    return this.assets.get(id);
  }
}

/** About 20 min, varying a little per lesson so that items do not line up on round numbers. */
export function primaryLessonMs(index: number): number {
  return 19 * 60_000 + 30_000 + ((index * 7919) % 40_000);
}

export const SLATE_SEGMENTS = 10;
export const EYE_EXERCISES_MS = 5 * 60_000;

export function fixtureCatalog(
  courses: CourseSpec[],
  lessonMs: (index: number) => number = primaryLessonMs,
): FixtureCatalog {
  const catalog = new FixtureCatalog();
  catalog.addAsset(asset('slate', 'slate', { zh: '稍后回来', en: 'Back soon' }, Array(SLATE_SEGMENTS).fill(1000)));
  catalog.addAsset(
    asset('eye-exercises', 'filler', { zh: '眼保健操', en: 'Eye exercises' }, segmentsOf(EYE_EXERCISES_MS)),
  );
  catalog.addAsset(asset('ident', 'filler', { zh: '频道标识', en: 'Ident' }, segmentsOf(30_000)));
  catalog.addAsset(
    asset('flag-raising', 'filler', { zh: '升旗仪式', en: 'Flag raising' }, segmentsOf(10 * 60_000 + 2_360)),
  );
  for (const course of courses) catalog.addCourse(course, lessonMs);
  return catalog;
}

export const G3_COURSES: CourseSpec[] = [
  {
    grade: 3,
    subject: 'chinese',
    edition: 'tongbian',
    volumes: [
      [4, 4, 4, 4, 4, 3, 3, 3],
      [4, 4],
    ],
    unpackaged: [lessonId(3, 'chinese', 1, 1, 3)],
  },
  {
    grade: 3,
    subject: 'math',
    edition: 'pep',
    volumes: [
      [3, 3, 3, 3, 3, 3],
      [3, 3],
    ],
  },
  { grade: 3, subject: 'english', edition: 'pep', volumes: [[6, 6, 6, 6, 6, 6], [6]] },
];

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

function everyWeekday<T>(slots: T): Record<(typeof WEEKDAYS)[number], T> {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, slots])) as Record<(typeof WEEKDAYS)[number], T>;
}

/** A grade-3 channel: morning first runs with an eye-exercise break, afternoon reruns, an evening carousel. */
export function g3Channel(overrides: Partial<Record<string, unknown>> = {}): Channel {
  return channelSchema.parse({
    id: 'g3',
    number: 3,
    name: { zh: '三年级', en: 'Grade 3' },
    regions: ['shanghai'],
    grades: [3],
    courses: [
      { subject: 'chinese', edition: 'tongbian', grade: 3 },
      { subject: 'math', edition: 'pep', grade: 3 },
      { subject: 'english', edition: 'pep', grade: 3 },
    ],
    timetables: {
      term: everyWeekday([
        { id: 's1', start: '08:00', kind: 'lesson', subject: 'chinese' },
        { id: 'e1', start: '08:30', kind: 'filler', asset: 'eye-exercises' },
        { id: 's2', start: '08:40', kind: 'lesson', subject: 'math' },
        { id: 's3', start: '09:10', kind: 'lesson', subject: 'english' },
        { id: 'r1', start: '14:00', kind: 'rerun', of: 's1' },
        { id: 'r2', start: '14:30', kind: 'rerun', of: 's2' },
        { id: 'y1', start: '16:00', kind: 'rerun', of: 's3', daysAgo: 1 },
        { id: 'loop', start: '19:00', kind: 'rerun-loop' },
        { id: 'off', start: '21:00', kind: 'off-air' },
      ]),
      holiday: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [
          d,
          [{ id: 'h1', start: '10:00', kind: 'filler', asset: 'ident' }],
        ]),
      ),
      suspension: everyWeekday([
        { id: 'u1', start: '08:00', kind: 'lesson', subject: 'chinese' },
        { id: 'u2', start: '08:30', kind: 'lesson', subject: 'math' },
        { id: 'ue', start: '09:00', kind: 'filler', asset: 'eye-exercises' },
        { id: 'u3', start: '09:10', kind: 'lesson', subject: 'english' },
        { id: 'u4', start: '10:00', kind: 'lesson', subject: 'chinese' },
        { id: 'u5', start: '10:30', kind: 'lesson', subject: 'math' },
        { id: 'uloop', start: '15:00', kind: 'rerun-loop' },
        { id: 'uoff', start: '22:00', kind: 'off-air' },
      ]),
    },
    ...overrides,
  });
}

export const SHANGHAI_CALENDAR: SchoolCalendar = {
  region: 'shanghai',
  terms: [{ name: '2026 autumn', start: '2026-09-01', end: '2027-01-22' }],
  holidays: [{ name: 'National Day', start: '2026-10-01', end: '2026-10-08' }],
  // 2026-10-10 is a Saturday that works as a Friday (调休).
  makeUpDays: [{ date: '2026-10-10', follows: 'fri' }],
};

export function rulesFor(
  channel: Channel,
  catalog: CatalogView,
  extra: { calendars?: SchoolCalendar[]; suspensions?: SuspensionOrder[]; overrides?: Override[] } = {},
): BuildRules {
  return {
    channel,
    catalog,
    calendars: extra.calendars ?? [SHANGHAI_CALENDAR],
    suspensions: extra.suspensions ?? [],
    overrides: extra.overrides ?? [],
  };
}

/** Builds consecutive days, each from the previous day's end state. */
export function buildDays(rules: BuildRules, firstDate: string, days: number, previous?: DayEndState): DaySnapshot[] {
  const out: DaySnapshot[] = [];
  let state = previous;
  const [y, m, d] = firstDate.split('-').map(Number) as [number, number, number];
  for (let i = 0; i < days; i++) {
    const date = new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10);
    const { snapshot } = buildDay(rules, date, state);
    out.push(snapshot);
    state = snapshot.endState;
  }
  return out;
}

/**
 * The published-day invariants: items tile the day end to end, durations and counts come from the
 * catalog's canonical segment durations (slate looped), sequence numbers count segments and items,
 * no zero-length items, ids unique, and the end state continues from the last item.
 */
export function expectTiledDay(snapshot: DaySnapshot, catalog: CatalogView, frozenCount = 0): void {
  const channelId = snapshot.channelId;
  let cursor = snapshot.startMs;
  let media = snapshot.mediaSequenceStart;
  let disc = snapshot.discontinuitySequenceStart;
  const ids = new Set<string>();
  for (const item of snapshot.items) {
    expect(item.startMs, `item ${item.id} starts where the previous ended`).toBe(cursor);
    expect(item.mediaSequence).toBe(media);
    expect(item.discontinuitySequence).toBe(disc);
    expect(item.durationMs).toBeGreaterThan(0);
    expect(item.id).toBe(`${channelId}-${new Date(item.startMs).toISOString().replace(/[-:.]/g, '')}`);
    expect(ids.has(item.id)).toBe(false);
    ids.add(item.id);
    const a = catalog.asset(item.assetId)!;
    let sum = 0;
    for (let k = 0; k < item.segmentCount; k++) sum += a.segmentMs[(item.segmentOffset + k) % a.segmentMs.length]!;
    expect(item.durationMs, `duration of ${item.id}`).toBe(sum);
    if (item.kind !== 'slate') expect(item.segmentCount).toBe(a.segmentMs.length);
    cursor += item.durationMs;
    media += item.segmentCount;
    disc += 1;
  }
  expect(snapshot.endMs).toBe(cursor);
  expect(snapshot.endState.endMs).toBe(cursor);
  expect(snapshot.endState.mediaSequence).toBe(media);
  expect(snapshot.endState.discontinuitySequence).toBe(disc);
  for (let i = 1; i < snapshot.items.length; i++) {
    // A republish keeps the frozen items as published, so a slate may follow a frozen slate there.
    if (i <= frozenCount) continue;
    // Adjacent slate of one asset merges, up to the cap (the asset's length, at most MAX_SLATE_ITEM_MS); an off-air
    // card may be followed by the slate's 1 s segments for the rest of its gap.
    const [previous, item] = [snapshot.items[i - 1]!, snapshot.items[i]!];
    if (item.kind === 'slate' && previous.kind === 'slate' && item.assetId === previous.assetId) {
      const slateMs = catalog.asset(item.assetId)!.segmentMs.reduce((a, b) => a + b, 0);
      expect(previous.durationMs, 'a slate followed by slate is full').toBeGreaterThan(
        Math.min(MAX_SLATE_ITEM_MS, slateMs) - 1000,
      );
    }
  }
  for (const item of snapshot.items) {
    // A slate item never wraps around its asset (timestamps would go back inside one item).
    if (item.kind === 'slate') {
      const slate = catalog.asset(item.assetId)!;
      expect(item.segmentOffset + item.segmentCount, `slate ${item.id} does not wrap`).toBeLessThanOrEqual(
        slate.segmentMs.length,
      );
    }
  }
}

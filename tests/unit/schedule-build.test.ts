import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { DaySnapshot, ScheduledItem } from '../../playlists/model.ts';
import { buildDay } from '../../scheduler/schedule/build.ts';
import { MAX_SLATE_ITEM_MS } from '../../scheduler/schedule/slot-placement.ts';
import { channelSchema, type Override, type SuspensionOrder } from '../../scheduler/schedule/channel-document.ts';
import {
  buildDays,
  EYE_EXERCISES_MS,
  expectTiledDay,
  fixtureCatalog,
  G3_COURSES,
  g3Channel,
  lessonId,
  rulesFor,
  SLATE_SEGMENTS,
} from '../helpers/schedule-build-fixtures.ts';

const catalog = fixtureCatalog(G3_COURSES);
const rules = rulesFor(g3Channel(), catalog);

function local(ms: number, zone = 'Asia/Shanghai'): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");
}

function bySlot(snapshot: DaySnapshot, slotId: string): ScheduledItem[] {
  return snapshot.items.filter((i) => i.slotId === slotId);
}

function firstRunLessons(days: DaySnapshot[], subject: string): string[] {
  return days.flatMap((d) =>
    d.items.filter((i) => i.kind === 'lesson' && i.subject === subject).map((i) => i.lessonId!),
  );
}

function nominalStart(date: string, zone = 'Asia/Shanghai', dayStart = '06:00'): number {
  return DateTime.fromISO(`${date}T${dayStart}`, { zone }).toMillis();
}

describe('buildDay: determinism and tiling', () => {
  it('gives byte-identical JSON for the same inputs, also from separately constructed inputs', () => {
    const a = buildDays(rules, '2026-09-07', 10);
    const b = buildDays(rulesFor(g3Channel(), fixtureCatalog(G3_COURSES)), '2026-09-07', 10);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const again = buildDay(rules, '2026-09-09', a[1]!.endState);
    expect(JSON.stringify(again.snapshot)).toBe(JSON.stringify(a[2]));
  });

  it('tiles every day gap-free, each day starts where the previous ended, less than 1 s before its nominal start', () => {
    const days = buildDays(rules, '2026-09-07', 14);
    const first = days[0]!;
    expect(first.startMs).toBe(nominalStart('2026-09-07'));
    expect(local(first.startMs)).toBe('2026-09-07T06:00:00.000');
    expect(first.mediaSequenceStart).toBe(0);
    expect(first.discontinuitySequenceStart).toBe(0);
    days.forEach((day, i) => {
      expectTiledDay(day, catalog);
      const nextNominal = nominalStart(days[i + 1]?.date ?? '2026-09-21');
      expect(day.endMs).toBeLessThanOrEqual(nextNominal);
      expect(nextNominal - day.endMs).toBeLessThan(1000);
      if (i > 0) {
        const prev = days[i - 1]!;
        expect(day.startMs).toBe(prev.endMs);
        expect(day.mediaSequenceStart).toBe(prev.endState.mediaSequence);
        expect(day.discontinuitySequenceStart).toBe(prev.endState.discontinuitySequence);
      }
    });
  });

  it('starts each slot within 1 s of its local time when nothing before it overran', () => {
    const [monday] = buildDays(rules, '2026-09-07', 1);
    const slotted = monday!.items.filter((i) => i.slotStartMs !== undefined);
    // y1 (yesterday's rerun) has nothing to rerun on the first day; the carousel marks only its first item.
    expect(slotted.map((i) => i.slotId)).toEqual(['s1', 'e1', 's2', 's3', 'r1', 'r2', 'loop']);
    for (const item of slotted) {
      if (item.slotStartMs === undefined) continue;
      expect(item.slotStartMs - item.startMs).toBeGreaterThanOrEqual(0);
      expect(item.slotStartMs - item.startMs).toBeLessThan(1000);
    }
    expect(local(bySlot(monday!, 's1')[0]!.slotStartMs!)).toBe('2026-09-07T08:00:00.000');
    expect(local(bySlot(monday!, 's3')[0]!.slotStartMs!)).toBe('2026-09-07T09:10:00.000');
    expect(monday!.warnings.filter((w) => w.code === 'overrun')).toEqual([]);
  });

  it('delays a slot after an overrun and says how late it is', () => {
    const overrun: Override = {
      id: 'early-math',
      channel: 'g3',
      date: '2026-09-07',
      action: 'replace',
      slot: 'e1',
      with: { id: 'e1', start: '08:10', kind: 'filler', asset: 'eye-exercises' },
    };
    const { snapshot, warnings } = buildDay(
      rulesFor(g3Channel(), catalog, { overrides: [overrun] }),
      '2026-09-07',
      undefined,
    );
    expectTiledDay(snapshot, catalog);
    const chinese = bySlot(snapshot, 's1')[0]!;
    const eye = bySlot(snapshot, 'e1')[0]!;
    expect(eye.startMs).toBe(chinese.startMs + chinese.durationMs);
    const lateBy = eye.startMs - eye.slotStartMs!;
    expect(lateBy).toBeGreaterThan(9 * 60_000);
    const warning = warnings.find((w) => w.code === 'overrun')!;
    expect(warning.slotId).toBe('e1');
    expect(warning.message).toMatch(/starts 9 min \d+ s late/);
    // The math lesson at 08:40 is back on time: the eye exercises ended before it.
    const math = bySlot(snapshot, 's2')[0]!;
    expect(math.slotStartMs! - math.startMs).toBeLessThan(1000);
    expect(warnings.filter((w) => w.code === 'overrun')).toHaveLength(1);
    expect(snapshot.warnings).toEqual(warnings);
  });

  it('fills a weekday without slots with slate only, each item one pass of the slate asset (never wrapping)', () => {
    const days = buildDays(rules, '2026-09-12', 1); // a Saturday
    const items = days[0]!.items;
    const slateMs = Math.min(MAX_SLATE_ITEM_MS, SLATE_SEGMENTS * 1000);
    expect(items.every((i) => i.kind === 'slate')).toBe(true);
    expect(items).toHaveLength((24 * 3600_000) / slateMs);
    expect(items.every((i) => i.durationMs === slateMs && i.segmentOffset === 0)).toBe(true);
    expect(items.reduce((n, i) => n + i.segmentCount, 0)).toBe(24 * 3600);
    expect(days[0]!.timetable).toBe('term');
  });

  it('places a 01:00 slot on the next calendar date and keeps dayStart 06:00 in Asia/Shanghai', () => {
    const channel = g3Channel({
      timetables: {
        term: {
          mon: [
            { id: 'late', start: '01:00', kind: 'filler', asset: 'ident' },
            { id: 'm', start: '07:00', kind: 'filler', asset: 'ident' },
          ],
        },
      },
    });
    const { snapshot } = buildDay(rulesFor(channel, catalog), '2026-09-07', undefined);
    expectTiledDay(snapshot, catalog);
    expect(new Date(snapshot.startMs).toISOString()).toBe('2026-09-06T22:00:00.000Z');
    const fillers = snapshot.items.filter((i) => i.kind === 'filler');
    expect(fillers.map((i) => [i.slotId, local(i.slotStartMs!)])).toEqual([
      ['m', '2026-09-07T07:00:00.000'],
      ['late', '2026-09-08T01:00:00.000'],
    ]);
    expect(fillers[1]!.id).toBe('g3-20260907T170000000Z');
  });
});

describe('buildDay: curriculum progression', () => {
  it('airs the next lesson of each course in textbook order across a week, skipping unpackaged lessons with a warning', () => {
    const days = buildDays(rules, '2026-09-07', 7);
    const chinese = firstRunLessons(days, 'chinese');
    // Mon–Fri: one Chinese lesson a day; u1 l3 is not packaged and is skipped (never aired, never retried).
    expect(chinese).toEqual([
      lessonId(3, 'chinese', 1, 1, 1),
      lessonId(3, 'chinese', 1, 1, 2),
      lessonId(3, 'chinese', 1, 1, 4),
      lessonId(3, 'chinese', 1, 2, 1),
      lessonId(3, 'chinese', 1, 2, 2),
    ]);
    const skipped = days.flatMap((d) => d.warnings).filter((w) => w.code === 'lesson-not-packaged');
    expect(skipped).toEqual([expect.objectContaining({ slotId: 's1', lessonId: lessonId(3, 'chinese', 1, 1, 3) })]);
    expect(days[2]!.warnings).toContainEqual(expect.objectContaining({ code: 'lesson-not-packaged' }));
    expect(firstRunLessons(days, 'math')).toEqual([
      lessonId(3, 'math', 1, 1, 1),
      lessonId(3, 'math', 1, 1, 2),
      lessonId(3, 'math', 1, 1, 3),
      lessonId(3, 'math', 1, 2, 1),
      lessonId(3, 'math', 1, 2, 2),
    ]);
    expect(days[6]!.endState.progression).toEqual({
      chinese: { volume: 1, unit: 2, lesson: 3 },
      english: { volume: 1, unit: 1, lesson: 6 },
      math: { volume: 1, unit: 2, lesson: 3 },
    });
    // Weekend days carry progression through unchanged.
    expect(days[6]!.endState.progression).toEqual(days[4]!.endState.progression);
  });

  it('waits at the due lesson, with one warning a slot, while no later lesson of the course is packaged yet', () => {
    const math = G3_COURSES[1]!;
    const allMath = math.volumes.flatMap((units, v) =>
      units.flatMap((n, u) => Array.from({ length: n }, (_, l) => lessonId(3, 'math', v + 1, u + 1, l + 1))),
    );
    const preparing = fixtureCatalog([G3_COURSES[0]!, { ...math, unpackaged: allMath }, G3_COURSES[2]!]);
    const { snapshot } = buildDay(rulesFor(g3Channel(), preparing), '2026-09-07', undefined);
    const mathSlots = g3Channel().timetables.term!.mon!.filter((s) => s.kind === 'lesson' && s.subject === 'math');
    const notPackaged = snapshot.warnings.filter((w) => w.code === 'lesson-not-packaged');
    expect(notPackaged.map((w) => [w.slotId, w.lessonId])).toEqual(
      mathSlots.map((s) => [s.id, lessonId(3, 'math', 1, 1, 1)]),
    );
    expect(notPackaged[0]!.message).toContain(`nor are the ${allMath.length - 1} after it`);
    expect(snapshot.warnings.filter((w) => w.code === 'course-ended')).toEqual([]);
    expect(snapshot.endState.progression.math).toEqual({ volume: 1, unit: 1, lesson: 1 });
    // Once packaged, the due lesson airs next.
    const [next] = buildDays(rules, '2026-09-08', 1, snapshot.endState);
    expect(firstRunLessons([next!], 'math')[0]).toBe(lessonId(3, 'math', 1, 1, 1));
  });

  it('skips a lesson packaged for another ladder, like an unpackaged one', () => {
    const other = fixtureCatalog([
      { ...G3_COURSES[1]!, otherLadder: [lessonId(3, 'math', 1, 1, 1)] },
      G3_COURSES[0]!,
      G3_COURSES[2]!,
    ]);
    const { snapshot } = buildDay(rulesFor(g3Channel(), other), '2026-09-07', undefined);
    expect(bySlot(snapshot, 's2')[0]!.lessonId).toBe(lessonId(3, 'math', 1, 1, 2));
    expect(snapshot.warnings).toContainEqual(
      expect.objectContaining({ code: 'lesson-not-packaged', lessonId: lessonId(3, 'math', 1, 1, 1) }),
    );
  });

  it('follows the holiday timetable on holidays and a make-up Saturday follows the named weekday', () => {
    // Mon 2026-09-28 … Sun 2026-10-11: National Day holiday 10-01…10-08, make-up workday Sat 10-10 as a Friday.
    const days = buildDays(rules, '2026-09-28', 14);
    const byDate = new Map(days.map((d) => [d.date, d]));
    expect(days.map((d) => d.timetable)).toEqual([
      'term',
      'term',
      'term', // Mon–Wed
      'holiday',
      'holiday',
      'holiday',
      'holiday',
      'holiday',
      'holiday',
      'holiday',
      'holiday', // 10-01…10-08
      'term',
      'term',
      'term', // Fri 10-09, Sat 10-10 (make-up), Sun 10-11
    ]);
    for (const d of days) expectTiledDay(d, catalog);
    const holiday = byDate.get('2026-10-03')!;
    expect(holiday.items.filter((i) => i.kind !== 'slate').map((i) => i.slotId)).toEqual(['h1']);
    const makeUp = byDate.get('2026-10-10')!;
    expect(makeUp.items.filter((i) => i.kind === 'lesson')).toHaveLength(3);
    expect(byDate.get('2026-10-11')!.items.filter((i) => i.kind !== 'slate')).toEqual([]);
    // Progression stops during the holiday and resumes where it was.
    const chinese = firstRunLessons(days, 'chinese');
    expect(chinese).toHaveLength(5); // Mon, Tue, Wed, Fri 10-09, Sat 10-10
    const positionBeforeHoliday = byDate.get('2026-09-30')!.endState.progression.chinese;
    expect(byDate.get('2026-10-08')!.endState.progression.chinese).toEqual(positionBeforeHoliday);
    const course = catalog.courseLessons(3, 'chinese', 'tongbian').map((l) => l.id);
    const packaged = course.filter((id) => catalog.lesson(id)!.assetId !== undefined);
    expect(packaged.indexOf(chinese[3]!)).toBe(packaged.indexOf(chinese[2]!) + 1);
  });

  it('treats days outside every term as holidays and builds on the term timetable when the channel has no calendar', () => {
    const [summer] = buildDays(rules, '2026-08-31', 1);
    expect(summer!.timetable).toBe('holiday');
    const [noCalendar] = buildDays(rulesFor(g3Channel(), catalog, { calendars: [] }), '2026-08-31', 1);
    expect(noCalendar!.timetable).toBe('term');
  });

  it('switches to the suspension timetable for a suspension order, with its notice, and carries progression on', () => {
    const order: SuspensionOrder = {
      id: 'flu-2026',
      from: '2026-09-09',
      to: '2026-09-10',
      channels: [],
      regions: ['shanghai'],
      notice: { zh: '停课不停学', en: 'Classes move to TV' },
    };
    const days = buildDays(rulesFor(g3Channel(), catalog, { suspensions: [order] }), '2026-09-07', 5);
    expect(days.map((d) => d.timetable)).toEqual(['term', 'term', 'suspension', 'suspension', 'term']);
    expect(days[2]!.notice).toEqual({ orderId: 'flu-2026', text: { zh: '停课不停学', en: 'Classes move to TV' } });
    expect(days[0]!.notice).toBeUndefined();
    expect('notice' in days[4]!).toBe(false);
    for (const d of days) expectTiledDay(d, catalog);
    // Two Chinese and two math lessons a suspension day, in textbook order with the term days.
    expect(firstRunLessons(days, 'chinese')).toEqual([
      lessonId(3, 'chinese', 1, 1, 1),
      lessonId(3, 'chinese', 1, 1, 2),
      lessonId(3, 'chinese', 1, 1, 4),
      lessonId(3, 'chinese', 1, 2, 1),
      lessonId(3, 'chinese', 1, 2, 2),
      lessonId(3, 'chinese', 1, 2, 3),
      lessonId(3, 'chinese', 1, 2, 4),
    ]);
    // An order naming the channel applies too; one for another region does not.
    const named = { ...order, regions: [], channels: ['g3'] };
    expect(buildDays(rulesFor(g3Channel(), catalog, { suspensions: [named] }), '2026-09-09', 1)[0]!.timetable).toBe(
      'suspension',
    );
    const elsewhere = { ...order, regions: ['beijing'] };
    expect(buildDays(rulesFor(g3Channel(), catalog, { suspensions: [elsewhere] }), '2026-09-09', 1)[0]!.timetable).toBe(
      'term',
    );
  });

  it('moves into the next volume with a warning, and reports the end of the course with slate', () => {
    const small = fixtureCatalog([{ grade: 3, subject: 'math', edition: 'pep', volumes: [[2], [1]] }]);
    const channel = g3Channel({
      courses: [{ subject: 'math', edition: 'pep', grade: 3 }],
      timetables: {
        term: {
          mon: [
            { id: 'm1', start: '08:00', kind: 'lesson', subject: 'math' },
            { id: 'm2', start: '09:00', kind: 'lesson', subject: 'math' },
          ],
        },
      },
    });
    const days = buildDays(rulesFor(channel, small), '2026-09-07', 8);
    expect(firstRunLessons(days, 'math')).toEqual([
      lessonId(3, 'math', 1, 1, 1),
      lessonId(3, 'math', 1, 1, 2),
      lessonId(3, 'math', 2, 1, 1),
    ]);
    const second = days[7]!;
    expect(second.warnings).toEqual([
      expect.objectContaining({ code: 'volume-ended', slotId: 'm1', lessonId: lessonId(3, 'math', 2, 1, 1) }),
      expect.objectContaining({ code: 'course-ended', slotId: 'm2' }),
    ]);
    expect(bySlot(second, 'm2')).toEqual([]);
    expectTiledDay(second, small);
    expect(second.items.at(-1)!.kind).toBe('slate');
  });

  it('starts a course at its configured volume', () => {
    const channel = g3Channel({ courses: [{ subject: 'math', edition: 'pep', grade: 3, volume: 2 }] });
    const [day] = buildDays(rulesFor(channel, catalog), '2026-09-07', 1);
    expect(bySlot(day!, 's2')[0]!.lessonId).toBe(lessonId(3, 'math', 2, 1, 1));
  });
});

describe('buildDay: reruns', () => {
  it('reruns an earlier slot of the same day and a slot of the previous day', () => {
    const days = buildDays(rules, '2026-09-07', 2);
    const [monday, tuesday] = days as [DaySnapshot, DaySnapshot];
    const r1 = bySlot(monday, 'r1')[0]!;
    expect(r1.kind).toBe('rerun');
    expect(r1.lessonId).toBe(bySlot(monday, 's1')[0]!.lessonId);
    expect(r1.title).toEqual(bySlot(monday, 's1')[0]!.title);
    expect(bySlot(monday, 'r2')[0]!.lessonId).toBe(bySlot(monday, 's2')[0]!.lessonId);
    // Monday has no previous day: the "yesterday" rerun is missing.
    expect(bySlot(monday, 'y1')).toEqual([]);
    expect(monday.warnings).toContainEqual(expect.objectContaining({ code: 'rerun-missing', slotId: 'y1' }));
    expect(bySlot(tuesday, 'y1')[0]).toMatchObject({ kind: 'rerun', lessonId: bySlot(monday, 's3')[0]!.lessonId });
    expect(tuesday.warnings).toEqual([]);
  });

  it('reruns a slot N days earlier through the end state history, kept for 7 dates', () => {
    const channel = g3Channel({
      timetables: {
        term: {
          mon: [{ id: 's1', start: '08:00', kind: 'lesson', subject: 'chinese' }],
          tue: [{ id: 's1', start: '08:00', kind: 'lesson', subject: 'chinese' }],
          thu: [{ id: 'back', start: '18:00', kind: 'rerun', of: 's1', daysAgo: 3 }],
        },
      },
    });
    const days = buildDays(rulesFor(channel, catalog), '2026-09-07', 10);
    const thursday = days[3]!;
    expect(bySlot(thursday, 'back')[0]!.lessonId).toBe(bySlot(days[0]!, 's1')[0]!.lessonId);
    expect(Object.keys(days[9]!.endState.recentFirstRuns)).toEqual([
      '2026-09-10',
      '2026-09-11',
      '2026-09-12',
      '2026-09-13',
      '2026-09-14',
      '2026-09-15',
      '2026-09-16',
    ]);
    expect(days[9]!.endState.recentFirstRuns['2026-09-14']).toEqual({ s1: lessonId(3, 'chinese', 1, 1, 4) });
    expect(days[9]!.endState.recentFirstRuns['2026-09-16']).toEqual({});
  });

  it("loops the day's first runs in slot order until the next slot, without running past it", () => {
    const [monday] = buildDays(rules, '2026-09-07', 1);
    const loop = bySlot(monday!, 'loop');
    const firstRuns = ['s1', 's2', 's3'].map((s) => bySlot(monday!, s)[0]!.lessonId);
    expect(loop.length).toBeGreaterThanOrEqual(5);
    loop.forEach((item, i) => {
      expect(item.kind).toBe('rerun');
      expect(item.lessonId).toBe(firstRuns[i % 3]);
    });
    const nextSlot = nominalStart('2026-09-07', 'Asia/Shanghai', '21:00');
    const loopEnd = loop.at(-1)!.startMs + loop.at(-1)!.durationMs;
    expect(loopEnd).toBeLessThanOrEqual(nextSlot);
    const nextLessonMs = catalog.asset(catalog.lesson(firstRuns[loop.length % 3]!)!.assetId!)!.durationMs;
    expect(loopEnd + nextLessonMs).toBeGreaterThan(nextSlot);
    expect(loop[0]!.slotStartMs).toBe(nominalStart('2026-09-07', 'Asia/Shanghai', '19:00'));
    expect(loop.slice(1).every((i) => i.slotStartMs === undefined)).toBe(true);
  });

  it("loops the first runs of an earlier day in that day's slot order", () => {
    const channel = g3Channel({
      timetables: {
        term: {
          ...g3Channel().timetables.term,
          sat: [
            { id: 'weekly', start: '09:00', kind: 'rerun-loop', daysAgo: 1 },
            { id: 'end', start: '11:00', kind: 'off-air' },
          ],
        },
      },
    });
    const days = buildDays(rulesFor(channel, catalog), '2026-09-11', 2);
    const friday = days[0]!;
    const loop = bySlot(days[1]!, 'weekly').map((i) => i.lessonId);
    const fridayOrder = ['s1', 's2', 's3'].map((s) => bySlot(friday, s)[0]!.lessonId);
    expect(loop.length).toBeGreaterThanOrEqual(5); // two hours of ~20 min lessons
    expect(loop).toEqual(loop.map((_, i) => fridayOrder[i % 3]));
  });
});

describe('buildDay: off-air cards', () => {
  const cardCatalog = fixtureCatalog(G3_COURSES);
  const still = (id: string, zh: string, segmentMs: number[]) => ({
    id,
    kind: 'slate' as const,
    title: { zh, en: zh },
    ladder: 'default',
    segmentMs,
    durationMs: segmentMs.reduce((a, b) => a + b, 0),
  });
  // A 20 s card of 1 s segments (packaged like the slate), and one of 7 s segments.
  cardCatalog.addAsset(still('card-close', '今日节目已结束', Array<number>(20).fill(1000)));
  cardCatalog.addAsset(still('card-lunch', '午间休息', Array<number>(5).fill(7000)));
  const withCards = (close: string, lunch = 'card-lunch') => {
    const term = g3Channel().timetables.term!;
    const monday = [
      ...term.mon!.slice(0, 4),
      { id: 'lunch', start: '11:00', kind: 'off-air' as const, title: { zh: '午间休息' }, card: lunch },
      ...term.mon!.slice(4, -1),
      { id: 'off', start: '21:00', kind: 'off-air' as const, title: { zh: '今日节目已结束' }, card: close },
    ];
    return rulesFor(g3Channel({ timetables: { ...g3Channel().timetables, term: { mon: monday } } }), cardCatalog);
  };

  it('airs the card an off-air slot names, looped like the slate, under the slot title, until the next slot', () => {
    const { snapshot, warnings } = buildDay(withCards('card-close'), '2026-09-07', undefined);
    expectTiledDay(snapshot, cardCatalog);
    // (Only the rerun of a Sunday first run that a first built day does not have.)
    expect(warnings.map((w) => w.slotId)).toEqual(['y1']);
    const close = bySlot(snapshot, 'off');
    expect(close.length).toBeGreaterThan(100); // 21:00–06:00 in items of at most one pass of the 20 s card
    expect(new Set(close.map((i) => `${i.kind} ${i.assetId} ${i.title.zh}`))).toEqual(
      new Set(['slate card-close 今日节目已结束']),
    );
    expect(close.every((i) => i.durationMs <= 20_000 && i.segmentOffset + i.segmentCount <= 20)).toBe(true);
    const last = close.at(-1)!;
    expect(nominalStart('2026-09-08') - (last.startMs + last.durationMs)).toBeLessThan(1000);
    // Gaps no off-air slot explains (06:00–08:00 here) still air the channel's slate.
    const gaps = snapshot.items.filter((i) => i.kind === 'slate' && i.slotId === undefined);
    expect(gaps.length).toBeGreaterThan(0);
    expect(new Set(gaps.map((i) => i.assetId))).toEqual(new Set(['slate']));
  });

  it("tops a card of coarse segments up with the slate's 1 s segments, so the next slot starts on time", () => {
    const { snapshot } = buildDay(withCards('card-close'), '2026-09-07', undefined);
    const lunch = bySlot(snapshot, 'lunch');
    expect(new Set(lunch.map((i) => i.assetId))).toEqual(new Set(['card-lunch', 'slate']));
    expect(lunch.filter((i) => i.assetId === 'card-lunch').every((i) => i.durationMs % 7000 === 0)).toBe(true);
    const end = lunch.at(-1)!.startMs + lunch.at(-1)!.durationMs;
    const rerun = bySlot(snapshot, 'r1')[0]!;
    expect(rerun.startMs).toBe(end);
    expect(rerun.slotStartMs! - rerun.startMs).toBeLessThan(1000);
  });

  it('airs the slate and warns, naming the slot and the card, when the card is not packaged', () => {
    const { snapshot, warnings } = buildDay(withCards('card-gone'), '2026-09-07', undefined);
    expectTiledDay(snapshot, cardCatalog);
    expect(new Set(bySlot(snapshot, 'off').map((i) => i.assetId))).toEqual(new Set(['slate']));
    expect(warnings.filter((w) => w.slotId !== 'y1')).toEqual([
      {
        code: 'asset-missing',
        slotId: 'off',
        message: 'slot off: card asset card-gone is missing or not packaged for ladder default; slate instead',
      },
    ]);
  });
});

describe('buildDay: overrides', () => {
  it('replaces a slot and inserts a programme at its start time', () => {
    const overrides: Override[] = [
      {
        id: 'flag',
        channel: 'g3',
        date: '2026-09-07',
        action: 'insert',
        with: { id: 'flag', start: '07:30', kind: 'programme', asset: 'flag-raising', title: { zh: '开学升旗仪式' } },
      },
      {
        id: 'no-english',
        channel: 'g3',
        date: '2026-09-07',
        action: 'replace',
        slot: 's3',
        with: { id: 'health', start: '09:10', kind: 'programme', lesson: lessonId(3, 'english', 1, 3, 1) },
      },
      {
        id: 'other-day',
        channel: 'g3',
        date: '2026-09-08',
        action: 'replace',
        slot: 's1',
        with: { id: 'x', start: '08:00', kind: 'off-air' },
      },
      {
        id: 'other-channel',
        channel: 'g4',
        date: '2026-09-07',
        action: 'replace',
        slot: 's1',
        with: { id: 'x', start: '08:00', kind: 'off-air' },
      },
    ];
    const { snapshot } = buildDay(rulesFor(g3Channel(), catalog, { overrides }), '2026-09-07', undefined);
    expectTiledDay(snapshot, catalog);
    const named = snapshot.items.filter((i) => i.kind !== 'slate' && i.slotId !== 'loop').map((i) => i.slotId);
    expect(named).toEqual(['flag', 's1', 'e1', 's2', 'health', 'r1', 'r2']);
    const flag = bySlot(snapshot, 'flag')[0]!;
    expect(flag).toMatchObject({ kind: 'programme', assetId: 'flag-raising', title: { zh: '开学升旗仪式' } });
    expect(local(flag.slotStartMs!)).toBe('2026-09-07T07:30:00.000');
    expect(bySlot(snapshot, 'health')[0]).toMatchObject({
      kind: 'programme',
      lessonId: lessonId(3, 'english', 1, 3, 1),
      subject: 'english',
    });
    // The replaced first run did not air, so English did not progress.
    expect(snapshot.endState.progression.english).toEqual({ volume: 1, unit: 1, lesson: 1 });
  });

  it('turns references that do not resolve into warnings and slate, never a crash', () => {
    const channel = g3Channel({
      courses: [{ subject: 'chinese', edition: 'tongbian', grade: 3 }],
      timetables: {
        term: {
          mon: [
            { id: 'a', start: '08:00', kind: 'lesson', subject: 'constructor' },
            { id: 'b', start: '09:00', kind: 'filler', asset: 'no-such-filler' },
            { id: 'c', start: '10:00', kind: 'programme', lesson: 'no-such-lesson' },
            { id: 'd', start: '11:00', kind: 'programme', lesson: lessonId(3, 'chinese', 1, 1, 3) },
            { id: 'e', start: '12:00', kind: 'rerun', of: 'constructor' },
            { id: 'f', start: '13:00', kind: 'programme' },
            { id: 'g', start: '14:00', kind: 'rerun-loop', daysAgo: 2 },
          ],
        },
      },
    });
    const overrides: Override[] = [
      {
        id: 'bad-replace',
        channel: 'g3',
        date: '2026-09-07',
        action: 'replace',
        slot: 'zz',
        with: { id: 'zz', start: '15:00', kind: 'off-air' },
      },
    ];
    const { snapshot, warnings } = buildDay(rulesFor(channel, catalog, { overrides }), '2026-09-07', undefined);
    expect(warnings.map((w) => [w.code, w.slotId])).toEqual([
      ['slot-skipped', 'zz'],
      ['course-ended', 'a'],
      ['asset-missing', 'b'],
      ['asset-missing', 'c'],
      ['lesson-not-packaged', 'd'],
      ['rerun-missing', 'e'],
      ['asset-missing', 'f'],
      ['rerun-missing', 'g'],
    ]);
    expect(new Set(snapshot.items.map((i) => i.kind))).toEqual(new Set(['slate']));
    expectTiledDay(snapshot, catalog);
  });

  it('refuses to build without a playable slate, or from the end state of another day', () => {
    const noSlate = g3Channel({ slate: 'missing-slate' });
    expect(() => buildDay(rulesFor(noSlate, catalog), '2026-09-07', undefined)).toThrow(
      /slate asset missing-slate is missing/,
    );
    const monday = buildDay(rules, '2026-09-07', undefined).snapshot;
    expect(() => buildDay(rules, '2026-09-09', monday.endState)).toThrow(
      /previous day ended at .* too far from 2026-09-09/,
    );
    expect(() => buildDay(rules, '2026-09-31', undefined)).toThrow(/not a calendar date/);
  });

  it('lets a day that overran past midnight start late and keeps the chain continuous', () => {
    const channel = g3Channel({
      timetables: {
        term: everyDay([
          { id: 'late', start: '05:50', kind: 'lesson', subject: 'english' },
          { id: 'first', start: '06:00', kind: 'filler', asset: 'ident' },
        ]),
      },
    });
    const days = buildDays(rulesFor(channel, catalog), '2026-09-07', 3);
    for (const d of days) expectTiledDay(d, catalog);
    expect(days[1]!.startMs).toBe(days[0]!.endMs);
    expect(days[1]!.startMs - nominalStart('2026-09-08')).toBeGreaterThan(9 * 60_000);
    expect(days[1]!.warnings).toContainEqual(expect.objectContaining({ code: 'overrun', slotId: 'first' }));
    expect(bySlot(days[1]!, 'first')[0]!.startMs).toBe(days[1]!.startMs);
  });
});

function everyDay<T>(slots: T): Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', T> {
  return { mon: slots, tue: slots, wed: slots, thu: slots, fri: slots, sat: slots, sun: slots };
}

describe('buildDay: daylight saving time', () => {
  const dstChannel = (timezone: string, dayStart: string) =>
    channelSchema.parse({
      ...g3Channel(),
      timezone,
      dayStart,
      timetables: {
        term: everyDay([
          { id: 'night', start: '02:30', kind: 'filler', asset: 'ident' },
          { id: 's1', start: '08:00', kind: 'lesson', subject: 'chinese' },
          { id: 'e1', start: '12:00', kind: 'filler', asset: 'eye-exercises' },
        ]),
      },
    });

  const cases = [
    {
      zone: 'America/New_York',
      dayStart: '06:00',
      short: '2026-03-07',
      long: '2026-10-31',
      from: '2026-03-05',
      to: '2026-11-03',
    },
    {
      zone: 'America/New_York',
      dayStart: '00:00',
      short: '2026-03-08',
      long: '2026-11-01',
      from: '2026-03-06',
      to: '2026-11-03',
    },
    {
      zone: 'Europe/London',
      dayStart: '06:00',
      short: '2026-03-28',
      long: '2026-10-24',
      from: '2026-03-26',
      to: '2026-10-27',
    },
  ];

  for (const c of cases) {
    it(`tiles 23 h and 25 h days in ${c.zone} with dayStart ${c.dayStart}`, () => {
      const channel = dstChannel(c.zone, c.dayStart);
      const r = rulesFor(channel, catalog, { calendars: [] });
      for (const [date, hours] of [
        [c.short, 23],
        [c.long, 25],
      ] as const) {
        const days = buildDays(r, DateTime.fromISO(date).minus({ days: 2 }).toISODate()!, 5);
        days.forEach((d, i) => {
          expectTiledDay(d, catalog);
          const nominal = nominalStart(d.date, c.zone, c.dayStart);
          const nextNominal = nominalStart(DateTime.fromISO(d.date).plus({ days: 1 }).toISODate()!, c.zone, c.dayStart);
          expect(nominal - d.startMs).toBeGreaterThanOrEqual(0);
          expect(nominal - d.startMs).toBeLessThan(1000);
          expect(nextNominal - d.endMs).toBeGreaterThanOrEqual(0);
          expect(nextNominal - d.endMs).toBeLessThan(1000);
          if (i > 0) expect(d.startMs).toBe(days[i - 1]!.endMs);
          const expectedHours = d.date === date ? hours : 24;
          expect((nextNominal - nominal) / 3_600_000).toBe(expectedHours);
          const lesson = bySlot(d, 's1')[0]!;
          expect(DateTime.fromMillis(lesson.slotStartMs!, { zone: c.zone }).toFormat('HH:mm')).toBe('08:00');
          expect(lesson.slotStartMs! - lesson.startMs).toBeLessThan(1000);
        });
      }
    });
  }

  it('resolves a slot in the spring-forward gap forward, as luxon does', () => {
    const channel = dstChannel('America/New_York', '06:00');
    const { snapshot } = buildDay(rulesFor(channel, catalog, { calendars: [] }), '2026-03-07', undefined);
    const night = bySlot(snapshot, 'night')[0]!;
    expect(DateTime.fromMillis(night.slotStartMs!, { zone: 'America/New_York' }).toISO()).toBe(
      '2026-03-08T03:30:00.000-04:00',
    );
    expect(snapshot.endMs - snapshot.startMs).toBeGreaterThan(23 * 3_600_000 - 1000);
    expect(snapshot.endMs - snapshot.startMs).toBeLessThanOrEqual(23 * 3_600_000);
  });
});

describe('buildDay: fixture sanity', () => {
  it('uses realistic lesson lengths and a 1 s slate', () => {
    const a = catalog.asset(catalog.lesson(lessonId(3, 'math', 1, 1, 1))!.assetId!)!;
    expect(a.durationMs).toBeGreaterThan(19 * 60_000);
    expect(a.durationMs).toBeLessThan(21 * 60_000);
    expect(a.segmentMs.slice(0, -1).every((ms) => ms === 6000)).toBe(true);
    expect(catalog.asset('slate')!.segmentMs.every((ms) => ms === 1000)).toBe(true);
    expect(catalog.asset('eye-exercises')!.durationMs).toBe(EYE_EXERCISES_MS);
  });
});

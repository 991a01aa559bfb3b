import { describe, expect, it } from 'vitest';
import { mergeSlateRuns } from '../../playlists/guide-items.ts';
import type { DaySnapshot, ScheduledItem } from '../../playlists/model.ts';
import type { LessonRecord } from '../../scheduler/catalog/lesson-record.ts';
import { nominalDayStartMs } from '../../scheduler/schedule/broadcast-date.ts';
import type { CatalogView, CourseLesson } from '../../scheduler/schedule/build-types.ts';
import type { Override } from '../../scheduler/schedule/channel-document.ts';
import { validateChannelDocument } from '../../scheduler/schedule/document-validation.ts';
import { sampleCourses } from '../../scheduler/sample/create-sample.ts';
import { nominalDurationS, sampleCurriculum } from '../../scheduler/sample/curriculum.ts';
import {
  groupsInAiringOrder,
  mediaGroups,
  planningCatalog,
  plannedDays,
  sampleFillers,
} from '../../scheduler/sample/sample-plan.ts';
import {
  firstRunsPerDay,
  firstWeekendOverrides,
  lessonMinutes,
  OFF_AIR,
  OFF_AIR_CARDS,
  offAirSlot,
  schoolChannelDocument,
} from '../../scheduler/sample/school-timetable.ts';

/**
 * The sample's school day, built by the real schedule build against the sample catalog as it will be
 * once packaged (pure: no media, no database): real lesson lengths, first runs on the timetable's
 * minute, breaks with eye exercises and calisthenics, afternoon reruns, the evening carousel and the
 * night off air — the guide a broadcaster would recognise.
 */

const curriculum = sampleCurriculum();
const ZONE_OFFSET_MS = 8 * 3_600_000; // Asia/Shanghai, no DST

function catalogOf(records: readonly LessonRecord[]): CatalogView {
  const lessons: CourseLesson[] = records.map((l) => ({
    ...{ id: l.id, grade: l.grade, subject: l.subject, edition: l.edition, volume: l.volume, unit: l.unit },
    lesson: l.lesson,
    title: { zh: l.titleZh, ...(l.titleEn ? { en: l.titleEn } : {}) },
    unitTitle: { zh: l.unitTitleZh },
  }));
  const byId = new Map(lessons.map((l) => [l.id, l]));
  return {
    courseLessons: (grade, subject, edition) =>
      lessons.filter((l) => l.grade === grade && l.subject === subject && l.edition === edition),
    lesson: (id) => byId.get(id),
    asset: () => undefined,
  };
}

const groups = mediaGroups(curriculum);
const catalog = planningCatalog(catalogOf(curriculum), groups, sampleFillers(), 'sample');
const document = validateChannelDocument(
  schoolChannelDocument({ courses: sampleCourses(curriculum), ladder: 'sample' }),
);

function week(grade: number, from: string, days: number, overrides: Override[] = []): DaySnapshot[] {
  const channel = document.channels[grade - 1]!;
  const rules = { channel, calendars: document.calendars, suspensions: [], overrides, catalog };
  return plannedDays(rules, from, days);
}

/** Minutes after local midnight of the day's date (Shanghai). */
function localMinutes(day: DaySnapshot, ms: number): number {
  return (ms - (nominalDayStartMs(day.date, 'Asia/Shanghai', '06:00') - 6 * 3_600_000)) / 60_000;
}

const at = (day: DaySnapshot, minutes: number) =>
  nominalDayStartMs(day.date, 'Asia/Shanghai', '06:00') + (minutes - 6 * 60) * 60_000;
const kinds = (items: ScheduledItem[]) => items.map((i) => i.kind);

describe('the sample media', () => {
  it('is about 30 shared slide videos of 20/25/30 min, about 12.7 h, each lesson as long as its group', () => {
    expect(groups.length).toBeGreaterThanOrEqual(28);
    expect(groups.length).toBeLessThanOrEqual(32);
    const hours = groups.reduce((n, g) => n + g.seconds, 0) / 3600;
    expect(hours).toBeCloseTo(12.7, 0);
    for (const g of groups) expect([1200, 1500, 1800]).toContain(g.seconds);
    for (const l of curriculum) expect(l.durationS).toBe(nominalDurationS(l.grade));
    expect(ZONE_OFFSET_MS).toBe(8 * 3_600_000);
  });
});

describe('a school day on the sample channels (Thursday 2026-12-03, autumn term)', () => {
  for (const grade of [1, 3, 7, 9, 10, 12]) {
    it(`G${grade}: first runs from 08:00 on their slot minute, honest lengths, titled`, () => {
      const [day] = week(grade, '2026-12-03', 1);
      const lessons = day!.items.filter((i) => i.kind === 'lesson');
      const minutes = lessonMinutes(grade);
      expect(lessons).toHaveLength(firstRunsPerDay(grade));
      lessons.forEach((lesson, i) => {
        expect(Math.abs(lesson.startMs - at(day!, 8 * 60 + i * (minutes + 20)))).toBeLessThan(1000);
        expect(lesson.durationMs).toBe(minutes * 60_000);
        expect(lesson.durationMs).toBe(nominalDurationS(grade) * 1000);
        expect(lesson.title.zh.trim().length).toBeGreaterThan(0);
        expect(lesson.title.en?.length).toBeGreaterThan(1);
      });
      expect(new Set(lessons.map((l) => l.lessonId)).size).toBe(lessons.length);
      expect(day!.warnings).toEqual([]);
    });
  }

  it('has eye exercises after each lesson and calisthenics after the second, then a break', () => {
    const [day] = week(3, '2026-12-03', 1);
    const items = day!.items.filter((i) => i.kind !== 'slate');
    const morning = items.filter(
      (i) => localMinutes(day!, i.startMs) >= 8 * 60 && localMinutes(day!, i.startMs) < 12 * 60,
    );
    expect(kinds(morning)).toEqual([
      'lesson',
      'filler',
      'lesson',
      'filler',
      'lesson',
      'filler',
      'lesson',
      'filler',
      'lesson',
      'filler',
      'lesson',
    ]);
    expect(morning.filter((i) => i.kind === 'filler').map((i) => i.title.zh)).toEqual([
      '眼保健操',
      '广播体操',
      '眼保健操',
      '眼保健操',
      '眼保健操',
    ]);
    for (let i = 0; i + 1 < morning.length; i += 2) {
      expect(morning[i + 1]!.startMs).toBe(morning[i]!.startMs + morning[i]!.durationMs);
      expect(morning[i + 1]!.durationMs).toBe(300_000);
    }
  });

  it('reruns the morning from 14:00 in the same order, and loops it from 19:00 to 21:00', () => {
    const [day] = week(7, '2026-12-03', 1);
    const firstRuns = day!.items.filter((i) => i.kind === 'lesson').map((i) => i.lessonId);
    const reruns = day!.items.filter((i) => i.kind === 'rerun');
    const afternoon = reruns.filter((i) => localMinutes(day!, i.startMs) < 19 * 60);
    expect(afternoon.map((i) => i.lessonId)).toEqual(firstRuns);
    afternoon.forEach((r, i) => expect(Math.abs(r.startMs - at(day!, 14 * 60 + i * 35))).toBeLessThan(1000));
    const evening = reruns.filter((i) => localMinutes(day!, i.startMs) >= 19 * 60);
    expect(evening.length).toBeGreaterThanOrEqual(4);
    expect(evening.map((i) => i.lessonId)).toEqual(firstRuns.slice(0, evening.length));
    for (const r of evening) expect(r.startMs + r.durationMs).toBeLessThanOrEqual(at(day!, 21 * 60));
  });

  it('is off air (a card, or the slate) at night and over lunch, and tiles the broadcast day', () => {
    const [day] = week(5, '2026-12-03', 1);
    const night = day!.items.filter((i) => i.startMs >= at(day!, 21 * 60) || i.startMs < at(day!, 7 * 60 + 55));
    expect(night.length).toBeGreaterThan(0);
    expect(new Set(kinds(night))).toEqual(new Set(['slate']));
    const lunch = day!.items.filter((i) => i.startMs >= at(day!, 12 * 60) && i.startMs < at(day!, 14 * 60) - 1000);
    expect(new Set(kinds(lunch))).toEqual(new Set(['slate']));
    for (let i = 1; i < day!.items.length; i++)
      expect(day!.items[i]!.startMs).toBe(day!.items[i - 1]!.startMs + day!.items[i - 1]!.durationMs);
    expect(Math.abs(day!.startMs - at(day!, 6 * 60))).toBeLessThan(1000);
  });

  it('shows off-air time with a card that says what the guide says (never the slate\'s "back soon")', () => {
    const days = week(3, '2026-12-03', 3); // Thursday, Friday, and a Saturday with its 09:00 start
    const cardTitle = new Map(OFF_AIR_CARDS.map((c) => [c.id, c.title.zh]));
    const offAir = days.flatMap((d) => d.items.filter((i) => i.kind === 'slate' && i.slotId !== undefined));
    expect(offAir.length).toBeGreaterThan(0);
    for (const item of offAir) expect([item.slotId, cardTitle.get(item.assetId)]).toEqual([item.slotId, item.title.zh]);
    expect(new Set(offAir.map((i) => i.assetId))).toEqual(new Set(OFF_AIR_CARDS.map((c) => c.id)));
    // Only the moments no slot explains (less than 1 s before a slot) are the slate.
    const slate = days.flatMap((d) => d.items.filter((i) => i.assetId === 'slate'));
    expect(slate.every((i) => i.durationMs < 1000 || i.slotId === undefined)).toBe(true);
    expect(slate.reduce((ms, i) => ms + i.durationMs, 0)).toBeLessThan(60_000);
    // Every card is packaged like the slate: a 1 s-segment still the sample makes.
    const planned = new Map(sampleFillers().map((a) => [a.id, a]));
    for (const card of OFF_AIR_CARDS) expect(planned.get(card.id)).toMatchObject({ kind: 'slate', segmentSeconds: 1 });
  });

  it('names each off-air card by its id, not by its title: a reworded title keeps its card', () => {
    const reworded = { ...OFF_AIR.close, title: { zh: '今天的节目播完了', en: 'That is all for today' } };
    expect(offAirSlot('close', 21 * 60, reworded)).toEqual({
      id: 'close',
      start: '21:00',
      kind: 'off-air',
      title: reworded.title,
      card: 'card-close',
    });
    // Every off-air slot of every timetable of every channel shows a card the sample packages, titled as it is.
    const cards = new Map(OFF_AIR_CARDS.map((c) => [c.id, c.title]));
    const offAir = document.channels.flatMap((c) =>
      Object.values(c.timetables).flatMap((week) =>
        Object.values(week)
          .flat()
          .filter((s) => s.kind === 'off-air'),
      ),
    );
    expect(offAir.length).toBeGreaterThan(0);
    for (const slot of offAir) expect([slot.id, slot.title]).toEqual([slot.id, cards.get(slot.card!)]);
    // Without cards, the same slots show the channel's slate.
    const plain = schoolChannelDocument({ courses: sampleCourses(curriculum), ladder: 'sample', cards: false });
    const plainOffAir = plain.channels.flatMap((c) =>
      Object.values(c.timetables).flatMap((week) =>
        Object.values(week)
          .flat()
          .filter((s) => s.kind === 'off-air'),
      ),
    );
    expect(plainOffAir.map((s) => s.card)).toEqual(plainOffAir.map(() => undefined));
    expect(plainOffAir.map((s) => s.title)).toEqual(offAir.map((s) => s.title));
  });

  it('lists off-air time in the guide by what it is: break, lunch break, off air until the morning', () => {
    const [day] = week(3, '2026-12-03', 1);
    const guide = mergeSlateRuns(day!.items).map((i) => {
      const [start, end] = [localMinutes(day!, i.startMs), localMinutes(day!, i.startMs + i.durationMs)];
      const t = (m: number) =>
        `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(Math.round(m) % 60).padStart(2, '0')}`;
      return `${t(start)}–${t(end)} ${i.title.zh} / ${i.title.en}`;
    });
    expect(guide.slice(0, 6)).toEqual([
      '06:00–07:55 07:55 开播 / Off air until 07:55',
      '07:55–07:56 空中课堂 / Aerial Classroom',
      '07:56–08:00 节目即将开始 / Starting soon',
      expect.stringMatching(/^08:00–08:20 .+ \/ .+/),
      '08:20–08:25 眼保健操 / Eye exercises',
      '08:25–08:40 课间休息 / Break',
    ]);
    expect(guide.slice(7, 9)).toEqual(['09:00–09:05 广播体操 / Calisthenics', '09:05–09:20 课间休息 / Break']);
    expect(guide).toContain('11:40–14:00 午间休息 / Lunch break');
    expect(guide).toContain('14:20–14:30 课间休息 / Break');
    // Off-air time begins when the programme before it ends (the evening carousel stops before 21:00).
    expect(guide.at(-1)).toMatch(/^20:\d\d–06:00 今日节目已结束 \/ Off air until tomorrow$/);
    expect(guide.filter((g) => g.includes('稍后继续'))).toEqual([]); // the slate's own title: a gap no slot explains
  });

  it('orders the videos to package by when they air from now on (a start at 14:00 does not wait for the morning)', () => {
    const [day] = week(3, '2026-12-03', 1);
    const subjects = (fromMs?: number) => groupsInAiringOrder([day!], groups, fromMs).map((g) => g.subject);
    const morning = day!.items.filter((i) => i.kind === 'lesson').map((i) => i.subject);
    expect(subjects()).toEqual([...new Set(morning)]);
    // At 14:10 the first rerun (14:00–14:20) is on air; the others follow in order, then the evening carousel.
    expect(subjects(at(day!, 14 * 60 + 10))).toEqual([...new Set(morning)]);
    expect(subjects(at(day!, 14 * 60 + 25))).toEqual([...new Set([...morning.slice(1), morning[0]!])]);
    expect(subjects(at(day!, 21 * 60))).toEqual([]);
  });

  it('airs no first runs at the weekend, only carousels of the week inside 09–12, 14–17 and 19–21', () => {
    const days = week(4, '2026-11-30', 7);
    const saturday = days[5]!;
    expect(saturday.date).toBe('2026-12-05');
    const programmes = saturday.items.filter((i) => i.kind !== 'slate');
    expect(programmes.filter((i) => i.kind === 'lesson')).toEqual([]);
    const mondayLessons = new Set(days[0]!.items.filter((i) => i.kind === 'lesson').map((i) => i.lessonId));
    const morning = programmes.filter((i) => i.kind === 'rerun' && localMinutes(saturday, i.startMs) < 12 * 60);
    expect(morning.length).toBeGreaterThan(0);
    for (const r of morning) expect(mondayLessons).toContain(r.lessonId);
    for (const p of programmes) {
      const start = localMinutes(saturday, p.startMs);
      const end = localMinutes(saturday, p.startMs + p.durationMs);
      const inside = [
        [9, 12],
        [14, 17],
        [19, 21],
      ].some(([a, b]) => start >= a! * 60 && end <= b! * 60);
      expect(inside, `${p.title.zh} at ${start} min`).toBe(true);
    }
  });

  it('opened on a Thursday, its first weekend loops the first whole school day, not the slate', () => {
    // Without the one-off change Saturday loops Mon–Wed and Sunday morning Thu, before the channel: slate only.
    const lessonsOf = (day: DaySnapshot) => day.items.filter((i) => i.kind === 'rerun').map((i) => i.lessonId);
    const plain = week(4, '2026-12-03', 4);
    expect(lessonsOf(plain[2]!)).toEqual([]);
    const overrides = firstWeekendOverrides(document, '2026-12-03');
    expect(overrides.filter((o) => o.channel === 'g4').map((o) => [o.date, o.action === 'replace' && o.slot])).toEqual([
      ['2026-12-05', 'morning'],
      ['2026-12-05', 'afternoon'],
      ['2026-12-05', 'evening'],
      ['2026-12-06', 'morning'],
    ]);
    expect(overrides).toHaveLength(12 * 4);
    expect(validateChannelDocument({ ...document, overrides }).overrides).toHaveLength(48);
    const [, friday, saturday, sunday] = week(4, '2026-12-03', 4, overrides);
    const fridayLessons = new Set(friday!.items.filter((i) => i.kind === 'lesson').map((i) => i.lessonId));
    expect(fridayLessons.size).toBe(firstRunsPerDay(4));
    for (const day of [saturday!, sunday!]) {
      const reruns = day.items.filter((i) => i.kind === 'rerun');
      for (const [from, to] of [
        [9, 12],
        [14, 17],
        [19, 21],
      ]) {
        const block = reruns.filter(
          (i) => localMinutes(day, i.startMs) >= from! * 60 && localMinutes(day, i.startMs) < to! * 60,
        );
        expect(block.length, `${day.date} ${from}:00`).toBeGreaterThan(0);
        for (const r of block) expect(fridayLessons).toContain(r.lessonId);
        for (const r of block) expect(r.title.zh.length).toBeGreaterThan(0);
      }
      expect(day.warnings.filter((w) => w.code === 'rerun-missing')).toEqual([]);
    }
    // The next weekend is the usual one; a channel opened on a weekend or a Monday… changes nothing it need not.
    expect(firstWeekendOverrides(document, '2026-12-05')).toEqual([]);
    expect(firstWeekendOverrides(document, '2026-12-04').filter((o) => o.channel === 'g1')).toHaveLength(4);
  });
});

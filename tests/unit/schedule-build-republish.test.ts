import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { DaySnapshot, ScheduledItem } from '../../playlists/model.ts';
import { buildDay } from '../../scheduler/schedule/build.ts';
import type { Override, SuspensionOrder } from '../../scheduler/schedule/channel-document.ts';
import {
  buildDays,
  expectTiledDay,
  fixtureCatalog,
  G3_COURSES,
  g3Channel,
  rulesFor,
} from '../helpers/schedule-build-fixtures.ts';

const catalog = fixtureCatalog(G3_COURSES);
const GUARD_MS = 2 * 60_000;

function at(date: string, hhmm: string): number {
  return DateTime.fromISO(`${date}T${hhmm}`, { zone: 'Asia/Shanghai' }).toMillis();
}

/** What the publisher keeps: every item that starts before now + guard, as it was published (a JSON round trip). */
function frozenPrefix(day: DaySnapshot, nowMs: number): ScheduledItem[] {
  const cutoff = nowMs + GUARD_MS;
  return JSON.parse(JSON.stringify(day.items.filter((i) => i.startMs < cutoff))) as ScheduledItem[];
}

function expectMonotonic(items: readonly ScheduledItem[]): void {
  for (let i = 1; i < items.length; i++) {
    expect(items[i]!.mediaSequence).toBeGreaterThan(items[i - 1]!.mediaSequence);
    expect(items[i]!.discontinuitySequence).toBe(items[i - 1]!.discontinuitySequence + 1);
    expect(items[i]!.startMs).toBe(items[i - 1]!.startMs + items[i - 1]!.durationMs);
  }
}

describe('buildDay: republish with frozen items', () => {
  const baseRules = rulesFor(g3Channel(), catalog);
  const [sunday, monday] = buildDays(baseRules, '2026-09-06', 2) as [DaySnapshot, DaySnapshot];

  it('rebuilding with the same rules after a cutoff gives the same day', () => {
    const now = at('2026-09-07', '08:50');
    const frozen = frozenPrefix(monday, now);
    const { snapshot } = buildDay(baseRules, '2026-09-07', sunday.endState, {
      frozenItems: frozen,
      cutoffMs: now + GUARD_MS,
    });
    expect(JSON.stringify(snapshot)).toBe(JSON.stringify(monday));
  });

  it('keeps the aired and airing items byte-identical and rebuilds the rest after an override', () => {
    const now = at('2026-09-07', '08:50'); // math (s2) is airing
    const frozen = frozenPrefix(monday, now);
    expect(frozen.at(-1)!.slotId).toBe('s2');
    const insert: Override = {
      id: 'health-message',
      channel: 'g3',
      date: '2026-09-07',
      action: 'insert',
      with: { id: 'health', start: '13:00', kind: 'filler', asset: 'flag-raising' },
    };
    const rules = rulesFor(g3Channel(), catalog, { overrides: [insert] });
    const { snapshot } = buildDay(rules, '2026-09-07', sunday.endState, {
      frozenItems: frozen,
      cutoffMs: now + GUARD_MS,
    });
    expect(JSON.stringify(snapshot.items.slice(0, frozen.length))).toBe(JSON.stringify(frozen));
    expectTiledDay(snapshot, catalog);
    expectMonotonic(snapshot.items);
    expect(snapshot.items.filter((i) => i.slotId === 'health')).toHaveLength(1);
    // Progression and today's first runs are replayed from the kept items: no lesson airs twice as a first run.
    const firstRuns = snapshot.items.filter((i) => i.kind === 'lesson').map((i) => i.lessonId);
    expect(firstRuns).toEqual(monday.items.filter((i) => i.kind === 'lesson').map((i) => i.lessonId));
    expect(snapshot.endState.progression).toEqual(monday.endState.progression);
    expect(snapshot.endState.recentFirstRuns).toEqual(monday.endState.recentFirstRuns);
    // The afternoon reruns still find the morning's lessons.
    expect(snapshot.items.find((i) => i.slotId === 'r2')!.lessonId).toBe(
      monday.items.find((i) => i.slotId === 's2')!.lessonId,
    );
    // Items after the cutoff that did not move keep their ids.
    const s3Before = monday.items.find((i) => i.slotId === 's3')!;
    expect(snapshot.items.find((i) => i.slotId === 's3')!.id).toBe(s3Before.id);
  });

  it('still places a slot due after the cutoff even though the airing item runs past it (late, with an overrun)', () => {
    const now = at('2026-09-07', '08:50');
    const frozen = frozenPrefix(monday, now);
    const airing = frozen.at(-1)!;
    const airingEnd = airing.startMs + airing.durationMs;
    // A whole local minute after the cutoff and before the airing lesson ends.
    const due = DateTime.fromMillis(now + GUARD_MS, { zone: 'Asia/Shanghai' })
      .plus({ minutes: 1 })
      .startOf('minute');
    expect(due.toMillis()).toBeLessThan(airingEnd);
    const insert: Override = {
      id: 'late-insert',
      channel: 'g3',
      date: '2026-09-07',
      action: 'insert',
      with: { id: 'late', start: due.toFormat('HH:mm'), kind: 'filler', asset: 'flag-raising' },
    };
    const rules = rulesFor(g3Channel(), catalog, { overrides: [insert] });
    const { snapshot, warnings } = buildDay(rules, '2026-09-07', sunday.endState, {
      frozenItems: frozen,
      cutoffMs: now + GUARD_MS,
    });
    const placed = snapshot.items.find((i) => i.slotId === 'late');
    expect(placed?.startMs).toBe(airingEnd);
    expect(warnings.some((w) => w.code === 'overrun' && w.slotId === 'late')).toBe(true);
    expectTiledDay(snapshot, catalog, frozen.length);
  });

  it('continues a carousel that was airing at the cutoff instead of restarting it', () => {
    const now = at('2026-09-07', '19:30');
    const frozen = frozenPrefix(monday, now);
    const loopItems = frozen.filter((i) => i.slotId === 'loop');
    expect(loopItems.length).toBeGreaterThanOrEqual(1);
    const { snapshot } = buildDay(baseRules, '2026-09-07', sunday.endState, {
      frozenItems: frozen,
      cutoffMs: now + GUARD_MS,
    });
    expect(JSON.stringify(snapshot.items)).toBe(JSON.stringify(monday.items));
    expect(JSON.stringify(snapshot.endState)).toBe(JSON.stringify(monday.endState));
    // y1 found nothing to rerun on the first build; on republish it is simply past, and says so.
    expect(snapshot.warnings).toEqual([expect.objectContaining({ code: 'slot-skipped', slotId: 'y1' })]);
  });

  it('switches to the suspension timetable mid-day: morning kept from the term timetable, afternoon from the suspension one', () => {
    const now = at('2026-09-07', '09:20'); // English (s3) airing
    const frozen = frozenPrefix(monday, now);
    const order: SuspensionOrder = {
      id: 'typhoon',
      from: '2026-09-07',
      to: '2026-09-08',
      channels: ['g3'],
      regions: [],
      notice: { zh: '台风停课', en: 'Typhoon: classes on TV' },
    };
    const rules = rulesFor(g3Channel(), catalog, { suspensions: [order] });
    const { snapshot, warnings } = buildDay(rules, '2026-09-07', sunday.endState, {
      frozenItems: frozen,
      cutoffMs: now + GUARD_MS,
    });
    expect(snapshot.timetable).toBe('suspension');
    expect(snapshot.notice).toEqual({ orderId: 'typhoon', text: order.notice });
    expect(JSON.stringify(snapshot.items.slice(0, frozen.length))).toBe(JSON.stringify(frozen));
    expectTiledDay(snapshot, catalog);
    expectMonotonic(snapshot.items);
    // Suspension slots due before the kept part ended are skipped (informational); the rest airs.
    expect(warnings.filter((w) => w.code === 'slot-skipped').map((w) => w.slotId)).toEqual(['u1', 'u2', 'ue', 'u3']);
    const rest = snapshot.items.slice(frozen.length).filter((i) => i.kind !== 'slate');
    expect(rest.map((i) => i.slotId).slice(0, 2)).toEqual(['u4', 'u5']);
    expect(rest.slice(2).every((i) => i.slotId === 'uloop')).toBe(true);
    // Progression continues from the kept first runs: u4 airs the Chinese lesson after s1's.
    const chinese = catalog
      .courseLessons(3, 'chinese', 'tongbian')
      .filter((l) => l.assetId !== undefined)
      .map((l) => l.id);
    const s1Lesson = frozen.find((i) => i.slotId === 's1')!.lessonId!;
    expect(rest[0]!.lessonId).toBe(chinese[chinese.indexOf(s1Lesson) + 1]);
    // The carousel loops today's first runs: the three kept term lessons and the two suspension ones.
    const loopLessons = rest.filter((i) => i.slotId === 'uloop').map((i) => i.lessonId);
    const todays = snapshot.items.filter((i) => i.kind === 'lesson').map((i) => i.lessonId);
    expect(todays).toHaveLength(5);
    expect(loopLessons.slice(0, 5)).toEqual(todays);
    // The next day continues seamlessly from the republished end state, on the suspension timetable.
    const tuesday = buildDay(rules, '2026-09-08', snapshot.endState).snapshot;
    expect(tuesday.startMs).toBe(snapshot.endMs);
    expect(tuesday.mediaSequenceStart).toBe(snapshot.endState.mediaSequence);
    expect(tuesday.timetable).toBe('suspension');
    expectTiledDay(tuesday, catalog);
  });

  it('never lets sequence numbers go back across successive republishes of the same day', () => {
    let published = monday;
    const overrides: Override[] = [];
    // Each republish happens while a lesson airs and inserts a short message in a later gap.
    const rounds = [
      ['08:05', '08:22'],
      ['08:45', '09:01'],
      ['14:05', '14:22'],
      ['14:35', '15:00'],
      ['19:05', '20:00'],
    ] as const;
    for (const [nowAt, msgAt] of rounds) {
      const now = at('2026-09-07', nowAt);
      const frozen = frozenPrefix(published, now);
      const id = `msg-${msgAt.replace(':', '')}`;
      overrides.push({
        id,
        channel: 'g3',
        date: '2026-09-07',
        action: 'insert',
        with: { id, start: msgAt, kind: 'filler', asset: 'ident' },
      });
      const { snapshot } = buildDay(
        rulesFor(g3Channel(), catalog, { overrides: [...overrides] }),
        '2026-09-07',
        sunday.endState,
        {
          frozenItems: frozen,
          cutoffMs: now + GUARD_MS,
        },
      );
      expect(JSON.stringify(snapshot.items.slice(0, frozen.length))).toBe(JSON.stringify(frozen));
      expect(snapshot.items[frozen.length]!.mediaSequence).toBeGreaterThan(frozen.at(-1)!.mediaSequence);
      expectMonotonic(snapshot.items);
      expectTiledDay(snapshot, catalog, frozen.length);
      expect(snapshot.warnings.filter((w) => w.code === 'overrun')).toEqual([]);
      published = snapshot;
    }
    const messages = published.items.filter((i) => i.slotId?.startsWith('msg-'));
    expect(messages.map((i) => i.slotId)).toEqual(['msg-0822', 'msg-0901', 'msg-1422', 'msg-1500', 'msg-2000']);
    // The evening carousel that was airing at 19:05 stops before the 20:00 message.
    const loop = published.items.filter((i) => i.slotId === 'loop');
    expect(loop.at(-1)!.startMs + loop.at(-1)!.durationMs).toBeLessThanOrEqual(messages.at(-1)!.slotStartMs!);
  });

  it('rejects frozen items that do not belong to the day or reach past the cutoff', () => {
    const now = at('2026-09-07', '08:50');
    const frozen = frozenPrefix(monday, now);
    expect(() => buildDay(baseRules, '2026-09-07', undefined, { frozenItems: frozen })).toThrow(
      /frozen items do not start this day/,
    );
    expect(() =>
      buildDay(baseRules, '2026-09-07', sunday.endState, { frozenItems: frozen, cutoffMs: at('2026-09-07', '08:00') }),
    ).toThrow(/starts at or after the cutoff/);
  });
});

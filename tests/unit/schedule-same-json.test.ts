/**
 * The publisher decides "unchanged day, no new version" with sameJson instead of comparing two
 * JSON.stringify outputs; it must agree with that comparison on real built days and their mutations.
 */
import { describe, expect, it } from 'vitest';
import type { DaySnapshot } from '../../playlists/model.ts';
import { sameJson } from '../../scheduler/schedule/publish.ts';
import { buildDays, fixtureCatalog, G3_COURSES, g3Channel, rulesFor } from '../helpers/schedule-build-fixtures.ts';

const textEqual = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe('sameJson', () => {
  const days = buildDays(rulesFor(g3Channel(), fixtureCatalog(G3_COURSES)), '2026-09-06', 3) as DaySnapshot[];
  const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  it('finds a built day equal to its stored (parsed) form and different from every other day', () => {
    for (const [i, day] of days.entries()) {
      expect(sameJson(day, roundTrip(day))).toBe(true);
      for (const [j, other] of days.entries()) expect(sameJson(day, other)).toBe(i === j);
    }
  });

  it('agrees with comparing JSON text on single-field changes anywhere in a day', () => {
    const day = roundTrip(days[1]!);
    const item = day.items.findIndex((i) => i.kind === 'lesson' && i.slotId !== undefined);
    expect(item).toBeGreaterThan(0);
    const mutations: Array<(d: DaySnapshot) => void> = [
      (d) => void (d.items[item]!.startMs += 1),
      (d) => void (d.items[item]!.title.zh += '。'),
      (d) => void (d.items[item]!.slotId = undefined),
      (d) => void d.items.pop(),
      (d) => void d.items.push(d.items[0]!),
      (d) => void (d.endState.mediaSequence += 1),
      (d) => void (d.notice = { orderId: 'flu-2026', text: { zh: '停课', en: 'Classes suspended' } }),
      (d) => void ((d as unknown as Record<string, unknown>).extra = 0),
      (d) => void (d.timetable = 'holiday'),
      (d) => void ((d.items[item] as unknown as Record<string, unknown>).kind = null),
    ];
    for (const mutate of mutations) {
      const changed = roundTrip(day);
      mutate(changed);
      expect(textEqual(day, changed)).toBe(false);
      expect(sameJson(day, changed)).toBe(false);
      expect(sameJson(changed, day)).toBe(false);
    }
  });

  it('treats keys holding undefined as absent, as JSON text does', () => {
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(sameJson({ a: 1, b: undefined }, { a: 1, b: null })).toBe(false);
    expect(sameJson([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameJson({ 0: 1, 1: 2 }, [1, 2])).toBe(false);
    expect(sameJson([], [])).toBe(true);
    expect(sameJson({ a: [{ b: 'x' }] }, { a: [{ b: 'y' }] })).toBe(false);
  });
});

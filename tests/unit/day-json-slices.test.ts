import { describe, expect, it } from 'vitest';
import type { DaySnapshot } from '../../playlists/model.ts';
import { parseDayInSlices } from '../../scheduler/guide/day-json-slices.ts';
import { buildDays, fixtureCatalog, G3_COURSES, g3Channel, rulesFor } from '../helpers/schedule-build-fixtures.ts';

/** Counts the steps a parse takes, running each at once. */
function counted(): { step: <T>(work: () => T) => Promise<T>; steps: () => number } {
  let steps = 0;
  return {
    step: async (work) => {
      steps++;
      return work();
    },
    steps: () => steps,
  };
}

const [day] = buildDays(rulesFor(g3Channel(), fixtureCatalog(G3_COURSES)), '2026-09-07', 1);

describe('parseDayInSlices', () => {
  it('equals JSON.parse of a built day, in many steps when slices are small', async () => {
    const body = JSON.stringify(day);
    const { step, steps } = counted();
    expect(await parseDayInSlices(body, step, 512)).toEqual(JSON.parse(body));
    expect(steps()).toBeGreaterThan(body.length / 512 / 2);
  });

  it('is not fooled by commas, brackets, quotes and backslashes inside titles', async () => {
    const tricky: DaySnapshot = {
      ...day!,
      items: day!.items.map((item, i) => ({
        ...item,
        title: { zh: `《},{"items":[]》 ${i}`, en: `a \\"quoted\\", [bracketed] {braced} \\\\ ${i}` },
      })),
    };
    const body = JSON.stringify(tricky);
    expect(await parseDayInSlices(body, counted().step, 300)).toEqual(tricky);
  });

  it('parses a day without items, and a small day in one step', async () => {
    const empty = JSON.stringify({ ...day!, items: [] });
    expect(await parseDayInSlices(empty, counted().step, 16)).toEqual(JSON.parse(empty));
    const { step, steps } = counted();
    await parseDayInSlices(JSON.stringify({ ...day!, items: day!.items.slice(0, 5) }), step);
    expect(steps()).toBe(1);
  });

  it('refuses a body whose items array does not close', async () => {
    const body = JSON.stringify(day).replace(/\]\s*,\s*"warnings"/, ',"warnings"');
    await expect(parseDayInSlices(body, counted().step, 64)).rejects.toThrow(SyntaxError);
  });
});

import { describe, expect, it } from 'vitest';
import { placeRails, railContentHeight, RAILS } from '../../tv-app/src/ondemand/rail-layout.ts';

describe('on-demand rail layout', () => {
  it('keeps text-only rails where they always were: 150 px apart from y 140, all shown', () => {
    expect(placeRails([false, false, false, false, false], 0)).toEqual(
      [140, 290, 440, 590, 740].map((y) => ({ y, shown: true })),
    );
    expect(placeRails([false, false, false, false, false], 4)).toEqual(
      placeRails([false, false, false, false, false], 0),
    );
  });

  it('gives poster rails room for a 16:9 picture at tile width and its title', () => {
    expect(RAILS.posterH).toBe(Math.round((RAILS.tileW * 9) / 16));
    expect(railContentHeight(true) - railContentHeight(false)).toBe(
      RAILS.posterH + RAILS.posterCaptionH - RAILS.textTileH,
    );
  });

  it('scrolls just enough to show the focused poster rail whole, and hides rails cut at either edge', () => {
    const posters = [true, false, false, false, true]; // continue watching, grades, subjects, units, lessons
    const atTop = placeRails(posters, 0);
    expect(atTop[0]).toEqual({ y: 140, shown: true });
    expect(atTop.map((r) => r.shown)).toEqual([true, true, true, true, false]);
    const atLessons = placeRails(posters, 4);
    expect(atLessons[4]!.y + railContentHeight(true)).toBe(RAILS.bottom);
    expect(atLessons.map((r) => r.shown)).toEqual([false, true, true, true, true]);
    for (const r of atLessons.filter((x) => x.shown)) expect(r.y).toBeGreaterThanOrEqual(RAILS.top);
  });
});

import { describe, expect, it } from 'vitest';
import {
  airingState,
  firstVisibleRow,
  floorToHalfHour,
  focusTimeFor,
  groupNarrowCells,
  halfHourMarkers,
  mergeSlateRuns,
  programmeIndexAt,
  progressAt,
  railWindow,
  stripCells,
  stripX,
  windowEndMs,
  windowStartFor,
  type GridScale,
  type TimeStrip,
} from '../../tv-app/src/guide/time-grid.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 2, 0, 0); // 08:00 in Shanghai
const scale: GridScale = { windowStartMs: T0, widthPx: 1200, pxPerMinute: 10 }; // 120 minutes across

/** Programmes back to back: [start minute, length minutes] relative to T0. */
function row(...spans: [number, number][]) {
  return spans.map(([start, length], i) => ({
    id: `p${i}`,
    kind: 'programme',
    startMs: T0 + start * MIN,
    endMs: T0 + (start + length) * MIN,
  }));
}

describe('time ↔ pixels', () => {
  it('maps instants linearly onto the strip from its origin, in whole pixels', () => {
    const strip: TimeStrip = { originMs: T0, pxPerMinute: 10 };
    expect(stripX(T0, strip)).toBe(0);
    expect(stripX(T0 + 30 * MIN, strip)).toBe(300);
    expect(stripX(T0 - 6 * MIN, strip)).toBe(-60);
    expect(stripX(T0 + 1_000, { originMs: T0, pxPerMinute: 15.733 })).toBe(0);
    expect(windowEndMs(scale)).toBe(T0 + 120 * MIN);
  });

  it('puts a marker on every half hour inside the window, the left edge included', () => {
    expect(halfHourMarkers(scale)).toEqual([0, 30, 60, 90].map((m) => T0 + m * MIN));
    expect(halfHourMarkers({ ...scale, windowStartMs: T0 + 10 * MIN })).toEqual(
      [30, 60, 90, 120].map((m) => T0 + m * MIN),
    );
    expect(floorToHalfHour(T0 + 29 * MIN + 59_999)).toBe(T0);
    expect(floorToHalfHour(T0 + 30 * MIN)).toBe(T0 + 30 * MIN);
  });
});

describe('time strip (windowing)', () => {
  const programmes = row([-50, 60], [10, 20], [30, 45], [75, 60], [135, 20], [155, 30]);
  /** The strip starts 24 h before T0; the window (scale) starts at T0. */
  const strip: TimeStrip = { originMs: T0 - 24 * 60 * MIN, pxPerMinute: 10 };
  const at = (minutes: number) => 24 * 60 * 10 + minutes * 10;

  it('returns only the programmes overlapping the window, with their indexes and full (unclipped) strip geometry', () => {
    const cells = stripCells(programmes, scale, strip);
    expect(cells.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(cells.map((c) => [c.x, c.w])).toEqual([
      [at(-50), 600],
      [at(10), 200],
      [at(30), 450],
      [at(75), 600],
    ]);
    // The viewport shows the window: the strip is offset by the window start's strip x.
    expect(stripX(scale.windowStartMs, strip)).toBe(at(0));
  });

  it('keeps a programme’s position and size when the window moves (scrolling moves only the strip)', () => {
    const later = stripCells(programmes, { ...scale, windowStartMs: T0 + 30 * MIN }, strip);
    const now = stripCells(programmes, scale, strip);
    for (const cell of later) {
      const same = now.find((c) => c.index === cell.index);
      if (same) expect([cell.x, cell.w]).toEqual([same.x, same.w]);
    }
    expect(later.map((c) => c.index)).toEqual([2, 3, 4]);
  });

  it('tiles back-to-back programmes exactly whatever the rounding', () => {
    const odd = { originMs: T0, pxPerMinute: 15.733 };
    const cells = stripCells(row([0, 7], [7, 13], [20, 11], [31, 19]), scale, odd);
    for (let i = 1; i < cells.length; i++) expect(cells[i]!.x).toBe(cells[i - 1]!.x + cells[i - 1]!.w);
  });

  it('costs the same however long the row is: a day of 5-minute items yields only the window', () => {
    const day = Array.from({ length: 288 }, (_, i) => ({
      id: `d${i}`,
      startMs: T0 - 12 * 60 * MIN + i * 5 * MIN,
      endMs: T0 - 12 * 60 * MIN + (i + 1) * 5 * MIN,
    }));
    const cells = stripCells(day, scale, strip);
    expect(cells).toHaveLength(24);
    expect(cells[0]!.programme.startMs).toBe(T0);
    expect(cells.every((c) => c.w === 50)).toBe(true);
  });

  it('skips programmes that round to zero width and handles an empty row', () => {
    expect(stripCells(row([-10, 10], [120, 5]), scale, strip)).toEqual([]);
    expect(stripCells(row([30, 0.01]), scale, strip)).toEqual([]);
    expect(stripCells([], scale, strip)).toEqual([]);
  });
});

describe('narrow programmes (carousels of short clips)', () => {
  const strip: TimeStrip = { originMs: T0, pxPerMinute: 10 };
  /** 30 s clips from T0 to T0 + 20 min (5 px each), then a 30-minute lesson. */
  const clips = [
    ...Array.from({ length: 40 }, (_, i) => [i / 2, 0.5] as [number, number]),
    [20, 30] as [number, number],
  ];
  const cells = stripCells(row(...clips), scale, strip);
  const stateAt = (nowMs: number) => (p: { startMs: number; endMs: number }) => airingState(p as never, nowMs);

  it('draws a run of slivers as one block per airing state, wide programmes alone, covering the same pixels', () => {
    const grouped = groupNarrowCells(cells, 16, -1, stateAt(T0 + 10 * MIN + 1));
    expect(grouped.map((c) => c.count)).toEqual([20, 1, 19, 1]);
    expect(grouped.map((c) => c.index)).toEqual([0, 20, 21, 40]);
    expect(grouped[0]).toMatchObject({ x: 0, w: 100 });
    for (let i = 1; i < grouped.length; i++) expect(grouped[i]!.x).toBe(grouped[i - 1]!.x + grouped[i - 1]!.w);
    expect(grouped.at(-1)).toMatchObject({ x: 200, w: 300, count: 1 });
  });

  it('keeps the focused sliver a cell of its own, so focus still moves programme by programme', () => {
    const grouped = groupNarrowCells(cells, 16, 5, stateAt(T0 - MIN));
    expect(grouped.map((c) => [c.index, c.count])).toEqual([
      [0, 5],
      [5, 1],
      [6, 34],
      [40, 1],
    ]);
    expect(grouped[1]).toMatchObject({ x: 25, w: 5 });
  });

  it('leaves a row of wide programmes untouched', () => {
    const wide = stripCells(row([0, 30], [30, 30]), scale, strip);
    expect(groupNarrowCells(wide, 16, -1, stateAt(T0))).toEqual(wide.map((c) => ({ ...c, count: 1 })));
  });
});

describe('focus movement', () => {
  const programmes = row([-50, 60], [10, 20], [30, 45], [75, 60], [135, 20]);

  it('finds the programme on air at an instant, else the next, else the last', () => {
    expect(programmeIndexAt(programmes, T0)).toBe(0);
    expect(programmeIndexAt(programmes, T0 + 10 * MIN)).toBe(1);
    expect(programmeIndexAt(programmes, T0 + 500 * MIN)).toBe(4);
    expect(programmeIndexAt([], T0)).toBe(-1);
  });

  it('keeps the window while the focused programme starts inside it, else jumps to its half hour', () => {
    const earliest = T0 - 24 * 60 * MIN;
    const latest = T0 + 48 * 60 * MIN;
    expect(windowStartFor(programmes[2]!, scale, earliest, latest)).toBe(T0);
    // Starts before the window and is still on at its left edge: no jump.
    expect(windowStartFor(programmes[0]!, scale, earliest, latest)).toBe(T0);
    // Starts in the last quarter hour of the window or after it: the window moves to its half hour.
    expect(windowStartFor(programmes[4]!, scale, earliest, latest)).toBe(T0 + 120 * MIN);
    const longBefore = { id: 'x', startMs: T0 - 95 * MIN, endMs: T0 - 70 * MIN };
    expect(windowStartFor(longBefore, scale, earliest, latest)).toBe(T0 - 120 * MIN);
    // Never before the earliest allowed instant (24 h back) nor after the last published.
    expect(windowStartFor(longBefore, scale, T0 - 60 * MIN, latest)).toBe(T0 - 60 * MIN);
    expect(windowStartFor(programmes[4]!, scale, earliest, T0 + 60 * MIN)).toBe(T0 + 60 * MIN);
  });

  it('moving between rows aims at the focused programme start, or the window start if that is later', () => {
    expect(focusTimeFor(programmes[2], scale)).toBe(T0 + 30 * MIN);
    expect(focusTimeFor(programmes[0], scale)).toBe(T0);
    expect(focusTimeFor(undefined, scale)).toBe(T0);
  });

  it('scrolls rows only as far as needed to keep the focused row visible', () => {
    expect(firstVisibleRow(0, 0, 6, 100)).toBe(0);
    expect(firstVisibleRow(5, 0, 6, 100)).toBe(0);
    expect(firstVisibleRow(6, 0, 6, 100)).toBe(1);
    expect(firstVisibleRow(3, 4, 6, 100)).toBe(3);
    expect(firstVisibleRow(99, 0, 6, 100)).toBe(94);
    expect(firstVisibleRow(2, 0, 6, 3)).toBe(0);
    expect(railWindow(7, 0, 6, 10)).toEqual({ first: 2, last: 8 });
    expect(railWindow(0, 0, 6, 2)).toEqual({ first: 0, last: 2 });
  });
});

describe('airing state, progress and slate runs', () => {
  const [p] = row([0, 20]);
  it('classifies past / airing / future at the boundaries', () => {
    expect(airingState(p!, T0 - 1)).toBe('future');
    expect(airingState(p!, T0)).toBe('airing');
    expect(airingState(p!, T0 + 20 * MIN - 1)).toBe('airing');
    expect(airingState(p!, T0 + 20 * MIN)).toBe('past');
    expect(progressAt(p!, T0 + 5 * MIN)).toBe(0.25);
    expect(progressAt(p!, T0 + 60 * MIN)).toBe(1);
    expect(progressAt(p!, T0 - MIN)).toBe(0);
  });

  it('keeps off-air stretches of different titles apart', () => {
    const night = [
      { id: 'a', kind: 'slate', startMs: 0, endMs: 10, title: { zh: '今日节目已结束', en: 'Off air until tomorrow' } },
      { id: 'b', kind: 'slate', startMs: 10, endMs: 12, title: { zh: '今日节目已结束', en: 'Off air until tomorrow' } },
      { id: 'c', kind: 'slate', startMs: 12, endMs: 20, title: { zh: '07:55 开播', en: 'Off air until 07:55' } },
    ];
    expect(mergeSlateRuns(night).map((x) => [x.id, x.startMs, x.endMs])).toEqual([
      ['a', 0, 12],
      ['c', 12, 20],
    ]);
  });

  it('merges back-to-back slate pieces into one break, never programmes', () => {
    const pieces = [
      { id: 'a', kind: 'programme', startMs: 0, endMs: 10, end: 'e10' },
      { id: 'b', kind: 'slate', startMs: 10, endMs: 12, end: 'e12' },
      { id: 'c', kind: 'slate', startMs: 12, endMs: 14, end: 'e14' },
      { id: 'd', kind: 'programme', startMs: 14, endMs: 20, end: 'e20' },
      { id: 'e', kind: 'programme', startMs: 20, endMs: 30, end: 'e30' },
      { id: 'f', kind: 'slate', startMs: 30, endMs: 31, end: 'e31' },
    ];
    expect(mergeSlateRuns(pieces).map((x) => [x.id, x.startMs, x.endMs, x.end])).toEqual([
      ['a', 0, 10, 'e10'],
      ['b', 10, 14, 'e14'],
      ['d', 14, 20, 'e20'],
      ['e', 20, 30, 'e30'],
      ['f', 30, 31, 'e31'],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { mergeSlateRuns } from '../../playlists/guide-items.ts';
import type { ScheduledItem } from '../../playlists/model.ts';

function item(kind: ScheduledItem['kind'], startMs: number, durationMs: number, id = `c-${startMs}`): ScheduledItem {
  return {
    id,
    kind,
    assetId: kind,
    title: { zh: kind },
    startMs,
    durationMs,
    segmentOffset: 0,
    segmentCount: durationMs / 1000,
    mediaSequence: 0,
    discontinuitySequence: 0,
  };
}

describe('mergeSlateRuns', () => {
  it('merges abutting slate items into one entry with the first id, and leaves everything else alone', () => {
    const items = [
      item('lesson', 0, 60_000),
      item('slate', 60_000, 60_000),
      item('slate', 120_000, 60_000),
      item('slate', 180_000, 30_000),
      item('filler', 210_000, 10_000),
      item('slate', 220_000, 5_000),
    ];
    const merged = mergeSlateRuns(items);
    expect(merged.map((i) => [i.kind, i.startMs, i.durationMs, i.id])).toEqual([
      ['lesson', 0, 60_000, 'c-0'],
      ['slate', 60_000, 150_000, 'c-60000'],
      ['filler', 210_000, 10_000, 'c-210000'],
      ['slate', 220_000, 5_000, 'c-220000'],
    ]);
    expect(merged[1]!.segmentCount).toBe(150);
    expect(items[1]!.durationMs).toBe(60_000); // inputs are not mutated
  });

  it('does not merge slate items that do not abut', () => {
    expect(mergeSlateRuns([item('slate', 0, 1000), item('slate', 2000, 1000)])).toHaveLength(2);
  });

  it('keeps the off-air time of different slots apart (a gap fill, then 午间休息, then the night)', () => {
    const lunch = { slotId: 'lunch', title: { zh: '午间休息', en: 'Lunch break' } };
    const items = [
      item('slate', 0, 1000),
      { ...item('slate', 1000, 60_000), ...lunch },
      { ...item('slate', 61_000, 60_000), ...lunch },
      { ...item('slate', 121_000, 60_000), slotId: 'close' },
    ];
    expect(mergeSlateRuns(items).map((i) => [i.slotId, i.startMs, i.durationMs, i.title.zh])).toEqual([
      [undefined, 0, 1000, 'slate'],
      ['lunch', 1000, 120_000, '午间休息'],
      ['close', 121_000, 60_000, 'slate'],
    ]);
  });
});

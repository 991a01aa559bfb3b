/**
 * What Preview & publish lists for a day (scheduler/admin/schedule-changes.ts diffDays), as a guide lists it: the
 * slate items that cut a stretch of off-air time into pieces (a night is hundreds) are one entry.
 */
import { describe, expect, it } from 'vitest';
import type { DaySnapshot, ScheduledItem } from '../../playlists/model.ts';
import { diffDays } from '../../scheduler/admin/schedule-changes.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-12-07T13:00:00Z'); // 21:00 in Shanghai

function item(id: string, kind: ScheduledItem['kind'], startMin: number, minutes: number, extra = {}): ScheduledItem {
  return {
    ...{ id, kind, assetId: kind === 'slate' ? 'card-close' : `asset-${id}`, title: { zh: `节目 ${id}` } },
    ...{ startMs: T0 + startMin * MIN, durationMs: minutes * MIN, segmentOffset: 0, segmentCount: minutes * 10 },
    ...{ mediaSequence: 0, discontinuitySequence: 0 },
    ...extra,
  };
}

/** A night off air: `pieces` slate items of 1 minute from 21:00, slot `close`, titled as the guide titles it. */
const night = (pieces: number) =>
  Array.from({ length: pieces }, (_, i) =>
    item(`s${i}`, 'slate', 10 + i, 1, { slotId: 'close', title: { zh: '今日节目已结束' } }),
  );

function day(items: ScheduledItem[]): DaySnapshot {
  return { channelId: 'g3', date: '2026-12-07', version: 1, items } as unknown as DaySnapshot;
}

describe('a day’s changes', () => {
  it('list a night off air as one entry, not one per slate piece', () => {
    const candidate = day([item('l1', 'lesson', 0, 10), ...night(540)]);
    const { added, removed, moved } = diffDays(undefined, candidate);
    expect(added.map((i) => [i.id, i.kind, i.title, i.durationMs])).toEqual([
      ['l1', 'lesson', '节目 l1', 10 * MIN],
      ['s0', 'slate', '今日节目已结束', 540 * MIN],
    ]);
    expect([removed, moved]).toEqual([[], []]);
  });

  it('a night made shorter is that night moved (its length), nothing added or removed', () => {
    const published = day([item('l1', 'lesson', 0, 10), ...night(540)]);
    const candidate = day([item('l1', 'lesson', 0, 10), ...night(480)]);
    const { added, removed, moved } = diffDays(published, candidate);
    expect([added, removed]).toEqual([[], []]);
    expect(moved).toEqual([
      {
        ...{ id: 's0', title: '今日节目已结束', fromStartMs: T0 + 10 * MIN, toStartMs: T0 + 10 * MIN },
        ...{ fromDurationMs: 540 * MIN, toDurationMs: 480 * MIN },
      },
    ]);
  });
});

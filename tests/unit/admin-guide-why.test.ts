/**
 * The guide's "why is this airing" link target (admin-app/src/guide-model.ts) and the server's pure parts
 * (scheduler/admin/airing-why.ts): which override a slot id names, and which item airs at an instant.
 */
import { describe, expect, it } from 'vitest';
import { whyTarget } from '../../admin-app/src/guide-model.ts';
import { itemAt, whySource } from '../../scheduler/admin/airing-why.ts';
import type { DaySnapshot } from '../../playlists/model.ts';
import type { Override } from '../../scheduler/schedule/channel-document.ts';

const base = { channelId: 'g4', template: 'holiday', weekday: 'tue' };

describe('whyTarget', () => {
  it('opens the timetable editor on the slot, with template and weekday', () => {
    expect(whyTarget({ ...base, source: 'slot', slotId: 's122' })).toEqual({
      name: 'timetables',
      params: { channel: 'g4', template: 'holiday', day: 'tue', slot: 's122' },
    });
  });
  it('opens the override; a gap fill leads nowhere', () => {
    expect(whyTarget({ ...base, source: 'override', slotId: 'x', overrideId: 'flag' })).toEqual({
      name: 'overrides',
      params: { channel: 'g4', id: 'flag' },
    });
    expect(whyTarget({ ...base, source: 'gap' })).toBeUndefined();
  });
});

describe('whySource', () => {
  const overrides: Override[] = [
    {
      id: 'flag',
      channel: 'g4',
      date: '2026-12-04',
      action: 'replace',
      slot: 's120',
      with: { id: 'flag-slot', start: '08:00', kind: 'programme', asset: 'a' },
    } as Override,
    {
      id: 'psa',
      channel: 'g4',
      date: '2026-12-04',
      action: 'insert',
      with: { id: 'psa-slot', start: '09:00', kind: 'programme', asset: 'b' },
    } as Override,
  ];
  it('names the override whose slot it is, with the slot it replaced', () => {
    expect(whySource({ slotId: 'flag-slot' }, overrides)).toEqual({
      source: 'override',
      slotId: 'flag-slot',
      overrideId: 'flag',
      overrideAction: 'replace',
      replacedSlotId: 's120',
    });
    expect(whySource({ slotId: 'psa-slot' }, overrides)).toEqual({
      source: 'override',
      slotId: 'psa-slot',
      overrideId: 'psa',
      overrideAction: 'insert',
    });
  });
  it('else the template slot, and an item without a slot is a gap fill', () => {
    expect(whySource({ slotId: 's121' }, overrides)).toEqual({ source: 'slot', slotId: 's121' });
    expect(whySource({}, overrides)).toEqual({ source: 'gap' });
  });
});

describe('itemAt', () => {
  const items = [
    { id: 'a', startMs: 0, durationMs: 100 },
    { id: 'b', startMs: 100, durationMs: 50 },
  ];
  const snapshot = { items } as unknown as DaySnapshot;
  it('finds the item airing at an instant, start inclusive and end exclusive', () => {
    expect(itemAt(snapshot, 0)?.id).toBe('a');
    expect(itemAt(snapshot, 99)?.id).toBe('a');
    expect(itemAt(snapshot, 100)?.id).toBe('b');
    expect(itemAt(snapshot, 150)).toBeUndefined();
  });
});

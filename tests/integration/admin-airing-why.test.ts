/**
 * `GET /api/admin/guide/why`: for the programme a channel airs at an instant, the template slot, override or gap
 * fill that produced it, from the published day (the item's slot id, the template the build used) and the day's
 * overrides. A suspension order that chose the template is named. Bad input: 400 naming the parameter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../scheduler/clock.ts';
import { importChannelDocument } from '../../scheduler/schedule/channels-repository.ts';
import { startAdminWorld, type AdminWorld } from './admin-fixtures.ts';
import { publish } from './origin-fixtures.ts';

// 2026-11-23 is a Monday; 08:00:10 in Shanghai.
const NOW = Date.parse('2026-11-23T00:00:10Z');
const at = (iso: string) => Date.parse(iso);
let world: AdminWorld;

beforeAll(async () => {
  world = await startAdminWorld(fixedClock(NOW), {
    publishFrom: '2026-11-23',
    publishDays: 1,
    publishAtMs: NOW - 3600_000,
  });
  importChannelDocument(world.data.db, {
    overrides: [
      {
        id: 'flag-day',
        channel: 't1',
        date: '2026-11-24',
        action: 'replace',
        slot: 'a2',
        with: { id: 'flag', start: '08:20', kind: 'programme', asset: 'lesson-b' },
      },
    ],
    suspensions: [
      { id: 'storm', from: '2026-11-24', to: '2026-11-24', channels: ['t2'], notice: { zh: '停课', en: 'No school' } },
    ],
  });
  publish(world.data.db, 't1', '2026-11-24', 1, NOW);
  publish(world.data.db, 't2', '2026-11-24', 1, NOW);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const why = (query: string, token: string | null = world.tokens.editor) =>
  world.call('GET', `/api/admin/guide/why?${query}`, { token });

describe('GET /api/admin/guide/why', () => {
  it('names the template slot that produced a programme', async () => {
    const res = await why(`channel=t1&at=${at('2026-11-23T00:00:20Z')}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      channelId: 't1',
      date: '2026-11-23',
      version: 1,
      kind: 'programme',
      source: 'slot',
      template: 'term',
      weekday: 'mon',
      slotId: 'a0',
      startMs: at('2026-11-23T00:00:00Z'),
    });
    expect(res.json.overrideId).toBeUndefined();
    expect(res.json.suspensionOrderId).toBeUndefined();
  });

  it('names the override whose slot replaced a template slot', async () => {
    const res = await why(`channel=t1&at=${at('2026-11-24T00:20:05Z')}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      date: '2026-11-24',
      source: 'override',
      slotId: 'flag',
      overrideId: 'flag-day',
      overrideAction: 'replace',
      replacedSlotId: 'a2',
      template: 'term',
      weekday: 'tue',
    });
  });

  it('says a gap was filled, and names the suspension order that chose the template', async () => {
    const gap = await why(`channel=t1&at=${at('2026-11-23T00:05:00Z')}`);
    expect(gap.json).toMatchObject({ source: 'gap', kind: 'slate', template: 'term' });
    expect(gap.json.slotId).toBeUndefined();
    const suspended = await why(`channel=t2&at=${at('2026-11-24T00:10:05Z')}`);
    expect(suspended.json).toMatchObject({
      source: 'slot',
      template: 'suspension',
      slotId: 's1',
      suspensionOrderId: 'storm',
    });
  });

  it('rejects bad input with a 400 naming the parameter, unknown things with 404, and needs a token', async () => {
    const missing = await why('channel=t1');
    expect(missing.status).toBe(400);
    expect(missing.json.problems).toEqual([expect.objectContaining({ field: 'at' })]);
    const bad = await why('channel=t1&at=soon');
    expect(bad.status).toBe(400);
    expect(bad.json.problems.map((p: { field: string }) => p.field)).toEqual(['at']);
    const extra = await why(`channel=t1&at=1&slot=a0`);
    expect(extra.status).toBe(400);
    expect(extra.json.problems[0].field).toBe('slot');
    expect((await why(`channel=nope&at=${NOW}`)).status).toBe(404);
    expect((await why(`channel=t1&at=${at('2027-06-01T00:00:00Z')}`)).status).toBe(404);
    expect((await why(`channel=t1&at=${NOW}`, null)).status).toBe(401);
  });
});

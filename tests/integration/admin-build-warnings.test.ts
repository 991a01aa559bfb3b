/**
 * `GET /api/admin/build-warnings`: per channel, the published days not yet ended (the one on air first) with the
 * warnings of the build that made them, and when the channel was last published. A channel whose timetable names
 * an asset that does not exist gets `asset-missing` warnings; the others none. While media is still being prepared
 * (and in day versions published before it was), the warnings it causes are counted as `waiting` rather than listed.
 * Bad input: 400 naming `days`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../scheduler/clock.ts';
import { importChannelDocument } from '../../scheduler/schedule/channels-repository.ts';
import { startAdminWorld, testChannel, type AdminWorld } from './admin-fixtures.ts';
import { publishDays } from '../../scheduler/schedule/publish.ts';
import { markPrepared, writePreparing } from '../../scheduler/store/preparing.ts';
import { assetCatalogView, publish } from './origin-fixtures.ts';

// 08:00:10 in Shanghai on 2026-11-23: the day of 2026-11-23 is on air.
const NOW = Date.parse('2026-11-23T00:00:10Z');
const PUBLISHED_AT = NOW - 86_400_000;
let world: AdminWorld;

beforeAll(async () => {
  world = await startAdminWorld(fixedClock(NOW), {
    publishFrom: '2026-11-22',
    publishDays: 3,
    publishAtMs: PUBLISHED_AT,
  });
  // A third channel whose term timetable airs an asset nobody packaged.
  const broken = testChannel('t3', 3);
  const timetable = Object.fromEntries(
    Object.entries(broken.timetables.term).map(([day, slots]) => [
      day,
      (slots as object[]).map((s, i) => (i === 0 ? { ...s, asset: 'lesson-gone' } : s)),
    ]),
  );
  importChannelDocument(world.data.db, {
    channels: [{ ...broken, timetables: { ...broken.timetables, term: timetable } }],
  });
  publish(world.data.db, 't3', '2026-11-23', 2, PUBLISHED_AT + 60_000);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('GET /api/admin/build-warnings', () => {
  it('lists per channel the days not yet ended with their build warnings, and the last publish', async () => {
    const res = await world.call('GET', '/api/admin/build-warnings', { token: world.tokens.editor });
    expect(res.status).toBe(200);
    const channels = res.json.channels as {
      channelId: string;
      timezone: string;
      lastPublishedAtMs: number | null;
      days: { date: string; version: number; publishedAtMs: number; warnings: { code: string; message: string }[] }[];
    }[];
    expect(channels.map((c) => c.channelId)).toEqual(['t1', 't2', 't3']);
    const [t1, , t3] = channels;
    // 2026-11-22 has ended: the day on air (23rd) comes first, then the 24th.
    expect(t1!.days.map((d) => d.date)).toEqual(['2026-11-23', '2026-11-24']);
    expect(t1!.days.every((d) => d.warnings.length === 0 && d.version === 1)).toBe(true);
    expect(t1!.lastPublishedAtMs).toBe(PUBLISHED_AT);
    expect(t1!.timezone).toBe('Asia/Shanghai');
    expect(t3!.lastPublishedAtMs).toBe(PUBLISHED_AT + 60_000);
    expect(t3!.days.map((d) => d.date)).toEqual(['2026-11-23', '2026-11-24']);
    for (const day of t3!.days) {
      expect(day.warnings.length).toBeGreaterThan(0);
      expect(day.warnings.every((w) => w.code === 'asset-missing')).toBe(true);
      expect(day.warnings[0]!.message).toMatch('lesson-gone');
    }
  });

  it('returns at most `days` days per channel, and refuses a bad `days` naming it (editor token needed)', async () => {
    const one = await world.call('GET', '/api/admin/build-warnings?days=1', { token: world.tokens.editor });
    expect(one.json.channels.map((c: { days: unknown[] }) => c.days.length)).toEqual([1, 1, 1]);
    const bad = await world.call('GET', '/api/admin/build-warnings?days=99', { token: world.tokens.editor });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json.problems)).toMatch('days');
    expect((await world.call('GET', '/api/admin/build-warnings')).status).toBe(401);
  });

  it('while media is being prepared, counts the warnings it causes as waiting, still listing real faults', async () => {
    // t4's first term slot airs a lesson of the catalog whose video is not packaged yet.
    const waiting = testChannel('t4', 4);
    const term = Object.fromEntries(
      Object.entries(waiting.timetables.term).map(([day, slots]) => [
        day,
        (slots as object[]).map((s, i) => (i === 0 ? { ...s, asset: undefined, lesson: 'lesson-waiting' } : s)),
      ]),
    );
    importChannelDocument(world.data.db, { channels: [{ ...waiting, timetables: { ...waiting.timetables, term } }] });
    const assets = assetCatalogView(world.data.db);
    const lesson = {
      ...{ id: 'lesson-waiting', grade: 3, subject: 'math', edition: 'pep', volume: 1, unit: 1, lesson: 1 },
      ...{ title: { zh: '等待中的课' }, unitTitle: { zh: '第一单元' } },
    };
    const catalog = { ...assets, lesson: (id: string) => (id === lesson.id ? lesson : assets.lesson(id)) };
    publishDays({ db: world.data.db, catalog, channelId: 't4', fromDate: '2026-11-23', days: 2, nowMs: PUBLISHED_AT });
    type Answer = {
      preparing: string | null;
      preparingFacts: { source: string; items: string; remaining: number; total: number } | null;
      channels: { channelId: string; days: { waiting: number; warnings: { code: string }[] }[] }[];
    };
    const get = async () =>
      (await world.call('GET', '/api/admin/build-warnings?days=2', { token: world.tokens.editor })).json as Answer;
    const codes = (answer: Answer, id: string) =>
      answer.channels.find((c) => c.channelId === id)!.days.flatMap((d) => d.warnings.map((w) => w.code));
    const waitingOf = (answer: Answer, id: string) =>
      answer.channels.find((c) => c.channelId === id)!.days.map((d) => d.waiting);

    const before = await get();
    expect(before.preparing).toBeNull();
    expect(before.preparingFacts).toBeNull();
    expect(new Set(codes(before, 't4'))).toEqual(new Set(['lesson-not-packaged']));
    expect(waitingOf(before, 't4')).toEqual([0, 0]);

    writePreparing(world.data.db, {
      what: 'sample',
      items: 'lesson-videos',
      done: 3,
      total: 30,
      note: 'lesson videos',
    });
    try {
      const during = await get();
      expect(during.preparing).toBe('sample: preparing 27 of 30 (lesson videos)');
      // The same as facts, for the console to word in its language.
      expect(during.preparingFacts).toEqual({ source: 'sample', items: 'lesson-videos', remaining: 27, total: 30 });
      expect(codes(during, 't4')).toEqual([]);
      expect(waitingOf(during, 't4')).toEqual([1, 1]);
      // A timetable naming an asset nobody packaged is a fault whatever is being prepared.
      expect(codes(during, 't3').length).toBeGreaterThan(0);
      expect(new Set(codes(during, 't3'))).toEqual(new Set(['asset-missing']));
      expect(waitingOf(during, 't3')).toEqual([0, 0]);
    } finally {
      writePreparing(world.data.db, undefined);
    }
    expect(await get()).toEqual(before);

    // Once prepared, day versions published before that still carry its warnings (the day the preparation started
    // on keeps them): set aside too; versions published after are listed as they are.
    markPrepared(world.data.db, PUBLISHED_AT - 1);
    expect(await get()).toEqual(before);
    markPrepared(world.data.db, PUBLISHED_AT);
    const after = await get();
    expect(after.preparing).toBeNull();
    expect([codes(after, 't4'), waitingOf(after, 't4')]).toEqual([[], [1, 1]]);
    expect(new Set(codes(after, 't3'))).toEqual(new Set(['asset-missing']));
  });
});

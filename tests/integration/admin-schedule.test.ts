/**
 * The class-suspension switch end to end at a fake clock, and preview/publish: a preview shows the
 * diff without publishing; publishing it writes exactly that; a change of inputs (or of what would be
 * written) between preview and publish is rejected with 409 and writes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DaySnapshot } from '../../playlists/model.ts';
import { fixedClock } from '../../scheduler/clock.ts';
import { snapshotVersion } from '../helpers/snapshot-history.ts';
import { checkLiveMediaPlaylist, parseMediaPlaylist, type MediaPlaylist } from '../helpers/hls-conformance.ts';
import { startAdminWorld, type AdminWorld } from './admin-fixtures.ts';

const NOW = Date.parse('2026-11-23T00:00:10Z'); // Monday 08:00:10 in Shanghai: the 08:00 term programme is airing
const GUARD = 120_000;
const NOTICE = { zh: '因寒潮停课，请收看空中课堂', en: 'Schools closed (cold wave): lessons on TV' };
let world: AdminWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

const day = (channel: string, date: string, version: number): DaySnapshot =>
  snapshotVersion(world!.data.db, channel, date, version)!;
const versions = (channel: string, date: string) =>
  world!.data.db
    .prepare('SELECT version FROM day_snapshots WHERE channel_id = ? AND date = ? ORDER BY version')
    .pluck()
    .all(channel, date) as number[];

function expectMonotonic(snapshot: DaySnapshot): void {
  for (let i = 1; i < snapshot.items.length; i++) {
    const [a, b] = [snapshot.items[i - 1]!, snapshot.items[i]!];
    expect(b.startMs).toBe(a.startMs + a.durationMs);
    expect(b.mediaSequence).toBe(a.mediaSequence + a.segmentCount);
    expect(b.discontinuitySequence).toBe(a.discontinuitySequence + 1);
  }
}

async function livePlaylist(
  clock: ReturnType<typeof fixedClock>,
  at: number,
): Promise<{ text: string; playlist: MediaPlaylist }> {
  clock.set(at);
  const res = await world!.call('GET', '/live/t1/360p.m3u8');
  expect(res.status).toBe(200);
  return { text: res.text, playlist: parseMediaPlaylist(res.text) };
}

describe('class suspension in one call', () => {
  it('switches every channel of the region from now + guard, keeps the airing programme, carries the notice, and lifts back', async () => {
    const clock = fixedClock(NOW);
    world = await startAdminWorld(clock, { publishFrom: '2026-11-22', publishDays: 4, publishAtMs: NOW - 86_400_000 });
    const before = day('t1', '2026-11-23', 1);
    const airing = before.items.find((i) => i.startMs <= NOW && NOW < i.startMs + i.durationMs)!;
    expect(airing.assetId).toBe('lesson-a');
    const liveBefore = await livePlaylist(clock, NOW);

    const res = await world.call('POST', '/api/admin/suspensions', {
      token: world.tokens.editor,
      body: { from: '2026-11-23', to: '2026-11-24', regions: ['east'], notice: NOTICE },
    });
    expect(res.status).toBe(201);
    expect(res.json.order).toMatchObject({ id: 'suspension-2026-11-23', regions: ['east'], channels: [] });
    expect(res.json.channels.map((c: any) => c.channelId)).toEqual(['t1', 't2']);
    for (const channel of res.json.channels) {
      expect(channel.from).toBe('2026-11-23');
      expect(channel.versionsWritten.slice(0, 2)).toEqual([
        { date: '2026-11-23', version: 2, timetable: 'suspension', notice: 'suspension-2026-11-23' },
        { date: '2026-11-24', version: 2, timetable: 'suspension', notice: 'suspension-2026-11-23' },
      ]);
      expect(channel.firstChangedStartMs).toBeGreaterThanOrEqual(NOW + GUARD - 60_000);
    }

    for (const channel of ['t1', 't2']) {
      const switched = day(channel, '2026-11-23', 2);
      const old = day(channel, '2026-11-23', 1);
      // What started before now + guard is byte-identical (the airing programme is never cut).
      const kept = old.items.filter((i) => i.startMs < NOW + GUARD);
      expect(switched.items.slice(0, kept.length)).toEqual(kept);
      const airingHere = old.items.find((i) => i.startMs <= NOW && NOW < i.startMs + i.durationMs)!;
      expect(airingHere.kind).toBe('programme');
      expect(switched.items).toContainEqual(airingHere);
      // After the cutoff the suspension timetable airs (lesson-b from 08:10 local), with the notice.
      expect(switched.timetable).toBe('suspension');
      expect(switched.notice).toEqual({ orderId: 'suspension-2026-11-23', text: NOTICE });
      expect(
        switched.items
          .filter((i) => i.startMs >= NOW + GUARD && i.kind === 'programme')
          .every((i) => i.assetId === 'lesson-b'),
      ).toBe(true);
      expectMonotonic(switched);
      expect(day(channel, '2026-11-24', 2).notice?.orderId).toBe('suspension-2026-11-23');
      // The day after the order keeps no notice; its sequence numbers continue from the switched days.
      const after = snapshotVersion(world.data.db, channel, '2026-11-25', versions(channel, '2026-11-25').at(-1)!)!;
      expect(after.notice).toBeUndefined();
      expect(after.mediaSequenceStart).toBe(day(channel, '2026-11-24', 2).endState.mediaSequence);
    }

    // The guide JSON announces it.
    const notices = await world.call('GET', '/api/notices');
    expect(notices.status).toBe(200);
    expect(JSON.stringify(notices.json)).toContain('suspension-2026-11-23');
    expect(JSON.stringify(notices.json)).toContain(NOTICE.zh);

    // The live stream: the same bytes at NOW, then the suspension programme, conformant across the switch.
    expect((await livePlaylist(clock, NOW)).text).toBe(liveBefore.text);
    let previous = liveBefore.playlist;
    let sawLessonB = false;
    // Poll more often than the window turns over (10 segments of the 1 s slate).
    for (let t = NOW + 4000; t <= NOW + 12 * 60_000; t += 4000) {
      const { playlist, text } = await livePlaylist(clock, t);
      expect(checkLiveMediaPlaylist({ playlist, previous, nowMs: t, canonical: true })).toEqual([]);
      sawLessonB ||= text.includes('/media/lesson-b/360p/');
      previous = playlist;
    }
    expect(sawLessonB).toBe(true);

    // Lift at 09:00:10 local: back to the term timetable from now + guard; what aired stays.
    const LIFT = NOW + 3_600_000;
    clock.set(LIFT);
    const lifted = await world.call('DELETE', '/api/admin/suspensions/suspension-2026-11-23', {
      token: world.tokens.editor,
    });
    expect(lifted.status).toBe(200);
    expect(lifted.json.action).toBe('lifted');
    for (const channel of ['t1', 't2']) {
      const back = day(channel, '2026-11-23', 3);
      const switched = day(channel, '2026-11-23', 2);
      const kept = switched.items.filter((i) => i.startMs < LIFT + GUARD);
      expect(back.items.slice(0, kept.length)).toEqual(kept);
      expect(back.timetable).toBe('term');
      expect(back.notice).toBeUndefined();
      expect(
        back.items
          .filter((i) => i.startMs >= LIFT + GUARD && i.kind === 'programme')
          .every((i) => i.assetId === 'lesson-a'),
      ).toBe(true);
      expect(back.items.some((i) => i.startMs >= LIFT + GUARD && i.assetId === 'lesson-a')).toBe(true);
      expectMonotonic(back);
      expect(day(channel, '2026-11-24', 3).timetable).toBe('term');
    }
    const noticesAfter = await world.call('GET', '/api/notices');
    expect(JSON.stringify(noticesAfter.json)).not.toContain('suspension-2026-11-23');
  });

  it('rejects an order for a region no channel serves, or one that is over, and changes nothing', async () => {
    const clock = fixedClock(NOW);
    world = await startAdminWorld(clock, { publishFrom: '2026-11-22', publishDays: 3, publishAtMs: NOW - 86_400_000 });
    const dump = world.dump();
    const region = await world.call('POST', '/api/admin/suspensions', {
      token: world.tokens.editor,
      body: { from: '2026-11-23', to: '2026-11-24', regions: ['mars'], notice: NOTICE },
    });
    expect(region.status).toBe(400);
    expect(region.json.problems).toEqual([{ field: 'regions[0]', reason: "no channel serves region 'mars'" }]);
    const past = await world.call('POST', '/api/admin/suspensions', {
      token: world.tokens.editor,
      body: { from: '2026-11-20', to: '2026-11-21', channels: ['t1'], notice: NOTICE },
    });
    expect(past.status).toBe(400);
    expect(past.json.problems[0].field).toBe('to');
    expect(world.dump()).toBe(dump);
  });
});

describe('preview and publish', () => {
  it('previews a diff without publishing, then publishes exactly that', async () => {
    const clock = fixedClock(NOW);
    world = await startAdminWorld(clock, { publishFrom: '2026-11-22', publishDays: 4, publishAtMs: NOW - 86_400_000 });
    // Move the term timetable of t1 on; the published days do not change until a publish.
    const term = (await world.call('GET', '/api/admin/channels/t1/timetables/term', { token: world.tokens.editor }))
      .json;
    term.mon = term.mon.map((slot: any) => ({ ...slot, asset: 'lesson-b' }));
    term.tue = term.tue.map((slot: any, i: number) => (i === 3 ? { ...slot, start: '08:35' } : slot));
    expect(
      (await world.call('PUT', '/api/admin/channels/t1/timetables/term', { token: world.tokens.editor, body: term }))
        .status,
    ).toBe(200);
    expect(versions('t1', '2026-11-23')).toEqual([1]);

    const preview = await world.call('POST', '/api/admin/previews', {
      token: world.tokens.editor,
      body: { channels: ['t1'], from: '2026-11-23', days: 2 },
    });
    expect(preview.status).toBe(201);
    expect(versions('t1', '2026-11-23')).toEqual([1]);
    const [monday, tuesday] = preview.json.days;
    expect(monday).toMatchObject({
      channelId: 't1',
      date: '2026-11-23',
      outcome: 'new-version',
      publishedVersion: 1,
      nextVersion: 2,
    });
    expect(monday.added.length).toBeGreaterThan(0);
    expect(monday.removed.length).toBeGreaterThan(0);
    expect(monday.added.every((i: any) => i.startMs >= NOW + GUARD)).toBe(true);
    expect(tuesday.outcome).toBe('new-version');
    expect(tuesday.moved.length + tuesday.added.length).toBeGreaterThan(0);

    const published = await world.call('POST', `/api/admin/previews/${preview.json.id}/publish`, {
      token: world.tokens.editor,
    });
    expect(published.status).toBe(200);
    expect(published.json.written.slice(0, 2)).toEqual([
      { channelId: 't1', date: '2026-11-23', version: 2, previousVersion: 1 },
      { channelId: 't1', date: '2026-11-24', version: 2, previousVersion: 1 },
    ]);
    const written = day('t1', '2026-11-23', 2);
    expect(written.items.map((i) => i.id)).toEqual(expect.arrayContaining(monday.added.map((i: any) => i.id)));
    const again = await world.call('POST', `/api/admin/previews/${preview.json.id}/publish`, {
      token: world.tokens.editor,
    });
    expect(again.status).toBe(409);
    expect(again.json.error).toContain('already published');
  });

  it('rejects the publish with 409 when a channel changed since the preview, and writes nothing', async () => {
    const clock = fixedClock(NOW);
    world = await startAdminWorld(clock, { publishFrom: '2026-11-22', publishDays: 4, publishAtMs: NOW - 86_400_000 });
    const preview = await world.call('POST', '/api/admin/previews', {
      token: world.tokens.editor,
      body: { from: '2026-11-24', days: 1 },
    });
    expect(preview.status).toBe(201);
    expect(preview.json.request.channels).toEqual(['t1', 't2']);
    const holiday = { mon: [{ id: 'h0', start: '10:00', kind: 'programme', asset: 'lesson-b' }] };
    expect(
      (
        await world.call('PUT', '/api/admin/channels/t2/timetables/holiday', {
          token: world.tokens.editor,
          body: holiday,
        })
      ).status,
    ).toBe(200);
    const dump = world.dump();
    const rejected = await world.call('POST', `/api/admin/previews/${preview.json.id}/publish`, {
      token: world.tokens.editor,
    });
    expect(rejected.status).toBe(409);
    expect(rejected.json.error).toContain('inputs of preview');
    expect(world.dump()).toBe(dump);
  });

  it('rejects the publish with 409 when time moved past items the preview would change', async () => {
    const clock = fixedClock(NOW);
    world = await startAdminWorld(clock, { publishFrom: '2026-11-22', publishDays: 4, publishAtMs: NOW - 86_400_000 });
    const term = (await world.call('GET', '/api/admin/channels/t1/timetables/term', { token: world.tokens.editor }))
      .json;
    term.mon = term.mon.map((slot: any) => ({ ...slot, asset: 'lesson-b' }));
    await world.call('PUT', '/api/admin/channels/t1/timetables/term', { token: world.tokens.editor, body: term });
    const preview = await world.call('POST', '/api/admin/previews', {
      token: world.tokens.editor,
      body: { channels: ['t1'], from: '2026-11-23', days: 1 },
    });
    clock.set(NOW + 30 * 60_000);
    const dump = world.dump();
    const rejected = await world.call('POST', `/api/admin/previews/${preview.json.id}/publish`, {
      token: world.tokens.editor,
    });
    expect(rejected.status).toBe(409);
    expect(rejected.json.error).toContain('would not write what preview');
    expect(world.dump()).toBe(dump);
  });
});

/**
 * A running origin picks up a mid-day republish without a restart (its timeline cache is keyed by the
 * published day versions), and what has already aired reads exactly as before.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../scheduler/clock.ts';
import {
  importTestChannel,
  lessonAWorldSpec,
  makeOriginWorld,
  publish,
  rawRequest,
  type OriginWorld,
  type RunningOrigin,
} from './origin-fixtures.ts';

const NOW = Date.parse('2026-11-23T00:05:10Z'); // 08:05:10 local, inside the programme block
const LATER = NOW + 20 * 60_000; // 08:25:10 local: well past the republish guard (2 min)

let data: OriginWorld;
let origin: RunningOrigin;
const clock = fixedClock(NOW);

beforeAll(async () => {
  data = makeOriginWorld(
    lessonAWorldSpec({
      nowMs: NOW,
      extraAssets: [{ id: 'lesson-b', kind: 'lesson', title: '课 B', segmentMs: [6000, 6000, 6000, 3000] }],
    }),
  );
  origin = await data.start(clock);
});

afterAll(() => data?.close());

async function playlistAt(at: number, path = '/live/t1/360p.m3u8'): Promise<string> {
  clock.set(at);
  const res = await rawRequest(origin.baseUrl, path);
  expect(res.status).toBe(200);
  return res.body.toString();
}

it('serves the republished schedule after a mid-day republish, and the aired past unchanged', async () => {
  const nowBefore = await playlistAt(NOW);
  const laterBefore = await playlistAt(LATER);
  expect(laterBefore).toContain('/media/lesson-a/360p/');
  expect(laterBefore).not.toContain('/media/lesson-b/');

  // The broadcaster swaps the programme for the rest of the day and republishes at NOW.
  importTestChannel(data.db, {
    id: 't1',
    number: 1,
    assets: ['lesson-b'],
    firstSlot: '08:00',
    lastSlot: '09:00',
    everyMinutes: 1,
  });
  publish(data.db, 't1', '2026-11-23', 1, NOW);
  const versions = data.db
    .prepare("SELECT version FROM day_snapshots WHERE channel_id = 't1' AND date = '2026-11-23' ORDER BY version")
    .pluck()
    .all();
  expect(versions).toEqual([1, 2]);

  expect(await playlistAt(NOW)).toBe(nowBefore);
  const laterAfter = await playlistAt(LATER);
  expect(laterAfter).toContain('/media/lesson-b/360p/');
  expect(laterAfter).not.toContain('/media/lesson-a/');
  // Sequence numbers never go back: the window at LATER starts at the same or a later media sequence.
  const sequence = (text: string) => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)![1]);
  expect(sequence(laterAfter)).toBeGreaterThanOrEqual(sequence(nowBefore));
});

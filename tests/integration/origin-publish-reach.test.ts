/**
 * A publish reaches the live playlists at once: the origin holds the published state in memory and
 * renders each playlist once per segment, yet a suspension switch made at the same instant by this
 * process (in-process notification) or by another process on the same data dir (`PRAGMA data_version`,
 * looked at every 500 ms) changes the very next answer — within one segment duration (6 s).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { saveSuspension } from '../../scheduler/admin/suspension-switch.ts';
import { fixedClock } from '../../scheduler/clock.ts';
import { importChannelDocument } from '../../scheduler/schedule/channels-repository.ts';
import {
  TEST_LADDER,
  assetCatalogView,
  makeOriginWorld,
  publish,
  rawRequest,
  type OriginWorld,
  type RunningOrigin,
} from './origin-fixtures.ts';

const SEGMENT_MS = 6_000;
// Monday 2026-11-23 08:30:07 in Shanghai: the 08:30 programme's first segment has just aired.
const AT = Date.parse('2026-11-23T00:30:07Z');
// The switch is decided at 08:29:50 (guard 5 s): the 08:30 programme is not yet frozen.
const DECIDED_AT = Date.parse('2026-11-23T00:29:50Z');
const PLAYLIST = '/live/s1/360p.m3u8';
const ORDER = {
  id: 'snow-day',
  from: '2026-11-23',
  to: '2026-11-23',
  channels: ['s1'],
  notice: { zh: '雪天停课', en: 'Snow day: lessons on TV' },
};

let data: OriginWorld;
let origin: RunningOrigin;
const clock = fixedClock(AT);

function week(asset: string) {
  const slots = ['08:00', '08:30', '09:00'].map((start, i) => ({ id: `p${i}`, start, kind: 'programme', asset }));
  return Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, slots]));
}

beforeAll(async () => {
  data = makeOriginWorld({
    prefix: 'aerial-publish-reach-',
    assets: [
      { id: 'slate', kind: 'slate', title: '稍后回来', segmentMs: Array(10).fill(1000) },
      ...['term-lesson', 'home-lesson'].map((id) => ({
        id,
        kind: 'lesson' as const,
        title: id,
        segmentMs: Array<number>(200).fill(SEGMENT_MS),
      })),
    ],
  });
  importChannelDocument(data.db, {
    channels: [
      {
        id: 's1',
        number: 1,
        name: { zh: '测试频道', en: 'Test' },
        timezone: 'Asia/Shanghai',
        ladder: TEST_LADDER,
        grades: [3],
        timetables: { term: week('term-lesson'), holiday: week('term-lesson'), suspension: week('home-lesson') },
        slate: 'slate',
      },
    ],
  });
  publish(data.db, 's1', '2026-11-22', 3, AT - 3 * 86_400_000);
  origin = await data.start(clock);
});

afterAll(() => data?.close());

async function lastSegment(): Promise<string> {
  const res = await rawRequest(origin.baseUrl, PLAYLIST);
  expect(res.status).toBe(200);
  const uris = res.body.toString().match(/^\/media\/.+$/gm)!;
  return uris[uris.length - 1]!;
}

it('a suspension switch in this process changes the next answer at the same instant', async () => {
  expect(await lastSegment()).toBe('/media/term-lesson/360p/seg00000.ts');
  expect(await lastSegment()).toBe('/media/term-lesson/360p/seg00000.ts'); // now answered from the cache
  const env = { db: data.db, loadCatalog: () => assetCatalogView(data.db), guardMs: 5_000 };
  data.db.transaction(() => saveSuspension(env, ORDER, DECIDED_AT))();
  expect(await lastSegment()).toBe('/media/home-lesson/360p/seg00000.ts');
});

it('a switch made by another process reaches the playlist within one segment duration', async () => {
  expect(await lastSegment()).toBe('/media/home-lesson/360p/seg00000.ts');
  const child = fileURLToPath(new URL('./origin-publish-child.ts', import.meta.url));
  const runTs = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [
    runTs,
    child,
    data.dataDir,
    'lift',
    ORDER.id,
    String(DECIDED_AT),
  ]);
  expect(stdout).toContain('published');
  const publishedAt = performance.now();
  let seen = await lastSegment();
  while (seen !== '/media/term-lesson/360p/seg00000.ts' && performance.now() - publishedAt < 2 * SEGMENT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await lastSegment();
  }
  expect(seen).toBe('/media/term-lesson/360p/seg00000.ts');
  expect(performance.now() - publishedAt).toBeLessThan(SEGMENT_MS);
});

it('keeps answering the same bytes as a freshly started origin after both switches', async () => {
  const fresh = await data.start(clock);
  try {
    const [a, b] = await Promise.all([rawRequest(origin.baseUrl, PLAYLIST), rawRequest(fresh.baseUrl, PLAYLIST)]);
    expect(a.body.equals(b.body)).toBe(true);
  } finally {
    await fresh.close();
  }
});

/**
 * The origin's per-request lookup "which day versions are current around now" (createPublishedDays →
 * dayVersionsOverlapping): the latest version of each day, even when a republish moved a day's end, and
 * cheap however large the published bodies are: it must be answered from the indexes alone, never
 * touching a row's body (an earlier schema read the bodies on every lookup; the origin benchmark
 * measured ~0.5 ms per playlist request for that with realistic 230 KB days).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { createPublishedDays } from '../../scheduler/http/published-days.ts';
import { insertSnapshot, latestSnapshot } from '../../scheduler/schedule/snapshots-repository.ts';
import { halfHourlyWorldSpec, LESSON_A_ASSET, makeOriginWorld, SLATE_ASSET, type DataDir } from './origin-fixtures.ts';

const NOW = Date.parse('2026-11-24T02:00:00Z'); // 10:00 Asia/Shanghai, broadcast day 2026-11-24
let data: DataDir;

beforeAll(() => {
  data = makeOriginWorld(
    halfHourlyWorldSpec({
      prefix: 'aerial-days-lookup-',
      assets: [
        { ...SLATE_ASSET, segmentMs: Array(60).fill(1000) },
        { ...LESSON_A_ASSET, segmentMs: Array(200).fill(6000) },
      ],
      channels: ['t1'],
      lastSlot: '17:00',
      publish: { fromDate: '2026-11-22', days: 5, atMs: NOW - 3 * 86_400_000 },
    }),
  );
  // Republish two days as new versions whose bodies are ~4 MB each (valid JSON: trailing whitespace),
  // one of them with its end moved earlier (what a republish may do).
  const padding = ' '.repeat(4_000_000);
  for (const date of ['2026-11-23', '2026-11-24']) {
    const day = latestSnapshot(data.db, 't1', date)!;
    insertSnapshot(data.db, { ...day, version: 2 }, NOW - 3_600_000, JSON.stringify({ ...day, version: 2 }) + padding);
  }
  const last = latestSnapshot(data.db, 't1', '2026-11-26')!;
  insertSnapshot(
    data.db,
    { ...last, version: 2, endMs: last.endMs - 3_600_000 },
    NOW - 3_600_000,
    JSON.stringify({ ...last, version: 2, endMs: last.endMs - 3_600_000 }) + padding,
  );
});

afterAll(() => data?.cleanup());

it('returns the latest version of every day overlapping the range, in time order', () => {
  const published = createPublishedDays(data.db);
  const keys = published.dayVersionsOverlapping('t1', NOW - 25 * 3_600_000, NOW + 1);
  expect(keys.map((k) => `${k.date}@${k.version}`)).toEqual(['2026-11-23@2', '2026-11-24@2']);
  const all = published.dayVersionsOverlapping('t1', 0, Number.MAX_SAFE_INTEGER);
  expect(all.map((k) => `${k.date}@${k.version}`)).toEqual([
    '2026-11-22@1',
    '2026-11-23@2',
    '2026-11-24@2',
    '2026-11-25@1',
    '2026-11-26@2',
  ]);
  // The moved end counts: an instant in the hour cut from 2026-11-26 is no longer covered by it.
  const moved = all[4]!;
  expect(published.dayVersionsOverlapping('t1', moved.endMs + 1, moved.endMs + 60_000)).toEqual([]);
  expect(published.snapshot('t1', moved).version).toBe(2);
});

it('stays cheap with multi-megabyte published days (never reads the bodies)', () => {
  const published = createPublishedDays(data.db);
  const lookups = 200;
  const started = performance.now();
  for (let i = 0; i < lookups; i++) published.dayVersionsOverlapping('t1', NOW - 25 * 3_600_000 + i, NOW + 1 + i);
  const meanMs = (performance.now() - started) / lookups;
  // Reading the 4 MB records costs milliseconds per lookup; the index walk costs microseconds. The bound
  // leaves a wide margin for a busy machine.
  expect(meanMs).toBeLessThan(1);
});

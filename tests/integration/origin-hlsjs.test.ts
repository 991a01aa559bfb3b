/**
 * A real player on the real origin: hls.js (the TV app's player) in headless Chromium plays a live
 * channel of real packaged media (sample ladder: 360p, 240p, audio-only) across programme boundaries.
 * The origin runs on a clock at real speed that starts just after 08:00:00 local, so the player's start
 * position (about three target durations behind the live edge) lies in the slate before the 08:00
 * programme: it must play slate → programme (12 s) → slate, with `currentTime` advancing and no stall
 * longer than 2 s, and no fatal hls.js error.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getLadder } from '../../packaging/ladder.ts';
import { makeSyntheticClip } from '../../packaging/synthetic.ts';
import { shiftedClock } from '../../scheduler/clock.ts';
import { packageFiller } from '../../scheduler/packaging/package-lesson.ts';
import { publishedDaysOverlapping } from '../helpers/snapshot-history.ts';
import { launchBrowser } from '../e2e/tv-fixture.ts';
import {
  importTestChannel,
  makeDataDir,
  openHlsJsPage,
  publish,
  startOrigin,
  type DataDir,
  type RunningOrigin,
} from './origin-fixtures.ts';

// 2026-11-23 08:00:16 Asia/Shanghai: the 08:00 programme (12 s) has aired; the 08:01 one is 44 s away.
const CLOCK_START = Date.parse('2026-11-23T00:00:16Z');
const PROGRAMME_START = Date.parse('2026-11-23T00:00:00Z');
const SAMPLE_EVERY_MS = 250;
const MAX_STALL_MS = 2_000;
const PLAY_FOR_MS = 30_000;

let data: DataDir;
let browser: Browser | undefined;
let origin: RunningOrigin | undefined;

beforeAll(async () => {
  data = makeDataDir('aerial-hlsjs-');
  const ctx = { db: data.db, dataDir: data.dataDir, ladder: getLadder('sample') };
  const src = (name: string) => join(data.dataDir, 'src', `${name}.mp4`);
  // Small sources (the ladder scales them); distinct tones so each asset is different content.
  await makeSyntheticClip({ path: src('slate'), durationS: 60, width: 320, height: 180, toneHz: 220 });
  await makeSyntheticClip({ path: src('clip-a'), durationS: 12, width: 320, height: 180, toneHz: 440 });
  await makeSyntheticClip({ path: src('clip-b'), durationS: 12, width: 320, height: 180, toneHz: 660 });
  await packageFiller(ctx, { id: 'slate', kind: 'slate', title: { zh: '稍后回来' }, source: src('slate') });
  await packageFiller(ctx, { id: 'clip-a', kind: 'filler', title: { zh: '节目 A' }, source: src('clip-a') });
  await packageFiller(ctx, { id: 'clip-b', kind: 'filler', title: { zh: '节目 B' }, source: src('clip-b') });
  importTestChannel(data.db, {
    id: 'hls1',
    number: 1,
    assets: ['clip-a', 'clip-b'],
    firstSlot: '08:00',
    lastSlot: '08:10',
    everyMinutes: 1,
  });
  publish(data.db, 'hls1', '2026-11-22', 2, CLOCK_START - 2 * 86_400_000);
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await origin?.close();
  data?.cleanup();
});

interface Sample {
  atMs: number;
  currentTime: number;
  /** hls.js's programme date-time of the playback position (from EXT-X-PROGRAM-DATE-TIME). */
  playingDateMs: number | null;
  paused: boolean;
}

it('hls.js in headless Chromium plays the live channel across programme boundaries without stalling', async () => {
  const page = await openHlsJsPage(browser!);
  const supported = await page.evaluate(() =>
    (window as unknown as { Hls: { isSupported(): boolean } }).Hls.isSupported(),
  );
  expect(supported, 'Media Source Extensions with H.264/AAC in this Chromium').toBe(true);

  // The clock starts now: everything before (packaging, browser start-up) does not eat into the schedule.
  origin = await startOrigin(data, shiftedClock(CLOCK_START));
  const url = `${origin.baseUrl}/live/hls1/master.m3u8`;
  await page.evaluate((src) => {
    const w = window as unknown as { Hls: any; hls: any; fatalErrors: string[]; allErrors: string[] };
    const video = document.getElementById('v') as HTMLVideoElement;
    video.muted = true;
    w.fatalErrors = [];
    w.allErrors = [];
    const hls = new w.Hls({ enableWorker: true });
    w.hls = hls;
    hls.on(w.Hls.Events.ERROR, (_event: string, error: { fatal: boolean; type: string; details: string }) => {
      const line = `${error.type}/${error.details}`;
      w.allErrors.push(line);
      if (error.fatal) w.fatalErrors.push(line);
    });
    hls.on(w.Hls.Events.MANIFEST_PARSED, () => void video.play());
    hls.loadSource(src);
    hls.attachMedia(video);
  }, url);

  const samples: Sample[] = [];
  const started = Date.now();
  while (Date.now() - started < PLAY_FOR_MS) {
    samples.push(
      await page.evaluate(() => {
        const w = window as unknown as { hls: { playingDate: Date | null } };
        const video = document.getElementById('v') as HTMLVideoElement;
        return {
          atMs: Date.now(),
          currentTime: video.currentTime,
          playingDateMs: w.hls.playingDate?.getTime() ?? null,
          paused: video.paused,
        };
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
  }
  const errors = await page.evaluate(() => {
    const w = window as unknown as { fatalErrors: string[]; allErrors: string[] };
    return { fatalErrors: w.fatalErrors, allErrors: w.allErrors };
  });
  await page.close();

  expect(errors.fatalErrors).toEqual([]);
  const playing = samples.filter((s) => s.currentTime > 0);
  expect(playing.length, 'playback started').toBeGreaterThan(0);
  // Longest time currentTime stood still once playback had started (up to the last sample).
  let longestStallMs = 0;
  let stillSince = playing[0]!;
  for (const s of playing.slice(1)) {
    if (s.currentTime > stillSince.currentTime) stillSince = s;
    else longestStallMs = Math.max(longestStallMs, s.atMs - stillSince.atMs);
  }
  const trace = samples
    .map(
      (s) =>
        `${s.atMs - started} ms: t=${s.currentTime.toFixed(2)} pdt=${s.playingDateMs ? new Date(s.playingDateMs).toISOString() : '-'}`,
    )
    .join('\n');
  expect(longestStallMs, `${trace}\nerrors: ${errors.allErrors.join(', ')}`).toBeLessThanOrEqual(MAX_STALL_MS);
  expect(playing.at(-1)!.currentTime - playing[0]!.currentTime, trace).toBeGreaterThan(PLAY_FOR_MS / 1000 - 10);

  // The playback position crossed at least two programme boundaries of what was published.
  const items = publishedDaysOverlapping(
    data.db,
    'hls1',
    PROGRAMME_START - 3_600_000,
    PROGRAMME_START + 3_600_000,
  ).flatMap((d) => d.items);
  const dates = playing.map((s) => s.playingDateMs).filter((d): d is number => d !== null);
  expect(dates.length, trace).toBeGreaterThan(0);
  const first = Math.min(...dates);
  const last = Math.max(...dates);
  const crossed = items.filter((item) => item.startMs > first && item.startMs <= last);
  expect(
    crossed.length,
    `${trace}\nboundaries: ${items.map((i) => `${i.assetId}@${new Date(i.startMs).toISOString()}`).join(' ')}`,
  ).toBeGreaterThanOrEqual(2);
  expect(crossed.map((i) => i.assetId)).toContain('clip-a');
  console.info(
    `hls.js: played ${(playing.at(-1)!.currentTime - playing[0]!.currentTime).toFixed(1)} s in ${PLAY_FOR_MS / 1000} s, longest stall ${longestStallMs} ms, ` +
      `boundaries crossed: ${crossed.map((i) => `${i.assetId}@${new Date(i.startMs).toISOString()}`).join(', ')}; non-fatal errors: ${errors.allErrors.length}`,
  );
}, 90_000);

/**
 * Captions with a real player: hls.js in headless Chromium plays a live channel of really packaged media
 * (a 60 s captioned lesson — WebVTT sidecar packaged into sub-zh — immediately followed by a 12 s filler
 * without captions) across the programme boundary, with the zh subtitle track selected. Every cue it makes
 * active must be the lesson's cue for that moment of the broadcast (by hls.js's programme date-time), and
 * once the filler plays, no cue may be active: the caption playlist mirrors the video's discontinuities and
 * points the filler at the empty segment.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getLadder } from '../../packaging/ladder.ts';
import { makeSyntheticClip } from '../../packaging/synthetic.ts';
import { shiftedClock } from '../../scheduler/clock.ts';
import { packageFiller, packageLesson } from '../../scheduler/packaging/package-lesson.ts';
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

/** 2026-11-23 08:00 Asia/Shanghai: the captioned lesson (60 s), then the filler at 08:01 (12 s), then slate. */
const LESSON_START = Date.parse('2026-11-23T00:00:00Z');
const FILLER_START = LESSON_START + 60_000;
const FILLER_END = FILLER_START + 12_000;
/** The player starts about three target durations (and a segment) behind the live edge: ~08:00:35, in the lesson. */
const CLOCK_START = LESSON_START + 58_000;
const PLAY_FOR_MS = 36_000;
const CUE_EVERY_MS = 2_000;
const CUE_LASTS_MS = 1_800;

let data: DataDir;
let browser: Browser | undefined;
let origin: RunningOrigin | undefined;
let lessonAssetId: string;

function vttTime(ms: number): string {
  return `00:${String(Math.floor(ms / 1000)).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

beforeAll(async () => {
  data = makeDataDir('aerial-hlsjs-captions-');
  const ctx = { db: data.db, dataDir: data.dataDir, ladder: getLadder('sample') };
  const src = (name: string) => join(data.dataDir, 'src', `${name}.mp4`);
  await makeSyntheticClip({ path: src('slate'), durationS: 60, width: 320, height: 180, toneHz: 220 });
  await makeSyntheticClip({ path: src('lesson'), durationS: 60, width: 320, height: 180, toneHz: 440 });
  await makeSyntheticClip({ path: src('filler'), durationS: 12, width: 320, height: 180, toneHz: 660 });
  // The lesson's sidecar: cue n ("字幕 n") from 2n s to 2n + 1.8 s.
  const cues = Array.from(
    { length: 30 },
    (_, n) => `${vttTime(n * CUE_EVERY_MS)} --> ${vttTime(n * CUE_EVERY_MS + CUE_LASTS_MS)}\n字幕 ${n}\n`,
  );
  writeFileSync(join(data.dataDir, 'src', 'lesson.zh.vtt'), `WEBVTT\n\n${cues.join('\n')}`);
  data.db
    .prepare(
      `INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh, duration_s, captions)
       VALUES ('cap-lesson', 3, 'math', 'pep', 1, 1, '第一单元', 1, '有字幕的课', 60, '["zh"]')`,
    )
    .run();
  await packageFiller(ctx, { id: 'slate', kind: 'slate', title: { zh: '稍后回来' }, source: src('slate') });
  lessonAssetId = (await packageLesson(ctx, 'cap-lesson', src('lesson'))).assetId;
  await packageFiller(ctx, { id: 'filler', kind: 'filler', title: { zh: '眼保健操' }, source: src('filler') });
  importTestChannel(data.db, {
    id: 'cc1',
    number: 1,
    assets: [lessonAssetId, 'filler'],
    firstSlot: '08:00',
    lastSlot: '08:01',
    everyMinutes: 1,
  });
  publish(data.db, 'cc1', '2026-11-22', 2, CLOCK_START - 2 * 86_400_000);
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await origin?.close();
  data?.cleanup();
});

interface Sample {
  /** hls.js's programme date-time of the playback position. */
  playingDateMs: number | null;
  currentTime: number;
  /** Active cues of the selected zh text track. */
  cues: string[];
  trackMode: string;
}

it('hls.js shows the captioned lesson’s cues in step with the broadcast, and none once the filler after it plays', async () => {
  const page = await openHlsJsPage(browser!);
  origin = await startOrigin(data, shiftedClock(CLOCK_START));
  await page.evaluate((src) => {
    const w = window as unknown as { Hls: any; hls: any; fatalErrors: string[]; subtitleUrls: string[] };
    const video = document.getElementById('v') as HTMLVideoElement;
    w.fatalErrors = [];
    w.subtitleUrls = [];
    const hls = new w.Hls({ enableWorker: true });
    w.hls = hls;
    hls.subtitleDisplay = false; // cues load and become active; the page (the TV app) draws them
    hls.on(w.Hls.Events.ERROR, (_e: string, error: { fatal: boolean; type: string; details: string }) => {
      if (error.fatal) w.fatalErrors.push(`${error.type}/${error.details}`);
    });
    hls.on(w.Hls.Events.SUBTITLE_TRACKS_UPDATED, () =>
      queueMicrotask(
        () => (hls.subtitleTrack = hls.subtitleTracks.findIndex((t: { lang: string }) => t.lang === 'zh')),
      ),
    );
    hls.on(w.Hls.Events.SUBTITLE_FRAG_PROCESSED, (_e: string, data: { frag: { url: string } }) =>
      w.subtitleUrls.push(data.frag.url),
    );
    hls.on(w.Hls.Events.MANIFEST_PARSED, () => void video.play());
    hls.loadSource(src);
    hls.attachMedia(video);
  }, `${origin.baseUrl}/live/cc1/master.m3u8`);

  const samples: Sample[] = [];
  const started = Date.now();
  while (Date.now() - started < PLAY_FOR_MS) {
    samples.push(
      await page.evaluate(() => {
        const w = window as unknown as { hls: { playingDate: Date | null } };
        const video = document.getElementById('v') as HTMLVideoElement;
        const track = [...video.textTracks].find((t) => t.kind === 'subtitles' && t.language === 'zh');
        return {
          playingDateMs: w.hls.playingDate?.getTime() ?? null,
          currentTime: video.currentTime,
          cues: [...(track?.activeCues ?? [])].map((c) => (c as VTTCue).text),
          trackMode: track?.mode ?? 'none',
        };
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const { fatalErrors, subtitleUrls } = await page.evaluate(() => {
    const w = window as unknown as { fatalErrors: string[]; subtitleUrls: string[] };
    return { fatalErrors: w.fatalErrors, subtitleUrls: w.subtitleUrls };
  });
  await page.close();

  const at = (s: Sample) => (s.playingDateMs === null ? '-' : new Date(s.playingDateMs).toISOString().slice(11, 23));
  const trace = samples
    .map((s) => `${at(s)} t=${s.currentTime.toFixed(2)} ${s.trackMode} [${s.cues.join('|')}]`)
    .join('\n');
  expect(fatalErrors).toEqual([]);
  expect(
    samples.some((s) => s.trackMode === 'hidden'),
    trace,
  ).toBe(true);

  // In the lesson: every active cue is the one the sidecar has at that instant of the lesson (±0.3 s for sampling).
  const inLesson = samples.filter(
    (s) => s.playingDateMs !== null && s.playingDateMs >= LESSON_START && s.playingDateMs < FILLER_START,
  );
  const shown = new Set<string>();
  for (const s of inLesson) {
    for (const cue of s.cues) {
      const n = Number(/^字幕 (\d+)$/.exec(cue)?.[1]);
      const offset = s.playingDateMs! - LESSON_START;
      expect(
        offset >= n * CUE_EVERY_MS - 300 && offset <= n * CUE_EVERY_MS + CUE_LASTS_MS + 300,
        `${cue} at lesson offset ${offset} ms\n${trace}`,
      ).toBe(true);
      shown.add(cue);
    }
  }
  expect(shown.size, trace).toBeGreaterThanOrEqual(4);

  // Across the boundary, in the filler: the caption track has nothing to show.
  const inFiller = samples.filter(
    (s) => s.playingDateMs !== null && s.playingDateMs >= FILLER_START + 300 && s.playingDateMs < FILLER_END,
  );
  expect(inFiller.length, `the playback reached the filler\n${trace}`).toBeGreaterThan(5);
  expect(inFiller.filter((s) => s.cues.length > 0).map(at), trace).toEqual([]);
  // hls.js fetched both kinds of caption segments: the lesson's and the empty one for the filler.
  expect(subtitleUrls.some((u) => u.includes(`/media/${lessonAssetId}/sub-zh/`))).toBe(true);
  expect(subtitleUrls.some((u) => u.endsWith('/captions/empty.vtt'))).toBe(true);
  console.info(
    `hls.js captions: ${shown.size} cues shown in the lesson, ${inFiller.length} samples in the filler with none; ${subtitleUrls.length} caption segments loaded`,
  );
}, 90_000);

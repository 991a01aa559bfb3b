/**
 * Fixtures for the origin tests: a real SQLite data directory in a temp dir, assets recorded the way
 * packaging records them (optionally with small files on disk), a test channel imported through the
 * real channel-document import, and days published through the real build + publish.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { captionSegmentPath, captionTrackName, segmentPath } from '../../playlists/media-layout.ts';
import type { Clock } from '../../scheduler/clock.ts';
import {
  createStorePublisher,
  type StorePublisher,
  type StorePublisherOptions,
} from '../../scheduler/distribution/store-publisher.ts';
import type { ObjectStore } from '../../scheduler/object-store/object-store.ts';
import { createApp, type AppOptions } from '../../scheduler/http/app.ts';
import { idlePackagingQueue } from '../helpers/idle-packaging-queue.ts';
import type { AssetSummary, CatalogView, CourseLesson } from '../../scheduler/schedule/build-types.ts';
import { importChannelDocument } from '../../scheduler/schedule/channels-repository.ts';
import { publishDays } from '../../scheduler/schedule/publish.ts';
import { openDb, type Db } from '../../scheduler/store/db.ts';

export const TEST_LADDER = 'sample';
export const VIDEO_RENDITIONS = [
  { name: '360p', width: 640, height: 360, bandwidth: 900_000, averageBandwidth: 700_000 },
  { name: '240p', width: 426, height: 240, bandwidth: 500_000, averageBandwidth: 400_000 },
] as const;
export const AUDIO_RENDITION = { name: 'audio', bandwidth: 70_000, averageBandwidth: 66_000 } as const;

export interface DataDir {
  dataDir: string;
  mediaDir: string;
  db: Db;
  cleanup(): void;
}

export function makeDataDir(prefix = 'aerial-origin-'): DataDir {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const mediaDir = join(dataDir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  const db = openDb(dataDir);
  return {
    dataDir,
    mediaDir,
    db,
    cleanup() {
      if (db.open) db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestAsset {
  id: string;
  kind: 'lesson' | 'filler' | 'slate';
  title: string;
  segmentMs: number[];
  lessonId?: string;
  /** Caption languages (catalog order): asset_captions rows, and with writeFiles one WebVTT file per segment. */
  captions?: string[];
  /** Write one small file per segment and rendition, with recognisable content. */
  writeFiles?: { mediaDir: string };
}

/** MPEG-TS time of the fixture assets' first frame (what packaging measures; ffmpeg's default offset of 1.4 s). */
export const FIXTURE_FIRST_PTS = 126_000;

/** Text of the cue of segment `index` of an asset's caption track: `<asset> <lang> cue <index>`. */
export function fixtureCueText(assetId: string, language: string, index: number): string {
  return `${assetId} ${language} cue ${index}`;
}

function vttTime(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

/**
 * The WebVTT segments of a caption track as packaging writes them: X-TIMESTAMP-MAP of the asset's first PTS,
 * asset-local cue times, one cue per segment covering most of it. For fixtures whose packaging does not write captions.
 */
export function writeFixtureCaptionSegments(
  mediaDir: string,
  assetId: string,
  language: string,
  segmentMs: readonly number[],
  firstPts = FIXTURE_FIRST_PTS,
): void {
  mkdirSync(join(mediaDir, assetId, captionTrackName(language)), { recursive: true });
  let startMs = 0;
  segmentMs.forEach((ms, i) => {
    const cue = `${vttTime(startMs + 100)} --> ${vttTime(startMs + ms - 100)}\n${fixtureCueText(assetId, language, i)}\n`;
    const text = `WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:${firstPts},LOCAL:00:00:00.000\n\n${cue}`;
    writeFileSync(join(mediaDir, captionSegmentPath(assetId, captionTrackName(language), i)), text);
    startMs += ms;
  });
}

/** Records the caption tracks of an asset like packaging does (asset_captions, catalog order). */
export function insertCaptionTracks(db: Db, assetId: string, languages: readonly string[]): void {
  const insert = db.prepare('INSERT INTO asset_captions (asset_id, language, name, position) VALUES (?, ?, ?, ?)');
  languages.forEach((language, position) => insert.run(assetId, language, captionTrackName(language), position));
}

/** Records an asset like packaging does; audio EXTINFs differ slightly from video, as AAC framing makes them. */
export function insertAsset(db: Db, asset: TestAsset): void {
  const durationMs = asset.segmentMs.reduce((a, b) => a + b, 0);
  db.transaction(() => {
    db.prepare(
      `INSERT INTO assets (id, kind, lesson_id, title_zh, title_en, ladder, canonical_rendition, segment_count, duration_ms, segment_ms, packaged_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      asset.id,
      asset.kind,
      asset.lessonId ?? null,
      asset.title,
      asset.title,
      TEST_LADDER,
      '360p',
      asset.segmentMs.length,
      durationMs,
      JSON.stringify(asset.segmentMs),
      1,
    );
    const insertRendition = db.prepare(
      `INSERT INTO asset_renditions (asset_id, name, position, type, width, height, frame_rate, bandwidth, average_bandwidth, codecs, segment_durations)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const videoSeconds = asset.segmentMs.map((ms) => ms / 1000);
    const audioSeconds = asset.segmentMs.map((ms, i) => Math.round(ms * 1.0027 + (i % 2 ? -3 : 3)) / 1000);
    VIDEO_RENDITIONS.forEach((r, position) => {
      insertRendition.run(
        asset.id,
        r.name,
        position,
        'video',
        r.width,
        r.height,
        25,
        r.bandwidth,
        r.averageBandwidth,
        'avc1.4d401e,mp4a.40.2',
        JSON.stringify(videoSeconds),
      );
    });
    insertRendition.run(
      asset.id,
      AUDIO_RENDITION.name,
      VIDEO_RENDITIONS.length,
      'audio',
      null,
      null,
      null,
      AUDIO_RENDITION.bandwidth,
      AUDIO_RENDITION.averageBandwidth,
      'mp4a.40.2',
      JSON.stringify(audioSeconds),
    );
    insertCaptionTracks(db, asset.id, asset.captions ?? []);
  })();
  if (asset.writeFiles) {
    for (const language of asset.captions ?? [])
      writeFixtureCaptionSegments(asset.writeFiles.mediaDir, asset.id, language, asset.segmentMs);
  }
  if (asset.writeFiles) {
    for (const rendition of [...VIDEO_RENDITIONS.map((r) => r.name), AUDIO_RENDITION.name]) {
      mkdirSync(join(asset.writeFiles.mediaDir, asset.id, rendition), { recursive: true });
      asset.segmentMs.forEach((_, i) => {
        writeFileSync(
          join(asset.writeFiles!.mediaDir, segmentPath(asset.id, rendition, i)),
          `segment ${segmentPath(asset.id, rendition, i)}\n`,
        );
      });
    }
  }
}

/** A packaged lesson row pointing at an asset (the catalog importer is not needed for these tests). */
export function insertPackagedLesson(db: Db, lessonId: string, assetId: string, lessonNumber = 1): void {
  db.prepare(
    `INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh, status, asset_id)
     VALUES (?, 3, 'math', 'pep', 1, 1, '第一单元', ?, '测试课', 'packaged', ?)`,
  ).run(lessonId, lessonNumber, assetId);
}

/** The catalog as the build sees it, read from the assets table (no courses: tests use programme slots). */
export function assetCatalogView(db: Db): CatalogView {
  const rows = db.prepare('SELECT id, kind, title_zh, ladder, segment_ms, duration_ms FROM assets').all() as {
    id: string;
    kind: AssetSummary['kind'];
    title_zh: string;
    ladder: string;
    segment_ms: string;
    duration_ms: number;
  }[];
  const assets = new Map<string, AssetSummary>(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        kind: r.kind,
        title: { zh: r.title_zh },
        ladder: r.ladder,
        segmentMs: JSON.parse(r.segment_ms),
        durationMs: r.duration_ms,
      },
    ]),
  );
  return {
    courseLessons: (): readonly CourseLesson[] => [],
    lesson: () => undefined,
    asset: (id) => assets.get(id),
  };
}

/**
 * A channel whose every day (all timetables, all weekdays) has programme slots from `firstSlot`
 * every `everyMinutes` until `lastSlot` (local HH:MM), cycling through `assets`; slate elsewhere.
 */
export interface TestChannel {
  id: string;
  number: number;
  assets: string[];
  firstSlot: string;
  lastSlot: string;
  everyMinutes: number;
  timezone?: string;
}

export function importTestChannel(db: Db, options: TestChannel): void {
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const slots: { id: string; start: string; kind: string; asset: string | undefined }[] = [];
  for (let m = toMinutes(options.firstSlot), i = 0; m <= toMinutes(options.lastSlot); m += options.everyMinutes, i++) {
    const start = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    slots.push({ id: `p${i}`, start, kind: 'programme', asset: options.assets[i % options.assets.length] });
  }
  const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, slots]));
  importChannelDocument(db, {
    channels: [
      {
        id: options.id,
        number: options.number,
        name: { zh: `测试频道 ${options.id}`, en: `Test ${options.id}` },
        timezone: options.timezone ?? 'Asia/Shanghai',
        ladder: TEST_LADDER,
        grades: [3],
        timetables: { term: week, holiday: week, suspension: week },
        slate: 'slate',
      },
    ],
  });
}

export function publish(db: Db, channelId: string, fromDate: string, days: number, nowMs: number): void {
  publishDays({ db, catalog: assetCatalogView(db), channelId, fromDate, days, nowMs });
}

export interface RunningOrigin {
  baseUrl: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * The real app on an ephemeral port, with the given clock; logs are silent unless a logger is given, and
 * any other app option (hotPath, playlistCache, publicBaseUrl, tvAppDir…) may be set in `extra`.
 */
export async function startOrigin(
  data: Pick<DataDir, 'db' | 'mediaDir'>,
  clock: Clock,
  extra: Partial<AppOptions> = {},
): Promise<RunningOrigin> {
  const app = createApp({
    db: data.db,
    mediaDir: data.mediaDir,
    clock,
    logger: pino({ level: 'silent' }),
    packagingQueue: idlePackagingQueue(data.db, data.mediaDir, clock),
    ...extra,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What an origin test starts from: assets, channels, and the days published for each channel. */
export interface OriginWorldSpec {
  /** Temp dir name prefix. */
  prefix?: string;
  /** Packaged lessons (lesson id → asset id; lesson number, default 1), recorded before the assets. */
  lessons?: { lessonId: string; assetId: string; lessonNumber?: number }[];
  assets?: TestAsset[];
  /** Write every asset's segment files into the media dir (TestAsset.writeFiles). */
  writeFiles?: boolean;
  channels?: (TestChannel & { publish?: { fromDate: string; days: number; atMs: number } })[];
}

/** The slate most origin tests record (ten 1 s segments). */
export const SLATE_ASSET: TestAsset = {
  id: 'slate',
  kind: 'slate',
  title: '稍后回来',
  segmentMs: Array(10).fill(1000),
};
/** A short lesson (five segments, 26.4 s). */
export const LESSON_A_ASSET: TestAsset = {
  id: 'lesson-a',
  kind: 'lesson',
  title: '课 A',
  segmentMs: [6000, 6000, 6000, 6000, 2400],
};

/**
 * The world several origin tests start from: the slate, lesson A (and `extraAssets`), and channel t1 playing
 * lesson A every minute from 08:00 to 09:00 local. With `nowMs` (a time on 2026-11-23), the days 2026-11-22
 * to 2026-11-24 are published three days before it; without, nothing is published.
 */
export function lessonAWorldSpec(options: { nowMs?: number; extraAssets?: TestAsset[] } = {}): OriginWorldSpec {
  const { nowMs, extraAssets = [] } = options;
  return {
    assets: [SLATE_ASSET, LESSON_A_ASSET, ...extraAssets],
    channels: [
      {
        id: 't1',
        number: 1,
        assets: ['lesson-a'],
        firstSlot: '08:00',
        lastSlot: '09:00',
        everyMinutes: 1,
        ...(nowMs === undefined ? {} : { publish: { fromDate: '2026-11-22', days: 3, atMs: nowMs - 3 * 86_400_000 } }),
      },
    ],
  };
}

export interface OriginWorld extends DataDir {
  /** An origin on this data (startOrigin); `close` stops it with the others. */
  start(clock: Clock, extra?: Partial<AppOptions>): Promise<RunningOrigin>;
  /** Stops every origin started, then removes the data dir. */
  close(): Promise<void>;
}

/**
 * The setup every origin test repeats, once: a temp data dir, the assets recorded, the channels imported
 * and their days published (real build + publish), and origins started on it — all undone by `close`.
 */
export function makeOriginWorld(spec: OriginWorldSpec = {}): OriginWorld {
  const data = makeDataDir(spec.prefix);
  const running: RunningOrigin[] = [];
  try {
    for (const lesson of spec.lessons ?? [])
      insertPackagedLesson(data.db, lesson.lessonId, lesson.assetId, lesson.lessonNumber);
    for (const asset of spec.assets ?? [])
      insertAsset(data.db, spec.writeFiles ? { ...asset, writeFiles: { mediaDir: data.mediaDir } } : asset);
    for (const { publish: days, ...channel } of spec.channels ?? []) {
      importTestChannel(data.db, channel);
      if (days) publish(data.db, channel.id, days.fromDate, days.days, days.atMs);
    }
  } catch (error) {
    data.cleanup();
    throw error;
  }
  return {
    ...data,
    async start(clock, extra = {}) {
      const origin = await startOrigin(data, clock, extra);
      running.push(origin);
      return origin;
    },
    async close() {
      await Promise.all(running.splice(0).map((origin) => origin.close()));
      data.cleanup();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with the path sent byte for byte (fetch would normalise `..` and `%2e%2e` away). */
export function rawRequest(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, path, method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const HLS_JS = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

/**
 * A blank page in `browser` with a muted autoplaying `<video id="v">` and hls.js (the TV app's player) loaded as
 * `window.Hls`.
 */
export async function openHlsJsPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><meta charset="utf-8"><video id="v" muted playsinline autoplay></video>');
  await page.addScriptTag({ path: HLS_JS });
  return page;
}

/** A lesson of twenty 6 s segments (two minutes), titled by its id. */
export function twoMinuteLesson(id: string): TestAsset {
  return { id, kind: 'lesson', title: id, segmentMs: Array(20).fill(6000) };
}

/**
 * The world the store tests start from: the slate and lesson A of two minutes (or `assets`), and channels `channels`
 * (numbered from 1) playing lesson A every 30 minutes from 08:00 to `lastSlot` local, each with `publish` published.
 */
export function halfHourlyWorldSpec(options: {
  prefix: string;
  channels: string[];
  lastSlot: string;
  publish: { fromDate: string; days: number; atMs: number };
  assets?: TestAsset[];
  lessons?: OriginWorldSpec['lessons'];
  writeFiles?: boolean;
}): OriginWorldSpec {
  const { channels, lastSlot, publish: days, assets, ...rest } = options;
  return {
    ...rest,
    assets: assets ?? [SLATE_ASSET, twoMinuteLesson('lesson-a')],
    channels: channels.map((id, i) => ({
      id,
      number: i + 1,
      assets: ['lesson-a'],
      firstSlot: '08:00',
      lastSlot,
      everyMinutes: 30,
      publish: days,
    })),
  };
}

/** Temp dirs made on demand (`make`), all removed by `removeAll` (an afterAll). */
export function tempDirs(prefix: string): { make(): string; removeAll(): void } {
  const dirs: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    removeAll() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The control plane's store publisher on this data dir, logging nothing (any other option in `extra`). */
export function storePublisherOn(
  data: Pick<DataDir, 'db' | 'mediaDir'>,
  store: ObjectStore,
  clock: Clock,
  extra: Partial<StorePublisherOptions> = {},
): StorePublisher {
  return createStorePublisher({
    db: data.db,
    store,
    clock,
    logger: pino({ level: 'silent' }),
    mediaDir: data.mediaDir,
    ...extra,
  });
}

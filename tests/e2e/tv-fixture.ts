/**
 * The e2e world for the TV app: a real data directory (SQLite + packaged media made by the real packaging
 * pipeline from tiny synthetic clips), two channels published for yesterday…tomorrow around the real clock,
 * the real origin on an ephemeral port serving a dev build of the app (`__DEV__`, Blits inspector on), and a
 * headless Chromium (playwright-core + @sparticuz/chromium, or /usr/bin/chromium when present).
 *
 * Kept small so it is quick on 2 cores: lessons are 3 min at 192×108 (ultrafast x264), slots every 4 min.
 * Captions are real packaging too: the lessons whose catalog `captions` list a language get the WebVTT sidecar
 * next to the shared source (`lesson.zh.vtt`, `lesson.en.vtt`: a cue every 3 s, see captionCueText).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import type { Ladder } from '../../packaging/ladder.ts';
import { makeSyntheticClip } from '../../packaging/synthetic.ts';
import { loadCatalogView } from '../../scheduler/catalog/catalog-view.ts';
import { createApp } from '../../scheduler/http/app.ts';
import { idlePackagingQueue } from '../helpers/idle-packaging-queue.ts';
import { packageFiller, packageLesson } from '../../scheduler/packaging/package-lesson.ts';
import { addDays, broadcastDateAt } from '../../scheduler/schedule/broadcast-date.ts';
import { importChannelDocument } from '../../scheduler/schedule/channels-repository.ts';
import { publishDays } from '../../scheduler/schedule/publish.ts';
import { openDb, type Db } from '../../scheduler/store/db.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FONT = join(REPO_ROOT, 'assets/fonts/AerialSans-Regular.otf');

/** Two video renditions + audio-only (what every ladder must have), as small as H.264 allows cheaply. */
export const TINY_LADDER: Ladder = {
  name: 'tiny',
  frameRate: 25,
  videoProfile: 'main',
  x264Preset: 'ultrafast',
  audioSampleRate: 48_000,
  audioChannels: 2,
  renditions: [
    { type: 'video', name: '108p', width: 192, height: 108, videoKbps: 120, audioKbps: 64 },
    { type: 'video', name: '72p', width: 128, height: 72, videoKbps: 80, audioKbps: 64 },
    { type: 'audio', name: 'audio', audioKbps: 48 },
  ],
} as Ladder;

export const TIMEZONE = 'Asia/Shanghai';
export const LESSON_SECONDS = 180;
export const SLOT_MINUTES = 4;

export interface FixtureLesson {
  id: string;
  grade: number;
  subject: string;
  unit: number;
  unitTitle: string;
  lesson: number;
  title: string;
  titleEn: string;
  teacher: string;
  /** Caption languages (catalog `captions`). */
  captions: string[];
}

/**
 * g3 alternates a captioned (zh) and an uncaptioned lesson; both g4 lessons are captioned (g4-chinese in zh and en).
 */
export const LESSONS: FixtureLesson[] = [
  {
    id: 'g3-math-u1-l1',
    grade: 3,
    subject: 'math',
    unit: 1,
    unitTitle: '时、分、秒',
    lesson: 1,
    title: '秒的认识',
    titleEn: 'Seconds',
    teacher: '王老师',
    captions: ['zh'],
  },
  {
    id: 'g3-math-u1-l2',
    grade: 3,
    subject: 'math',
    unit: 1,
    unitTitle: '时、分、秒',
    lesson: 2,
    title: '时间的计算',
    titleEn: 'Time arithmetic',
    teacher: '王老师',
    captions: [],
  },
  {
    id: 'g4-chinese-u1-l1',
    grade: 4,
    subject: 'chinese',
    unit: 1,
    unitTitle: '自然之美',
    lesson: 1,
    title: '观潮',
    titleEn: 'Watching the tide',
    teacher: '李老师',
    captions: ['zh', 'en'],
  },
];

/** Caption cues: one every CUE_EVERY_S seconds, lasting all but the last 0.2 s of it. */
export const CUE_EVERY_S = 3;

/** Text of cue n (0-based) of the fixture's sidecar in a language. */
export function captionCueText(language: string, n: number): string {
  return language === 'zh' ? `第${n + 1}句字幕：空中课堂` : `Caption ${n + 1}: Aerial Classroom`;
}

function vttTime(ms: number): string {
  const m = Math.floor(ms / 60_000);
  const s = Math.floor(ms / 1000) % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

/** The WebVTT sidecar of the lesson clip in a language (what a broadcaster delivers next to the video). */
export function captionSidecar(language: string, durationS = LESSON_SECONDS): string {
  const cues: string[] = [];
  for (let n = 0; (n + 1) * CUE_EVERY_S <= durationS; n++) {
    cues.push(
      `${vttTime(n * CUE_EVERY_S * 1000)} --> ${vttTime((n + 1) * CUE_EVERY_S * 1000 - 200)}\n${captionCueText(language, n)}\n`,
    );
  }
  return `WEBVTT\n\n${cues.join('\n')}`;
}

export const CHANNELS = [
  {
    id: 'g3',
    number: 3,
    name: { zh: '三年级频道', en: 'Grade 3' },
    grades: [3],
    lessons: ['g3-math-u1-l1', 'g3-math-u1-l2'],
  },
  {
    id: 'g4',
    number: 4,
    name: { zh: '四年级频道', en: 'Grade 4' },
    grades: [4],
    lessons: ['g4-chinese-u1-l1', 'g3-math-u1-l1'],
  },
];

/** The two e2e channels, or `count` grade-style channels for the benchmark (same lessons, numbers 1…count). */
export function fixtureChannels(count?: number): typeof CHANNELS {
  if (count === undefined) return CHANNELS;
  return Array.from({ length: count }, (_, i) => ({
    id: `c${i + 1}`,
    number: i + 1,
    name: { zh: `第${i + 1}频道`, en: `Channel ${i + 1}` },
    grades: [(i % 12) + 1],
    lessons: i % 2 ? ['g4-chinese-u1-l1', 'g3-math-u1-l1'] : ['g3-math-u1-l1', 'g3-math-u1-l2'],
  }));
}

export const NOTICE = {
  zh: '因台风停课，三年级请收看空中课堂',
  en: 'Schools closed for the typhoon: grade 3 watch Aerial Classroom',
};

export function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`)),
    );
  });
}

/** Dev build of the TV app (inspector on) into `outDir`. */
export async function buildDevApp(outDir: string): Promise<void> {
  await runNode(
    [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(REPO_ROOT, 'tv-app/vite.config.js')],
    {
      TV_DEV_BUILD: '1',
      TV_OUT_DIR: outDir,
    },
  );
}

function insertLessons(db: Db, lessonSeconds: number): void {
  const insert = db.prepare(
    `INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh, title_en, teacher, duration_s, captions)
     VALUES (?, ?, ?, 'tongbian', 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const l of LESSONS)
    insert.run(
      l.id,
      l.grade,
      l.subject,
      l.unit,
      l.unitTitle,
      l.lesson,
      l.title,
      l.titleEn,
      l.teacher,
      lessonSeconds,
      JSON.stringify(l.captions),
    );
}

function slotsEvery(minutes: number, lessons: string[]) {
  const slots = [];
  for (let m = 0, i = 0; m < 24 * 60; m += minutes, i++) {
    const start = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    slots.push({ id: `s${i}`, start, kind: 'programme' as const, lesson: lessons[i % lessons.length] });
  }
  return slots;
}

/**
 * Packages the lessons and the slate, imports the channels (with a suspension notice on g3), publishes 3 days.
 * `slotMinutes` spaces the lessons (default 4: dense, for the e2e tests); gaps longer than the slate are
 * filled with several slate items, which the app shows as one break. `lessonSeconds` is the lesson clip's length
 * (short clips in 1-minute slots make a demo-dense guide like the sample's).
 */
export async function createDataDir(
  dataDir: string,
  nowMs: number,
  channelCount?: number,
  slotMinutes = SLOT_MINUTES,
  lessonSeconds = LESSON_SECONDS,
): Promise<Db> {
  const channels = fixtureChannels(channelCount);
  const db = openDb(dataDir);
  insertLessons(db, lessonSeconds);
  const sources = join(dataDir, 'sources');
  const [lessonClip, slateClip] = await Promise.all([
    makeSyntheticClip({
      path: join(sources, 'lesson.mp4'),
      durationS: lessonSeconds,
      width: 192,
      height: 108,
      text: '空中课堂',
      fontFile: FONT,
    }),
    // As long as the gap after a lesson, so each gap is one slate item (items never wrap around the slate).
    makeSyntheticClip({
      path: join(sources, 'slate.mp4'),
      durationS: SLOT_MINUTES * 60 - LESSON_SECONDS,
      width: 192,
      height: 108,
      toneHz: 220,
    }),
  ]);
  // Sidecars next to the shared source: packaging reads the ones each lesson's catalog captions list.
  for (const language of ['zh', 'en'])
    writeFileSync(join(sources, `lesson.${language}.vtt`), captionSidecar(language, lessonSeconds));
  const ctx = { db, dataDir, ladder: TINY_LADDER };
  // Two ffmpeg runs at a time: the machine has 2 cores.
  await Promise.all([
    packageLesson(ctx, LESSONS[0]!.id, lessonClip),
    packageFiller(ctx, { id: 'slate', kind: 'slate', title: { zh: '休息', en: 'Break' }, source: slateClip }),
  ]);
  await Promise.all(LESSONS.slice(1).map((l) => packageLesson(ctx, l.id, lessonClip)));

  const today = broadcastDateAt(nowMs, TIMEZONE, '00:00');
  const yesterday = addDays(today, -1);
  importChannelDocument(db, {
    channels: channels.map((c) => {
      const week = Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, slotsEvery(slotMinutes, c.lessons)]),
      );
      return {
        id: c.id,
        number: c.number,
        name: c.name,
        timezone: TIMEZONE,
        dayStart: '00:00',
        ladder: TINY_LADDER.name,
        grades: c.grades,
        timetables: { term: week, holiday: week, suspension: week },
        slate: 'slate',
      };
    }),
    suspensions: [
      { id: 'typhoon', from: yesterday, to: addDays(today, 1), channels: [channels[0]!.id], notice: NOTICE },
    ],
  });
  for (const c of channels)
    publishDays({ db, catalog: loadCatalogView(db), channelId: c.id, fromDate: yesterday, days: 3, nowMs });
  return db;
}

export interface RunningOrigin {
  baseUrl: string;
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** The real origin app on `port` (0 = any), serving the TV build from `tvAppDir`. */
export async function startOrigin(db: Db, dataDir: string, tvAppDir: string, port = 0): Promise<RunningOrigin> {
  const app = createApp({
    db,
    mediaDir: join(dataDir, 'media'),
    clock: () => Date.now(),
    logger: pino({ level: 'silent' }),
    packagingQueue: idlePackagingQueue(db, join(dataDir, 'media')),
    tvAppDir,
  });
  const server = app.listen(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${actualPort}`,
    server,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function chromiumExecutable(): Promise<string> {
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const sparticuz = (await import('@sparticuz/chromium')).default;
  return sparticuz.executablePath();
}

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumExecutable(), headless: true, args: CHROMIUM_FLAGS });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function artifactsDir(): string {
  const dir = join(REPO_ROOT, 'artifacts', 'tv-app');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

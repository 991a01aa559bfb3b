import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captionSidecarPath } from '../../packaging/captions.ts';
import { getLadder } from '../../packaging/ladder.ts';
import { makeSyntheticClip } from '../../packaging/synthetic.ts';
import type { DaySnapshot } from '../../playlists/model.ts';
import { importCatalogFile } from '../catalog/catalog-import.ts';
import { loadCatalogView } from '../catalog/catalog-view.ts';
import type { LessonRecord } from '../catalog/lesson-record.ts';
import { LessonsRepository } from '../catalog/lessons-repository.ts';
import { subjectByCode } from '../catalog/subjects.ts';
import { AssetsRepository } from '../packaging/assets-repository.ts';
import { packageFiller, packageLesson, type PackagingContext } from '../packaging/package-lesson.ts';
import { addDays, broadcastDateAt } from '../schedule/broadcast-date.ts';
import { buildDay } from '../schedule/build.ts';
import type { AssetSummary, CatalogView, CourseLesson } from '../schedule/build-types.ts';
import type { Course } from '../schedule/channel-document.ts';
import { importChannelDocument, listCalendars, listChannels } from '../schedule/channels-repository.ts';
import { publishAllChannels, type PublishReport } from '../schedule/publish.ts';
import type { Db } from '../store/db.ts';
import { readSetting, writeSetting } from '../store/settings.ts';
import { DEFAULT_FILLER_IDS, SAMPLE_TIMEZONE, sampleChannelDocument } from './channels.ts';
import { sampleCurriculum } from './curriculum.ts';
import { sampleCaptionsVtt } from './sample-captions.ts';

/**
 * `aerial sample`: a realistic, playable data set made through the real pipeline — the sample
 * curriculum imported as a catalog file, short synthetic lesson videos (test pattern, tone, the lesson
 * title drawn on screen) with WebVTT caption sidecars for the languages the catalog lists (a cue every
 * 2.5 s in the lesson's words), packaged with the light `sample` ladder, fillers and the 1 s slate, the 12
 * grade channels, and the first days published. Only the lessons the published days air are
 * packaged (found by a planning build), which keeps it within a few minutes on 2 cores.
 * Re-running it resumes an interrupted run and does nothing once the sample is complete.
 */

export interface SampleOptions {
  db: Db;
  dataDir: string;
  nowMs: number;
  /** Days to publish from today's broadcast date. */
  days?: number;
  /** Length of each synthetic lesson video. */
  lessonSeconds?: number;
  fillerSeconds?: number;
  /** First-run lessons per school day and channel in the sample timetable. */
  firstRunsPerDay?: number;
  /** Parallel packaging jobs (ffmpeg processes). */
  jobs?: number;
  log?: (line: string) => void;
}

export interface SampleSummary {
  alreadyComplete: boolean;
  lessons: number;
  packagedLessons: number;
  packagedFillers: number;
  mediaSeconds: number;
  wallSeconds: number;
  channels: number;
  publishedDays: number;
  warnings: number;
}

const SAMPLE_SETTING = 'sample';
const SAMPLE_LADDER = 'sample';
/** Slate length: off-air time airs as slate items of at most this length (one pass, never wrapped). */
const SLATE_SECONDS = 60;
/**
 * Sample defaults, sized so that `aerial sample` packages every lesson its 7 published days air in about
 * 2–3 minutes on 2 cores (~120 lessons): short clips, two first runs per school day and channel (the
 * rest of the day is fillers and rerun carousels).
 */
export const DEFAULT_LESSON_SECONDS = 12;
export const DEFAULT_FILLER_SECONDS = 10;
export const DEFAULT_FIRST_RUNS_PER_DAY = 2;
export const FONT_FILE = fileURLToPath(new URL('../../assets/fonts/AerialSans-Regular.otf', import.meta.url));

interface SampleRecord {
  completedAt: number;
  days: number;
  lessonSeconds: number;
}

const FILLERS = [
  {
    id: DEFAULT_FILLER_IDS.eyeExercises,
    kind: 'filler' as const,
    title: { zh: '眼保健操', en: 'Eye exercises' },
    toneHz: 523,
  },
  {
    id: DEFAULT_FILLER_IDS.calisthenics,
    kind: 'filler' as const,
    title: { zh: '广播体操', en: 'Calisthenics' },
    toneHz: 587,
  },
  {
    id: DEFAULT_FILLER_IDS.ident,
    kind: 'filler' as const,
    title: { zh: '空中课堂', en: 'Aerial Classroom' },
    toneHz: 659,
  },
];
const SLATE = {
  id: 'slate',
  kind: 'slate' as const,
  title: { zh: '稍后继续 · 节目即将开始', en: 'Back soon' },
  toneHz: 330,
};

/** The course each grade channel follows per subject: the first volume of the sample edition. */
export function sampleCourses(curriculum: readonly LessonRecord[]): Course[] {
  const seen = new Map<string, Course>();
  for (const lesson of curriculum) {
    const key = `${lesson.grade}/${lesson.subject}/${lesson.edition}`;
    if (!seen.has(key))
      seen.set(key, { grade: lesson.grade, subject: lesson.subject, edition: lesson.edition, volume: lesson.volume });
  }
  return [...seen.values()];
}

function segmentMsFor(seconds: number, segmentSeconds: number): number[] {
  const totalMs = seconds * 1000;
  const full = Math.floor(totalMs / (segmentSeconds * 1000));
  const rest = totalMs - full * segmentSeconds * 1000;
  return [...Array<number>(full).fill(segmentSeconds * 1000), ...(rest > 0 ? [rest] : [])];
}

/**
 * A catalog in which every lesson, filler and the slate are taken as packaged at their planned length:
 * building the published days against it tells which lessons they air, before anything is encoded.
 */
function planningCatalog(catalog: CatalogView, options: { lessonSeconds: number; fillerSeconds: number }): CatalogView {
  const planned = (id: string, kind: AssetSummary['kind'], seconds: number, segmentSeconds: number): AssetSummary => {
    const segmentMs = segmentMsFor(seconds, segmentSeconds);
    return { id, kind, title: { zh: id }, ladder: SAMPLE_LADDER, segmentMs, durationMs: seconds * 1000 };
  };
  const withAsset = (lesson: CourseLesson): CourseLesson => ({ ...lesson, assetId: `planned:${lesson.id}` });
  return {
    courseLessons: (grade, subject, edition) => catalog.courseLessons(grade, subject, edition).map(withAsset),
    lesson: (id) => {
      const lesson = catalog.lesson(id);
      return lesson && withAsset(lesson);
    },
    asset: (id) => {
      if (id.startsWith('planned:')) return planned(id, 'lesson', options.lessonSeconds, 6);
      if (id === SLATE.id) return planned(id, 'slate', SLATE_SECONDS, 1);
      if (FILLERS.some((f) => f.id === id)) return planned(id, 'filler', options.fillerSeconds, 6);
      return catalog.asset(id);
    },
  };
}

/** Lessons that air as first runs on the sample's published days, in airing order. */
function lessonsAiredIn(db: Db, catalog: CatalogView, fromDate: string, days: number): string[] {
  const aired = new Set<string>();
  const calendars = listCalendars(db);
  for (const channel of listChannels(db)) {
    const rules = { channel, calendars, suspensions: [], overrides: [], catalog };
    let previous: DaySnapshot['endState'] | undefined;
    for (let d = 0; d < days; d++) {
      const { snapshot } = buildDay(rules, addDays(fromDate, d), previous);
      for (const item of snapshot.items) if (item.kind === 'lesson' && item.lessonId) aired.add(item.lessonId);
      previous = snapshot.endState;
    }
  }
  return [...aired];
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function createSample(options: SampleOptions): Promise<SampleSummary> {
  const started = performance.now();
  const { db, dataDir } = options;
  const log = options.log ?? (() => {});
  const days = options.days ?? 7;
  const lessonSeconds = options.lessonSeconds ?? DEFAULT_LESSON_SECONDS;
  const fillerSeconds = options.fillerSeconds ?? DEFAULT_FILLER_SECONDS;
  const firstRunsPerDay = options.firstRunsPerDay ?? DEFAULT_FIRST_RUNS_PER_DAY;
  const jobs = options.jobs ?? Math.max(1, availableParallelism());
  const summary: SampleSummary = {
    alreadyComplete: false,
    lessons: 0,
    packagedLessons: 0,
    packagedFillers: 0,
    mediaSeconds: 0,
    wallSeconds: 0,
    channels: 0,
    publishedDays: 0,
    warnings: 0,
  };
  if (readSetting<SampleRecord>(db, SAMPLE_SETTING)) {
    return { ...summary, alreadyComplete: true };
  }

  const workDir = join(dataDir, 'sample');
  const sourcesDir = join(workDir, 'sources');
  mkdirSync(sourcesDir, { recursive: true });

  // 1. The curriculum, through the real catalog importer.
  const curriculum = sampleCurriculum();
  const curriculumFile = join(workDir, 'curriculum.json');
  writeFileSync(curriculumFile, `${JSON.stringify({ lessons: curriculum }, null, 2)}\n`);
  const imported = importCatalogFile(db, curriculumFile, 'sample curriculum');
  summary.lessons = curriculum.length;
  log(
    `catalog: ${curriculum.length} lessons (${imported.added.length} added, ${imported.updated.length} updated, ${imported.unchanged.length} unchanged)`,
  );

  // 2. The 12 grade channels and the Shanghai calendar.
  const document = sampleChannelDocument({
    courses: sampleCourses(curriculum),
    lessonSeconds,
    fillerSeconds,
    ladder: SAMPLE_LADDER,
    firstRunsPerDay,
  });
  importChannelDocument(db, document, 'sample channels');
  summary.channels = document.channels.length;
  log(`channels: ${document.channels.length} grade channels`);

  // 3. Which lessons the published days air.
  const fromDate = broadcastDateAt(options.nowMs, SAMPLE_TIMEZONE, document.channels[0]?.dayStart ?? '06:00');
  const toAir = lessonsAiredIn(
    db,
    planningCatalog(loadCatalogView(db), { lessonSeconds, fillerSeconds }),
    fromDate,
    days,
  );
  const lessons = new LessonsRepository(db);
  const pending = toAir.filter((id) => lessons.get(id)?.status !== 'packaged');
  log(
    `packaging: ${toAir.length} lessons air ${fromDate} … ${addDays(fromDate, days - 1)}; ${pending.length} to package, ${jobs} at a time`,
  );

  // 4. Fillers, slate and lessons: synthetic sources packaged through the real pipeline.
  const ctx: PackagingContext = { db, dataDir, ladder: getLadder(SAMPLE_LADDER), now: () => options.nowMs };
  const assets = new AssetsRepository(db);
  for (const filler of [SLATE, ...FILLERS]) {
    if (assets.assetExists(filler.id)) continue; // packaged by an earlier, interrupted run
    const source = join(sourcesDir, `${filler.id}.mp4`);
    const seconds = filler.kind === 'slate' ? SLATE_SECONDS : fillerSeconds;
    await makeSyntheticClip({
      path: source,
      durationS: seconds,
      text: `${filler.title.zh}  ${filler.title.en}`,
      fontFile: FONT_FILE,
      toneHz: filler.toneHz,
    });
    const outcome = await packageFiller(ctx, { id: filler.id, kind: filler.kind, title: filler.title, source });
    if (!outcome.reused) summary.packagedFillers += 1;
    summary.mediaSeconds += outcome.mediaSeconds;
    rmSync(source, { force: true });
  }
  await inParallel(pending, jobs, async (lessonId, index) => {
    const lesson = lessons.get(lessonId)!;
    const subject = subjectByCode(lesson.subject);
    const source = join(sourcesDir, `${lessonId}.mp4`);
    await makeSyntheticClip({
      path: source,
      durationS: lessonSeconds,
      text: `${lesson.grade}年级 ${subject?.zh ?? lesson.subject} 第${lesson.unit}单元 ${lesson.titleZh}`,
      fontFile: FONT_FILE,
      toneHz: 220 + 40 * ((lesson.grade * 7 + (subject ? lesson.subject.length : 0)) % 12),
    });
    // Captions go where packaging looks for them: next to the source, `<lessonId>.<language>.vtt`.
    const sidecars = (lesson.captions ?? []).map((language) => {
      const path = captionSidecarPath(source, language);
      writeFileSync(
        path,
        sampleCaptionsVtt(lesson, subject ?? { zh: lesson.subject, en: lesson.subject }, language, lessonSeconds),
      );
      return path;
    });
    const outcome = await packageLesson(ctx, lessonId, source);
    summary.packagedLessons += outcome.reused ? 0 : 1;
    summary.mediaSeconds += outcome.mediaSeconds;
    for (const path of [source, ...sidecars]) rmSync(path, { force: true });
    log(`  [${index + 1}/${pending.length}] ${lessonId} packaged`);
  });

  // 5. Publish the first days.
  const report: PublishReport = publishAllChannels({
    db,
    catalog: loadCatalogView(db),
    fromDate,
    days,
    nowMs: options.nowMs,
  });
  summary.publishedDays = report.days.length;
  summary.warnings = report.days.reduce((n, d) => n + d.warnings.length, 0);
  writeSetting(db, SAMPLE_SETTING, { completedAt: options.nowMs, days, lessonSeconds } satisfies SampleRecord);
  rmSync(workDir, { recursive: true, force: true });
  summary.wallSeconds = (performance.now() - started) / 1000;
  return summary;
}

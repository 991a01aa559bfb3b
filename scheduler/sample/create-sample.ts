import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { captionSidecarPath } from '../../packaging/captions.ts';
import { getLadder, LESSON_SEGMENTING, SLATE_SEGMENTING, type Ladder } from '../../packaging/ladder.ts';
import { encodeStillChunks, loopByCopy } from '../../packaging/still-renditions.ts';
import { importCatalogFile } from '../catalog/catalog-import.ts';
import { loadCatalogView } from '../catalog/catalog-view.ts';
import type { LessonRecord } from '../catalog/lesson-record.ts';
import { getLesson } from '../catalog/lessons-repository.ts';
import { assetExists, lessonToPackage, linkLesson } from '../packaging/assets-repository.ts';
import type { PackagingContext } from '../packaging/package-lesson.ts';
import { packageFillerRenditions, packageLessonRenditions } from '../packaging/package-renditions.ts';
import { broadcastDateAt } from '../schedule/broadcast-date.ts';
import type { Course } from '../schedule/channel-document.ts';
import { importChannelDocument, loadBuildRules, listChannels } from '../schedule/channels-repository.ts';
import { publishAllChannels } from '../schedule/publish.ts';
import { publishedDateRange } from '../schedule/snapshots-repository.ts';
import type { Db } from '../store/db.ts';
import { markPrepared, writePreparing } from '../store/preparing.ts';
import { readSetting, writeSetting } from '../store/settings.ts';
import { SAMPLE_TIMEZONE } from './sample-calendar.ts';
import { sampleCurriculum } from './curriculum.ts';
import { slideCaptionsVtt } from './sample-captions.ts';
import {
  groupsInAiringOrder,
  mediaGroups,
  planningCatalog,
  plannedDays,
  sampleFillers,
  type MediaGroup,
} from './sample-plan.ts';
import { firstWeekendOverrides, schoolChannelDocument } from './school-timetable.ts';

/**
 * `aerial sample` / `npm start`: a realistic school-TV data set made through the real pipeline — the
 * sample curriculum imported as a catalog file, the 12 grade channels on the school timetable
 * (school-timetable.ts), and media made the fast way: one short still-image chunk per rendition
 * encoded once, looped to full length by stream copy and ingested as pre-encoded renditions (verified
 * like any packaging). Lessons share one slide video per school stage and subject (sample-plan.ts).
 * Staged: `startSample` packages the slate, the fillers and the videos the first channel airs today,
 * publishes the week and returns; `finish()` packages the rest, republishing as each video lands, while
 * the service already serves (the `preparing` state says what is left). Re-running resumes.
 */

export interface SampleOptions {
  db: Db;
  dataDir: string;
  clock: () => number;
  /** Days to publish from today's broadcast date. */
  days?: number;
  /** Length of every lesson video (tests); default the stage's real length (20/25/30 min). */
  lessonSeconds?: number;
  /** Length of every filler (tests); default the real lengths (eye exercises 5 min…). */
  fillerSeconds?: number;
  /** Grade channels to make (tests); default all 12. */
  grades?: readonly number[];
  /** Parallel ffmpeg jobs. */
  jobs?: number;
  log?: (line: string) => void;
}

export interface SampleSummary {
  alreadyComplete: boolean;
  lessons: number;
  channels: number;
  /** Shared lesson videos packaged (and to package). */
  packagedVideos: number;
  totalVideos: number;
  packagedFillers: number;
  mediaSeconds: number;
  publishedDays: number;
  /** Build warnings, less the slots waiting for a lesson video still being packaged (`waitingSlots`). */
  warnings: number;
  /** Slots that air the slate until their lesson's video is packaged, and the channel-days holding them. */
  waitingSlots: number;
  waitingDays: number;
  wallSeconds: number;
}

export interface StagedSample {
  summary: SampleSummary;
  /** Packages what is left (republishing as it goes); resolves with the final summary. */
  finish(): Promise<SampleSummary>;
}

const SAMPLE_SETTING = 'sample';
const SAMPLE_LADDER = 'sample';
const REPUBLISH_EVERY_MS = 60_000;
export const FONT_FILE = fileURLToPath(new URL('../../assets/fonts/AerialSans-Regular.otf', import.meta.url));
const BRAND = '空中课堂 Aerial Classroom';
const STAGE_COLOURS: Record<string, string> = { primary: '0x2e7d32', junior: '0x1565c0', senior: '0x6a1b9a' };

/** The course each grade channel follows per subject: the first volume of the sample edition. */
export function sampleCourses(curriculum: readonly LessonRecord[]): Course[] {
  const seen = new Map<string, Course>();
  for (const l of curriculum) {
    const key = `${l.grade}/${l.subject}/${l.edition}`;
    if (!seen.has(key)) seen.set(key, { grade: l.grade, subject: l.subject, edition: l.edition, volume: l.volume });
  }
  return [...seen.values()];
}

/** Still slides looped to `seconds`: one file per rendition, conforming to the ladder. */
async function slideRenditions(
  ladder: Ladder,
  dir: string,
  slide: { lines: string[]; seconds: number; background: string; chimeHz: number; slate?: boolean },
): Promise<Record<string, string>> {
  const segmenting = slide.slate ? SLATE_SEGMENTING : LESSON_SEGMENTING;
  // One short chunk per rendition (never the full length), looped below by stream copy.
  const { lines, background, chimeHz } = slide;
  const outDir = join(dir, 'chunks');
  const chunks = await encodeStillChunks({
    ladder,
    segmenting,
    outDir,
    fontFile: FONT_FILE,
    lines,
    background,
    chimeHz,
  });
  const files: Record<string, string> = {};
  for (const [name, chunk] of Object.entries(chunks))
    files[name] = await loopByCopy(chunk, slide.seconds, join(dir, `${name}.ts`), ladder.frameRate);
  return files;
}

interface SampleRun {
  options: SampleOptions;
  ctx: PackagingContext & { ladder: Ladder };
  workDir: string;
  summary: SampleSummary;
  log: (line: string) => void;
  limit: ReturnType<typeof pLimit>;
}

async function packageFillers(run: SampleRun): Promise<void> {
  const todo = sampleFillers(run.options.fillerSeconds).filter((f) => !assetExists(run.ctx.db, f.id));
  await Promise.all(
    todo.map((f, i) =>
      run.limit(async () => {
        const dir = join(run.workDir, f.id);
        // An off-air card says what the guide says, under the brand; the slate and the fillers their title.
        const card = f.id !== 'slate' && f.kind === 'slate';
        const lines = [f.title.zh, f.title.en ?? '', ...(card ? [BRAND] : [])];
        const slide = {
          lines,
          seconds: f.seconds,
          background: card ? '0x263238' : '0x37474f',
          chimeHz: 392 + 40 * i,
          slate: f.kind === 'slate',
        };
        const files = await slideRenditions(run.ctx.ladder, dir, slide);
        const outcome = await packageFillerRenditions(run.ctx, { id: f.id, kind: f.kind, title: f.title, files });
        run.summary.packagedFillers += 1;
        run.summary.mediaSeconds += outcome.mediaSeconds;
        rmSync(dir, { recursive: true, force: true });
      }),
    ),
  );
}

/** One shared slide video: packaged for the group's first lesson, then linked to all the others. */
async function packageGroup(run: SampleRun, group: MediaGroup, index: number): Promise<void> {
  const { db } = run.ctx;
  const owner = lessonToPackage(db, group.lessonIds[0]!)!;
  let assetId = owner.status === 'packaged' ? owner.asset_id : null;
  if (!assetId) {
    const dir = join(run.workDir, group.id);
    const background = STAGE_COLOURS[group.stage] ?? '0x1e5a8c';
    const slide = { lines: group.lines, seconds: group.seconds, background, chimeHz: 440 + 30 * (index % 10) };
    const files = await slideRenditions(run.ctx.ladder, dir, slide);
    const canonical = files[run.ctx.ladder.renditions[0]!.name]!;
    for (const language of owner.captions) {
      const text = language.startsWith('zh') ? group.lines.slice(0, 1) : group.lines.slice(1, 2);
      writeFileSync(captionSidecarPath(canonical, language), slideCaptionsVtt(text, group.seconds));
    }
    const outcome = await packageLessonRenditions(run.ctx, owner.id, { files });
    assetId = outcome.assetId;
    run.summary.mediaSeconds += outcome.mediaSeconds;
    rmSync(dir, { recursive: true, force: true });
  }
  const rest = group.lessonIds.slice(1).filter((id) => getLesson(db, id)?.status !== 'packaged');
  db.transaction(() => rest.forEach((id) => linkLesson(db, id, `sample:${group.id}`, assetId!)))();
  run.summary.packagedVideos += 1;
  run.log(`  [${run.summary.packagedVideos}/${run.summary.totalVideos}] ${group.id} (${group.seconds} s)`);
}

/**
 * What /healthz reports while videos are still missing; once none is, when that was (the build warnings of day
 * versions published until then are those of a staged start, not faults).
 */
function updatePreparing(run: SampleRun): void {
  const { packagedVideos: done, totalVideos: total } = run.summary;
  if (done >= total) return markPrepared(run.ctx.db, run.options.clock());
  const note = 'lesson videos; their slots show the slate until then';
  writePreparing(run.ctx.db, { what: 'sample', items: 'lesson-videos', done, total, note });
}

/** Publishes the sample's days from today against the catalog as it is now (missing videos air as slate). */
function publish(run: SampleRun): void {
  const { db } = run.ctx;
  const nowMs = run.options.clock();
  const dayStart = listChannels(db)[0]?.dayStart ?? '06:00';
  const fromDate = broadcastDateAt(nowMs, SAMPLE_TIMEZONE, dayStart);
  const report = publishAllChannels({ db, catalog: loadCatalogView(db), fromDate, days: run.options.days ?? 7, nowMs });
  run.summary.publishedDays = report.days.length;
  // A slot whose lesson video is still being packaged is not a fault of the timetable: counted apart.
  const waiting = report.days.map((d) => d.warnings.filter((w) => w.code === 'lesson-not-packaged').length);
  run.summary.waitingSlots = waiting.reduce((n, w) => n + w, 0);
  run.summary.waitingDays = waiting.filter((w) => w > 0).length;
  run.summary.warnings = report.days.reduce((n, d) => n + d.warnings.length, 0) - run.summary.waitingSlots;
  updatePreparing(run);
}

/** The catalog through the real importer. */
function importSampleCatalog(run: SampleRun): LessonRecord[] {
  const { db } = run.ctx;
  const seconds = run.options.lessonSeconds;
  const curriculum = sampleCurriculum().map((l) => (seconds ? { ...l, durationS: seconds } : l));
  const file = join(run.workDir, 'curriculum.json');
  writeFileSync(file, `${JSON.stringify({ lessons: curriculum }, null, 2)}\n`);
  const imported = importCatalogFile(db, file, 'sample curriculum');
  run.log(
    `catalog: ${curriculum.length} lessons (${imported.added.length} added, ${imported.unchanged.length} unchanged)`,
  );
  run.summary.lessons = curriculum.length;
  return curriculum;
}

/** The grade channels through the real importer (after the slate, cards and fillers they name are packaged). */
function importSampleChannels(run: SampleRun, curriculum: readonly LessonRecord[]): readonly number[] {
  const { db } = run.ctx;
  const grades = run.options.grades ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const document = schoolChannelDocument({ courses: sampleCourses(curriculum), ladder: SAMPLE_LADDER });
  document.channels = document.channels.filter((c) => grades.includes(c.number));
  // The first weekend loops days the channels aired (a resumed sample keeps the date it first published).
  const channel = document.channels[0];
  const firstDate =
    channel &&
    (publishedDateRange(db, channel.id)?.first ??
      broadcastDateAt(run.options.clock(), channel.timezone, channel.dayStart));
  if (firstDate) document.overrides = firstWeekendOverrides(document, firstDate);
  importChannelDocument(db, document, 'sample channels');
  run.summary.channels = document.channels.length;
  run.log(`channels: ${document.channels.length} grade channels on the school timetable`);
  return grades;
}

/**
 * The videos in packaging order: first those the quickest channel (fewest videos today) airs from now to
 * the end of today, then the rest as the published days first air them from now on, then any the week
 * does not air from now on (on demand has them).
 */
function packagingOrder(
  run: SampleRun,
  groups: MediaGroup[],
  days: number,
): { first: MediaGroup[]; rest: MediaGroup[] } {
  const { db } = run.ctx;
  const catalog = planningCatalog(loadCatalogView(db), groups, sampleFillers(run.options.fillerSeconds), SAMPLE_LADDER);
  const nowMs = run.options.clock();
  const perChannel = listChannels(db).map((channel) => {
    const from = broadcastDateAt(nowMs, channel.timezone, channel.dayStart);
    return plannedDays(loadBuildRules(db, channel.id, catalog), from, days);
  });
  // What airs from now on: slots already past when the sample starts are not waited for.
  const todays = perChannel.map((week) => groupsInAiringOrder(week.slice(0, 1), groups, nowMs));
  const first = todays.reduce((a, b) => (b.length < a.length ? b : a), todays[0] ?? []);
  const aired = groupsInAiringOrder(perChannel.flat(), groups, nowMs);
  const rest = [...aired, ...groups].filter((g, i, all) => !first.includes(g) && all.indexOf(g) === i);
  return { first, rest };
}

function startRun(options: SampleOptions): SampleRun {
  const workDir = join(options.dataDir, 'sample');
  mkdirSync(workDir, { recursive: true });
  const summary: SampleSummary = {
    alreadyComplete: false,
    ...{ lessons: 0, channels: 0, packagedVideos: 0, totalVideos: 0, packagedFillers: 0, mediaSeconds: 0 },
    ...{ publishedDays: 0, warnings: 0, waitingSlots: 0, waitingDays: 0, wallSeconds: 0 },
  };
  const ladder = getLadder(SAMPLE_LADDER);
  const ctx = { db: options.db, dataDir: options.dataDir, ladder, now: options.clock };
  const limit = pLimit(options.jobs ?? Math.max(1, availableParallelism()));
  return { options, ctx, workDir, summary, log: options.log ?? (() => {}), limit };
}

/** Stage one: everything the first channel-days need, published; `finish()` does the rest. */
export async function startSample(options: SampleOptions): Promise<StagedSample> {
  const started = performance.now();
  const run = startRun(options);
  if (readSetting(options.db, SAMPLE_SETTING)) {
    rmSync(run.workDir, { recursive: true, force: true });
    const summary = { ...run.summary, alreadyComplete: true };
    return { summary, finish: async () => summary };
  }
  const curriculum = importSampleCatalog(run);
  run.log('packaging: the slate, the off-air cards and the fillers');
  await packageFillers(run);
  const grades = importSampleChannels(run, curriculum);
  const groups = mediaGroups(curriculum).filter((g) =>
    g.lessonIds.some((id) => grades.includes(curriculum.find((l) => l.id === id)!.grade)),
  );
  run.summary.totalVideos = groups.length;
  const { first, rest } = packagingOrder(run, groups, options.days ?? 7);
  run.log(`packaging: ${first.length} of ${groups.length} lesson videos before going live`);
  await Promise.all(first.map((g, i) => run.limit(() => packageGroup(run, g, i))));
  publish(run);
  run.summary.wallSeconds = (performance.now() - started) / 1000;
  const stageOne = { ...run.summary };
  let publishedAt = options.clock();
  const finish = async (): Promise<SampleSummary> => {
    await Promise.all(
      rest.map((g, i) =>
        run.limit(async () => {
          await packageGroup(run, g, first.length + i);
          // Republishing the week is synchronous work in the serving process: at most once a minute.
          if (options.clock() - publishedAt < REPUBLISH_EVERY_MS) return updatePreparing(run);
          publishedAt = options.clock();
          publish(run);
        }),
      ),
    );
    publish(run);
    writeSetting(options.db, SAMPLE_SETTING, { completedAt: options.clock(), videos: groups.length });
    rmSync(run.workDir, { recursive: true, force: true });
    run.summary.wallSeconds = (performance.now() - started) / 1000;
    return { ...run.summary };
  };
  return { summary: stageOne, finish };
}

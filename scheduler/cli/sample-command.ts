import { startSample, type SampleOptions, type SampleSummary, type StagedSample } from '../sample/create-sample.ts';
import { openDb } from '../store/db.ts';
import { ensureTvAppBuilt } from '../tv-app-build.ts';
import { parseOptions, parsePositiveInt, type CliContext, type Command, withDb } from './command.ts';
import { serveCommand } from './serve-command.ts';
import { ensureAdminAppBuilt } from '../admin-app-build.ts';

const SAMPLE_USAGE = 'aerial sample [--days 7] [--lesson-seconds N] [--filler-seconds N] [--grades 1,2] [--jobs N]';

type SampleFlags = Pick<SampleOptions, 'days' | 'lessonSeconds' | 'fillerSeconds' | 'grades' | 'jobs'>;

function describe(summary: SampleSummary): string {
  return (
    `${summary.lessons} lessons in the catalog, ${summary.packagedVideos} of ${summary.totalVideos} lesson videos ` +
    `and ${summary.packagedFillers} fillers, slate and off-air cards packaged ` +
    `(${Math.round(summary.mediaSeconds)} s of media), ` +
    `${summary.channels} channels, ${summary.publishedDays} channel-days published (${summary.warnings} build warnings)` +
    (summary.waitingSlots
      ? `; ${summary.waitingSlots} slots on ${summary.waitingDays} channel-days show the slate until their video is packaged`
      : '')
  );
}

function parseGrades(value: string): number[] {
  const grades = value.split(',').map((g) => parsePositiveInt(g.trim(), '--grades'));
  if (grades.some((g) => g > 12)) throw new Error('--grades: grades are 1..12');
  return grades;
}

function stage(ctx: CliContext, db: SampleOptions['db'], flags: SampleFlags): Promise<StagedSample> {
  const log = (line: string) => ctx.stdout.write(`${line}\n`);
  return startSample({ db, dataDir: ctx.dataDir, clock: () => Date.now(), log, ...flags });
}

function alreadyPresent(ctx: CliContext): void {
  ctx.stdout.write(`sample data already present in ${ctx.dataDir}; nothing to do\n`);
}

export const sampleCommand: Command = {
  name: 'sample',
  summary: 'Create the sample data set: curriculum, lesson videos, 12 grade channels on a school timetable, 7 days',
  usage: SAMPLE_USAGE,
  async run(args, ctx) {
    const { values } = parseOptions(
      args,
      {
        days: { type: 'string' },
        'lesson-seconds': { type: 'string' },
        'filler-seconds': { type: 'string' },
        grades: { type: 'string' },
        jobs: { type: 'string' },
      },
      SAMPLE_USAGE,
    );
    const flags: SampleFlags = {
      ...(values.days !== undefined && { days: parsePositiveInt(values.days, '--days') }),
      ...(values['lesson-seconds'] !== undefined && {
        lessonSeconds: parsePositiveInt(values['lesson-seconds'], '--lesson-seconds'),
      }),
      ...(values['filler-seconds'] !== undefined && {
        fillerSeconds: parsePositiveInt(values['filler-seconds'], '--filler-seconds'),
      }),
      ...(values.grades !== undefined && { grades: parseGrades(values.grades) }),
      ...(values.jobs !== undefined && { jobs: parsePositiveInt(values.jobs, '--jobs') }),
    };
    await withDb(ctx.dataDir, async (db) => {
      const staged = await stage(ctx, db, flags);
      if (staged.summary.alreadyComplete) return alreadyPresent(ctx);
      ctx.stdout.write(`first channel-days live in ${staged.summary.wallSeconds.toFixed(1)} s\n`);
      const summary = await staged.finish();
      ctx.stdout.write(`sample ready in ${summary.wallSeconds.toFixed(1)} s: ${describe(summary)}\n`);
    });
    return 0;
  },
};

/**
 * `npm start`: on a data directory without the sample, the first channel-days are made and published,
 * the TV app and the console are built if missing, then the service starts serving while the rest of the
 * sample is packaged in the background (/healthz says what is left); afterwards (or with the sample
 * complete) it just serves.
 */
export const startCommand: Command = {
  name: 'start',
  summary: 'Create the sample data if the data directory has none (serving as soon as the first days are ready)',
  usage: serveCommand.usage.replace('aerial serve', 'aerial start'),
  async run(args, ctx) {
    const db = openDb(ctx.dataDir);
    let staged: StagedSample;
    try {
      staged = await stage(ctx, db, {});
    } catch (error) {
      db.close();
      throw error;
    }
    if (!staged.summary.alreadyComplete)
      ctx.stdout.write(`first channel-days ready in ${staged.summary.wallSeconds.toFixed(1)} s; serving\n`);
    await ensureTvAppBuilt((line) => ctx.stdout.write(`${line}\n`));
    await ensureAdminAppBuilt((line) => ctx.stdout.write(`${line}\n`));
    let finished = false;
    const background = staged
      .finish()
      .then((summary) => {
        if (!summary.alreadyComplete)
          ctx.stdout.write(`sample complete in ${summary.wallSeconds.toFixed(1)} s: ${describe(summary)}\n`);
      })
      .catch((error: unknown) => ctx.stderr.write(`aerial: sample: ${(error as Error).message}\n`))
      .finally(() => {
        finished = true;
        db.close();
      });
    const code = await serveCommand.run(args, ctx);
    if (!finished) {
      // Stopped while the sample was still being packaged: the next start resumes where it stopped.
      ctx.stdout.write('sample incomplete; the next `npm start` resumes it\n');
      process.exit(code);
    }
    await background;
    return code;
  },
};

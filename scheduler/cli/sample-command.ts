import { createSample, type SampleSummary } from '../sample/create-sample.ts';
import { parseOptions, parsePositiveInt, type CliContext, type Command, withDb } from './command.ts';
import { serveCommand } from './serve-command.ts';
import { ensureTvAppBuilt } from '../tv-app-build.ts';

const SAMPLE_USAGE = 'aerial sample [--days 7] [--lesson-seconds 12] [--first-runs-per-day 2] [--jobs N]';

async function runSample(
  ctx: CliContext,
  options: { days?: number; lessonSeconds?: number; firstRunsPerDay?: number; jobs?: number },
): Promise<SampleSummary> {
  return withDb(ctx.dataDir, async (db) => {
    const log = (line: string) => ctx.stdout.write(`${line}\n`);
    const summary = await createSample({ db, dataDir: ctx.dataDir, nowMs: Date.now(), log, ...options });
    if (summary.alreadyComplete) {
      log(`sample data already present in ${ctx.dataDir}; nothing to do`);
    } else {
      log(
        `sample ready in ${summary.wallSeconds.toFixed(1)} s: ${summary.lessons} lessons in the catalog, ` +
          `${summary.packagedLessons} lessons and ${summary.packagedFillers} fillers/slate packaged ` +
          `(${Math.round(summary.mediaSeconds)} s of media), ${summary.channels} channels, ` +
          `${summary.publishedDays} channel-days published (${summary.warnings} build warnings)`,
      );
    }
    return summary;
  });
}

export const sampleCommand: Command = {
  name: 'sample',
  summary: 'Create the sample data set: curriculum, packaged synthetic lessons, 12 grade channels, 7 days published',
  usage: SAMPLE_USAGE,
  async run(args, ctx) {
    const { values } = parseOptions(
      args,
      {
        days: { type: 'string' },
        'lesson-seconds': { type: 'string' },
        'first-runs-per-day': { type: 'string' },
        jobs: { type: 'string' },
      },
      SAMPLE_USAGE,
    );
    await runSample(ctx, {
      ...(values.days !== undefined && { days: parsePositiveInt(values.days, '--days') }),
      ...(values['lesson-seconds'] !== undefined && {
        lessonSeconds: parsePositiveInt(values['lesson-seconds'], '--lesson-seconds'),
      }),
      ...(values['first-runs-per-day'] !== undefined && {
        firstRunsPerDay: parsePositiveInt(values['first-runs-per-day'], '--first-runs-per-day'),
      }),
      ...(values.jobs !== undefined && { jobs: parsePositiveInt(values.jobs, '--jobs') }),
    });
    return 0;
  },
};

/** `npm start`: the sample data and the TV app build on first run (no-ops afterwards), then the service. */
export const startCommand: Command = {
  name: 'start',
  summary: 'Create the sample data if the data directory has none, then serve (what `npm start` runs)',
  usage: serveCommand.usage.replace('aerial serve', 'aerial start'),
  async run(args, ctx) {
    await runSample(ctx, {});
    await ensureTvAppBuilt((line) => ctx.stdout.write(`${line}\n`));
    return serveCommand.run(args, ctx);
  },
};

import { LADDERS, ladderProblems } from '../../packaging/ladder.ts';
import type { TranscodeProgress } from '../../packaging/transcode.ts';
import { InputError, UsageError } from '../errors.ts';
import { AssetsRepository } from '../packaging/assets-repository.ts';
import { packageFiller, packageLesson, type PackagingOutcome } from '../packaging/package-lesson.ts';
import { parseOptions, type CliContext, type Command, withDb } from './command.ts';

const USAGE =
  'aerial package (--lesson ID [--source FILE] | --pending [--include-failed] | --filler ID|--slate ID --source FILE --title-zh T [--title-en T]) [--ladder NAME]';

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A redrawn bar on a terminal; on a pipe, a log line at the start and every 10 %. */
function progressReporter(ctx: CliContext) {
  const tty = Boolean(ctx.stdout.isTTY);
  let lastDecile = -1;
  return {
    update(label: string, p: TranscodeProgress) {
      const percent = Math.floor(p.fraction * 100);
      const speed = p.speed > 0 ? `${p.speed.toFixed(1)}×` : '–';
      const eta = p.etaS === undefined ? '–' : clock(p.etaS);
      if (tty) {
        const width = 30;
        const filled = Math.round(p.fraction * width);
        ctx.stdout.write(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${speed} ETA ${eta}  `,
        );
        return;
      }
      const decile = Math.floor(percent / 10);
      if (decile === lastDecile) return;
      lastDecile = decile;
      ctx.stdout.write(`${label}: ${percent}% speed ${speed} ETA ${eta}\n`);
    },
    finish() {
      if (tty) ctx.stdout.write('\n');
      lastDecile = -1;
    },
  };
}

export const packageCommand: Command = {
  name: 'package',
  summary: 'package lesson videos into the HLS ladder (one lesson, or every pending one), or a filler or the slate',
  usage: USAGE,
  async run(args, ctx) {
    const { values } = parseOptions(
      args,
      {
        lesson: { type: 'string' },
        source: { type: 'string' },
        pending: { type: 'boolean' },
        'include-failed': { type: 'boolean' },
        ladder: { type: 'string', default: 'default' },
        filler: { type: 'string' },
        slate: { type: 'string' },
        'title-zh': { type: 'string' },
        'title-en': { type: 'string' },
      },
      USAGE,
    );
    const modes = [values.lesson, values.pending, values.filler, values.slate].filter(Boolean).length;
    if (modes !== 1)
      throw new UsageError(`give exactly one of --lesson ID, --pending, --filler ID or --slate ID\nusage: ${USAGE}`);
    const fillerId = values.filler ?? values.slate;
    if (values.source && !values.lesson && !fillerId)
      throw new UsageError(`--source goes with --lesson, --filler or --slate\nusage: ${USAGE}`);
    if (fillerId && (!values.source || !values['title-zh']))
      throw new UsageError(
        `--${values.filler ? 'filler' : 'slate'} needs --source FILE and --title-zh TITLE\nusage: ${USAGE}`,
      );
    if (!fillerId && (values['title-zh'] || values['title-en']))
      throw new UsageError(`--title-zh/--title-en go with --filler or --slate\nusage: ${USAGE}`);
    if (values['include-failed'] && !values.pending)
      throw new UsageError(`--include-failed goes with --pending\nusage: ${USAGE}`);
    const ladder = LADDERS[values.ladder!];
    if (!ladder) throw new UsageError(`unknown ladder '${values.ladder}' (known: ${Object.keys(LADDERS).join(', ')})`);
    const ladderIssues = ladderProblems(ladder);
    if (ladderIssues.length)
      throw new InputError(
        `ladder '${ladder.name}' is invalid`,
        ladderIssues.map((reason) => ({ reason })),
      );

    return withDb(ctx.dataDir, async (db) => {
      const progress = progressReporter(ctx);
      const packagingCtx = {
        db,
        dataDir: ctx.dataDir,
        ladder,
        onProgress: (assetId: string, p: TranscodeProgress) => progress.update(assetId, p),
      };
      if (fillerId) {
        // Fillers (eye exercises, calisthenics, idents) and the slate (1 s segments) under a fixed id that timetables
        // name.
        const started = performance.now();
        const outcome = await packageFiller(packagingCtx, {
          id: fillerId,
          kind: values.slate ? 'slate' : 'filler',
          title: { zh: values['title-zh']!, ...(values['title-en'] ? { en: values['title-en'] } : {}) },
          source: values.source!,
        });
        progress.finish();
        const wallS = (performance.now() - started) / 1000;
        ctx.stdout.write(
          outcome.reused
            ? `${fillerId}: already packaged from the same source\n`
            : `${fillerId}: packaged (${outcome.mediaSeconds.toFixed(1)} s of media in ${wallS.toFixed(1)} s wall time)\n`,
        );
        return 0;
      }
      const lessonIds = values.lesson
        ? [values.lesson]
        : new AssetsRepository(db).pendingLessons(Boolean(values['include-failed'])).map((l) => l.id);
      if (values.pending && lessonIds.length === 0) {
        ctx.stdout.write('nothing to package: no registered lesson with a source and no media\n');
        return 0;
      }
      const started = performance.now();
      const done: PackagingOutcome[] = [];
      let rejected = 0;
      let failed = 0;
      for (const lessonId of lessonIds) {
        try {
          const outcome = await packageLesson(packagingCtx, lessonId, values.source);
          progress.finish();
          done.push(outcome);
          ctx.stdout.write(
            outcome.reused
              ? `${lessonId}: already packaged as ${outcome.assetId}\n`
              : `${lessonId}: packaged ${outcome.assetId} (${outcome.mediaSeconds.toFixed(1)} s of media)\n`,
          );
        } catch (error) {
          progress.finish();
          // A single lesson keeps the CLI's usual error path (message + exit code from main).
          if (values.lesson) throw error;
          if (error instanceof InputError) rejected++;
          else failed++;
          ctx.stderr.write(`aerial: ${lessonId}: ${(error as Error).message}\n`);
        }
      }
      const wallS = (performance.now() - started) / 1000;
      const mediaS = done.reduce((sum, o) => sum + o.mediaSeconds, 0);
      const packaged = done.filter((o) => !o.reused).length;
      ctx.stdout.write(
        `summary: ${packaged} asset(s) packaged, ${done.length - packaged} already packaged, ${rejected} rejected, ${failed} failed; ` +
          `${mediaS.toFixed(1)} s of media in ${wallS.toFixed(1)} s wall time (${wallS > 0 ? (mediaS / wallS).toFixed(2) : '0'}× real time)\n`,
      );
      if (failed) return 1;
      return rejected ? 2 : 0;
    });
  },
};

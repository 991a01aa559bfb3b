/**
 * Resumable uploads over tus with a real tus client (tus-js-client): a 32 MB synthetic source uploaded in
 * chunks is cut off half-way by kill -9 of the server (a child process), which starts again on the same
 * data dir; the upload resumes from the offset the server kept and completes; it becomes a packaging job
 * (with the caption sidecar uploaded before it) that packages the lesson, which then plays on demand.
 * Bad uploads get a clear 4xx naming what is wrong and leave nothing stored; abandoned uploads expire by
 * the injected clock. A filler's source uploaded with `assetId` becomes a packaging job too.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Upload } from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaBinaries } from '../../packaging/binaries.ts';
import { runTool } from '../../packaging/run.ts';
import { getLadder, LESSON_SEGMENTING } from '../../packaging/ladder.ts';
import { encodeStillChunks } from '../../packaging/still-renditions.ts';
import { makeSyntheticClip } from '../../packaging/synthetic.ts';
import { createPackagingQueue, type PackagingQueue } from '../../scheduler/admin/packaging-queue.ts';
import { createToken } from '../../scheduler/admin/tokens.ts';
import { createUploads, type Uploads } from '../../scheduler/admin/uploads.ts';
import { fixedClock } from '../../scheduler/clock.ts';
import { createApp } from '../../scheduler/http/app.ts';
import { openDb, type Db } from '../../scheduler/store/db.ts';
import { assetCatalogView } from './origin-fixtures.ts';

const NOW = Date.parse('2026-11-23T00:00:10Z');
const clock = fixedClock(NOW);
const CHUNK = 4 * 1024 * 1024;
let dataDir: string;
let clipDir: string;
let bigClip: string;
let smallClip: string;
let editor: string;

interface Running {
  db: Db;
  baseUrl: string;
  server: Server;
  packaging: PackagingQueue;
  uploads: Uploads;
  stop(): Promise<void>;
}

/** The service's parts on `dataDir`, as `aerial serve` wires them (without the schedule jobs). */
async function start(maxUploadBytes?: number): Promise<Running> {
  const db = openDb(dataDir);
  const packaging = createPackagingQueue({ db, dataDir, clock, concurrency: 1 });
  packaging.start();
  const uploads = createUploads({
    db,
    dataDir,
    clock,
    packaging,
    ladder: 'sample',
    ...(maxUploadBytes ? { maxUploadBytes } : {}),
  });
  const app = createApp({
    db,
    mediaDir: join(dataDir, 'media'),
    clock,
    logger: pino({ level: 'silent' }),
    loadCatalog: assetCatalogView,
    packagingQueue: packaging,
    uploads,
    horizonDays: 1,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db,
    baseUrl,
    server,
    packaging,
    uploads,
    async stop() {
      packaging.stop();
      await packaging.idle();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      db.close();
    },
  };
}

interface ChildServer {
  baseUrl: string;
  exited: Promise<unknown>;
  kill(): void;
}

/** The app in a child process on `dataDir` (tests/integration/ingest-server-child.ts). */
async function spawnServer(): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    [join(process.cwd(), 'bin/run-ts.js'), join(process.cwd(), 'tests/integration/ingest-server-child.ts'), dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').once('data', (line: string) => resolve(line.trim()));
    child.once('exit', () => reject(new Error('the server child exited before listening')));
  });
  return { baseUrl: `http://127.0.0.1:${port}`, exited, kill: () => child.kill('SIGKILL') };
}

function tusUpload(
  running: { baseUrl: string },
  file: Buffer,
  metadata: Record<string, string>,
  options: { uploadUrl?: string; token?: string; onChunk?: (accepted: number) => void } = {},
): { upload: Upload; done: Promise<string> } {
  let upload!: Upload;
  const done = new Promise<string>((resolve, reject) => {
    upload = new Upload(file, {
      endpoint: `${running.baseUrl}/api/admin/uploads`,
      ...(options.uploadUrl ? { uploadUrl: options.uploadUrl } : {}),
      chunkSize: CHUNK,
      retryDelays: [],
      metadata,
      headers: { Authorization: `Bearer ${options.token ?? editor}` },
      storeFingerprintForResuming: false,
      onChunkComplete: (_size, accepted) => options.onChunk?.(accepted),
      onError: reject,
      onSuccess: () => resolve(upload.url!),
    });
    upload.start();
  });
  return { upload, done };
}

/** A raw tus request (for the answers tus-js-client turns into exceptions). */
async function tus(
  running: { baseUrl: string },
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
) {
  const res = await fetch(`${running.baseUrl}${path}`, {
    method,
    headers: { 'Tus-Resumable': '1.0.0', ...headers },
    ...(body ? { body: new Uint8Array(body) } : {}),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const meta = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');

function insertLesson(db: Db, id: string, captions: string[]): void {
  db.prepare(
    `INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh, captions)
     VALUES (?, 3, 'math', 'pep', 1, 1, '单元', ?, '课', ?)`,
  ).run(id, Number(id.replace(/\D/g, '')) || 1, JSON.stringify(captions));
}

const storedFiles = () => readdirSync(join(dataDir, 'uploads'), { recursive: true }).map(String).sort();

beforeAll(async () => {
  clipDir = mkdtempSync(join(tmpdir(), 'aerial-ingest-clips-'));
  dataDir = mkdtempSync(join(tmpdir(), 'aerial-ingest-data-'));
  mkdirSync(join(dataDir, 'media'), { recursive: true });
  smallClip = await makeSyntheticClip({ path: join(clipDir, 'small.mp4'), durationS: 2, width: 320, height: 180 });
  // A 32 MB source that is cheap to make and to package: 4 s of 320x180 at a constant 64 Mbit/s (filler NALs).
  bigClip = join(clipDir, 'big.mp4');
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-f', 'lavfi', '-i'];
  args.push(
    'testsrc=size=320x180:rate=25:duration=4',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:duration=4',
  );
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-b:v', '64M', '-minrate', '64M');
  args.push('-maxrate', '64M', '-bufsize', '4M', '-x264-params', 'nal-hrd=cbr', '-c:a', 'aac', '-b:a', '96k', bigClip);
  const made = await runTool(mediaBinaries().ffmpeg, args);
  expect(made.code).toBe(0);
  const db = openDb(dataDir);
  editor = createToken(db, 'programmer', 'editor', 0).token;
  insertLesson(db, 'l1', ['zh']);
  insertLesson(db, 'l2', ['zh', 'en']);
  insertLesson(db, 'l3', []);
  insertLesson(db, 'l4', []);
  db.close();
}, 60_000);
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(clipDir, { recursive: true, force: true });
});

describe('uploads', () => {
  it('resumes an upload cut off by kill -9 of the server; the source becomes a job that packages the lesson', async () => {
    const file = readFileSync(bigClip);
    expect(file.length).toBeGreaterThan(30 * 1024 * 1024);
    let child = await spawnServer();
    const vtt = Buffer.from('WEBVTT\n\n00:00:00.500 --> 00:00:02.000\n你好\n');
    await tusUpload(child, vtt, { lessonId: 'l1', role: 'caption:zh', filename: 'l1.zh.vtt' }).done;

    let cutAt = 0;
    const first = tusUpload(
      child,
      file,
      { lessonId: 'l1', role: 'source', filename: 'lesson one.mp4' },
      {
        onChunk: (accepted) => {
          if (accepted >= file.length / 2 && !cutAt) {
            cutAt = accepted;
            child.kill(); // SIGKILL while the next chunk is on its way
          }
        },
      },
    );
    await expect(first.done).rejects.toThrow();
    const uploadPath = new URL(first.upload.url!).pathname;
    await child.exited;
    child = await spawnServer();

    // The server kept what it acknowledged across the crash; the client continues from there, not from 0.
    const head = await tus(child, 'HEAD', uploadPath, { Authorization: `Bearer ${editor}` });
    expect(head.status).toBe(200);
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBeGreaterThanOrEqual(cutAt);
    expect(offset).toBeLessThan(file.length);
    const resumedFrom: number[] = [];
    await tusUpload(
      child,
      file,
      { lessonId: 'l1', role: 'source', filename: 'lesson one.mp4' },
      { uploadUrl: `${child.baseUrl}${uploadPath}`, onChunk: (accepted) => resumedFrom.push(accepted) },
    ).done;
    expect(resumedFrom[0]).toBe(Math.min(offset + CHUNK, file.length));

    const id = uploadPath.split('/').pop()!;
    const auth = { headers: { Authorization: `Bearer ${editor}` } };
    const report = await fetch(`${child.baseUrl}/api/admin/uploads/${id}`, auth).then((r) => r.json());
    expect(report).toMatchObject({ lessonId: 'l1', role: 'source', sizeBytes: file.length, missing: [] });
    let job: any;
    await waitFor(async () => {
      job = await fetch(`${child.baseUrl}/api/admin/packaging-jobs/${report.jobId}`, auth).then((r) => r.json());
      return job.status !== 'queued' && job.status !== 'running';
    }, 80_000);
    expect(job).toMatchObject({ lessonId: 'l1', status: 'succeeded', error: null });
    const vod = await fetch(`${child.baseUrl}/vod/lessons/l1/master.m3u8`);
    expect(vod.status).toBe(200);
    expect(await vod.text()).toContain('#EXT-X-STREAM-INF');
    child.kill();
    await child.exited;
    const db = openDb(dataDir);
    try {
      expect(db.prepare('SELECT language FROM asset_captions WHERE asset_id = ?').pluck().all(job.assetId)).toEqual([
        'zh',
      ]);
    } finally {
      db.close();
    }
    expect(readdirSync(join(dataDir, 'uploads', 'incoming'))).toEqual([]);
  }, 90_000);

  it('answers bad uploads with a 4xx naming the problem, and stores nothing', async () => {
    const running = await start(2 ** 52);
    const before = storedFiles();
    const rows = () => running.db.prepare('SELECT COUNT(*) FROM uploads').pluck().get();
    const rowsBefore = rows();
    const create = (metadata: Record<string, string>, length: number, token: string | null = editor) =>
      tus(running, 'POST', '/api/admin/uploads', {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        'Upload-Length': String(length),
        'Upload-Metadata': meta(metadata),
      });
    const good = { lessonId: 'l3', role: 'source', filename: 'a.mp4' };

    const anonymous = await create(good, 10, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    expect((await create(good, 10, 'not-a-token')).status).toBe(401);
    const role = await create({ ...good, role: 'thumbnail' }, 10);
    expect(role.status).toBe(400);
    expect(JSON.parse(role.text).problems).toEqual([{ field: 'role', reason: expect.stringContaining("'thumbnail'") }]);
    const lesson = await create({ ...good, lessonId: 'nope' }, 10);
    expect(lesson.status).toBe(400);
    expect(JSON.parse(lesson.text).problems[0]).toMatchObject({ field: 'lessonId', reason: "unknown lesson 'nope'" });
    const missing = await create({ lessonId: 'l3', role: 'source' }, 10);
    expect(JSON.parse(missing.text).problems).toEqual([
      { field: 'filename', reason: expect.stringContaining('missing') },
    ]);
    const rendition = await create({ ...good, role: 'rendition:4k' }, 10);
    expect(JSON.parse(rendition.text).problems[0].reason).toContain("unknown rendition '4k'");
    const large = await create(good, 2 ** 52 + 1);
    expect(large.status).toBe(413);
    expect(large.text).toContain(`limit of ${2 ** 52} bytes`);
    const full = await create(good, 10 ** 15);
    expect(full.status).toBe(507);
    expect(JSON.parse(full.text).error).toMatch(/\d+ bytes free/);
    expect(storedFiles()).toEqual(before);
    expect(rows()).toBe(rowsBefore);

    // Not a video (by its content, whatever its name says): 415 with the probe's reason, a failed job, no file.
    const text = Buffer.from('this is not a video\n'.repeat(5000));
    const bad = await create({ lessonId: 'l3', role: 'source', filename: 'lesson.mp4' }, text.length);
    expect(bad.status).toBe(201);
    const patch = await tus(
      running,
      'PATCH',
      bad.headers.get('location')!,
      { Authorization: `Bearer ${editor}`, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      text,
    );
    expect(patch.status).toBe(415);
    expect(JSON.parse(patch.text).error).toContain("lesson 'l3': source rejected: lesson.mp4");
    const failed = running.packaging.list({ status: 'failed' })[0]!;
    expect(failed).toMatchObject({ lessonId: 'l3', error: expect.stringContaining('source rejected') });
    expect(storedFiles()).toEqual(before);
    expect(running.db.prepare("SELECT status FROM lessons WHERE id = 'l3'").pluck().get()).toBe('registered');
    await running.stop();
  }, 30_000);

  it('names the caption language a source upload lacks; keeps renditions and says what is still missing', async () => {
    const running = await start();
    const vtt = Buffer.from('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nzh\n');
    await tusUpload(running, vtt, { lessonId: 'l2', role: 'caption:zh', filename: 'zh.vtt' }).done;
    const url = await tusUpload(running, readFileSync(smallClip), {
      lessonId: 'l2',
      role: 'source',
      filename: 'l2.mp4',
    }).done;
    await running.packaging.idle();
    const report = await fetch(`${running.baseUrl}/api/admin/uploads/${url.split('/').pop()}`, {
      headers: { Authorization: `Bearer ${editor}` },
    }).then((r) => r.json());
    expect(report.missing).toEqual(['en']);
    const job = running.packaging.get(report.jobId);
    expect(job.status).toBe('failed');
    expect(job.error).toContain("missing caption sidecar: the catalog lists 'en' captions");

    const rendition = await tusUpload(running, readFileSync(smallClip), {
      lessonId: 'l2',
      role: 'rendition:360p',
      filename: '360p.mp4',
    }).done;
    const kept = await fetch(`${running.baseUrl}/api/admin/uploads/${rendition.split('/').pop()}`, {
      headers: { Authorization: `Bearer ${editor}` },
    }).then((r) => r.json());
    expect(kept.missing).toEqual(['240p', 'audio']);
    expect(kept.next).toContain('renditions still missing: 240p, audio');
    await running.stop();
  }, 30_000);

  it('packages pre-encoded renditions once every rendition of the ladder is uploaded', async () => {
    const running = await start();
    const files = await encodeStillChunks({
      ladder: getLadder('sample'),
      segmenting: LESSON_SEGMENTING,
      outDir: join(clipDir, 'renditions'),
      lines: ['三年级 数学'],
      fontFile: fileURLToPath(new URL('../../assets/fonts/AerialSans-Regular.otf', import.meta.url)),
      seconds: 2,
    });
    const reports = [];
    for (const [name, file] of Object.entries(files)) {
      const url = await tusUpload(running, readFileSync(file), {
        lessonId: 'l4',
        role: `rendition:${name}`,
        filename: `${name}.mp4`,
      }).done;
      reports.push(
        await fetch(`${running.baseUrl}/api/admin/uploads/${url.split('/').pop()}`, {
          headers: { Authorization: `Bearer ${editor}` },
        }).then((r) => r.json()),
      );
    }
    expect(reports.map((r) => r.jobId === null)).toEqual([true, true, false]);
    expect(reports.at(-1).next).toContain(`packaging job ${reports.at(-1).jobId}`);
    await running.packaging.idle();
    const job = running.packaging.get(reports.at(-1).jobId);
    expect(job).toMatchObject({ lessonId: 'l4', status: 'succeeded' });
    expect(running.db.prepare("SELECT asset_id FROM lessons WHERE id = 'l4'").pluck().get()).toBe(job.assetId);
    await running.stop();
  }, 30_000);

  it('packages a filler uploaded with assetId as a job, as `aerial package --filler` does', async () => {
    const running = await start();
    // Its first run is cancelled as it starts (nothing made); the retry packages it.
    const cancels: Promise<unknown>[] = [];
    const unsubscribe = running.packaging.subscribe((e) => {
      if (e.type === 'started' && e.data.fillerId && cancels.length === 0)
        cancels.push(running.packaging.cancel(e.jobId));
    });
    const url = await tusUpload(running, readFileSync(smallClip), {
      assetId: 'filler-eye-exercises',
      role: 'source',
      filename: '眼保健操.mp4',
    }).done;
    const report = await fetch(`${running.baseUrl}/api/admin/uploads/${url.split('/').pop()}`, {
      headers: { Authorization: `Bearer ${editor}` },
    }).then((r) => r.json());
    expect(report).toMatchObject({ assetId: 'filler-eye-exercises', lessonId: null, jobId: expect.any(Number) });
    expect(report.next).toContain(`packaging job ${report.jobId}`);
    await running.packaging.idle();
    unsubscribe();
    expect(cancels).toHaveLength(1);
    expect(await cancels[0]).toMatchObject({ id: report.jobId, status: 'cancelled', fillerId: 'filler-eye-exercises' });
    expect(readdirSync(join(dataDir, 'media')).filter((e) => e.includes('filler-eye-exercises'))).toEqual([]);
    expect(running.db.prepare("SELECT COUNT(*) FROM assets WHERE id = 'filler-eye-exercises'").pluck().get()).toBe(0);
    expect(running.packaging.retry(report.jobId)).toMatchObject({ status: 'queued' });
    await running.packaging.idle();
    expect(running.packaging.get(report.jobId)).toMatchObject({
      lessonId: null,
      fillerId: 'filler-eye-exercises',
      status: 'succeeded',
      assetId: 'filler-eye-exercises',
    });
    const types = running.packaging
      .eventsAfter(0)
      .filter((e) => e.jobId === report.jobId)
      .map((e) => [e.type, e.data.fillerId]);
    expect(types.filter(([type]) => type !== 'progress')).toEqual([
      ['queued', 'filler-eye-exercises'],
      ['started', 'filler-eye-exercises'],
      ['cancelled', undefined],
      ['queued', 'filler-eye-exercises'],
      ['started', 'filler-eye-exercises'],
      ['succeeded', undefined],
    ]);
    const asset = running.db
      .prepare("SELECT kind, title_zh, duration_ms FROM assets WHERE id = 'filler-eye-exercises'")
      .get();
    expect(asset).toEqual({ kind: 'filler', title_zh: '眼保健操', duration_ms: 2000 });
    expect(readdirSync(join(dataDir, 'media', 'filler-eye-exercises'))).toContain('packaging.json');
    await running.stop();
  }, 30_000);

  it('describes the tus endpoints and the job actions in /openapi.json', async () => {
    const running = await start();
    const document = await fetch(`${running.baseUrl}/openapi.json`).then((r) => r.json());
    expect(Object.keys(document.paths['/api/admin/uploads'])).toEqual(['options', 'post']);
    expect(Object.keys(document.paths['/api/admin/uploads/{id}']).sort()).toEqual(['delete', 'get', 'head', 'patch']);
    expect(document.paths['/api/admin/uploads'].post.responses).toMatchObject({ '413': {}, '507': {}, '401': {} });
    expect(document.paths['/api/admin/packaging-jobs/events'].get.responses['200'].content).toHaveProperty(
      'text/event-stream',
    );
    expect(document.components.schemas.AdminUploadReport.required).toContain('missing');
    await running.stop();
  });

  it('expires an abandoned upload after 24 h by the injected clock: file and record removed', async () => {
    const running = await start();
    const created = await tus(running, 'POST', '/api/admin/uploads', {
      Authorization: `Bearer ${editor}`,
      'Upload-Length': '1000',
      'Upload-Metadata': meta({ lessonId: 'l3', role: 'source', filename: 'x.mp4' }),
    });
    const location = created.headers.get('location')!;
    const id = location.split('/').pop()!;
    await tus(
      running,
      'PATCH',
      location,
      { Authorization: `Bearer ${editor}`, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      Buffer.alloc(400),
    );
    expect(statSync(join(running.uploads.incomingDir, id)).size).toBe(400);
    clock.advance(24 * 3600_000 - 1);
    expect(running.uploads.expire()).toEqual([]);
    clock.advance(1);
    expect(running.uploads.expire()).toEqual([id]);
    expect(readdirSync(running.uploads.incomingDir).filter((f) => f.startsWith(id))).toEqual([]);
    const head = await tus(running, 'HEAD', location, { Authorization: `Bearer ${editor}` });
    expect(head.status).toBe(404);
    await running.stop();
  });
});

async function waitFor(done: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

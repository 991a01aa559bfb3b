/**
 * Packaging jobs through the admin API with real ffmpeg on a tiny synthetic clip: enqueue, status with
 * progress, cancel of a queued job, retry only of a failed or cancelled one (409 otherwise), at most `concurrency`
 * running; the poster offset (`posterAt`) kept with the job and taken, a bad one refused naming the field, as is a
 * filler job with a bad id, ladder or source; and restart survival —
 * queued jobs stay queued across a close and reopen, and a job whose process was killed mid-run is
 * failed with that reason at the next start, never lost.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticClip } from '../../packaging/synthetic.ts';
import { createPackagingQueue, INTERRUPTED_REASON } from '../../scheduler/admin/packaging-queue.ts';
import { fixedClock } from '../../scheduler/clock.ts';
import { InputError } from '../../scheduler/errors.ts';
import { openDb } from '../../scheduler/store/db.ts';
import { startAdminWorld, type AdminWorld } from './admin-fixtures.ts';

const NOW = Date.parse('2026-11-23T00:00:10Z');
let clipDir: string;
let clip: string;

beforeAll(async () => {
  clipDir = mkdtempSync(join(tmpdir(), 'aerial-admin-clip-'));
  clip = await makeSyntheticClip({ path: join(clipDir, 'lesson.mp4'), durationS: 4, width: 320, height: 180 });
}, 60_000);
afterAll(() => rmSync(clipDir, { recursive: true, force: true }));

function addLessons(world: AdminWorld, ids: string[]): void {
  const insert = world.data.db.prepare(
    "INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh, source) VALUES (?, 3, 'math', 'pep', 1, 1, '单元', ?, '课', ?)",
  );
  ids.forEach((id, i) => insert.run(id, i + 1, clip));
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('packaging jobs', () => {
  let world: AdminWorld;
  beforeAll(async () => {
    world = await startAdminWorld(fixedClock(NOW), {
      publishFrom: '2026-11-23',
      publishDays: 1,
      publishAtMs: NOW - 86_400_000,
      startQueue: true,
      concurrency: 1,
    });
    addLessons(world, ['l1', 'l2', 'l3']);
  });
  afterAll(async () => world?.close());

  it('runs one job at a time with progress, cancels a queued one, refuses to retry a queued one', async () => {
    const editor = world.tokens.editor;
    const first = await world.call('POST', '/api/admin/packaging-jobs', {
      token: editor,
      body: { lessonId: 'l1', ladder: 'sample' },
    });
    const second = await world.call('POST', '/api/admin/packaging-jobs', {
      token: editor,
      body: { lessonId: 'l2', ladder: 'sample' },
    });
    const third = await world.call('POST', '/api/admin/packaging-jobs', {
      token: editor,
      body: { lessonId: 'l3', ladder: 'sample', source: clip, posterAt: '2.5s' },
    });
    expect([first.status, second.status, third.status]).toEqual([202, 202, 202]);
    expect(first.json).toMatchObject({
      lessonId: 'l1',
      status: 'queued',
      progress: 0,
      requestedBy: 'programmer',
      source: null,
    });

    const running = await waitFor(
      () => world.call('GET', `/api/admin/packaging-jobs/${first.json.id}`, { token: editor }),
      (r) => r.json.status === 'running',
    );
    expect(running.json.startedAt).toBe(NOW);
    const list = await world.call('GET', '/api/admin/packaging-jobs', { token: editor });
    expect(list.json).toMatchObject({ concurrency: 1, running: 1, queued: 2 });
    const metrics = await world.call('GET', '/metrics');
    expect(metrics.text).toContain('aerial_packaging_queue_depth{state="queued"} 2');

    const refuse = await world.call('POST', `/api/admin/packaging-jobs/${second.json.id}/retry`, { token: editor });
    expect(refuse.status).toBe(409);
    expect(refuse.json.error).toContain('only a failed or cancelled job can be retried');
    const cancelled = await world.call('POST', `/api/admin/packaging-jobs/${second.json.id}/cancel`, { token: editor });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.status).toBe('cancelled');

    const progress = new Set<number>();
    const finished = await waitFor(
      () => world.call('GET', `/api/admin/packaging-jobs/${first.json.id}`, { token: editor }),
      (r) => {
        progress.add(r.json.progress);
        return r.json.status !== 'running';
      },
    );
    expect(finished.json).toMatchObject({ status: 'succeeded', progress: 1, error: null });
    expect(finished.json.assetId).toMatch(/^l1\./);
    expect([...progress].every((p) => p >= 0 && p <= 1)).toBe(true);
    await world.packaging.idle();
    const jobs = (await world.call('GET', '/api/admin/packaging-jobs', { token: editor })).json.jobs;
    expect(jobs.map((j: any) => [j.lessonId, j.status])).toEqual([
      ['l3', 'succeeded'],
      ['l2', 'cancelled'],
      ['l1', 'succeeded'],
    ]);
    // Never two at once: l3 started after l1 finished.
    const [l3, , l1] = jobs;
    expect(world.data.db.prepare("SELECT status FROM lessons WHERE id = 'l1'").pluck().get()).toBe('packaged');
    expect(l3.startedAt).toBeGreaterThanOrEqual(l1.startedAt);
    // l3's poster offset (posterAt) was kept with its job and taken by the packaging.
    const poster = (lessonId: string) =>
      JSON.parse(
        world.data.db.prepare('SELECT poster FROM assets WHERE lesson_id = ?').pluck().get(lessonId) as string,
      );
    expect(poster('l3').offsetMs).toBe(2500);
    expect(poster('l1').offsetMs).toBe(400); // the default, 10 % of the 4 s clip
  }, 120_000);

  it('refuses a poster offset that is negative or beyond the lesson, naming posterAt, and enqueues nothing', async () => {
    const editor = world.tokens.editor;
    const before = (await world.call('GET', '/api/admin/packaging-jobs', { token: editor })).json.jobs.length;
    for (const [posterAt, reason] of [
      ['-1s', 'not negative'],
      ['101%', "'101%' is beyond the lesson (100% is its end)"],
      ['4s', '4s is beyond the lesson (its source is 4.000 s)'],
      [30, 'expected string'],
    ] as const) {
      const res = await world.call('POST', '/api/admin/packaging-jobs', {
        token: editor,
        body: { lessonId: 'l1', ladder: 'sample', posterAt },
      });
      expect(res.status).toBe(400);
      expect(res.json.problems).toEqual([{ field: 'posterAt', reason: expect.stringContaining(reason) }]);
    }
    const after = (await world.call('GET', '/api/admin/packaging-jobs', { token: editor })).json.jobs.length;
    expect(after).toBe(before);
  });

  it('refuses a filler job (aerial package --slate … --queue) with a bad id, ladder or source; adds nothing', () => {
    const before = world.packaging.list().length;
    const filler = { id: '../slate', kind: 'slate' as const, title: { zh: '请稍候' } };
    let refused: unknown;
    try {
      world.packaging.enqueueFiller({ filler, source: 'slate.mp4', ladder: '4k' }, 'cli');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).problems.map((p) => p.field)).toEqual(['slate', 'ladder', 'source']);
    expect(world.packaging.list()).toHaveLength(before);
  });
});

describe('restart survival', () => {
  it('queued jobs stay queued across a close and reopen', async () => {
    const world = await startAdminWorld(fixedClock(NOW), {
      publishFrom: '2026-11-23',
      publishDays: 1,
      publishAtMs: NOW - 86_400_000,
    });
    addLessons(world, ['l1', 'l2']);
    for (const id of ['l1', 'l2'])
      expect(
        (
          await world.call('POST', '/api/admin/packaging-jobs', {
            token: world.tokens.editor,
            body: { lessonId: id, ladder: 'sample' },
          })
        ).status,
      ).toBe(202);
    const dataDir = world.data.dataDir;
    world.data.db.close();
    const db = openDb(dataDir);
    try {
      const queue = createPackagingQueue({ db, dataDir, concurrency: 1 });
      expect(queue.list().map((j) => [j.lessonId, j.status])).toEqual([
        ['l2', 'queued'],
        ['l1', 'queued'],
      ]);
    } finally {
      db.close();
      await world.close();
    }
  });

  it('a job running when its process is killed is failed with the reason at the next start; the queue goes on', async () => {
    const world = await startAdminWorld(fixedClock(NOW), {
      publishFrom: '2026-11-23',
      publishDays: 1,
      publishAtMs: NOW - 86_400_000,
    });
    addLessons(world, ['l1', 'l2']);
    for (const id of ['l1', 'l2'])
      await world.call('POST', '/api/admin/packaging-jobs', {
        token: world.tokens.editor,
        body: { lessonId: id, ladder: 'sample' },
      });
    const { dataDir } = world.data;
    world.data.db.close();

    const child = spawn(
      process.execPath,
      [
        join(process.cwd(), 'bin/run-ts.js'),
        join(process.cwd(), 'tests/integration/admin-packaging-child.ts'),
        dataDir,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const db = openDb(dataDir);
    try {
      const statusOf = (id: number) =>
        db.prepare('SELECT status FROM packaging_jobs WHERE id = ?').pluck().get(id) as string;
      await waitFor(
        async () => statusOf(1),
        (s) => s === 'running',
        60_000,
      );
      child.kill('SIGKILL');
      await exited;
      expect([statusOf(1), statusOf(2)]).toEqual(['running', 'queued']);

      const queue = createPackagingQueue({ db, dataDir, concurrency: 1 });
      queue.start();
      const failed = queue.get(1);
      expect(failed).toMatchObject({ status: 'failed', error: INTERRUPTED_REASON });
      await queue.idle();
      expect(queue.get(2).status).toBe('succeeded');
      queue.stop();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      db.close();
      await world.close();
    }
  }, 120_000);
});

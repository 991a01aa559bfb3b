/**
 * Live packaging jobs with real ffmpeg on a synthetic clip: the Server-Sent Events stream shows queued →
 * started → progress (increasing percents, speed, ETA) → succeeded with the asset id and duration, and a
 * reconnect with Last-Event-ID replays what was missed; cancel during encoding terminates ffmpeg within
 * 2 s, leaves no temp dir and no asset, the lesson as it was, and is audited; retry re-queues a cancelled
 * job (which then packages) and refuses one that is not failed or cancelled. A pre-encoded-renditions job
 * (stream copy) is cancelled the same way.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLadder, LESSON_SEGMENTING } from '../../packaging/ladder.ts';
import { encodeStillChunks } from '../../packaging/still-renditions.ts';
import { makeSyntheticClip } from '../../packaging/synthetic.ts';
import { fixedClock } from '../../scheduler/clock.ts';
import { startAdminWorld, type AdminWorld } from './admin-fixtures.ts';

const NOW = Date.parse('2026-11-23T00:00:10Z');
let clipDir: string;
let clip: string;
let world: AdminWorld;

interface SseEvent {
  id: number;
  type: string;
  data: any;
}

/** A minimal EventSource over node:http: collects events until `close()`. */
function openEvents(baseUrl: string, token: string, lastEventId?: number) {
  const events: SseEvent[] = [];
  const url = new URL(`${baseUrl}/api/admin/packaging-jobs/events`);
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['Last-Event-ID'] = String(lastEventId);
  let buffer = '';
  let status = 0;
  let contentType = '';
  let close = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers, agent: false }, (res) => {
      status = res.statusCode ?? 0;
      contentType = String(res.headers['content-type']);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => l && !l.startsWith(':'))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
          );
          if (fields.id) events.push({ id: Number(fields.id), type: fields.event!, data: JSON.parse(fields.data!) });
        }
      });
      resolve();
    });
    req.on('error', reject);
    req.end();
    close = () => req.destroy();
  });
  return { events, ready, close: () => close(), status: () => status, contentType: () => contentType };
}

async function waitFor<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** ffmpeg processes that are children of this test process (the queue runs in it). */
function ffmpegChildren(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.endsWith('ffmpeg'));
}

beforeAll(async () => {
  clipDir = mkdtempSync(join(tmpdir(), 'aerial-ingest-jobs-'));
  clip = await makeSyntheticClip({ path: join(clipDir, 'lesson.mp4'), durationS: 12, width: 320, height: 180 });
  world = await startAdminWorld(fixedClock(NOW), {
    publishFrom: '2026-11-23',
    publishDays: 1,
    publishAtMs: NOW - 86_400_000,
    startQueue: true,
    concurrency: 1,
  });
  const insert = world.data.db.prepare(
    "INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh, source) VALUES (?, 3, 'math', 'pep', 1, 1, '单元', ?, '课', ?)",
  );
  ['l1', 'l2', 'l3'].forEach((id, i) => insert.run(id, i + 1, clip));
}, 60_000);
afterAll(async () => {
  await world?.close();
  rmSync(clipDir, { recursive: true, force: true });
});

describe('packaging job events', () => {
  it('streams queued → started → progress → succeeded, and replays what a reconnect missed', async () => {
    const { editor } = world.tokens;
    const live = openEvents(world.baseUrl, editor);
    await live.ready;
    expect(live.status()).toBe(200);
    expect(live.contentType()).toContain('text/event-stream');
    const job = await world.call('POST', '/api/admin/packaging-jobs', {
      token: editor,
      body: { lessonId: 'l1', ladder: 'sample' },
    });
    expect(job.status).toBe(202);
    await waitFor(
      () => live.events,
      (events) => events.some((e) => e.type === 'succeeded' || e.type === 'failed'),
    );
    live.close();
    const mine = live.events.filter((e) => e.data.jobId === job.json.id);
    const types = mine.map((e) => e.type);
    expect(types[0]).toBe('queued');
    expect(types[1]).toBe('started');
    expect(types.at(-1)).toBe('succeeded');
    const percents = mine.filter((e) => e.type === 'progress').map((e) => e.data.percent as number);
    expect(percents.length).toBeGreaterThanOrEqual(3);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(new Set(percents).size).toBe(percents.length);
    const withSpeed = mine.find((e) => e.type === 'progress' && e.data.speed > 0);
    expect(withSpeed?.data).toMatchObject({ speed: expect.any(Number), etaS: expect.any(Number) });
    const done = mine.at(-1)!;
    expect(done.data.assetId).toMatch(/^l1\./);
    expect(done.data.durationS).toBeCloseTo(12, 0);
    expect(mine.map((e) => e.id)).toEqual([...mine.map((e) => e.id)].sort((a, b) => a - b));

    // A client that dropped after "started" reconnects with the last id it saw and gets the rest, in order.
    const again = openEvents(world.baseUrl, editor, mine[1]!.id);
    await again.ready;
    await waitFor(
      () => again.events,
      (events) => events.some((e) => e.type === 'succeeded'),
      10_000,
    );
    again.close();
    expect(again.events.map((e) => e.id)).toEqual(mine.slice(2).map((e) => e.id));

    const bad = await world.call('GET', '/api/admin/packaging-jobs/events?lastEventId=abc', { token: editor });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Last-Event-ID');
    expect((await world.call('GET', '/api/admin/packaging-jobs/events')).status).toBe(401);
  }, 90_000);
});

describe('cancel and retry', () => {
  it('cancels a running job within 2 s: no ffmpeg, no temp dir, no asset, lesson unchanged; retry packages it', async () => {
    const { editor } = world.tokens;
    const { db, mediaDir } = world.data;
    const lessonBefore = db.prepare("SELECT * FROM lessons WHERE id = 'l2'").get();
    const assetsBefore = db.prepare('SELECT COUNT(*) FROM assets').pluck().get();
    const job = await world.call('POST', '/api/admin/packaging-jobs', {
      token: editor,
      body: { lessonId: 'l2', ladder: 'sample' },
    });
    await waitFor(
      () => world.packaging.get(job.json.id),
      (j) => j.status === 'running' && j.progress > 0,
    );
    expect(ffmpegChildren().length).toBe(1);
    const started = Date.now();
    const cancelled = await world.call('POST', `/api/admin/packaging-jobs/${job.json.id}/cancel`, { token: editor });
    const tookMs = Date.now() - started;
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ id: job.json.id, status: 'cancelled' });
    expect(tookMs).toBeLessThan(2000);
    expect(ffmpegChildren()).toEqual([]);
    expect(readdirSync(mediaDir).filter((e) => e.startsWith('.tmp-'))).toEqual([]);
    expect(readdirSync(mediaDir).filter((e) => e.startsWith('l2'))).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM assets').pluck().get()).toBe(assetsBefore);
    expect(db.prepare("SELECT * FROM lessons WHERE id = 'l2'").get()).toEqual(lessonBefore);
    const audit = await world.call('GET', '/api/admin/audit', { token: editor });
    expect(JSON.stringify(audit.json)).toContain(`cancelled packaging job ${job.json.id}`);

    const again = await world.call('POST', `/api/admin/packaging-jobs/${job.json.id}/cancel`, { token: editor });
    expect(again.status).toBe(409);

    const retried = await world.call('POST', `/api/admin/packaging-jobs/${job.json.id}/retry`, { token: editor });
    expect(retried.status).toBe(202);
    expect(retried.json).toMatchObject({ id: job.json.id, status: 'queued', progress: 0, error: null });
    await world.packaging.idle();
    expect(world.packaging.get(job.json.id)).toMatchObject({
      status: 'succeeded',
      assetId: expect.stringMatching(/^l2\./),
    });
    const twice = await world.call('POST', `/api/admin/packaging-jobs/${job.json.id}/retry`, { token: editor });
    expect(twice.status).toBe(409);
    expect(twice.json.error).toContain('succeeded');
    expect(JSON.stringify((await world.call('GET', '/api/admin/audit', { token: editor })).json)).toContain(
      `re-queued packaging job ${job.json.id}`,
    );
    const types = world.packaging
      .eventsAfter(0)
      .filter((e) => e.jobId === job.json.id)
      .map((e) => e.type)
      .filter((t) => t !== 'progress');
    expect(types).toEqual(['queued', 'started', 'cancelled', 'queued', 'started', 'succeeded']);
    expect((await world.call('POST', '/api/admin/packaging-jobs/999/retry', { token: editor })).status).toBe(404);
  }, 90_000);

  it('cancels a running pre-encoded job: stream copy stopped, nothing half-made, audited; retry packages it', async () => {
    const { editor } = world.tokens;
    const { db, mediaDir } = world.data;
    const files = await encodeStillChunks({
      ladder: getLadder('sample'),
      segmenting: LESSON_SEGMENTING,
      outDir: join(clipDir, 'renditions'),
      lines: ['三年级 数学'],
      fontFile: fileURLToPath(new URL('../../assets/fonts/AerialSans-Regular.otf', import.meta.url)),
      seconds: 20,
    });
    const lessonBefore = db.prepare("SELECT * FROM lessons WHERE id = 'l3'").get();
    const assetsBefore = db.prepare('SELECT COUNT(*) FROM assets').pluck().get();
    // Cancel the moment the job starts (over HTTP, audited): it is then hashing, probing or stream-copying.
    let cancelled: ReturnType<typeof world.call> | undefined;
    let jobId = 0;
    const unsubscribe = world.packaging.subscribe((e) => {
      if (e.jobId === jobId && e.type === 'started' && !cancelled)
        cancelled = world.call('POST', `/api/admin/packaging-jobs/${jobId}/cancel`, { token: editor });
    });
    jobId = world.packaging.enqueueUpload({
      lessonId: 'l3',
      source: files['360p']!,
      uploadId: 'pre-encoded-cancel',
      requestedBy: 'test',
      ladder: 'sample',
      renditions: files,
    }).id;
    await waitFor(
      () => cancelled,
      (c) => c !== undefined,
    );
    const answer = await cancelled!;
    unsubscribe();
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id: jobId, status: 'cancelled' });
    expect(ffmpegChildren()).toEqual([]);
    expect(readdirSync(mediaDir).filter((e) => e.startsWith('.tmp-'))).toEqual([]);
    expect(readdirSync(mediaDir).filter((e) => e.startsWith('l3'))).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM assets').pluck().get()).toBe(assetsBefore);
    expect(db.prepare("SELECT * FROM lessons WHERE id = 'l3'").get()).toEqual(lessonBefore);
    const audit = await world.call('GET', '/api/admin/audit', { token: editor });
    expect(JSON.stringify(audit.json)).toContain(`cancelled packaging job ${jobId}`);

    expect((await world.call('POST', `/api/admin/packaging-jobs/${jobId}/retry`, { token: editor })).status).toBe(202);
    await world.packaging.idle();
    expect(world.packaging.get(jobId)).toMatchObject({ status: 'succeeded', assetId: expect.stringMatching(/^l3\./) });
    expect(db.prepare("SELECT asset_id FROM lessons WHERE id = 'l3'").pluck().get()).toBe(
      world.packaging.get(jobId).assetId,
    );
  }, 90_000);
});

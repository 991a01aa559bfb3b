/**
 * Class-suspension switch: time from `POST /api/admin/suspensions` (region shanghai: all 12 sample
 * grade channels, 5 days) until every channel's published days carry the notice (/api/notices lists
 * it for all 12) and every channel's live playlist, after the guard, plays the suspension schedule.
 * Data like the sample's: the sample curriculum and 12 channels with 20-minute lessons, 7 days
 * published; assets are recorded without media files (playlists only reference them). Target < 60 s.
 * Prints figures; not a timed test. Run: npm run bench:suspension
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { upsertLessons } from '../scheduler/catalog/lessons-repository.ts';
import { createToken } from '../scheduler/admin/tokens.ts';
import { loadCatalogView } from '../scheduler/catalog/catalog-view.ts';
import { fixedClock } from '../scheduler/clock.ts';
import { createApp } from '../scheduler/http/app.ts';
import { idlePackagingQueue } from '../tests/helpers/idle-packaging-queue.ts';
import { sampleCourses } from '../scheduler/sample/create-sample.ts';
import { DEFAULT_FILLER_IDS, SAMPLE_REGION } from '../scheduler/sample/sample-calendar.ts';
import { sampleChannelDocument } from '../tests/helpers/sample-channels.ts';
import { sampleCurriculum } from '../scheduler/sample/curriculum.ts';
import { importChannelDocument } from '../scheduler/schedule/channels-repository.ts';
import { publishAllChannels } from '../scheduler/schedule/publish.ts';
import { latestSnapshot } from '../scheduler/schedule/snapshots-repository.ts';
import { insertAsset, makeDataDir } from '../tests/integration/origin-fixtures.ts';

const LESSON_SECONDS = 20 * 60;
const FILLER_SECONDS = 5 * 60;
const NOW = Date.parse('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai, a term day, mid-morning
const GUARD_MS = 120_000;
const DAYS = 7;

const segments = (seconds: number, segmentSeconds: number) =>
  Array.from(
    { length: Math.ceil(seconds / segmentSeconds) },
    (_, i) => Math.min(segmentSeconds, seconds - i * segmentSeconds) * 1000,
  );

function get(
  baseUrl: string,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; text: string }> {
  const url = new URL(baseUrl + path);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const data = makeDataDir('aerial-bench-suspension-');
const { db } = data;
try {
  // Catalog: the sample curriculum, every lesson "packaged" as a 20-minute asset; fillers and the 1 s slate.
  const curriculum = sampleCurriculum();
  upsertLessons(db, curriculum);
  const link = db.prepare("UPDATE lessons SET status = 'packaged', asset_id = ? WHERE id = ?");
  for (const lesson of curriculum) {
    insertAsset(db, {
      id: `a-${lesson.id}`,
      kind: 'lesson',
      title: lesson.titleZh,
      lessonId: lesson.id,
      segmentMs: segments(LESSON_SECONDS, 6),
    });
    link.run(`a-${lesson.id}`, lesson.id);
  }
  for (const id of Object.values(DEFAULT_FILLER_IDS))
    insertAsset(db, { id, kind: 'filler', title: id, segmentMs: segments(FILLER_SECONDS, 6) });
  insertAsset(db, { id: 'slate', kind: 'slate', title: '稍后继续', segmentMs: Array(10).fill(1000) });
  importChannelDocument(
    db,
    sampleChannelDocument({
      courses: sampleCourses(curriculum),
      lessonSeconds: LESSON_SECONDS,
      fillerSeconds: FILLER_SECONDS,
      ladder: 'sample',
    }),
  );

  const p0 = performance.now();
  const initial = publishAllChannels({
    db,
    catalog: loadCatalogView(db),
    fromDate: '2026-11-23',
    days: DAYS,
    nowMs: NOW - 86_400_000,
  });
  console.log(
    `setup: ${curriculum.length} lessons, 12 channels × ${DAYS} days published (${initial.written} day versions) in ${((performance.now() - p0) / 1000).toFixed(1)} s`,
  );

  const token = createToken(db, 'bench', 'editor', NOW).token;
  const clock = fixedClock(NOW);
  const app = createApp({
    db,
    mediaDir: data.mediaDir,
    clock,
    logger: pino({ level: 'silent' }),
    packagingQueue: idlePackagingQueue(db, data.mediaDir),
    guardMs: GUARD_MS,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const channels = db.prepare('SELECT id FROM channels ORDER BY number').pluck().all() as string[];
  const before = new Map(channels.map((id) => [id, latestSnapshot(db, id, '2026-11-23')!]));

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const order = {
    id: 'cold-wave',
    from: '2026-11-23',
    to: '2026-11-27',
    regions: [SAMPLE_REGION],
    notice: { zh: '寒潮停课，请收看空中课堂', en: 'Schools closed (cold wave): lessons on TV' },
  };
  const posted = await get(
    baseUrl,
    '/api/admin/suspensions',
    'POST',
    { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    JSON.stringify(order),
  );
  const tPost = performance.now();
  if (posted.status !== 201) throw new Error(`POST failed: ${posted.status} ${posted.text}`);
  const result = JSON.parse(posted.text) as {
    channels: Array<{ channelId: string; versionsWritten: unknown[]; firstChangedStartMs?: number }>;
  };

  // Every channel in /api/notices…
  const notices = await get(baseUrl, '/api/notices');
  const entry = (JSON.parse(notices.text) as { notices: Array<{ orderId: string; channels: string[] }> }).notices.find(
    (n) => n.orderId === 'cold-wave',
  );
  const noticed = new Set(entry?.channels ?? []);
  const tNotices = performance.now();
  // …and every channel's live playlist airs the switched day: only its items after the guard, and its
  // first changed item when that starts (the sample's suspension day differs from the term day in the afternoon).
  let liveOk = 0;
  for (const id of channels) {
    const switched = latestSnapshot(db, id, '2026-11-23')!;
    const newIds = new Set(switched.items.map((i) => i.id));
    const oldIds = new Set(before.get(id)!.items.map((i) => i.id));
    const firstChanged = result.channels.find((c) => c.channelId === id)?.firstChangedStartMs;
    if (firstChanged === undefined || switched.timetable !== 'suspension' || switched.notice?.orderId !== 'cold-wave')
      continue;
    let ok = true;
    for (const at of [NOW + GUARD_MS + 5 * 60_000, firstChanged + 60_000]) {
      clock.set(at);
      const live = await get(baseUrl, `/live/${id}/360p.m3u8`);
      const ranges = [...live.text.matchAll(/#EXT-X-DATERANGE:ID="([^"]+)"/g)].map((m) => m[1]!);
      ok &&= live.status === 200 && ranges.length > 0 && ranges.every((r) => newIds.has(r));
      if (at !== NOW + GUARD_MS + 5 * 60_000) ok &&= ranges.some((r) => !oldIds.has(r));
    }
    if (ok) liveOk++;
  }
  const tDone = performance.now();
  const cpu = process.cpuUsage(cpu0);

  const versions = result.channels.reduce((n, c) => n + c.versionsWritten.length, 0);
  const firstChange = Math.min(...result.channels.map((c) => c.firstChangedStartMs ?? Infinity));
  console.log(
    `POST /api/admin/suspensions (12 channels, ${order.from}..${order.to}): ${((tPost - t0) / 1000).toFixed(2)} s, ${versions} day versions written, first changed item starts ${((firstChange - NOW) / 1000).toFixed(0)} s after now (guard ${GUARD_MS / 1000} s)`,
  );
  console.log(
    `/api/notices lists the order for ${noticed.size}/12 channels at ${((tNotices - t0) / 1000).toFixed(2)} s`,
  );
  console.log(
    `live playlists on the suspension schedule after the guard: ${liveOk}/12 at ${((tDone - t0) / 1000).toFixed(2)} s`,
  );
  console.log(
    `switch total: ${((tDone - t0) / 1000).toFixed(2)} s (target < 60 s); CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`,
  );
  if (noticed.size !== 12 || liveOk !== 12) process.exitCode = 1;
  server.closeAllConnections();
  server.close();
} finally {
  data.cleanup();
}

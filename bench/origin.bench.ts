/**
 * Origin benchmark (prints figures; not a test). A temp data dir with 12 channels × 7 published days
 * (20-minute lessons, fillers, 1 s slate; three renditions), the real origin in a child process on
 * 127.0.0.1 with a clock frozen at a school-day morning, and autocannon (in this process) at 100 and
 * 1000 connections against:
 *   - a live media playlist   /live/<ch>/360p.m3u8
 *   - the SAME bytes as a static file under /media/ (written into the media dir), same server.
 * Prints requests/s, p99 latency and the ratio playlist/static (target ≥ 0.8), then the in-process
 * playlist render time (µs per call, mean and p99) and the whole route's time in process.
 *
 *   npm run bench:origin [-- --seconds 10]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { renderLiveMediaPlaylist } from '../playlists/live.ts';
import { fixedClock } from '../scheduler/clock.ts';
import { createApp } from '../scheduler/http/app.ts';
import { idlePackagingQueue } from '../tests/helpers/idle-packaging-queue.ts';
import { createChannelTimelines } from '../scheduler/http/channel-timelines.ts';
import { createPublishedDays } from '../scheduler/http/published-days.ts';
import { createAssetTimelines } from '../scheduler/media/asset-timelines.ts';
import { openDb } from '../scheduler/store/db.ts';
import { importTestChannel, insertAsset, makeDataDir, publish } from '../tests/integration/origin-fixtures.ts';

const CHANNELS = 12;
const DAYS = 7;
// Thursday 2026-11-26 10:05:13 Asia/Shanghai: mid-morning of day 4 of 7, a lesson on air.
const NOW = Date.parse('2026-11-26T02:05:13Z');
const PLAYLIST_PATH = '/live/ch6/360p.m3u8';
const STATIC_PATH = '/media/bench-static/360p/live-copy.m3u8';
const RENDER_CALLS = 100_000;

/** The part of autocannon's API used here (the package ships no type declarations). */
interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  resets: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
}) => Promise<AutocannonResult>;

function percentile(sorted: Float64Array | number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Child mode: serve the data dir on an ephemeral port with the frozen clock; print the port. */
async function serve(dataDir: string, nowMs: number): Promise<void> {
  const db = openDb(dataDir);
  const app = createApp({
    db,
    mediaDir: join(dataDir, 'media'),
    clock: fixedClock(nowMs),
    logger: pino({ level: 'silent' }),
    packagingQueue: idlePackagingQueue(db, join(dataDir, 'media')),
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
  server.keepAliveTimeout = 30_000;
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

function seed(): ReturnType<typeof makeDataDir> {
  const data = makeDataDir('aerial-origin-bench-');
  insertAsset(data.db, { id: 'slate', kind: 'slate', title: '稍后回来', segmentMs: Array(60).fill(1000) });
  insertAsset(data.db, { id: 'eye', kind: 'filler', title: '眼保健操', segmentMs: Array(50).fill(6000) });
  const lessonIds: string[] = [];
  for (let i = 0; i < 48; i++) {
    const ms = 20 * 60_000 + (i % 5) * 1_700;
    const segments = Array.from({ length: Math.ceil(ms / 6000) }, (_, k) => Math.min(6000, ms - k * 6000));
    insertAsset(data.db, { id: `lesson-${i}`, kind: 'lesson', title: `第${i + 1}课`, segmentMs: segments });
    lessonIds.push(`lesson-${i}`);
  }
  for (let c = 1; c <= CHANNELS; c++) {
    // Every 30 min from 08:00 to 17:30: 20-minute lessons (4 per channel, cycling), slate between.
    const assets = [0, 1, 2, 3].map((k) => lessonIds[(c * 4 + k) % lessonIds.length]!);
    importTestChannel(data.db, {
      id: `ch${c}`,
      number: c,
      assets: [...assets, 'eye'],
      firstSlot: '08:00',
      lastSlot: '17:30',
      everyMinutes: 30,
    });
    publish(data.db, `ch${c}`, '2026-11-23', DAYS, Date.parse('2026-11-22T00:00:00Z'));
  }
  return data;
}

interface Run {
  label: string;
  connections: number;
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
  /** Socket errors (connect refused/reset when the accept backlog overflows), of which timeouts. */
  errors: number;
  timeouts: number;
}

async function load(url: string, connections: number, seconds: number, label: string): Promise<Run> {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  return {
    label,
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** The origin's own request handler in process (no sockets): the whole route's cost, middleware included. */
function inProcessGet(handler: (req: IncomingMessage, res: ServerResponse) => unknown, path: string): Promise<string> {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = path;
  req.headers = { host: 'bench' };
  const res = new ServerResponse(req);
  return new Promise((resolve) => {
    res.end = ((chunk?: unknown) => {
      resolve(String(chunk));
      return res;
    }) as ServerResponse['end'];
    void handler(req, res);
  });
}

async function main(): Promise<void> {
  const secondsArg = process.argv.indexOf('--seconds');
  const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 10;
  const t0 = performance.now();
  const data = seed();
  console.log(
    `seeded ${CHANNELS} channels × ${DAYS} days in ${Math.round(performance.now() - t0)} ms (data dir ${data.dataDir})`,
  );

  // In-process figures first (nothing else running).
  const published = createPublishedDays(data.db);
  const timelines = createChannelTimelines(published, createAssetTimelines(data.db));
  const schedule = timelines.at('ch6', NOW)!;
  let seedValue = 42;
  const random = () => (seedValue = (seedValue * 48271) % 2147483647) / 2147483647;
  const samples = new Float64Array(RENDER_CALLS);
  let bytes = 0;
  for (let i = -10_000; i < RENDER_CALLS; i++) {
    const at = NOW + Math.floor(random() * 6 * 3_600_000); // the next 6 h: lessons, slate, fillers
    const start = performance.now();
    const text = renderLiveMediaPlaylist({ timeline: schedule.timeline, rendition: '360p', nowMs: at });
    const took = performance.now() - start;
    if (i >= 0) {
      samples[i] = took * 1000;
      bytes += typeof text === 'string' ? text.length : 0;
    }
  }
  const sorted = samples.slice().sort();
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  console.log(
    `renderLiveMediaPlaylist: mean ${mean.toFixed(1)} µs, p50 ${percentile(sorted, 0.5).toFixed(1)} µs, p99 ${percentile(sorted, 0.99).toFixed(1)} µs per call (${RENDER_CALLS} calls, ${Math.round(bytes / RENDER_CALLS)} bytes avg)`,
  );

  const clock = fixedClock(NOW);
  const handler = createApp({
    db: data.db,
    mediaDir: data.mediaDir,
    clock,
    packagingQueue: idlePackagingQueue(data.db, data.mediaDir),
    logger: pino({ level: 'silent' }),
  }).callback();
  const routeSamples: number[] = [];
  for (let i = -2_000; i < 20_000; i++) {
    clock.set(NOW + (i + 2_000) * 1_000);
    const start = performance.now();
    await inProcessGet(handler, PLAYLIST_PATH);
    if (i >= 0) routeSamples.push((performance.now() - start) * 1000);
  }
  routeSamples.sort((a, b) => a - b);
  console.log(
    `whole route in process (Koa middleware + SQLite day lookup + render): mean ${(routeSamples.reduce((a, b) => a + b, 0) / routeSamples.length).toFixed(1)} µs, p99 ${percentile(routeSamples, 0.99).toFixed(1)} µs`,
  );

  // The static copy: the bytes the live route returns at NOW.
  clock.set(NOW);
  const liveBytes = await inProcessGet(handler, PLAYLIST_PATH);
  mkdirSync(join(data.mediaDir, 'bench-static', '360p'), { recursive: true });
  writeFileSync(join(data.mediaDir, 'bench-static', '360p', 'live-copy.m3u8'), liveBytes);
  data.db.pragma('wal_checkpoint(TRUNCATE)');

  const child = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('../bin/run-ts.js', import.meta.url)),
      fileURLToPath(import.meta.url),
      '--serve',
      data.dataDir,
      String(NOW),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /PORT (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`origin exited with ${code} before listening`)));
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    const [overHttp, staticOverHttp] = await Promise.all([
      fetch(base + PLAYLIST_PATH).then((r) => r.text()),
      fetch(base + STATIC_PATH).then((r) => r.text()),
    ]);
    if (overHttp !== liveBytes || staticOverHttp !== liveBytes)
      throw new Error('the server does not return the same bytes for the playlist and its static copy');
    console.log(`payload: ${liveBytes.length} bytes (identical for both URLs); ${seconds} s per run, 2 s warm-up`);
    const runs: Run[] = [];
    for (const connections of [100, 1000]) {
      for (const [label, path] of [
        ['live playlist', PLAYLIST_PATH],
        ['static file ', STATIC_PATH],
      ] as const) {
        await load(base + path, connections, 2, 'warm-up');
        const run = await load(base + path, connections, seconds, label);
        runs.push(run);
        console.log(
          `${String(connections).padStart(4)} conns  ${label}  ${String(run.requestsPerSecond).padStart(7)} req/s  p99 ${String(run.p99Ms).padStart(5)} ms  non-2xx ${run.non2xx}  socket errors ${run.errors} (timeouts ${run.timeouts})`,
        );
      }
      const [live, file] = runs.slice(-2) as [Run, Run];
      console.log(
        `${String(connections).padStart(4)} conns  ratio playlist/static = ${(live.requestsPerSecond / file.requestsPerSecond).toFixed(2)} (target ≥ 0.8)`,
      );
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    data.cleanup();
  }
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3]!, Number(process.argv[4]));
} else {
  await main();
}

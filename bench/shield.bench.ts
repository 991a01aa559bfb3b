/**
 * Shield benchmark (prints figures; not a test). Simulated viewers on loopback, through the shipped nginx shield
 * (deploy/nginx/aerial-shield.conf, Debian's nginx, one worker) to two edge origins (`aerial serve --edge` on a
 * filesystem store) on the real clock, over 12 sample-like channels (a 20-minute lesson every 30 minutes, slate
 * with 1 s segments between; three renditions).
 *
 * Each viewer (a loop in a separate Node process, keep-alive agent) takes one channel and rendition, fetches
 * the master playlist once, then polls its live playlist every target duration (6 s) and fetches each segment
 * that is new to it. Runs with 100 and 1,000 viewers (60 s each by default) and prints, per run: client requests
 * and errors (target 0), client p50/p99, and the origin requests per second counted by the origins themselves
 * (their /metrics), beside the expected figure channels × renditions ÷ playlist TTL (+ the segment rate), which
 * does not depend on the audience.
 *
 * `--store s3`: the store is an S3-compatible server (s3rver on loopback) and the edges stream segments from it.
 *
 *   npm run bench:shield -- [--seconds 60] [--viewers 100,1000] [--store fs|s3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { readFileSync, truncateSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { systemClock } from '../scheduler/clock.ts';
import { createStorePublisher } from '../scheduler/distribution/store-publisher.ts';
import { startEdgeService } from '../scheduler/edge-service.ts';
import { createFsStore } from '../scheduler/object-store/fs-store.ts';
import { openObjectStore } from '../scheduler/object-store/open-store.ts';
import { addDays, broadcastDateAt } from '../scheduler/schedule/broadcast-date.ts';
import { nginxMissingReason, startShield } from '../tests/helpers/nginx-shield.ts';
import { startS3Server, type S3TestServer } from '../tests/helpers/s3-server.ts';
import {
  AUDIO_RENDITION,
  VIDEO_RENDITIONS,
  importTestChannel,
  insertAsset,
  makeDataDir,
  publish,
} from '../tests/integration/origin-fixtures.ts';

const CHANNELS = 12;
const RENDITIONS = [...VIDEO_RENDITIONS.map((r) => r.name), AUDIO_RENDITION.name];
const TARGET_DURATION_MS = 6_000;
/** The origin's `Cache-Control: max-age` on live playlists, which the shield honours. */
const PLAYLIST_TTL_S = 2;
const TIMEZONE = 'Asia/Shanghai';

// --- Child modes -------------------------------------------------------------------------------------------

/** An edge origin (`aerial serve --edge --store DIR`) on the bench's filesystem store; prints its port. */
async function serveEdge(store: string): Promise<void> {
  const edge = await startEdgeService({
    // A directory, or s3://bucket/prefix with the AWS_* variables of the environment (`--store s3`).
    store: openObjectStore(store, store, process.env),
    port: 0,
    host: '127.0.0.1',
    // Request logging stays on (as in production), into /dev/null through pino's asynchronous destination.
    logger: pino(pino.destination({ dest: '/dev/null', sync: false })),
    announce: () => {},
  });
  process.stdout.write(`PORT ${new URL(edge.url).port}\n`);
  process.on('SIGTERM', () => process.exit(0));
}

interface ViewerResult {
  requests: number;
  errors: number;
  firstErrors: string[];
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** From the first viewer's start to the last one's end. */
  durationS: number;
}

/** `count` viewers against `base` for `seconds`; prints one JSON line with the client-side figures. */
async function runViewers(base: string, count: number, seconds: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: Math.min(count, 512) });
  const latencies: number[] = [];
  const result = { requests: 0, errors: 0, firstErrors: [] as string[] };
  const fail = (what: string) => {
    result.errors++;
    if (result.firstErrors.length < 10) result.firstErrors.push(what);
  };
  const get = (path: string) =>
    new Promise<string | undefined>((resolve) => {
      const started = performance.now();
      const req = request(base + path, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          latencies.push(performance.now() - started);
          result.requests++;
          const body = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200 || body.length === 0) {
            fail(`${path}: HTTP ${res.statusCode}`);
            resolve(undefined);
          } else resolve(body);
        });
        res.on('error', (e) => (fail(`${path}: ${e.message}`), resolve(undefined)));
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', (e) => (fail(`${path}: ${e.message}`), resolve(undefined)));
      req.end();
    });
  const startedAt = performance.now();
  const endAt = startedAt + seconds * 1000;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const viewer = async (i: number) => {
    const channel = `ch${(i % CHANNELS) + 1}`;
    const rendition = RENDITIONS[Math.floor(i / CHANNELS) % RENDITIONS.length]!;
    await sleep(Math.random() * TARGET_DURATION_MS); // viewers arrive spread over one target duration
    await get(`/live/${channel}/master.m3u8`);
    const seen = new Set<string>();
    let first = true;
    while (performance.now() < endAt) {
      const polledAt = performance.now();
      const playlist = await get(`/live/${channel}/${rendition}.m3u8`);
      const uris = playlist?.match(/^\/media\/.+$/gm) ?? [];
      // A player starts at the live edge (the newest segment), then fetches every segment new to it.
      for (const uri of first ? uris.slice(-1) : uris.filter((u) => !seen.has(u))) await get(uri);
      for (const uri of uris) seen.add(uri);
      first = false;
      await sleep(TARGET_DURATION_MS - (performance.now() - polledAt));
    }
  };
  await Promise.all(Array.from({ length: count }, (_, i) => viewer(i)));
  const durationS = (performance.now() - startedAt) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 10) / 10;
  const out: ViewerResult = { ...result, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1), durationS };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

// --- The run -------------------------------------------------------------------------------------------------

function seed(): ReturnType<typeof makeDataDir> {
  const data = makeDataDir('aerial-shield-bench-');
  const files = { mediaDir: data.mediaDir };
  insertAsset(data.db, {
    id: 'slate',
    kind: 'slate',
    title: '稍后回来',
    segmentMs: Array(60).fill(1000),
    writeFiles: files,
  });
  const lessons: string[] = [];
  for (let i = 0; i < 24; i++) {
    const ms = 20 * 60_000 + (i % 5) * 1_700;
    const segments = Array.from({ length: Math.ceil(ms / 6000) }, (_, k) => Math.min(6000, ms - k * 6000));
    insertAsset(data.db, {
      id: `lesson-${i}`,
      kind: 'lesson',
      title: `第${i + 1}课`,
      segmentMs: segments,
      writeFiles: files,
    });
    lessons.push(`lesson-${i}`);
  }
  const today = broadcastDateAt(Date.now(), TIMEZONE, '06:00');
  for (let c = 1; c <= CHANNELS; c++) {
    // A lesson every 30 minutes of the broadcast day (06:00 … 05:30 next morning), slate between.
    importTestChannel(data.db, {
      id: `ch${c}`,
      number: c,
      assets: [lessons[(c * 2) % lessons.length]!, lessons[(c * 2 + 1) % lessons.length]!],
      firstSlot: '06:00',
      lastSlot: '23:30',
      everyMinutes: 30,
      timezone: TIMEZONE,
    });
    publish(data.db, `ch${c}`, addDays(today, -1), 3, Date.now() - 86_400_000);
  }
  return data;
}

function startChild(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: Promise<string> } {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('../bin/run-ts.js', import.meta.url)), fileURLToPath(import.meta.url), ...args],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } },
  );
  const output = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^(PORT|RESULT) (.+)$/m.exec(out);
      if (match) resolve(match[2]!);
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${out}`)));
  });
  return { child, output };
}

/** Requests an origin has answered so far, by kind, from its own /metrics (the scrape itself excluded). */
async function originCounts(url: string): Promise<{ playlists: number; segments: number; other: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts = { playlists: 0, segments: 0, other: 0 };
  for (const line of text.split('\n')) {
    const match = /^aerial_http_requests_total\{([^}]*)\} (\d+)/.exec(line);
    if (!match) continue;
    const route = /route="([^"]*)"/.exec(match[1]!)?.[1] ?? '';
    if (route === '/metrics') continue;
    const n = Number(match[2]);
    if (route.startsWith('/live/')) counts.playlists += n;
    else if (route.startsWith('/media/')) counts.segments += n;
    else counts.other += n;
  }
  return counts;
}

/** nginx's own request times by cache status since the last call (the access log is truncated after reading). */
function shieldTimes(dir: string): string {
  const log = join(dir, 'access.log');
  const byStatus = new Map<string, number[]>();
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const [status, seconds, uri] = line.split(' ');
    if (!uri) continue;
    const key = `${uri.startsWith('/media/') ? 'segment' : 'playlist'} ${status}`;
    if (!byStatus.has(key)) byStatus.set(key, []);
    byStatus.get(key)!.push(Number(seconds) * 1000);
  }
  truncateSync(log);
  return [...byStatus]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, ms]) => {
      ms.sort((a, b) => a - b);
      return `${key} ${ms.length} (p99 ${ms[Math.floor(0.99 * (ms.length - 1))]} ms)`;
    })
    .join(', ');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      seconds: { type: 'string', default: '60' },
      viewers: { type: 'string', default: '100,1000' },
      store: { type: 'string', default: 'fs' },
    },
  });
  if (values.store !== 'fs' && values.store !== 's3')
    throw new Error(`--store: '${values.store}' is neither fs nor s3`);
  const seconds = Number(values.seconds);
  const audiences = values.viewers.split(',').map(Number);
  const missing = nginxMissingReason();
  if (missing) {
    console.log(`shield bench skipped: ${missing}`);
    return;
  }
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const data = seed();
  // What a control plane does as it starts: the published days and asset timelines into the store (the data dir's).
  // `--store s3`: an S3-compatible server (s3rver, in this process) instead, segments mirrored into it too.
  const s3: S3TestServer | undefined = values.store === 's3' ? await startS3Server() : undefined;
  const storeArg = s3 ? `s3://${s3.bucket}/bench` : data.dataDir;
  const t0 = performance.now();
  const report = await createStorePublisher({
    db: data.db,
    store: s3 ? openObjectStore(storeArg, data.dataDir, s3.env) : createFsStore(data.dataDir),
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    mediaDir: join(data.dataDir, 'media'),
  }).sync();
  console.log(
    `store ${storeArg}: ${report.days} days, ${report.assets} assets written in ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s (on S3 the segments too)`,
  );
  data.db.close();
  const origins = [startChild(['origin', storeArg], s3?.env), startChild(['origin', storeArg], s3?.env)];
  const urls = (await Promise.all(origins.map((o) => o.output))).map((port) => `http://127.0.0.1:${port}`);
  // Warm origins, as deployed ones are: each has loaded every channel's published days before the first viewer.
  for (const url of urls)
    for (let c = 1; c <= CHANNELS; c++) for (const r of RENDITIONS) await fetch(`${url}/live/ch${c}/${r}.m3u8`);
  const shield = await startShield({
    edges: urls.map((u) => new URL(u).host),
    controlPlane: new URL(urls[0]!).host,
    accessLog: true,
  });
  const segmentRate = (CHANNELS * RENDITIONS.length) / (TARGET_DURATION_MS / 1000);
  const playlistRate = (CHANNELS * RENDITIONS.length) / PLAYLIST_TTL_S;
  try {
    console.log(
      `${CHANNELS} channels × ${RENDITIONS.length} renditions, playlist TTL ${PLAYLIST_TTL_S} s, ${seconds} s a run\n` +
        `expected origin load per shield, whatever the audience: playlists ${playlistRate} req/s ` +
        `(channels × renditions ÷ TTL) + segments ≈ ${segmentRate} req/s (one fetch per new 6 s segment; ` +
        'slate segments last 1 s)',
    );
    for (const viewers of audiences) {
      const before = await Promise.all(urls.map(originCounts));
      const run = startChild(['viewers', shield.baseUrl, String(viewers), String(seconds)]);
      const client = JSON.parse(await run.output) as ViewerResult;
      // Nothing but the viewers reaches the origins between the two scrapes (the viewer process loads first).
      const elapsedS = client.durationS;
      const after = await Promise.all(urls.map(originCounts));
      const delta = (k: 'playlists' | 'segments' | 'other') =>
        after.reduce((sum, a, i) => sum + a[k] - before[i]![k], 0) / elapsedS;
      console.log(
        `${String(viewers).padStart(5)} viewers: client ${client.requests} requests (${(client.requests / elapsedS).toFixed(0)}/s), ` +
          `errors ${client.errors}, p50 ${client.p50Ms} ms, p99 ${client.p99Ms} ms, max ${client.maxMs} ms | ` +
          `origin req/s: playlists ${delta('playlists').toFixed(1)} (expected ≤ ${playlistRate}), ` +
          `segments ${delta('segments').toFixed(1)}, other ${delta('other').toFixed(2)}, ` +
          `total ${(delta('playlists') + delta('segments') + delta('other')).toFixed(1)}`,
      );
      console.log(`  at the shield (nginx $request_time): ${shieldTimes(shield.dir)}`);
      if (client.firstErrors.length) {
        console.log(`  first errors: ${client.firstErrors.join('; ')}`);
        console.log(`  nginx error log (last lines):\n${shield.errorLog().split('\n').slice(-8).join('\n')}`);
      }
    }
  } finally {
    await shield.stop();
    for (const o of origins) o.child.kill('SIGTERM');
    await s3?.close();
    data.cleanup();
    console.log(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'origin') await serveEdge(rest[0]!);
else if (mode === 'viewers') await runViewers(rest[0]!, Number(rest[1]), Number(rest[2]));
else await main();

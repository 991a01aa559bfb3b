/**
 * The shipped nginx shield (deploy/nginx/aerial-shield.conf, run by Debian's nginx) in front of two edge origins
 * and a control plane, all real processes on the real clock, for a little over 60 s of real time.
 *
 * The edges are two `aerial serve --edge --store s3://bucket/prefix` processes reading what the control plane
 * (started with the same `--store`) publishes to an S3-compatible server (s3rver, started here on loopback): the
 * published days, the asset timelines and the segments, which the edges stream from the store. (The filesystem
 * driver behind edges is covered by edge-origins.test.ts.) Viewers poll every playlist of every channel through
 * nginx once a second, check each with the HLS conformance checker (hls-parser strict; each rendition against its
 * own previous poll) and fetch every new segment. Meanwhile:
 * - one edge origin is killed with SIGKILL: no viewer request fails;
 * - a plain republish (an override, its preview, the preview's publish: admin API through nginx, never cached)
 *   swaps c2's programme at a boundary, and a suspension order on s1 is published 8 s before that boundary: each
 *   new programme reaches viewers within one segment + 2 × TTL of its start;
 * - the control plane is killed then: the edge goes on serving what it read from the store, playlists advance, and
 *   the guides (rendered by the edges from the store) are answered through nginx;
 * - the control plane starts again: its first answer is byte-identical to the edge's at the same instant.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createToken } from '../../scheduler/admin/tokens.ts';
import { createS3Store } from '../../scheduler/object-store/s3-store.ts';
import { importChannelDocument } from '../../scheduler/schedule/channels-repository.ts';
import { addDays, broadcastDateAt } from '../../scheduler/schedule/broadcast-date.ts';
import {
  checkLiveMediaPlaylist,
  checkMasterPlaylist,
  parseMasterPlaylist,
  parseMediaPlaylist,
  type MediaPlaylist,
} from '../helpers/hls-conformance.ts';
import { freePort, nginxMissingReason, startShield, type RunningShield } from '../helpers/nginx-shield.ts';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.ts';
import {
  AUDIO_RENDITION,
  TEST_LADDER,
  VIDEO_RENDITIONS,
  insertAsset,
  makeDataDir,
  publish,
  type DataDir,
} from './origin-fixtures.ts';

const TARGET_DURATION_S = 6;
/** The origin's `Cache-Control: max-age` on live playlists, which the shield honours. */
const PLAYLIST_TTL_MS = 2_000;
const SEGMENT_MS = 6_000;
const POLL_MS = 1_000;
const RUN_MS = 62_000;
const CHANNEL_ZONES = [
  ['s1', 'Asia/Shanghai'],
  ['c2', 'Asia/Shanghai'],
  ['c3', 'America/New_York'],
] as const;
const CHANNELS = CHANNEL_ZONES.map(([id]) => id);
const RENDITIONS = [...VIDEO_RENDITIONS.map((r) => r.name), AUDIO_RENDITION.name];
/** A playlist from the shield may be up to 2 TTLs older than one from the origin (expiry + background update). */
const FRESHNESS_TD = 1.5 + (2 * PLAYLIST_TTL_MS) / 1000 / TARGET_DURATION_S;

const missing = nginxMissingReason();
if (missing) console.warn(`shield.test.ts skipped: ${missing}`);

let data: DataDir;
let s3: S3TestServer | undefined;
let storeUrl: string;
let token: string;
let controlPlanePort: number;
let controlPlane: Origin | undefined;
const edges: Origin[] = [];
let shield: RunningShield | undefined;
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Origin {
  url: string;
  child: ChildProcess;
  exited: Promise<void>;
}

/** A child process that prints `is serving on URL` when it listens. */
function startProcess(args: string[]): Promise<Origin> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...s3!.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 150_000);
    const take = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /is serving on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, child, exited });
      }
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${out}`)));
  });
}

const startControlPlane = () =>
  startProcess([
    'bin/run-ts.js',
    'tests/integration/shield-control-plane-child.ts',
    data.dataDir,
    String(controlPlanePort),
    storeUrl,
  ]);
const startEdge = () =>
  startProcess([
    ...['bin/aerial.js', '--data', data.dataDir, 'serve', '--edge', '--store', storeUrl],
    ...['--host', '127.0.0.1', '--port', '0'],
  ]);

async function kill(origin: Origin): Promise<void> {
  origin.child.kill('SIGKILL');
  await origin.exited;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(url, { agent, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${options.method ?? 'GET'} ${url}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A programme at every minute of the broadcast day (06:00 … 05:59). */
function week(asset: string) {
  const slots: { id: string; start: string; kind: string; asset: string }[] = [];
  for (let i = 0; i < 24 * 60; i++) {
    const m = (6 * 60 + i) % (24 * 60);
    const start = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    slots.push({ id: `p${i}`, start, kind: 'programme', asset });
  }
  return Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, slots]));
}

beforeAll(async () => {
  if (missing) return;
  data = makeDataDir('aerial-shield-');
  const files = { mediaDir: data.mediaDir };
  insertAsset(data.db, {
    id: 'slate',
    kind: 'slate',
    title: '稍后回来',
    segmentMs: Array(10).fill(1000),
    writeFiles: files,
  });
  // swap-lesson airs nowhere until a republish brings it on c2.
  for (const id of ['term-lesson', 'home-lesson', 'swap-lesson'])
    insertAsset(data.db, { id, kind: 'lesson', title: id, segmentMs: Array(3).fill(SEGMENT_MS), writeFiles: files });
  insertAsset(data.db, {
    id: 'lesson-b',
    kind: 'lesson',
    title: '课 B',
    segmentMs: [6000, 6000, 4400],
    writeFiles: files,
  });
  // A programme every minute (18 s of lesson, then slate); a suspension order swaps s1's lesson.
  const channel = (id: string, number: number, timezone: string, term: string, suspension: string) => ({
    id,
    number,
    name: { zh: `测试频道 ${id}`, en: `Test ${id}` },
    timezone,
    ladder: TEST_LADDER,
    grades: [3],
    timetables: { term: week(term), holiday: week(term), suspension: week(suspension) },
    slate: 'slate',
  });
  importChannelDocument(data.db, {
    channels: CHANNEL_ZONES.map(([id, timezone], i) =>
      channel(id, i + 1, timezone, id === 's1' ? 'term-lesson' : 'lesson-b', id === 's1' ? 'home-lesson' : 'lesson-b'),
    ),
  });
  // Published here, the horizon and a day either side, so the three processes start together and none of them
  // has anything left to publish (`aerial serve` publishes what its 7-day horizon lacks before it listens).
  for (const [id, timezone] of CHANNEL_ZONES) {
    const today = broadcastDateAt(Date.now(), timezone, '06:00');
    publish(data.db, id, addDays(today, -1), 9, Date.now() - 86_400_000);
  }
  token = createToken(data.db, 'shield-test', 'editor', Date.now()).token;
  data.db.close();
  s3 = await startS3Server();
  storeUrl = `s3://${s3.bucket}/shield`;
  controlPlanePort = await freePort();
  const t0 = performance.now();
  const [cp, ...edgeOrigins] = await Promise.all([startControlPlane(), startEdge(), startEdge()]);
  controlPlane = cp;
  edges.push(...edgeOrigins);
  console.info(`control plane and edges up in ${Math.round(performance.now() - t0)} ms`);
  // Each edge answers every playlist before viewers come: the control plane writes the store as it starts, the
  // edges see it at their next look (every second), and a first render loads the channel's published days.
  for (const edge of edges)
    for (const channel of CHANNELS)
      for (const name of ['master', ...RENDITIONS]) {
        const deadline = performance.now() + 120_000;
        while ((await get(`${edge.url}/live/${channel}/${name}.m3u8`)).status !== 200) {
          if (performance.now() > deadline) throw new Error(`edge ${edge.url} never served ${channel}/${name}`);
          await sleep(250);
        }
      }
  shield = await startShield({
    edges: edges.map((e) => new URL(e.url).host),
    controlPlane: `127.0.0.1:${controlPlanePort}`,
  });
}, 240_000);

afterAll(async () => {
  agent.destroy();
  await shield?.stop();
  for (const origin of [...edges, controlPlane]) if (origin && origin.child.exitCode === null) await kill(origin);
  await s3?.close();
  data?.cleanup();
});

interface Viewer {
  failures: string[];
  requests: number;
  cacheStatus: Map<string, number>;
  previous: Map<string, MediaPlaylist>;
  seenSegments: Set<string>;
  highestSequence: Map<string, number>;
  /** When a `home-lesson` segment was first seen through the shield (performance.now() → epoch via Date.now()). */
  switchSeenAtMs?: number;
  /** When c2's republished programme (`swap-lesson`, by an override) was first seen through the shield. */
  republishSeenAtMs?: number;
}

async function pollPlaylist(viewer: Viewer, base: string, channel: string, rendition: string): Promise<void> {
  const path = `/live/${channel}/${rendition}.m3u8`;
  let answer: Answer;
  try {
    answer = await get(base + path);
  } catch (error) {
    viewer.failures.push(`${path}: ${(error as Error).message}`);
    return;
  }
  viewer.requests++;
  const status = String(answer.headers['x-cache-status'] ?? 'none');
  viewer.cacheStatus.set(status, (viewer.cacheStatus.get(status) ?? 0) + 1);
  if (answer.status !== 200) {
    viewer.failures.push(
      `${path} @ ${new Date().toISOString()}: HTTP ${answer.status} ${answer.body.toString().slice(0, 60)}`,
    );
    return;
  }
  // The instant it was served at (at the latest): no segment of it may end after this.
  const nowMs = Date.now();
  const text = answer.body.toString();
  if (rendition === 'master') {
    for (const v of checkMasterPlaylist(parseMasterPlaylist(text), { videoVariants: VIDEO_RENDITIONS.length }))
      viewer.failures.push(`${path}: ${v.rule}: ${v.message}`);
    return;
  }
  let playlist: MediaPlaylist;
  try {
    playlist = parseMediaPlaylist(text);
  } catch (error) {
    viewer.failures.push(`${path}: strict parse failed: ${(error as Error).message}`);
    return;
  }
  const previous = viewer.previous.get(path);
  const violations = checkLiveMediaPlaylist(
    { playlist, nowMs, canonical: rendition === '360p', ...(previous ? { previous } : {}) },
    { targetDuration: TARGET_DURATION_S, freshnessTargetDurations: FRESHNESS_TD },
  );
  for (const v of violations)
    viewer.failures.push(`${path} @ ${new Date(nowMs).toISOString()}: ${v.rule}: ${v.message}`);
  viewer.previous.set(path, playlist);
  const last = (playlist.mediaSequenceBase ?? 0) + playlist.segments.length - 1;
  viewer.highestSequence.set(path, Math.max(last, viewer.highestSequence.get(path) ?? -1));
  for (const segment of playlist.segments) {
    if (viewer.seenSegments.has(segment.uri)) continue;
    viewer.seenSegments.add(segment.uri);
    if (channel === 's1' && segment.uri.includes('/home-lesson/') && viewer.switchSeenAtMs === undefined)
      viewer.switchSeenAtMs = Date.now();
    if (channel === 'c2' && segment.uri.includes('/swap-lesson/') && viewer.republishSeenAtMs === undefined)
      viewer.republishSeenAtMs = Date.now();
    try {
      const bytes = await get(base + segment.uri);
      viewer.requests++;
      const expected = `segment ${segment.uri.slice('/media/'.length)}\n`;
      if (bytes.status !== 200 || bytes.body.toString() !== expected)
        viewer.failures.push(
          `${segment.uri} @ ${new Date().toISOString()}: HTTP ${bytes.status} ${bytes.body.toString().slice(0, 60)}`,
        );
    } catch (error) {
      viewer.failures.push(`${segment.uri}: ${(error as Error).message}`);
    }
  }
}

/** Local `HH:MM` of an instant in a time zone. */
function localTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    ms,
  );
}

/**
 * A plain republish through the shield's admin route: an override replacing c2's programme of the minute starting
 * at `boundaryMs` with `swap-lesson`, a preview of that day, and the publish of the preview.
 */
async function republishOverride(base: string, boundaryMs: number): Promise<void> {
  const timezone = 'Asia/Shanghai';
  const date = broadcastDateAt(boundaryMs, timezone, '06:00');
  const start = localTime(boundaryMs, timezone);
  const [h, m] = start.split(':').map(Number) as [number, number];
  const slot = `p${(h * 60 + m - 6 * 60 + 24 * 60) % (24 * 60)}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const answer = await get(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(answer.status, `${method} ${path}: ${answer.body.toString()}`).toBeLessThan(300);
    expect(answer.headers['x-cache-status']).toBeUndefined(); // never through the cache
    return JSON.parse(answer.body.toString()) as { id: string; days: Array<{ outcome: string }> };
  };
  await call('POST', '/api/admin/overrides', {
    id: 'swap-c2',
    channel: 'c2',
    date,
    action: 'replace',
    slot,
    with: { id: 'swap-c2-slot', start, kind: 'programme', asset: 'swap-lesson' },
  });
  const preview = await call('POST', '/api/admin/previews', { channels: ['c2'], from: date, days: 1 });
  expect(preview.days[0]!.outcome).toBe('new-version');
  await call('POST', `/api/admin/previews/${preview.id}/publish`);
}

/** nginx's error log, one line per distinct message (with its count, first and last time). */
function errorSummary(log: string): string {
  const seen = new Map<string, { count: number; first: string; last: string }>();
  for (const line of log.split('\n')) {
    const match = /^(\S+ \S+) \[(\w+)\] \d+#\d+: (?:\*\d+ )?([^,]*)(?:.*upstream: "([^"]*)")?/.exec(line);
    if (!match) continue;
    const key = `${match[2]} ${match[3]} ${match[4] ?? ''}`;
    const entry = seen.get(key) ?? { count: 0, first: match[1]!, last: match[1]! };
    entry.count++;
    entry.last = match[1]!;
    seen.set(key, entry);
  }
  return [...seen].map(([key, e]) => `${e.count}× ${key} (${e.first} … ${e.last})`).join('\n');
}

it.skipIf(missing)(
  'through nginx for 60 s: conformant playlists, an edge down, a republish, a suspension, the control plane away',
  async () => {
    const base = shield!.baseUrl;
    const viewer: Viewer = {
      failures: [],
      requests: 0,
      cacheStatus: new Map(),
      previous: new Map(),
      seenSegments: new Set(),
      highestSequence: new Map(),
    };
    const started = performance.now();
    let stop = false;
    const polling = (async () => {
      while (!stop) {
        const tick = performance.now();
        await Promise.all(
          CHANNELS.flatMap((channel) =>
            ['master', ...RENDITIONS].map((rendition) => pollPlaylist(viewer, base, channel, rendition)),
          ),
        );
        await sleep(Math.max(0, POLL_MS - (performance.now() - tick)));
      }
    })();
    const timeline: Record<string, number> = {};
    const at = (name: string) => (timeline[name] = Math.round(performance.now() - started));

    // 1. One edge origin dies.
    await sleep(4_000);
    await kill(edges[0]!);
    at('edgeKilled');

    // 2. A plain republish through the shield (override → preview → publish, some seconds on a loaded machine) of
    // c2's programme at the next boundary at least 24 s away (the three calls have taken 16 s on a loaded 2-core
    // machine), then a suspension order 8 s before it (guard 1 s).
    const boundaryMs = Math.ceil((Date.now() + 24_000) / 60_000) * 60_000;
    await republishOverride(base, boundaryMs);
    at('republished');
    expect(Date.now(), 'the republish took so long that the suspension is late').toBeLessThan(boundaryMs - 8_000);
    await sleep(boundaryMs - 8_000 - Date.now());
    const today = broadcastDateAt(Date.now(), 'Asia/Shanghai', '06:00');
    const order = { id: 'snow-day', from: today, to: today, channels: ['s1'], notice: { zh: '雪天停课' } };
    const posted = await get(`${base}/api/admin/suspensions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(order),
    });
    expect(posted.status, posted.body.toString()).toBe(201);
    expect(posted.headers['x-cache-status']).toBeUndefined(); // never through the cache
    at('suspensionPublished');

    // 3. Once viewers have the switched programme (or its deadline has passed), the control plane dies; the edge
    // goes on serving.
    const switchDeadlineMs = boundaryMs + SEGMENT_MS + 2 * PLAYLIST_TTL_MS + POLL_MS;
    while (
      (viewer.switchSeenAtMs === undefined || viewer.republishSeenAtMs === undefined) &&
      Date.now() < switchDeadlineMs
    )
      await sleep(200);
    await kill(controlPlane!);
    at('controlPlaneKilled');
    const sequenceAtKill = viewer.highestSequence.get('/live/c2/360p.m3u8') ?? -1;
    const whileDown = await get(`${base}/api/admin/suspensions`, { headers: { authorization: `Bearer ${token}` } });
    expect(whileDown.status).toBe(502);
    // The guides come from the edges: a host nobody asked for yet (a miss) is answered with the control plane down.
    const guide = await get(`${base}/api/guide`, { headers: { 'x-forwarded-host': 'down.example.net' } });
    expect(guide.status, guide.body.toString().slice(0, 200)).toBe(200);
    expect(guide.headers['x-cache-status']).toBe('MISS');
    expect(guide.body.toString()).toContain('"channelId":"c2"');
    // 4. It is started again 6 s later (it takes several seconds to load) and comes back on its port.
    await sleep(6_000);
    controlPlane = await startControlPlane();
    at('controlPlaneBack');
    expect(viewer.highestSequence.get('/live/c2/360p.m3u8')).toBeGreaterThanOrEqual(sequenceAtKill + 1);
    // Its first answer is what the edge answers at the same instant.
    const path = '/live/c2/360p.m3u8';
    const before = await get(edges[1]!.url + path);
    const fromControlPlane = await get(controlPlane.url + path);
    const after = await get(edges[1]!.url + path);
    expect([before.body.toString(), after.body.toString()]).toContain(fromControlPlane.body.toString());
    const listed = await get(`${base}/api/admin/suspensions`, { headers: { authorization: `Bearer ${token}` } });
    expect(listed.status).toBe(200);
    expect(listed.body.toString()).toContain('snow-day');

    while (performance.now() - started < RUN_MS || viewer.switchSeenAtMs === undefined) {
      if (performance.now() - started > 110_000) break;
      await sleep(250);
    }
    stop = true;
    await polling;
    at('end');

    console.info(
      `shield run: ${JSON.stringify({
        timeline,
        requests: viewer.requests,
        segments: viewer.seenSegments.size,
        cacheStatus: Object.fromEntries(viewer.cacheStatus),
        switchSeenAfterBoundaryMs: viewer.switchSeenAtMs && viewer.switchSeenAtMs - boundaryMs,
        republishSeenAfterBoundaryMs: viewer.republishSeenAtMs && viewer.republishSeenAtMs - boundaryMs,
      })}`,
    );
    expect(viewer.failures.slice(0, 20), errorSummary(shield!.errorLog())).toEqual([]);
    expect(performance.now() - started).toBeGreaterThan(60_000);
    expect(viewer.requests).toBeGreaterThan(500);
    // The micro-cache answers most playlist polls (one per second against a 2 s TTL).
    const cached =
      (viewer.cacheStatus.get('HIT') ?? 0) +
      (viewer.cacheStatus.get('STALE') ?? 0) +
      (viewer.cacheStatus.get('UPDATING') ?? 0);
    expect(cached).toBeGreaterThan(viewer.requests / 4);
    // The switched programme reached viewers within one segment + 2 × TTL (+ one poll interval) of its start.
    expect(viewer.switchSeenAtMs).toBeDefined();
    expect(viewer.switchSeenAtMs! - boundaryMs).toBeLessThanOrEqual(SEGMENT_MS + 2 * PLAYLIST_TTL_MS + POLL_MS);
    // So did the plain republish (override → preview → publish) of c2's programme at the same boundary.
    expect(viewer.republishSeenAtMs).toBeDefined();
    expect(viewer.republishSeenAtMs! - boundaryMs).toBeLessThanOrEqual(SEGMENT_MS + 2 * PLAYLIST_TTL_MS + POLL_MS);
  },
  180_000,
);

it.skipIf(missing)('segments are cached immutable and playlists short through the shield', async () => {
  const base = shield!.baseUrl;
  const playlist = await get(`${base}/live/c2/240p.m3u8`);
  expect(playlist.status).toBe(200);
  expect(playlist.headers['cache-control']).toBe('public, max-age=2');
  const uri = /^\/media\/.+$/m.exec(playlist.body.toString())![0];
  const first = await get(base + uri);
  const second = await get(base + uri);
  expect(first.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(second.headers['x-cache-status']).toBe('HIT');
  // The segment the edges streamed is an object of the S3 store (packaged media mirrored by the control plane).
  const store = createS3Store(storeUrl, s3!.env);
  expect((await store.head(uri.slice(1)))?.size).toBe(first.body.length);
  expect((await get(`${base}/metrics`)).status).toBe(404);
  // Guides name the host and scheme the viewer used (a CDN's X-Forwarded-*), each cached apart.
  for (const host of ['tv.example.net', 'iptv.example.org']) {
    const list = await get(`${base}/channels.m3u`, {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': host },
    });
    expect(list.status).toBe(200);
    expect(list.body.toString()).toContain(`https://${host}/live/c2/master.m3u8`);
  }
});

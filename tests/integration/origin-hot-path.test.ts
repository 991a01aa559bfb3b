/**
 * The lean hot path (http/hot-path.ts) answers plain live playlist requests before the Koa stack: it must
 * send what the full stack sends (status, headers, bytes; gzip when asked), count and log them the same
 * way, and the rendered-playlist cache behind it must stay within its bounds however many start-over URLs
 * are asked for. /metrics also reports the event-loop lag (p50, p99, max).
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../scheduler/clock.ts';
import type { AppOptions } from '../../scheduler/http/app.ts';
import { createChannelTimelines } from '../../scheduler/http/channel-timelines.ts';
import { createPublishedDays } from '../../scheduler/http/published-days.ts';
import { createAssetTimelines } from '../../scheduler/media/asset-timelines.ts';
import { makeOriginWorld, rawRequest, type OriginWorld, type RawResponse } from './origin-fixtures.ts';

const NOW = Date.parse('2026-11-23T01:05:10Z'); // 09:05:10 in Shanghai, a lesson on air
const clock = fixedClock(NOW);
let data: OriginWorld;

async function listen(options: Partial<AppOptions> = {}): Promise<string> {
  return (await data.start(options.clock ?? clock, options)).baseUrl;
}

beforeAll(() => {
  data = makeOriginWorld({
    prefix: 'aerial-hot-path-',
    assets: [
      { id: 'slate', kind: 'slate', title: '稍后回来', segmentMs: Array(10).fill(1000) },
      { id: 'lesson-a', kind: 'lesson', title: '课 A', segmentMs: Array(200).fill(6000) },
    ],
    channels: [
      {
        id: 't1',
        number: 1,
        assets: ['lesson-a'],
        firstSlot: '08:00',
        lastSlot: '12:00',
        everyMinutes: 30,
        publish: { fromDate: '2026-11-22', days: 3, atMs: NOW - 3 * 86_400_000 },
      },
    ],
  });
});

afterAll(() => data?.close());

/** Headers that may differ between two servers or two encodings of one body. */
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

function comparable(res: RawResponse) {
  const headers = Object.fromEntries(Object.entries(res.headers).filter(([name]) => !TRANSPORT.has(name)));
  const body = res.headers['content-encoding'] === 'gzip' && res.body.length > 0 ? gunzipSync(res.body) : res.body;
  return { status: res.status, headers, body: body.toString() };
}

it('answers live playlists exactly as the full Koa stack does (headers, bytes, gzip, HEAD, CORS)', async () => {
  const [lean, full] = await Promise.all([listen(), listen({ hotPath: false })]);
  const paths = ['/live/t1/360p.m3u8', '/live/t1/240p.m3u8', '/live/t1/audio.m3u8', '/live/t1/master.m3u8'];
  const variants: Record<string, string>[] = [
    {},
    { origin: 'https://tv.example.net' },
    { 'accept-encoding': 'gzip, deflate, br' },
    { 'accept-encoding': 'br' },
  ];
  for (const path of paths) {
    for (const headers of variants) {
      for (const method of ['GET', 'HEAD']) {
        const [a, b] = await Promise.all([
          rawRequest(lean, path, { method, headers }),
          rawRequest(full, path, { method, headers }),
        ]);
        const label = `${method} ${path} ${JSON.stringify(headers)}`;
        expect(comparable(a), label).toEqual(comparable(b));
        expect(a.status, label).toBe(200);
        if (method === 'GET') expect(Number(a.headers['content-length']), label).toBe(a.body.length);
      }
    }
  }
  // What the hot path leaves to Koa still answers (errors, start-over).
  expect((await rawRequest(lean, '/live/nope/360p.m3u8')).status).toBe(404);
  expect((await rawRequest(lean, '/live/t1/1080p.m3u8')).status).toBe(404);
  const startOver = await rawRequest(lean, '/live/t1/360p.m3u8?start=2026-11-23T00:30:00Z');
  expect(startOver.status).toBe(200);
  expect(startOver.body.toString()).toContain('#EXT-X-START');
});

it('counts hot-path answers under the route pattern, and reports event-loop lag in /metrics', async () => {
  const base = await listen();
  for (let i = 0; i < 3; i++) expect((await rawRequest(base, '/live/t1/360p.m3u8')).status).toBe(200);
  expect((await rawRequest(base, '/live/t1/master.m3u8')).status).toBe(200);
  const text = (await rawRequest(base, '/metrics')).body.toString();
  expect(text).toContain(
    'aerial_http_requests_total{method="GET",route="/live/:channel/:rendition.m3u8",status="200"} 3',
  );
  expect(text).toContain('aerial_http_requests_total{method="GET",route="/live/:channel/master.m3u8",status="200"} 1');
  expect(text).toMatch(/aerial_playlist_render_seconds_count\{kind="live"\} 4\n/);
  expect(text).toContain('# TYPE aerial_playlist_render_seconds histogram');
  expect(text).toContain('aerial_playlist_render_seconds_bucket{le="+Inf",kind="live"} 4');
  const buckets = [...text.matchAll(/aerial_playlist_render_seconds_bucket\{le="([\d.]+)",kind="live"\} (\d+)/g)];
  expect(buckets.map((m) => Number(m[1]))).toEqual([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]);
  // Cumulative, ending at the count (a cached answer takes well under a second).
  const counts = buckets.map((m) => Number(m[2]));
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  expect(counts.at(-1)).toBe(4);
  expect(Number(/aerial_playlist_render_seconds_sum\{kind="live"\} ([\d.e-]+)/.exec(text)![1])).toBeGreaterThan(0);
  expect(text).not.toContain('route="/live/t1');
  for (const quantile of ['0.5', '0.99', 'max'])
    expect(text).toMatch(new RegExp(`aerial_event_loop_lag_seconds\\{quantile="${quantile}"\\} \\d`));
  expect(text).toContain('aerial_live_playlist_cache_entries 2');
});

it('keeps the rendered-playlist cache within its bounds under many start-over URLs', async () => {
  const maxEntries = 8;
  const maxBytes = 60_000;
  const base = await listen({ playlistCache: { maxEntries, maxBytes } });
  const reference = await listen({ hotPath: false });
  // 100 start-over anchors, one per 30 s over the last 50 minutes: 100 distinct cache keys.
  for (let i = 1; i <= 100; i++) {
    const start = new Date(NOW - i * 30_000).toISOString();
    const path = `/live/t1/360p.m3u8?start=${start}`;
    const res = await rawRequest(base, path);
    expect(res.status, path).toBe(200);
    if (i % 25 === 0) expect(res.body.equals((await rawRequest(reference, path)).body), path).toBe(true);
  }
  const text = (await rawRequest(base, '/metrics')).body.toString();
  const entries = Number(/^aerial_live_playlist_cache_entries (\d+)$/m.exec(text)![1]);
  const bytes = Number(/^aerial_live_playlist_cache_bytes (\d+)$/m.exec(text)![1]);
  expect(entries).toBeGreaterThan(0);
  expect(entries).toBeLessThanOrEqual(maxEntries);
  expect(bytes).toBeLessThanOrEqual(maxBytes);
});

it('remembers a channel schedule only for the instants it holds: across day boundaries, as now moves', () => {
  const assets = createAssetTimelines(data.db);
  const published = createPublishedDays(data.db);
  const remembered = createChannelTimelines(published, assets);
  const fresh = () => createChannelTimelines(createPublishedDays(data.db), assets);
  // Around every published day's start and end, and 25 h after its end (when start-over history lets it
  // go), in time order, as a clock moves: the run of days grows and shrinks at those instants.
  const days = published.dayVersionsOverlapping('t1', 0, Number.MAX_SAFE_INTEGER);
  expect(days).toHaveLength(3);
  const edges = days.flatMap((d) => [d.startMs, d.endMs, d.endMs + 25 * 3_600_000]);
  const instants = [...new Set(edges.flatMap((t) => [t - 1, t, t + 60_000]))].sort((a, b) => a - b);
  const seen = new Set<string>();
  for (const nowMs of instants) {
    const a = remembered.at('t1', nowMs);
    const b = fresh().at('t1', nowMs);
    expect(a?.key, new Date(nowMs).toISOString()).toBe(b?.key);
    expect(a?.startMs, new Date(nowMs).toISOString()).toBe(b?.startMs);
    if (a) seen.add(a.key);
  }
  // 1; 1,2; 1,2,3; 2,3
  expect(seen.size).toBe(4);
});

it('answers what the full stack answers at every instant as a clock moves across segment boundaries', async () => {
  let nowMs = NOW;
  const moving = () => nowMs;
  const [lean, full] = await Promise.all([listen({ clock: moving }), listen({ clock: moving, hotPath: false })]);
  const sequences = new Set<string>();
  for (let step = 0; step < 12; step++, nowMs += 1_700) {
    for (const path of ['/live/t1/360p.m3u8', '/live/t1/master.m3u8']) {
      const [a, b] = await Promise.all([rawRequest(lean, path), rawRequest(full, path)]);
      expect(a.body.toString(), `${path} at ${nowMs - NOW} ms`).toBe(b.body.toString());
      const sequence = /#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(a.body.toString())?.[1];
      if (sequence) sequences.add(sequence);
    }
  }
  // 12 × 1.7 s crosses at least three 6 s segment boundaries.
  expect(sequences.size).toBeGreaterThanOrEqual(4);
});

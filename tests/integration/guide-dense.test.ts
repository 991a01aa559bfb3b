import { DtdValidator, XmlDocument, XmlDtd } from 'libxml2-wasm';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../scheduler/clock.ts';
import { GUIDE_MAX_PROGRAMMES_PER_CHANNEL } from '../../scheduler/guide/guide-queries.ts';
import { denseGuideDataDir, NOW_MS } from './guide-data-dir-fixtures.ts';
import { startOrigin, type RunningOrigin } from './origin-fixtures.ts';
import type { TempDataDir } from './schedule-data-dir-fixtures.ts';

/**
 * Guides of a demo-dense schedule (the sample's channels with 12–13 s clips: ~7,000 programmes a channel-day)
 * must not stall live playlists: while /epg.xml and /api/guide are produced (cold: nothing rendered yet), live
 * playlists polled on the same origin keep answering quickly, and nothing answers 5xx.
 */

const dtd = readFileSync(fileURLToPath(new URL('../fixtures/xmltv.dtd', import.meta.url)), 'utf8');
const CHANNELS = 2;
const DAYS = 8;
/** Playlist latency allowed while guides are produced (the bound; a blocked event loop shows up as seconds). */
const PLAYLIST_LATENCY_MS = 100;
/** How many times the slowest poll of the quiet baseline the slowest poll during guide production may take. */
const SLOWEST_VS_BASELINE = 4;

let data: TempDataDir;
let origin: RunningOrigin;

beforeAll(async () => {
  data = denseGuideDataDir(CHANNELS, DAYS);
  const mediaDir = join(data.dir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  origin = await startOrigin({ db: data.db, mediaDir }, fixedClock(NOW_MS));
}, 60_000);

afterAll(async () => {
  await origin?.close();
  data?.close();
});

interface Poll {
  path: string;
  status: number;
  ms: number;
}

/** Polls live playlists one after another (as players do, many at once) until `until` settles. */
async function pollPlaylistsWhile(until: Promise<unknown>): Promise<Poll[]> {
  let done = false;
  void until.finally(() => (done = true));
  const polls: Poll[] = [];
  const paths = ['/live/g1/720p.m3u8', '/live/g2/audio.m3u8', '/live/g1/master.m3u8'];
  for (let i = 0; !done; i++) {
    const path = paths[i % paths.length]!;
    const started = performance.now();
    const response = await fetch(`${origin.baseUrl}${path}`);
    await response.text();
    polls.push({ path, status: response.status, ms: performance.now() - started });
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await until;
  return polls;
}

function dtdErrors(xml: string): string[] {
  const document = XmlDocument.fromString(xml);
  const validator = new DtdValidator(XmlDtd.fromString(dtd));
  try {
    validator.validate(document);
    return [];
  } catch (error) {
    const details = (error as { details?: { message: string; line: number }[] }).details ?? [];
    return details.length ? details.map((d) => `line ${d.line}: ${d.message}`) : [String(error)];
  } finally {
    validator.dispose();
    document.dispose();
  }
}

/** A guide request read as the chunks arrive: how many chunks, and the whole text. */
async function readStreamed(
  path: string,
): Promise<{ status: number; type: string | null; chunks: number; text: string }> {
  const response = await fetch(`${origin.baseUrl}${path}`);
  const decoder = new TextDecoder();
  let chunks = 0;
  let text = '';
  for await (const chunk of response.body!) {
    chunks++;
    text += decoder.decode(chunk as Uint8Array, { stream: true });
  }
  return { status: response.status, type: response.headers.get('content-type'), chunks, text: text + decoder.decode() };
}

describe('guides of a dense schedule', () => {
  it('/epg.xml and /api/guide are produced while live playlists keep answering within 100 ms, without 5xx', async () => {
    // Warm the live routes (their first answer reads the channel's days), then take a reference of this machine's
    // latency right now, with no guide in production.
    for (const path of ['/live/g1/720p.m3u8', '/live/g2/audio.m3u8', '/live/g1/master.m3u8'])
      await (await fetch(origin.baseUrl + path)).text();
    const baseline = await pollPlaylistsWhile(new Promise((resolve) => setTimeout(resolve, 2000)));
    const guides = Promise.all([
      readStreamed('/epg.xml?days=2'),
      readStreamed('/api/guide'),
      readStreamed(`/api/guide?from=${encodeURIComponent('2027-03-24T09:00:00+08:00')}&channels=g2`),
    ]);
    const polls = await pollPlaylistsWhile(guides);
    const [xmltv, guide, page] = await guides;

    expect(polls.filter((p) => p.status !== 200)).toEqual([]);
    expect(polls.length).toBeGreaterThan(10);
    const ms = polls.map((p) => p.ms).sort((a, b) => a - b);
    const p95 = ms[Math.ceil(0.95 * ms.length) - 1]!;
    const slowest = ms.at(-1)!;
    const baselineSlowest = Math.max(...baseline.map((p) => p.ms));
    const figures =
      `${ms.length} polls: p50 ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, slowest ` +
      `${slowest.toFixed(0)} ms (quiet baseline: slowest ${baselineSlowest.toFixed(0)} ms)`;
    // The bound is 100 ms for every poll. On a 2-core machine running other test files in parallel, one poll
    // can wait that long for a core or a garbage collection whatever the guides do (the test process polls its own
    // origin: a poll needs several turns of the loop), so the absolute bound is on the 95th percentile, and the
    // slowest poll is bounded relative to the slowest of the same polls just before, with no guide in production.
    // Rendering that held the loop for a weekday channel-day (150–200 ms of CPU here) fails the second where the
    // baseline is quiet (its slowest poll under 25 ms: the bound is then 100 ms). On a shared machine at a load average
    // of 12–15 the slowest poll was 1.3–2.9× the baseline's with units bounded, 4.4–5.8× with a channel-day rendered
    // in one unit, which such noise let pass once in four runs.
    expect(p95, figures).toBeLessThan(PLAYLIST_LATENCY_MS);
    expect(slowest, figures).toBeLessThan(Math.max(PLAYLIST_LATENCY_MS, SLOWEST_VS_BASELINE * baselineSlowest));

    expect(xmltv.status).toBe(200);
    expect(xmltv.type).toBe('application/xml; charset=utf-8');
    // Streamed: many chunks, not one string written at the end.
    expect(xmltv.chunks).toBeGreaterThan(10);
    expect(xmltv.text.match(/<programme /g)!.length).toBeGreaterThan(3 * 6_000);
    expect(dtdErrors(xmltv.text)).toEqual([]);

    for (const answer of [guide, page]) {
      expect(answer.status).toBe(200);
      expect(answer.type).toBe('application/json; charset=utf-8');
    }
    const programmes = (JSON.parse(guide.text) as { channels: { programmes: unknown[] }[] }).channels.map(
      (c) => c.programmes.length,
    );
    expect(programmes).toHaveLength(CHANNELS);
    expect(Math.min(...programmes)).toBeGreaterThan(1_000);
    // Validating megabytes in this process held its event loop for seconds: connections idle that long may be closed
    // by the server just as the next request reuses them. Close them now and let the client see it.
    origin.server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }, 60_000);

  it('a range holding too many programmes is a 400 naming the limit; spans over 24 h too', async () => {
    const day = await fetch(
      `${origin.baseUrl}/api/guide?from=${encodeURIComponent('2027-03-24T06:00:00+08:00')}&to=${encodeURIComponent('2027-03-25T06:00:00+08:00')}`,
    );
    expect(day.status).toBe(400);
    const problem = (await day.json()) as { problems: { field: string; reason: string }[] };
    expect(problem.problems[0]!.field).toBe('to');
    expect(problem.problems[0]!.reason).toContain(`at most ${GUIDE_MAX_PROGRAMMES_PER_CHANNEL} per channel`);
    expect(problem.problems[0]!.reason).toMatch(/holds \d+ programmes on channel 'g1'/);

    const long = await fetch(
      `${origin.baseUrl}/api/guide?from=${encodeURIComponent('2027-03-24T06:00:00+08:00')}&to=${encodeURIComponent('2027-03-25T06:00:01+08:00')}`,
    );
    expect(long.status).toBe(400);
    expect(((await long.json()) as { problems: { reason: string }[] }).problems[0]!.reason).toMatch(/at most 24 hours/);
  });

  it('the TV app’s 3-hour pages are answered from rendered days, the same as the first time', async () => {
    const from = '2027-03-24T03:00:00Z';
    const to = '2027-03-24T06:00:00Z';
    const path = `/api/guide?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const first = await readStreamed(path);
    const again = await readStreamed(path);
    expect(first.status).toBe(200);
    expect(again.text).toBe(first.text);
    const body = JSON.parse(first.text) as {
      from: string;
      channels: { programmes: { startMs: number; endMs: number }[] }[];
    };
    expect(body.from).toBe(new Date(from).toISOString());
    for (const channel of body.channels) {
      expect(channel.programmes.length).toBeGreaterThan(500);
      expect(channel.programmes[0]!.startMs).toBeLessThanOrEqual(Date.parse(from));
      expect(channel.programmes.at(-1)!.endMs).toBeGreaterThanOrEqual(Date.parse(to));
      expect(channel.programmes.every((p) => p.endMs > Date.parse(from) && p.startMs < Date.parse(to))).toBe(true);
    }
  });
});

import { DtdValidator, XmlDocument, XmlDtd } from 'libxml2-wasm';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_MAX_PROGRAMMES_PER_CHANNEL } from '../../scheduler/guide/guide-queries.ts';
import { denseGuideDataDir, NOW_MS } from './guide-data-dir-fixtures.ts';
import type { TempDataDir } from './schedule-data-dir-fixtures.ts';

/**
 * Guides of a demo-dense schedule (the sample's channels with 12–13 s clips: ~7,000 programmes a channel-day)
 * must not stall live playlists: while /epg.xml and /api/guide are produced (cold: nothing rendered yet), every
 * live playlist polled on the same origin is answered within 100 ms, and nothing answers 5xx.
 *
 * How that is measured so that it fails for a stall of the origin and not for a busy CI machine (on 2 cores running
 * the suite, any process may wait 100 ms and more for a core, whatever it does):
 * - The origin runs in a process of its own (guide-dense-origin-child.ts): the test's own work and garbage
 *   collection (reading tens of MB of guides, vitest) neither stall it nor count against it.
 * - The origin records the turns of its event loop with its main thread's schedstat from the kernel: time on a CPU,
 *   and time waiting in the run queue for one. Its longest turn in CPU time must stay under 50 ms (the issue's
 *   bound on holding the loop): waiting for a core cannot break that, a slice of rendering, a parse or a GC pause
 *   that held the loop does, however loaded the machine.
 * - Every poll must be answered under 100 ms, measured by the client. A slower poll is let pass only when the
 *   origin's loop kept turning all along it: no gap between the origin's turns overlapping the poll lasted 50 ms
 *   or more once its threads' waits for a CPU are taken off (its main thread's, and those of the GC helpers and
 *   the libuv pool it may wait for). The rest of such a poll's time went to the test process or the kernel (a
 *   client-side GC pause, the test's own wait for a core). A poll behind a stall of the origin (computing, or
 *   blocked in a syscall) fails. On a quiet machine no poll is slow: the issue's "every poll under 100 ms".
 * - The origin's own event-loop-lag histogram (/metrics; wall clock, so it includes waiting for a core) is printed
 *   with the figures, for diagnosis.
 */

const dtd = readFileSync(fileURLToPath(new URL('../fixtures/xmltv.dtd', import.meta.url)), 'utf8');
const CHANNELS = 2;
const DAYS = 8;
/** Playlist latency allowed while guides are produced (the issue's bound). */
const PLAYLIST_LATENCY_MS = 100;
/** The longest the origin may hold its event loop (DESIGN.md "Bad input"; issue 13). */
const HOLD_MS = 50;

let data: TempDataDir;
let origin: ChildOrigin;

interface ChildOrigin {
  baseUrl: string;
  pid: number;
  /** Sends a command line (guide-dense-origin-child.ts) and resolves with the JSON line it answers. */
  ask<T>(command: 'reset' | 'report'): Promise<T>;
  close(): Promise<void>;
}

async function spawnOrigin(dataDir: string): Promise<ChildOrigin> {
  const child = spawn(
    process.execPath,
    [
      join(process.cwd(), 'bin/run-ts.js'),
      join(process.cwd(), 'tests/integration/guide-dense-origin-child.ts'),
      dataDir,
      String(NOW_MS),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines: Interface = createInterface({ input: child.stdout });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      void exited.then(() => reject(new Error('the origin child exited')));
    });
  const port = await next();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async ask<T>(command: string) {
      const answer = next();
      child.stdin.write(`${command}\n`);
      return JSON.parse(await answer) as T;
    },
    async close() {
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

beforeAll(async () => {
  data = denseGuideDataDir(CHANNELS, DAYS);
  origin = await spawnOrigin(data.dir);
}, 60_000);

afterAll(async () => {
  await origin?.close();
  data?.close();
});

interface Poll {
  path: string;
  status: number;
  ms: number;
  /** Wall clock, ms since the epoch (comparable with the origin's gaps). */
  start: number;
  end: number;
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
    const ended = performance.now();
    const start = performance.timeOrigin + started;
    polls.push({ path, status: response.status, ms: ended - started, start, end: performance.timeOrigin + ended });
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await until;
  return polls;
}

interface TurnReport {
  longestTurnCpuMs: number;
  longestTurnWallMs: number;
  gaps: { start: number; end: number; cpuMs: number; waitMs: number }[];
}

/**
 * The longest the origin held its loop during the poll: a gap between its turns, less its threads' waits for a CPU,
 * and never less than its main thread's time on a CPU in that gap.
 */
function originHeldDuring(poll: Poll, report: TurnReport): number {
  let held = 0;
  for (const gap of report.gaps)
    if (gap.start < poll.end && gap.end > poll.start)
      held = Math.max(held, gap.cpuMs, gap.end - gap.start - gap.waitMs);
  return held;
}

/** The origin's event-loop lag since its previous scrape, seconds (max and p99), from its /metrics. */
async function scrapeLag(): Promise<{ max: number; p99: number }> {
  const text = await (await fetch(`${origin.baseUrl}/metrics`)).text();
  const value = (quantile: string) =>
    Number(new RegExp(`aerial_event_loop_lag_seconds\\{quantile="${quantile}"\\} (\\S+)`).exec(text)?.[1]);
  return { max: value('max'), p99: value('0.99') };
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
  // The bytes as they come (decoded once at the end: no string garbage in this process while it polls).
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body!) chunks.push(chunk as Uint8Array);
  const text = Buffer.concat(chunks).toString('utf8');
  return { status: response.status, type: response.headers.get('content-type'), chunks: chunks.length, text };
}

describe('guides of a dense schedule', () => {
  it('/epg.xml and /api/guide are produced while live playlists keep answering within 100 ms, without 5xx', async () => {
    // Warm the live routes (their first answer reads the channel's days), and start the measures afresh.
    for (const path of ['/live/g1/720p.m3u8', '/live/g2/audio.m3u8', '/live/g1/master.m3u8'])
      await (await fetch(origin.baseUrl + path)).text();
    await scrapeLag();
    await origin.ask('reset');
    const guides = Promise.all([
      readStreamed('/epg.xml?days=2'),
      readStreamed('/api/guide'),
      readStreamed(`/api/guide?from=${encodeURIComponent('2027-03-24T09:00:00+08:00')}&channels=g2`),
    ]);
    const polls = await pollPlaylistsWhile(guides);
    const [xmltv, guide, page] = await guides;
    const turns = await origin.ask<TurnReport>('report');
    const lag = await scrapeLag();

    const ms = polls.map((p) => p.ms).sort((a, b) => a - b);
    const slow = polls.filter((p) => p.ms >= PLAYLIST_LATENCY_MS);
    const figures =
      `${ms.length} polls: p50 ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} ms, slowest ${ms.at(-1)!.toFixed(0)} ms; ` +
      `polls over ${PLAYLIST_LATENCY_MS} ms (ms, of which the origin held its loop): ` +
      `${slow.map((p) => `${p.ms.toFixed(0)}/${originHeldDuring(p, turns).toFixed(0)}`).join(' ') || 'none'}; ` +
      `origin: longest turn ${turns.longestTurnCpuMs.toFixed(1)} ms of CPU (${turns.longestTurnWallMs.toFixed(0)} ` +
      `ms wall), event-loop lag max ${(lag.max * 1000).toFixed(0)} ms, p99 ${(lag.p99 * 1000).toFixed(0)} ms (wall)`;
    expect(
      polls.filter((p) => p.status !== 200),
      figures,
    ).toEqual([]);
    expect(polls.length, figures).toBeGreaterThan(10);
    expect(turns.longestTurnCpuMs, figures).toBeLessThan(HOLD_MS);
    expect(
      slow.filter((p) => originHeldDuring(p, turns) >= HOLD_MS),
      figures,
    ).toEqual([]);
    console.log(`guide-dense: ${figures}`);

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

/**
 * Guide benchmark (prints figures; not a test): XMLTV and guide-JSON bytes and milliseconds through the real origin,
 * with the longest event-loop stall (perf_hooks.monitorEventLoopDelay, p99 too) and the longest garbage-collection
 * pause of the origin's process while each is produced, beside the same-run reference: the longest stall of an idle
 * Node process running at the same time (on a shared machine, what the load alone costs), the longest stall of ours
 * during which that process was not stalled (what the guides held the loop for), the time on a CPU of our longest
 * turn of the loop (the main thread's schedstat: robust to the machine's load), and the load average. The origin
 * runs in this process: one /healthz request first, so that fetch's and Koa's first use are not counted in the
 * first guide request.
 *   - sample-like: 12 grade channels of 20-minute lessons, eye exercises, calisthenics and reruns, 8 days published:
 *     /epg.xml cold (nothing rendered), warm, right after a publish (one more day on every channel, asked at once),
 *     and once the warm-up after that publish is done; /api/guide cold;
 *   - dense: the same channels with 12–13 s clips (rerun carousels: ~7,000 programmes a channel-day), `--days`
 *     published: /epg.xml (`--epg-days`, default 11: 12 broadcast days, ~770 MB) cold, /api/guide cold and warm.
 *
 *   npm run bench:guides -- [--channels 12] [--days 14] [--epg-days 11] [--only sample|dense]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { loadCatalogView } from '../scheduler/catalog/catalog-view.ts';
import { fixedClock } from '../scheduler/clock.ts';
import { publishDays } from '../scheduler/schedule/publish.ts';
import {
  denseGuideDataDir,
  FIRST_PUBLISHED_DATE,
  NOW_MS,
  sampleGuideDataDir,
} from '../tests/integration/guide-data-dir-fixtures.ts';
import { startOrigin, type RunningOrigin } from '../tests/integration/origin-fixtures.ts';
import type { TempDataDir } from '../tests/integration/schedule-data-dir-fixtures.ts';

const { values } = parseArgs({
  options: {
    channels: { type: 'string', default: '12' },
    days: { type: 'string', default: '14' },
    'epg-days': { type: 'string', default: '11' },
    only: { type: 'string' },
  },
});
const channels = Number(values.channels);
const days = Number(values.days);
const SAMPLE_DAYS = 8;

/**
 * Stalls of this thread's event loop: a 5 ms ticker records each gap over STALL_MS as [start, end] in wall-clock
 * milliseconds (performance.timeOrigin + now), comparable across processes. The same code runs in the idle
 * reference process (as text, below).
 */
const STALL_MS = 20;
const stallRecorder = `((performance) => {
  const stalls = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > 5 + ${STALL_MS}) stalls.push([performance.timeOrigin + last, performance.timeOrigin + now]);
    last = now;
  }, 5);
  return () => { clearInterval(timer); return stalls; };
})`;

type Stalls = [number, number][];

function recordStalls(): () => Stalls {
  const start = (0, eval)(stallRecorder) as (clock: typeof performance) => () => Stalls;
  return start(performance);
}

/**
 * An idle Node process measuring its own event-loop delay and stalls until its stdin closes: the machine's noise
 * floor at the same moment.
 */
function idleReference(): { stop(): Promise<{ max: number; p99: number; stalls: Stalls }> } {
  const script = `const h = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 5 }); h.enable();
    const stop = ${stallRecorder}(require('node:perf_hooks').performance);
    process.stdin.resume(); process.stdin.on('end', () => { h.disable();
    process.stdout.write(JSON.stringify({ max: h.max / 1e6, p99: h.percentile(99) / 1e6, stalls: stop() })); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.stdin.end();
      await exited;
      return JSON.parse(out) as { max: number; p99: number; stalls: Stalls };
    },
  };
}

/**
 * The longest part of a stall of ours during which the idle process was not stalled too: what the guides held the
 * loop for, less what the machine's load took from every process at that moment.
 */
function longestOwnStall(ours: Stalls, machine: Stalls): number {
  let longest = 0;
  for (const [start, end] of ours) {
    let shared = 0;
    for (const [from, to] of machine) shared += Math.max(0, Math.min(end, to) - Math.max(start, from));
    longest = Math.max(longest, end - start - shared);
  }
  return longest;
}

/**
 * The CPU time this (the main) thread spent within its longest turn of the event loop, as a 5 ms ticker sees it,
 * from the kernel's schedstat: on a loaded machine a stall in wall-clock time is mostly waiting for a core, while
 * the time on a CPU is what the turn held the loop for, however loaded the machine (a GC pause's work on helper
 * threads is not in it). The client's work counts too: it runs in this process.
 */
function longestTurnCpu(): { stop(): number } {
  const onCpuNs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  let longest = 0;
  let last = onCpuNs();
  const timer = setInterval(() => {
    const now = onCpuNs();
    longest = Math.max(longest, (now - last) / 1e6);
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return longest;
    },
  };
}

/** Longest GC pause (ms) between start() and stop(). */
function gcPauses(): { stop(): number } {
  let longest = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      observer.disconnect();
      return longest;
    },
  };
}

async function measure(origin: RunningOrigin, label: string, path: string): Promise<void> {
  const reference = idleReference();
  await sleep(200); // the reference process is up and measuring
  const lag = monitorEventLoopDelay({ resolution: 5 });
  const gc = gcPauses();
  const stalls = recordStalls();
  const turnCpu = longestTurnCpu();
  lag.enable();
  const started = performance.now();
  const response = await fetch(`${origin.baseUrl}${path}`, { headers: { 'accept-encoding': 'identity' } });
  let bytes = 0;
  for await (const chunk of response.body!) bytes += (chunk as Uint8Array).byteLength;
  const ms = performance.now() - started;
  lag.disable();
  const gcMax = gc.stop();
  const cpuMax = turnCpu.stop();
  const ours = stalls();
  const idle = await reference.stop();
  const own = longestOwnStall(ours, idle.stalls);
  console.log(
    `${label} ${path}: ${response.status}, ${(bytes / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms` +
      ` (${((bytes / 1e6 / ms) * 1000).toFixed(1)} MB/s); event-loop lag max ${(lag.max / 1e6).toFixed(0)} ms,` +
      ` p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms; longest GC pause ${gcMax.toFixed(0)} ms;` +
      ` longest stall not shared with the idle process ${own.toFixed(0)} ms;` +
      ` longest turn ${cpuMax.toFixed(0)} ms of CPU` +
      ` | idle process beside it: lag max ${idle.max.toFixed(0)} ms, p99 ${idle.p99.toFixed(0)} ms` +
      ` | load average ${loadavg()[0]!.toFixed(1)}`,
  );
}

async function withOrigin(data: TempDataDir, run: (origin: RunningOrigin) => Promise<void>): Promise<void> {
  const mediaDir = join(data.dir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  const origin = await startOrigin({ db: data.db, mediaDir }, fixedClock(NOW_MS));
  // The process's first HTTP request (fetch's and Koa's first use, in this one process) is not a guide's.
  await (await fetch(`${origin.baseUrl}/healthz`)).text();
  try {
    await run(origin);
  } finally {
    await origin.close();
    data.close();
  }
}

/** Publishes one more broadcast day on every channel (the day after the last published one). */
function publishNextDay(data: TempDataDir, channelIds: readonly string[], published: number): void {
  const date = new Date(Date.parse(`${FIRST_PUBLISHED_DATE}T00:00:00Z`) + published * 86_400_000);
  const catalog = loadCatalogView(data.db);
  const fromDate = date.toISOString().slice(0, 10);
  for (const channelId of channelIds)
    publishDays({ db: data.db, catalog, channelId, fromDate, days: 1, nowMs: Date.parse('2027-03-02T00:00:00Z') });
}

console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
if (values.only !== 'dense') {
  const started = performance.now();
  const data = sampleGuideDataDir(channels, SAMPLE_DAYS);
  console.log(
    `sample-like: ${channels} channels × ${SAMPLE_DAYS} days published in ${(performance.now() - started).toFixed(0)} ms`,
  );
  const channelIds = (data.db.prepare('SELECT id FROM channels').pluck().all() as string[]).sort();
  await withOrigin(data, async (origin) => {
    await measure(origin, 'sample-like cold', '/epg.xml?days=7');
    await measure(origin, 'sample-like warm', '/epg.xml?days=7');
    publishNextDay(data, channelIds, SAMPLE_DAYS);
    await measure(origin, 'sample-like right after a publish', '/epg.xml?days=7');
    await sleep(3_000); // the warm-up starts 1 s after a publish
    await measure(origin, 'sample-like after the warm-up', '/epg.xml?days=7');
    await measure(origin, 'sample-like cold', '/api/guide');
  });
}
if (values.only !== 'sample') {
  const started = performance.now();
  const data = denseGuideDataDir(channels, days);
  console.log(`dense: ${channels} channels × ${days} days published in ${(performance.now() - started).toFixed(0)} ms`);
  await withOrigin(data, async (origin) => {
    await measure(origin, 'dense cold', `/epg.xml?days=${Math.min(14, Number(values['epg-days']))}`);
    await measure(origin, 'dense cold', '/api/guide');
    await measure(origin, 'dense warm', '/api/guide');
  });
}

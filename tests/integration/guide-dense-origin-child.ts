// Child process of guide-dense.test.ts: the origin on a data dir with a fixed clock, in a process of its own (its own
// heap and event loop: the test's client work and garbage do not stall it, nor it the client). Prints the port it
// listens on, then answers each line on stdin with one JSON line:
//   `reset`   forgets the turns seen so far, answers `{}`;
//   `report`  answers the turns of its event loop since the last reset, as a 5 ms timer sees them (one turn, or
//             several short ones, and GC, between two ticks), from the kernel's schedstat of its main thread:
//             longestTurnCpuMs (the most time on a CPU between two ticks), longestTurnWallMs, and `gaps`: every gap
//             between ticks over GAP_MS as [start, end] (wall clock, ms since the epoch, comparable across
//             processes), the main thread's time on a CPU and its threads' time waiting for one (in the run
//             queue) within it.
// Ends when stdin closes.
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fixedClock } from '../../scheduler/clock.ts';
import { openDb } from '../../scheduler/store/db.ts';
import { startOrigin } from './origin-fixtures.ts';

const [dataDir, nowMs] = process.argv.slice(2);
const db = openDb(dataDir!);
const origin = await startOrigin({ db, mediaDir: join(dataDir!, 'media') }, fixedClock(Number(nowMs)));
// The test process may hold its own loop for seconds (validating a large XMLTV): its client closes idle sockets.
origin.server.keepAliveTimeout = 60_000;

/** Gaps between ticks (5 ms apart) longer than this are reported. */
const GAP_MS = 20;

/**
 * Nanoseconds this (the main) thread has run on a CPU, and the process's threads have waited for one, added up
 * (/proc/…/schedstat): the main thread waits for V8's GC helpers and the libuv pool at times, which on a loaded
 * machine wait for a core themselves.
 */
function schedstat(): { cpuNs: number; waitNs: number } {
  const cpuNs = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  let waitNs = 0;
  for (const task of readdirSync('/proc/self/task')) {
    try {
      waitNs += Number(readFileSync(`/proc/self/task/${task}/schedstat`, 'utf8').split(' ')[1]);
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return { cpuNs, waitNs };
}

let longestCpuMs = 0;
let longestWallMs = 0;
let gaps: { start: number; end: number; cpuMs: number; waitMs: number }[] = [];
let last = { ...schedstat(), wall: performance.timeOrigin + performance.now() };
setInterval(() => {
  const now = { ...schedstat(), wall: performance.timeOrigin + performance.now() };
  const cpuMs = (now.cpuNs - last.cpuNs) / 1e6;
  longestCpuMs = Math.max(longestCpuMs, cpuMs);
  longestWallMs = Math.max(longestWallMs, now.wall - last.wall);
  if (now.wall - last.wall > GAP_MS)
    gaps.push({ start: last.wall, end: now.wall, cpuMs, waitMs: (now.waitNs - last.waitNs) / 1e6 });
  last = now;
}, 5);

process.stdout.write(`${new URL(origin.baseUrl).port}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', (command) => {
  if (command === 'reset') {
    longestCpuMs = 0;
    longestWallMs = 0;
    gaps = [];
    process.stdout.write('{}\n');
  } else if (command === 'report') {
    const report = { longestTurnCpuMs: longestCpuMs, longestTurnWallMs: longestWallMs, gaps };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  }
});
lines.on('close', () => {
  void origin.close().then(() => {
    db.close();
    process.exit(0);
  });
});

/**
 * Store sync benchmark: the control plane's store publisher (distribution/store-publisher.ts) on a school year of
 * published days — 12 channels × 365 days of 30 lesson airings each (4,380 day versions), 600 packaged lessons —
 * into a filesystem store in a temp dir. Prints the first sync (the whole year: the start-up catch-up), then the
 * median and worst of syncs after a one-day republish (what every publish costs) and of syncs with nothing new.
 * Synthetic day versions go through the real snapshots repository (no build: the publisher only reads them).
 * Run: node bin/run-ts.js bench/store-sync.bench.ts [--days N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pino from 'pino';
import type { DaySnapshot, ScheduledItem } from '../playlists/model.ts';
import { createStorePublisher } from '../scheduler/distribution/store-publisher.ts';
import { unit } from '../scheduler/guide/guide-renderings.ts';
import { createGuideStore } from '../scheduler/guide/guide-store.ts';
import { createFsStore } from '../scheduler/object-store/fs-store.ts';
import { addDays } from '../scheduler/schedule/broadcast-date.ts';
import { insertSnapshot } from '../scheduler/schedule/snapshots-repository.ts';
import {
  importTestChannel,
  insertAsset,
  insertPackagedLesson,
  makeDataDir,
} from '../tests/integration/origin-fixtures.ts';

const CHANNELS = 12;
/** `--days N` (default 365): the length of the history, to show what the cost of a sync follows. */
const daysArg = process.argv.indexOf('--days');
const DAYS = daysArg > 0 ? Number(process.argv[daysArg + 1]) : 365;
const ITEMS_PER_DAY = 30;
const LESSONS = 600;
const FIRST_DAY = '2025-12-01';
const REPUBLISHES = 30;
const DAY_MS = 86_400_000;

function day(channel: number, index: number, version: number): DaySnapshot {
  const date = addDays(FIRST_DAY, index);
  const startMs = Date.parse(`${date}T00:00:00+08:00`);
  const items: ScheduledItem[] = Array.from({ length: ITEMS_PER_DAY }, (_, i) => {
    const lesson = (channel * 7919 + index * ITEMS_PER_DAY + i + version) % LESSONS;
    return {
      id: `c${channel}-${date}-${i}`,
      kind: 'lesson',
      assetId: `asset-${lesson}`,
      lessonId: `lesson-${lesson}`,
      title: { zh: `课 ${lesson}` },
      startMs: startMs + i * 40 * 60_000,
      durationMs: 1_800_000,
      segmentOffset: 0,
      segmentCount: 300,
      mediaSequence: index * 9000 + i * 300,
      discontinuitySequence: index * ITEMS_PER_DAY + i,
    } as ScheduledItem;
  });
  const endState = { endMs: startMs + DAY_MS, mediaSequence: 0, discontinuitySequence: 0 };
  return {
    channelId: `c${channel}`,
    date,
    version,
    timetable: 'term',
    startMs,
    endMs: startMs + DAY_MS,
    mediaSequenceStart: index * 9000,
    discontinuitySequenceStart: index * ITEMS_PER_DAY,
    items,
    warnings: [],
    endState,
  } as unknown as DaySnapshot;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const data = makeDataDir('aerial-store-sync-bench-');
  const storeDir = mkdtempSync(join(tmpdir(), 'aerial-store-sync-bench-store-'));
  try {
    insertAsset(data.db, { id: 'slate', kind: 'slate', title: 'slate', segmentMs: [1000] });
    data.db.transaction(() => {
      for (let l = 0; l < LESSONS; l++) {
        insertAsset(data.db, { id: `asset-${l}`, kind: 'lesson', title: `课 ${l}`, segmentMs: [6000, 6000] });
        insertPackagedLesson(data.db, `lesson-${l}`, `asset-${l}`, l + 1);
      }
    })();
    for (let c = 1; c <= CHANNELS; c++)
      importTestChannel(data.db, {
        id: `c${c}`,
        number: c,
        assets: ['asset-0'],
        firstSlot: '08:00',
        lastSlot: '09:00',
        everyMinutes: 30,
      });
    data.db.transaction(() => {
      for (let c = 1; c <= CHANNELS; c++) for (let d = 0; d < DAYS; d++) insertSnapshot(data.db, day(c, d, 1), 1);
    })();
    // "Now" is the last week of the year: the days live playlists need plus a year of past days for the guides.
    const nowMs = Date.parse(`${addDays(FIRST_DAY, DAYS - 7)}T12:00:00+08:00`);
    const clock = () => nowMs;
    // The publisher's own lane (the guides' paced lane), each unit of planning timed.
    // Wall time and the process's CPU time (on a loaded machine, wall time includes waiting for a core).
    let longestStepMs = 0;
    let longestStepCpuMs = 0;
    let steps = 0;
    const step = <T>(work: () => T) =>
      unit(() => {
        const started = performance.now();
        const cpu = process.cpuUsage();
        const result = work();
        const used = process.cpuUsage(cpu);
        longestStepMs = Math.max(longestStepMs, performance.now() - started);
        longestStepCpuMs = Math.max(longestStepCpuMs, (used.user + used.system) / 1000);
        steps++;
        return result;
      });
    const publisher = createStorePublisher({
      db: data.db,
      store: createFsStore(storeDir),
      clock,
      logger: pino({ level: 'silent' }),
      mediaDir: data.mediaDir,
      guide: createGuideStore(data.db, clock),
      step,
    });
    // The longest synchronous turn while it runs: what a live playlist request arriving then waits at most.
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    await new Promise((resolve) => setTimeout(resolve, 5)); // the histogram records from its second tick on
    let t = performance.now();
    const first = await publisher.sync();
    const firstMs = performance.now() - t;
    loop.disable();
    console.log(
      `first sync (${CHANNELS} × ${DAYS} days, empty store): ${firstMs.toFixed(0)} ms, ` +
        `longest event-loop delay ${(loop.max / 1e6).toFixed(1)} ms, ` +
        `${steps} planning steps, longest ${longestStepMs.toFixed(1)} ms (CPU ${longestStepCpuMs.toFixed(1)} ms)`,
      first,
    );
    const republish: number[] = [];
    const versions = new Map<string, number>();
    for (let i = 0; i < REPUBLISHES; i++) {
      const c = (i % CHANNELS) + 1;
      const d = DAYS - 7 + (i % 7);
      const version = (versions.get(`${c}/${d}`) ?? 1) + 1;
      versions.set(`${c}/${d}`, version);
      data.db.transaction(() => insertSnapshot(data.db, day(c, d, version), nowMs))();
      t = performance.now();
      const report = await publisher.sync();
      republish.push(performance.now() - t);
      if (report.days !== 1) throw new Error(`a one-day republish wrote ${report.days} day versions`);
    }
    const idle: number[] = [];
    for (let i = 0; i < 10; i++) {
      t = performance.now();
      await publisher.sync();
      idle.push(performance.now() - t);
    }
    const fmt = (v: number[]) => `median ${median(v).toFixed(1)} ms, max ${Math.max(...v).toFixed(1)} ms`;
    console.log(`sync after a one-day republish (${REPUBLISHES} runs): ${fmt(republish)}`);
    console.log(`sync with nothing new (10 runs): ${fmt(idle)}`);
  } finally {
    data.cleanup();
    rmSync(storeDir, { recursive: true, force: true });
  }
}

await main();

/**
 * The store sync never holds the event loop for long, whatever the history: its first sync after a start (every
 * published day, here a year of them and one dense day) is planned in small steps — the day bodies a bounded slice
 * a step, nothing of day_snapshots read outside a step — and stays consistent: a day version published while it is
 * planned is left for the next sync, which then ends where a full sync of a new publisher does.
 *
 * Each step's share of the work is counted, not timed (so CI load cannot make it flake): the publisher reads the
 * database through a second, real connection whose `verbose` hook sees every statement it runs.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaySnapshot, ScheduledItem } from '../../playlists/model.ts';
import { channelManifestKey, INDEX_KEY } from '../../scheduler/distribution/published-layout.ts';
import { createStorePublisher } from '../../scheduler/distribution/store-publisher.ts';
import { SYNC_SLICE_DAYS, type Step } from '../../scheduler/distribution/sync-plan.ts';
import { createGuideStore } from '../../scheduler/guide/guide-store.ts';
import { createFsStore } from '../../scheduler/object-store/fs-store.ts';
import type { ObjectStore } from '../../scheduler/object-store/object-store.ts';
import { addDays } from '../../scheduler/schedule/broadcast-date.ts';
import { insertSnapshot } from '../../scheduler/schedule/snapshots-repository.ts';
import { dbPath, type Db } from '../../scheduler/store/db.ts';
import {
  importTestChannel,
  insertAsset,
  insertPackagedLesson,
  makeDataDir,
  type DataDir,
  tempDirs,
} from './origin-fixtures.ts';

const FIRST_DAY = '2025-11-01';
const DAYS = 370;
/** The day with thousands of programmes (a demo carousel): its body alone is longer than a slice. */
const DENSE_DAY = 200;
const DAY_MS = 86_400_000;
const NOW = Date.parse(`${addDays(FIRST_DAY, DAYS - 3)}T12:00:00+08:00`);
const silent = pino({ level: 'silent' });
let data: DataDir;
const storeDirs = tempDirs('aerial-store-sync-steps-store-');

/** A cheap synthetic day version (the publisher reads bodies, it never builds one). */
function day(index: number, version: number, items = 3): DaySnapshot {
  const date = addDays(FIRST_DAY, index);
  const startMs = Date.parse(`${date}T00:00:00+08:00`);
  const each = DAY_MS / items;
  const airings: ScheduledItem[] = Array.from({ length: items }, (_, i) => ({
    id: `c1-${date}-${i}`,
    kind: 'lesson',
    assetId: i % 2 ? 'lesson-a' : 'lesson-b',
    lessonId: i % 2 ? 'g3-math-1' : 'g3-math-2',
    title: { zh: `课 ${i} v${version}` },
    startMs: startMs + i * each,
    durationMs: each,
    segmentOffset: 0,
    segmentCount: 2,
    mediaSequence: index * items * 2 + i * 2,
    discontinuitySequence: index * items + i,
  })) as unknown as ScheduledItem[];
  return {
    channelId: 'c1',
    date,
    version,
    timetable: 'term',
    startMs,
    endMs: startMs + DAY_MS,
    mediaSequenceStart: index * items * 2,
    discontinuitySequenceStart: index * items,
    items: airings,
    warnings: [],
    endState: { endMs: startMs + DAY_MS, mediaSequence: 0, discontinuitySequence: 0 },
  } as unknown as DaySnapshot;
}

beforeAll(() => {
  data = makeDataDir('aerial-store-sync-steps-');
  insertAsset(data.db, { id: 'slate', kind: 'slate', title: 'slate', segmentMs: [1000] });
  insertAsset(data.db, { id: 'lesson-a', kind: 'lesson', title: 'a', segmentMs: [6000, 6000] });
  insertAsset(data.db, { id: 'lesson-b', kind: 'lesson', title: 'b', segmentMs: [6000, 6000] });
  insertPackagedLesson(data.db, 'g3-math-1', 'lesson-a', 1);
  insertPackagedLesson(data.db, 'g3-math-2', 'lesson-b', 2);
  importTestChannel(data.db, {
    id: 'c1',
    number: 1,
    assets: ['lesson-a'],
    firstSlot: '08:00',
    lastSlot: '09:00',
    everyMinutes: 30,
  });
  data.db.transaction(() => {
    for (let d = 0; d < DAYS; d++) insertSnapshot(data.db, day(d, 1, d === DENSE_DAY ? 4_000 : 3), NOW - DAY_MS);
  })();
});

afterAll(() => {
  data?.cleanup();
  storeDirs.removeAll();
});

function fsStore(): ObjectStore {
  const dir = storeDirs.make();
  return createFsStore(dir);
}

const publisherTo = (store: ObjectStore, db: Db = data.db, step?: Step) =>
  createStorePublisher({
    db,
    store,
    clock: () => NOW,
    logger: silent,
    mediaDir: data.mediaDir,
    guide: createGuideStore(db, () => NOW),
    ...(step && { step }),
  });

async function manifests(store: ObjectStore): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const key of [INDEX_KEY, channelManifestKey('c1')]) out[key] = (await store.get(key))?.toString();
  return out;
}

const versionCount = () => data.db.prepare('SELECT COUNT(*) FROM day_snapshots').pluck().get() as number;

describe('store sync in steps', () => {
  it('plans the first sync of a year in bounded steps, and leaves what is published meanwhile to the next', async () => {
    /** Day bodies read per step; reads of day_snapshots outside any step. */
    const bodiesPerStep: number[] = [];
    let inStep = false;
    let outside = 0;
    const counted = new Database(dbPath(data.dataDir), {
      verbose: (sql) => {
        if (!/FROM day_snapshots/.test(String(sql))) return;
        if (!inStep) outside++;
        else if (/SELECT body FROM day_snapshots/.test(String(sql))) bodiesPerStep[bodiesPerStep.length - 1]!++;
      },
    }) as Db;
    let republished = false;
    const step: Step = async (work) => {
      await nextTurn();
      bodiesPerStep.push(0);
      inStep = true;
      try {
        return work();
      } finally {
        inStep = false;
        // Mid-plan, after the first step (before any key is read), another process publishes a new version.
        if (bodiesPerStep.length === 1 && !republished) {
          republished = true;
          data.db.transaction(() => insertSnapshot(data.db, day(DAYS - 1, 2), NOW))();
        }
      }
    };
    try {
      const store = fsStore();
      const publisher = publisherTo(store, counted, step);
      const first = await publisher.sync();
      expect(republished).toBe(true);
      // The plan is bounded by the row it read first: the version published meanwhile is not in it.
      expect(first).toMatchObject({ examined: DAYS, days: DAYS });
      expect(outside).toBe(0);
      expect(bodiesPerStep.reduce((a, b) => a + b, 0)).toBe(DAYS);
      expect(Math.max(...bodiesPerStep)).toBeLessThanOrEqual(SYNC_SLICE_DAYS);
      expect(bodiesPerStep.length).toBeGreaterThanOrEqual(DAYS / SYNC_SLICE_DAYS);
      const dense = JSON.parse((await manifests(store))[channelManifestKey('c1')]!) as {
        pastDays: Array<{ date: string; key: string }>;
      };
      const denseKey = dense.pastDays.find((d) => d.date === addDays(FIRST_DAY, DENSE_DAY))!.key;
      expect(JSON.parse((await store.get(denseKey))!.toString()).items).toHaveLength(4_000);

      // The next sync takes the version published meanwhile, and ends where a full sync of a new publisher does.
      expect(await publisher.sync()).toMatchObject({ examined: 1, days: 1, manifests: 2 });
      expect(versionCount()).toBe(DAYS + 1);
      const full = fsStore();
      await publisherTo(full).sync();
      expect(await manifests(store)).toEqual(await manifests(full));
    } finally {
      counted.close();
    }
  });
});

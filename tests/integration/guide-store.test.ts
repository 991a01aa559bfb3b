import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLesson, listLessons, upsertLessons } from '../../scheduler/catalog/lessons-repository.ts';
import { fixedClock } from '../../scheduler/clock.ts';
import { BODY_SLICE_BYTES, createGuideStore, type GuideStore } from '../../scheduler/guide/guide-store.ts';
import { importChannelDocument, listChannels } from '../../scheduler/schedule/channels-repository.ts';
import { openDb, type Db } from '../../scheduler/store/db.ts';
import { denseGuideDataDir, NOW_MS } from './guide-data-dir-fixtures.ts';
import type { TempDataDir } from './schedule-data-dir-fixtures.ts';

/**
 * What the guides read from the database: the states of the channels and the catalog (change counters kept by
 * triggers, seen by every connection sharing the file), and published days read and parsed in slices.
 */

let data: TempDataDir;
/** A second connection to the same file, as another process (a second origin, the CLI) has. */
let other: Db;

beforeAll(() => {
  data = denseGuideDataDir(1, 1);
  other = openDb(data.dir);
}, 60_000);

afterAll(() => {
  other?.close();
  data?.close();
});

/** A catalog lesson as catalog files carry it (without its packaging state). */
function lessonRecord(id: string) {
  const { status: _s, failureReason: _f, assetId: _a, posterSizes: _p, ...record } = getLesson(data.db, id)!;
  return record;
}

describe('the guide store', () => {
  it('sees a change of the catalog or the channels made by any connection, and only a change', () => {
    const store = createGuideStore(data.db, fixedClock(NOW_MS));
    const catalog = store.catalogState();
    const channels = store.channelsState();
    const lessonId = listLessons(data.db, { limit: 1 })[0]!.id;

    // Rewriting a lesson as it is (a catalog imported again) changes nothing the guides show.
    upsertLessons(other, [lessonRecord(lessonId)]);
    expect(store.catalogState()).toEqual(catalog);

    upsertLessons(other, [{ ...lessonRecord(lessonId), titleZh: '新的标题' }]);
    const changed = store.catalogState();
    expect(changed.fingerprint).not.toBe(catalog.fingerprint);
    expect(store.channelsState()).toEqual(channels);
    // A store of the other connection reads the same state from the same file.
    expect(createGuideStore(other, fixedClock(NOW_MS)).catalogState().fingerprint).toBe(changed.fingerprint);

    const [g1] = listChannels(other);
    importChannelDocument(other, { channels: [{ ...g1!, name: { ...g1!.name, zh: '改名的频道' } }] });
    expect(store.channelsState().fingerprint).not.toBe(channels.fingerprint);
    expect(store.channel('g1')!.guide.name.zh).toBe('改名的频道');
    expect(store.catalogState()).toEqual(changed);
  });

  it('reads a dense day in slices of bytes, split inside characters, to the same snapshot as one read', async () => {
    const whole = createGuideStore(data.db, fixedClock(NOW_MS));
    const sliced: GuideStore = createGuideStore(data.db, fixedClock(NOW_MS));
    const [key] = whole.dayKeys('g1', 0, Number.MAX_SAFE_INTEGER);
    const expected = whole.snapshot(key!);
    const json = JSON.stringify(expected);
    // Titles in Chinese: three bytes a character, so the slices (128 KB) end inside characters.
    expect(Buffer.byteLength(json)).toBeGreaterThan(1_000_000);
    expect(json).toMatch(/[\u4e00-\u9fff]/);
    let steps = 0;
    const day = await sliced.snapshotInSteps(key!, async (work) => {
      steps++;
      return work();
    });
    expect(day).toEqual(expected);
    expect(steps).toBeGreaterThan(Buffer.byteLength(json) / BODY_SLICE_BYTES);
  });
});

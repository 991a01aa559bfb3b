/**
 * An edge origin's guide store over weeks of publishing: it remembers the object keys of the day versions the
 * current manifests name and of a bounded number of retired ones (requests that began under an earlier state
 * still find them), not of every version it ever saw.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreGuideStore } from '../../scheduler/distribution/store-guide.ts';
import { createPublishedStoreReader } from '../../scheduler/distribution/store-reader.ts';
import { createFsStore } from '../../scheduler/object-store/fs-store.ts';
import type { ObjectStore } from '../../scheduler/object-store/object-store.ts';
import { insertSnapshot, latestSnapshot } from '../../scheduler/schedule/snapshots-repository.ts';
import { halfHourlyWorldSpec, makeOriginWorld, storePublisherOn, type DataDir } from './origin-fixtures.ts';

const AT = Date.parse('2026-11-23T00:30:07Z');
const DATE = '2026-11-23';
const PUBLISHES = 24;
const RETIRED = 4;
const silent = pino({ level: 'silent' });
let data: DataDir;
let storeDir: string;
let pastStoreDir: string;

beforeAll(() => {
  data = makeOriginWorld(
    halfHourlyWorldSpec({
      prefix: 'aerial-store-guide-',
      channels: ['c1'],
      lastSlot: '10:00',
      publish: { fromDate: '2026-11-22', days: 3, atMs: AT - 86_400_000 },
    }),
  );
  storeDir = mkdtempSync(join(tmpdir(), 'aerial-store-guide-store-'));
  pastStoreDir = mkdtempSync(join(tmpdir(), 'aerial-store-guide-past-'));
});

afterAll(() => {
  data?.cleanup();
  for (const dir of [storeDir, pastStoreDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A republish of DATE: its next version, one title changed (through the real snapshots repository). */
function republish(n: number): void {
  const day = latestSnapshot(data.db, 'c1', DATE)!;
  day.version++;
  day.items[0]!.title = { zh: `改 ${n}` };
  data.db.transaction(() => insertSnapshot(data.db, day, AT))();
}

describe('edge guide store (store reader state)', () => {
  it('holds the day keys the manifests name plus a bounded number of retired ones, after many publishes', async () => {
    const store = createFsStore(storeDir);
    const publisher = storePublisherOn(data, store, () => AT);
    const reader = createPublishedStoreReader({ store, logger: silent });
    const guide = createStoreGuideStore(reader, store, { retiredDayKeys: RETIRED });
    await publisher.sync();
    await reader.refresh();
    const named = guide.dayKeys('c1', 0, Number.MAX_SAFE_INTEGER).length;
    expect(named).toBe(3);
    const first = guide.dayKeysOnDates('c1', [DATE])[0]!;
    let previous = first;
    const held: number[] = [];
    for (let n = 1; n <= PUBLISHES; n++) {
      previous = guide.dayKeysOnDates('c1', [DATE])[0]!;
      republish(n);
      await publisher.sync();
      expect(await reader.refresh()).toBe(true);
      held.push(guide.heldDayKeys());
    }
    expect(guide.dayKeysOnDates('c1', [DATE])[0]!.version).toBe(first.version + PUBLISHES);
    expect(Math.max(...held)).toBe(named + RETIRED);
    expect(held.at(-1)).toBe(named + RETIRED);
    // A request that took its key from the state before the last one still reads its day; one from long ago not.
    const step = <T>(work: () => T) => Promise.resolve(work());
    const before = await guide.snapshotInSteps(previous, step);
    expect(before.version).toBe(previous.version);
    expect(before.items[0]!.title).toEqual({ zh: `改 ${PUBLISHES - 1}` });
    await expect(guide.snapshotInSteps(first, step)).rejects.toThrow('is not in the store');
  });

  it('two concurrent guide requests for one uncached past day read it from the store once', async () => {
    // Ten days later every published day is past: the manifests name them for the guides, the edge holds none.
    const later = AT + 10 * 86_400_000;
    const fs = createFsStore(pastStoreDir);
    const gets: string[] = [];
    // The real filesystem driver, its reads counted.
    const store: ObjectStore = { ...fs, url: fs.url, get: (key) => (gets.push(key), fs.get(key)) };
    const publisher = storePublisherOn(data, store, () => later);
    await publisher.sync();
    const reader = createPublishedStoreReader({ store, logger: silent });
    await reader.refresh();
    const guide = createStoreGuideStore(reader, store);
    const key = guide.dayKeysOnDates('c1', ['2026-11-22'])[0]!;
    const step = async <T>(work: () => T) => (await nextTurn(), work());
    const dayGets = () => gets.filter((k) => k.startsWith('published/days/')).length;
    const before = dayGets();
    const [a, b] = await Promise.all([guide.snapshotInSteps(key, step), guide.snapshotInSteps(key, step)]);
    expect(dayGets() - before).toBe(1);
    expect(a).toBe(b);
    expect(a.date).toBe('2026-11-22');
    // Then it is held: no read at all.
    expect(await guide.snapshotInSteps(key, step)).toBe(a);
    expect(dayGets() - before).toBe(1);
  });
});
